import { Banner, buttonClass } from "@/app/ui/page-shell";
import type { Installation } from "@/lib/installations/repository";
import { findInstallation } from "@/lib/installations/repository";
import { isPostable, loadChoices } from "@/lib/settings/choices";
import type { StoredSettings } from "@/lib/settings/repository";
import { matrixKey } from "@/lib/settings/schema";
import { SETTINGS_TEXT, type SettingsLocale } from "@/lib/settings/text";
import { ManualTransfer } from "./manual-transfer";
import { SettingsForm, type SettingsFormProps } from "./settings-form";

const T = {
  en: {
    revoked: "e-conomic access revoked",
    revokedText:
      "e-conomic no longer accepts this app's access, so transfers are paused. Reconnect the same agreement to resume; nothing is lost.",
    reconnect: "Reconnect e-conomic",
    connected: "Connected to e-conomic and Rackbeat",
    headingAccount: "heading",
    barred: "barred",
    only: (type: string) =>
      `only ${({ financeVoucher: "finance vouchers", supplierInvoice: "supplier invoices", supplierPayment: "supplier payments", customerPayment: "customer payments", manualCustomerInvoice: "manual customer invoices" } as Record<string, string>)[type] ?? type}`,
  },
  da: {
    revoked: "Adgangen til e-conomic er tilbagekaldt",
    revokedText:
      "e-conomic godtager ikke længere appens adgang, så overførsler er sat på pause. Genforbind den samme aftale for at fortsætte; intet går tabt.",
    reconnect: "Genforbind e-conomic",
    connected: "Forbundet til e-conomic og Rackbeat",
    headingAccount: "overskrift",
    barred: "spærret",
    only: (type: string) =>
      `kun ${({ financeVoucher: "finansbilag", supplierInvoice: "leverandørfakturaer", supplierPayment: "leverandørbetalinger", customerPayment: "kundeindbetalinger", manualCustomerInvoice: "manuelle kundefakturaer" } as Record<string, string>)[type] ?? type}`,
  },
};

/**
 * The part of the settings page that needs live data from both APIs; it streams in after the rest.
 * Loading the lists is also the connection check: a 401 marks the installation revoked.
 */
export async function LiveSettings({
  installation,
  settings,
  lt,
  locale,
}: {
  installation: Installation;
  settings: StoredSettings;
  lt?: string;
  locale: SettingsLocale;
}) {
  const t = T[locale];
  const st = SETTINGS_TEXT[locale];
  const choices = await loadChoices(installation);
  const status = choices.economic.ok
    ? installation.status
    : ((await findInstallation(installation.id))?.status ?? installation.status);
  const reconnectHref = `/install/economic?intent=reconnect&installation=${installation.id}${lt ? `&lt=${encodeURIComponent(lt)}` : ""}`;
  if (status === "economic_revoked") {
    return (
      <Banner tone="error" title={t.revoked}>
        <p>{t.revokedText}</p>
        {/* e-conomic's approval page must open at top level, not inside Rackbeat's iframe. */}
        <a className={`${buttonClass("danger")} mt-3`} href={reconnectHref} target="_top">
          {t.reconnect}
        </a>
      </Banner>
    );
  }
  const economic = choices.economic.ok ? choices.economic.data : undefined;
  const rackbeat = choices.rackbeat.ok ? choices.rackbeat.data : undefined;

  const values = structuredClone(settings.values);
  const productGroups = rackbeat?.productGroups ?? [];
  const vatZones = (economic?.vatZones ?? []).filter((z) => z.enabledForSupplier !== false);
  for (const g of productGroups)
    for (const z of vatZones) values.accounting.matrix[matrixKey(g.number, z.number)] ??= "";
  for (const l of economic?.layouts ?? []) values.layouts[String(l.number)] ??= "";

  const options: SettingsFormProps["options"] = {
    accounts: (economic?.accounts ?? []).map((a) => ({
      value: String(a.accountNumber),
      label: `${a.accountNumber} ${a.name}${isPostable(a) ? "" : ` (${a.barred ? t.barred : t.headingAccount})`}`,
      disabled: !isPostable(a),
    })),
    dayBooks: (economic?.journals ?? []).map((j) => ({
      value: String(j.journalNumber),
      label: `${j.journalNumber} ${j.name}${j.entryTypeRestrictedTo ? ` (${t.only(j.entryTypeRestrictedTo)})` : ""}`,
    })),
    supplierGroups: (economic?.supplierGroups ?? []).map((g) => ({
      value: String(g.number),
      label: `${g.number} ${g.name}${g.accountNumber ? ` (${g.accountNumber})` : ""}`,
    })),
    vatZones: vatZones.map((z) => ({ value: String(z.number), label: z.name })),
    rackbeatProductGroups: productGroups.map((g) => ({
      value: String(g.number),
      label: `${g.number} ${g.name}`,
    })),
    economicLayouts: (economic?.layouts ?? []).map((l) => ({
      value: String(l.number),
      label: `${st.layouts.economicLayout}: ${l.name}`,
    })),
    rackbeatLayouts: (rackbeat?.layouts ?? []).map((l) => ({ value: String(l.number), label: l.name })),
  };

  return (
    <>
      {!choices.economic.ok && <Banner tone="warning" title={st.economicDown} />}
      {!choices.rackbeat.ok && <Banner tone="warning" title={st.rackbeatDown} />}
      {choices.economic.ok && choices.rackbeat.ok && (
        <p className="mb-4">
          <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
            {t.connected}
          </span>
        </p>
      )}
      <SettingsForm
        installationId={installation.id}
        lt={lt}
        locale={locale}
        version={settings.version}
        active={Boolean(settings.activatedAt)}
        startupSyncChosenAt={
          settings.startupSyncChosenAt ? settings.startupSyncChosenAt.toISOString().slice(0, 10) : null
        }
        initial={values}
        options={options}
      />
      {settings.activatedAt && (
        <div className="mt-6">
          <ManualTransfer installationId={installation.id} lt={lt} text={st.manual} />
        </div>
      )}
    </>
  );
}

/** What the page shows while the live lists load: a progress bar and the shape of the form. */
export function LiveSettingsLoading({ locale }: { locale: SettingsLocale }) {
  return (
    <div role="status" aria-live="polite" className="space-y-6">
      <p className="text-sm text-slate-600">
        {locale === "da"
          ? "Henter konti, kassekladder og layouts fra e-conomic og Rackbeat…"
          : "Loading accounts, day books and layouts from e-conomic and Rackbeat…"}
      </p>
      <div className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200">
        <div className="h-full w-1/3 animate-pulse rounded-full bg-brand-600" />
      </div>
      {[0, 1, 2].map((i) => (
        <div key={i} className="space-y-3 rounded-xl border border-slate-200 bg-white p-5">
          <div className="h-5 w-48 animate-pulse rounded bg-slate-200" />
          <div className="h-9 w-full animate-pulse rounded bg-slate-100" />
        </div>
      ))}
    </div>
  );
}
