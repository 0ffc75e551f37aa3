"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useState, useTransition } from "react";
import { get, useForm, useWatch, type FieldPath } from "react-hook-form";
import { buttonClass } from "@/app/ui/page-shell";
import { matrixKey, settingsSchema, type SettingsValues } from "@/lib/settings/schema";
import { saveSettingsAction } from "./actions";
import { Checkbox, ChoiceSelect, type Option } from "./choice-select";
import { MappingTables, type MappingTableProps } from "./mapping-tables";
import { OneStopVatTable } from "./one-stop-vat-table";
import { StartupSyncProgress } from "./startup-sync-progress";

export type SettingsFormProps = {
  installationId: string;
  launchToken?: string;
  version: number;
  active: boolean;
  startupSyncChosenAt: string | null;
  /** Rackbeat answered that it has no mark-as-sent call: said plainly beside the setting. */
  markAsSentUnavailable?: { status: number; date: string };
  initial: SettingsValues;
  options: {
    accounts: Option[];
    dayBooks: Option[];
    supplierGroups: Option[];
    vatZones: { value: string; label: string }[];
    customerVatZones: Option[];
    customerGroups: Option[];
    rackbeatProductGroups: { value: string; label: string }[];
    economicLayouts: { value: string; label: string }[];
    rackbeatLayouts: Option[];
    mappings: MappingTableProps[];
  };
};

/** Adds the saved value to a list when the live list is missing it (API down, or deleted since). */
const withSaved = (options: Option[], value: string, label: (v: string) => string): Option[] =>
  value && !options.some((o) => o.value === value) ? [{ value, label: label(value) }, ...options] : options;

export function SettingsForm(props: SettingsFormProps) {
  const t = useTranslations("settings");
  const codes = useTranslations("codes") as unknown as (key: string) => string;
  const router = useRouter();
  const [version, setVersion] = useState(props.version);
  const [active, setActive] = useState(props.active);
  const [status, setStatus] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [submitting, setSubmitting] = useState<"save" | "activate" | null>(null);
  const [, startTransition] = useTransition();

  const form = useForm<SettingsValues>({
    resolver: zodResolver(settingsSchema),
    defaultValues: props.initial,
    mode: "onSubmit",
  });
  const { register, handleSubmit, setError, reset, formState, control } = form;
  const values = useWatch({ control }) as SettingsValues;
  const err = (path: string) => {
    const message = (get(formState.errors, path) as { message?: string } | undefined)?.message;
    // Schema rules give a code (worded here); the server's live checks arrive already worded.
    if (!message) return undefined;
    return /^[a-z_]+\.[a-z_]+$/.test(message) ? codes(message) : message;
  };

  // Unsaved changes are never lost silently: the browser asks before leaving.
  useEffect(() => {
    if (!formState.isDirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [formState.isDirty]);

  const submit = (activate: boolean) =>
    handleSubmit(
      async (data) => {
        setSubmitting(activate ? "activate" : "save");
        setStatus(null);
        try {
          const result = await saveSettingsAction({
            installationId: props.installationId,
            lt: props.launchToken,
            values: data,
            expectedVersion: version,
            activate,
          });
          if (result.ok) {
            setVersion(result.version);
            if (result.activated) setActive(true);
            reset(data);
            const saved = activate ? t("activated") : t("saved", { version: result.version });
            setStatus({
              tone: "ok",
              text: result.requeued ? `${saved} ${t("requeued", { count: result.requeued })}` : saved,
            });
            startTransition(() => router.refresh());
          } else {
            for (const [path, message] of Object.entries(result.fieldErrors ?? {}))
              setError(path as FieldPath<SettingsValues>, { type: "server", message });
            setStatus({ tone: "error", text: result.formError ?? t("fixErrors") });
          }
        } catch {
          setStatus({ tone: "error", text: t("fixErrors") });
        } finally {
          setSubmitting(null);
        }
      },
      () => setStatus({ tone: "error", text: t("fixErrors") }),
    );

  const savedValue = (value: string) => t("savedValue", { value });
  const o = props.options;
  const accounts = (value: string) => withSaved(o.accounts, value, savedValue);
  const startupLocked = Boolean(props.startupSyncChosenAt) || active;

  return (
    <form onSubmit={(e) => e.preventDefault()} noValidate className="space-y-6" aria-label={t("title")}>
      <Section title={t("creditor.heading")}>
        <Checkbox
          label={t("creditor.enabled")}
          hint={t("creditor.enabledHint")}
          registration={register("creditor.enabled")}
          error={err("creditor.enabled")}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <ChoiceSelect
            label={t("creditor.supplierGroup")}
            hint={t("creditor.supplierGroupHint")}
            placeholder={t("choose")}
            options={withSaved(o.supplierGroups, values.creditor.supplierGroup, savedValue)}
            registration={register("creditor.supplierGroup")}
            value={values.creditor.supplierGroup}
            error={err("creditor.supplierGroup")}
          />
          <ChoiceSelect
            label={t("creditor.dayBook")}
            hint={t("creditor.dayBookHint")}
            placeholder={t("choose")}
            options={withSaved(o.dayBooks, values.creditor.dayBook, savedValue)}
            registration={register("creditor.dayBook")}
            value={values.creditor.dayBook}
            error={err("creditor.dayBook")}
          />
        </div>
      </Section>

      <Section title={t("accounting.heading")}>
        <ChoiceSelect
          label={t("accounting.standardAccount")}
          hint={t("accounting.standardAccountHint")}
          placeholder={t("choose")}
          options={accounts(values.accounting.standardAccount)}
          registration={register("accounting.standardAccount")}
          value={values.accounting.standardAccount}
          error={err("accounting.standardAccount")}
          searchLabel={t("search", { label: t("accounting.standardAccount").toLowerCase() })}
          noMatches={t("noMatches")}
        />
        <div>
          <h3 className="text-sm font-medium text-slate-800">{t("accounting.matrix")}</h3>
          <p className="text-xs text-slate-500">{t("accounting.matrixHint")}</p>
          <div className="relative mt-2 overflow-x-auto">
            <table className="min-w-full text-sm">
              <thead>
                <tr>
                  <th scope="col" className="py-2 pr-3 text-left font-medium text-slate-600">
                    {t("accounting.productGroup")}
                  </th>
                  {o.vatZones.map((z) => (
                    <th key={z.value} scope="col" className="px-2 py-2 text-left font-medium text-slate-600">
                      {z.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {o.rackbeatProductGroups.map((g) => (
                  <tr key={g.value} className="border-t border-slate-100">
                    <th scope="row" className="py-2 pr-3 text-left font-normal">
                      {g.label}
                    </th>
                    {o.vatZones.map((z) => {
                      const key = matrixKey(g.value, z.value);
                      const path = `accounting.matrix.${key}` as const;
                      return (
                        <td key={key} className="min-w-40 px-2 py-1 align-top">
                          <ChoiceSelect
                            compact
                            label={`${g.label} – ${z.label}`}
                            placeholder={t("choose")}
                            options={accounts(values.accounting.matrix[key] ?? "")}
                            registration={register(path)}
                            value={values.accounting.matrix[key] ?? ""}
                            error={err(path)}
                          />
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </Section>

      <Section title={t("debtor.heading")}>
        <Checkbox
          label={t("debtor.enabled")}
          hint={t("debtor.enabledHint")}
          registration={register("debtor.enabled")}
          error={err("debtor.enabled")}
        />
        <Checkbox
          label={t("debtor.useActualQuantity")}
          hint={t("debtor.useActualQuantityHint")}
          registration={register("debtor.useActualQuantity")}
        />
        <Checkbox
          label={t("debtor.postInvoices")}
          hint={t("debtor.postInvoicesHint")}
          registration={register("debtor.postInvoices")}
          error={err("debtor.postInvoices")}
        />
        <Checkbox
          label={t("debtor.neverPostEanInvoices")}
          hint={t("debtor.neverPostEanInvoicesHint")}
          registration={register("debtor.neverPostEanInvoices")}
          error={err("debtor.neverPostEanInvoices")}
        />
        <Checkbox
          label={t("debtor.markInvoicesAsSent")}
          hint={
            props.markAsSentUnavailable
              ? t("debtor.markInvoicesAsSentUnavailable", props.markAsSentUnavailable)
              : undefined
          }
          registration={register("debtor.markInvoicesAsSent")}
        />
        <Checkbox
          label={t("debtor.bringOrders")}
          hint={t("debtor.bringOrdersHint")}
          registration={register("debtor.bringOrders")}
        />
        <TextField
          label={t("debtor.emptyLineProduct")}
          hint={t("debtor.emptyLineProductHint")}
          error={err("debtor.emptyLineProduct")}
          registration={register("debtor.emptyLineProduct")}
        />
        <Checkbox
          label={t("debtor.oneStopVat")}
          hint={t("debtor.oneStopVatHint")}
          registration={register("debtor.oneStopVat")}
        />
        {values.debtor.oneStopVat && (
          <OneStopVatTable
            form={form}
            rows={values.debtor.oneStopVatCountries ?? {}}
            vatZones={o.customerVatZones}
            customerGroups={o.customerGroups}
            err={err}
            withSaved={(options, value) => withSaved(options, value, savedValue)}
          />
        )}
      </Section>

      <Section title={t("products.heading")}>
        <Checkbox
          label={t("products.useActualCostPrice")}
          hint={t("products.useActualCostPriceHint")}
          registration={register("products.useActualCostPrice")}
        />
      </Section>

      <Section title={t("layouts.heading")}>
        <p className="text-sm text-slate-600">{t("layouts.intro")}</p>
        {err("layouts") && (
          <p id="layouts-error" role="alert" className="text-sm text-red-700">
            {err("layouts")}
          </p>
        )}
        <div className="grid gap-4 sm:grid-cols-2">
          {o.economicLayouts.map((l) => (
            <ChoiceSelect
              key={l.value}
              label={l.label}
              placeholder={t("layouts.none")}
              options={withSaved(o.rackbeatLayouts, values.layouts[l.value] ?? "", savedValue)}
              registration={register(`layouts.${l.value}`)}
              value={values.layouts[l.value] ?? ""}
              error={err(`layouts.${l.value}`)}
            />
          ))}
        </div>
      </Section>

      <Section title={t("mappings.heading")}>
        <p className="text-sm text-slate-600">{t("mappings.intro")}</p>
        <MappingTables
          tables={o.mappings}
          values={values.mappings}
          register={register}
          err={err}
          withSaved={(options, value) => withSaved(options, value, savedValue)}
        />
      </Section>

      <Section title={t("inventory.heading")}>
        <Checkbox
          label={t("inventory.enabled")}
          registration={register("inventory.enabled")}
          error={err("inventory.enabled")}
        />
        <fieldset className="grid min-w-0 gap-4 sm:grid-cols-2">
          <legend className="sr-only">{t("inventory.heading")}</legend>
          <div className="space-y-1">
            <label htmlFor="inventory-frequency" className="block text-sm font-medium text-slate-800">
              {t("inventory.frequency")}
            </label>
            <select
              id="inventory-frequency"
              {...register("inventory.frequency")}
              className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm"
            >
              <option value="daily">{t("inventory.daily")}</option>
              <option value="weekly">{t("inventory.weekly")}</option>
              <option value="monthly">{t("inventory.monthly")}</option>
            </select>
          </div>
          <ChoiceSelect
            label={t("inventory.dayBook")}
            hint={t("inventory.dayBookHint")}
            placeholder={t("choose")}
            options={withSaved(o.dayBooks, values.inventory.dayBook, savedValue)}
            registration={register("inventory.dayBook")}
            value={values.inventory.dayBook}
            error={err("inventory.dayBook")}
          />
          <ChoiceSelect
            label={t("inventory.inventoryAccount")}
            hint={t("inventory.accountHint")}
            placeholder={t("choose")}
            options={accounts(values.inventory.inventoryAccount)}
            registration={register("inventory.inventoryAccount")}
            value={values.inventory.inventoryAccount}
            error={err("inventory.inventoryAccount")}
            searchLabel={t("search", { label: t("inventory.inventoryAccount").toLowerCase() })}
            noMatches={t("noMatches")}
          />
          <ChoiceSelect
            label={t("inventory.offsetAccount")}
            hint={t("inventory.accountHint")}
            placeholder={t("choose")}
            options={accounts(values.inventory.offsetAccount)}
            registration={register("inventory.offsetAccount")}
            value={values.inventory.offsetAccount}
            error={err("inventory.offsetAccount")}
            searchLabel={t("search", { label: t("inventory.offsetAccount").toLowerCase() })}
            noMatches={t("noMatches")}
          />
        </fieldset>
      </Section>

      <Section title={t("alerts.heading")}>
        <Checkbox
          label={t("alerts.enabled")}
          registration={register("alerts.enabled")}
          error={err("alerts.enabled")}
        />
        <TextField
          label={t("alerts.email")}
          hint={t("alerts.emailHint")}
          type="email"
          autoComplete="email"
          registration={register("alerts.email")}
          error={err("alerts.email")}
        />
      </Section>

      <Section title={t("startup.heading")}>
        <p
          role="note"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          {t("startup.warning")}
        </p>
        <Checkbox
          label={t("startup.label")}
          registration={register("startupSync")}
          disabled={startupLocked}
          error={err("startupSync")}
        />
        {props.startupSyncChosenAt ? (
          <>
            <p className="text-sm text-slate-600">
              {t("startup.chosen", { date: props.startupSyncChosenAt })}
            </p>
            <StartupSyncProgress installationId={props.installationId} launchToken={props.launchToken} />
          </>
        ) : active ? (
          <p className="text-sm text-slate-600">{t("startup.locked")}</p>
        ) : null}
      </Section>

      <div className="sticky bottom-0 z-10 -mx-2 flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white/95 px-4 py-3 shadow-sm backdrop-blur">
        <button
          type="button"
          onClick={submit(false)}
          disabled={submitting !== null}
          className={buttonClass(active ? "primary" : "secondary")}
        >
          {submitting === "save" ? t("saving") : t("save")}
        </button>
        {!active && (
          <button
            type="button"
            onClick={submit(true)}
            disabled={submitting !== null}
            className={buttonClass()}
          >
            {submitting === "activate" ? t("activating") : t("activate")}
          </button>
        )}
        <span className={`text-xs font-medium ${active ? "text-emerald-700" : "text-slate-500"}`}>
          {active ? t("active") : t("notActive")}
        </span>
        {formState.isDirty && <span className="text-xs text-amber-700">{t("unsaved")}</span>}
        {status && (
          <p
            role={status.tone === "error" ? "alert" : "status"}
            className={`w-full text-sm ${status.tone === "error" ? "text-red-700" : "text-emerald-700"}`}
          >
            {status.text}
          </p>
        )}
      </div>
    </form>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section
      aria-label={title}
      className="min-w-0 space-y-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
    >
      <h2 className="text-lg font-semibold">{title}</h2>
      {children}
    </section>
  );
}

function TextField({
  label,
  hint,
  error,
  registration,
  type = "text",
  autoComplete,
}: {
  label: string;
  hint?: string;
  error?: string;
  type?: "text" | "email";
  autoComplete?: string;
  registration: ReturnType<ReturnType<typeof useForm<SettingsValues>>["register"]>;
}) {
  const id = `field-${registration.name.replace(/\W/g, "-")}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={id}
        type={type}
        autoComplete={autoComplete}
        {...registration}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        className={`block w-full max-w-xs rounded-md border px-3 py-2 text-sm shadow-sm ${error ? "border-red-500" : "border-slate-300"}`}
      />
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      )}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
    </div>
  );
}
