"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionState } from "@/app/validated-action";
import { buttonClass } from "@/app/ui/page-shell";
import { connectWithApiKey } from "./actions";

export function ApiKeyForm() {
  const t = useTranslations("connect");
  const [state, action, pending] = useActionState<ActionState, FormData>(connectWithApiKey, {});
  const error = state.fieldErrors?.apiKey;
  return (
    <form action={action} className="mt-4 space-y-3" noValidate>
      {state.formError && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.formError}
        </p>
      )}
      <div>
        <label htmlFor="apiKey" className="block text-sm font-medium text-slate-800">
          {t("key")}
        </label>
        <input
          id="apiKey"
          name="apiKey"
          type="password"
          autoComplete="off"
          defaultValue={state.values?.apiKey}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? "apiKey-error" : "apiKey-hint"}
          className={`mt-1 block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-brand-600 ${error ? "border-red-500" : "border-slate-300"}`}
        />
        {error ? (
          <p id="apiKey-error" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : (
          <p id="apiKey-hint" className="mt-1 text-xs text-slate-500">
            {t("hint")}
          </p>
        )}
      </div>
      <button type="submit" className={buttonClass("secondary")} disabled={pending}>
        {pending ? t("pending") : t("submit")}
      </button>
    </form>
  );
}
