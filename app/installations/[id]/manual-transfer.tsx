"use client";

import { LaunchTokenField } from "@/app/installations/launch-token";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { buttonClass } from "@/app/ui/page-shell";
import { manualTransferAction, type ManualActionResult } from "./actions";

export function ManualTransfer({
  installationId,
  launchToken,
}: {
  installationId: string;
  launchToken?: string;
}) {
  const t = useTranslations("settings.manual");
  const [state, action, pending] = useActionState<ManualActionResult | null, FormData>(
    manualTransferAction,
    null,
  );
  const fieldError = state && !state.ok && state.field === "invoiceNumber" ? state.message : undefined;
  return (
    <section
      aria-label={t("heading")}
      className="space-y-3 rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
    >
      <h2 className="text-lg font-semibold">{t("heading")}</h2>
      <p
        role="note"
        className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
      >
        {t("warning")}
      </p>
      <form action={action} className="flex flex-wrap items-end gap-3" noValidate>
        <input type="hidden" name="installationId" value={installationId} />
        <LaunchTokenField token={launchToken} />
        <div className="space-y-1">
          <label htmlFor="manual-invoice" className="block text-sm font-medium text-slate-800">
            {t("label")}
          </label>
          <input
            id="manual-invoice"
            name="invoiceNumber"
            inputMode="numeric"
            aria-invalid={Boolean(fieldError)}
            aria-describedby={fieldError ? "manual-invoice-error" : undefined}
            className={`block w-40 rounded-md border px-3 py-2 text-sm ${fieldError ? "border-red-500" : "border-slate-300"}`}
          />
        </div>
        <button type="submit" disabled={pending} className={buttonClass("secondary")}>
          {t("submit")}
        </button>
      </form>
      {fieldError && (
        <p id="manual-invoice-error" className="text-sm text-red-700">
          {fieldError}
        </p>
      )}
      {state && !fieldError && (
        <p
          role={state.ok ? "status" : "alert"}
          className={`text-sm ${state.ok ? "text-emerald-700" : "text-red-700"}`}
        >
          {state.message}
        </p>
      )}
    </section>
  );
}
