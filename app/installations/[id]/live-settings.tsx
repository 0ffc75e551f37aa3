import { LaunchTokenField, launchHref } from "@/app/installations/launch-token";
import { takeRateLimit } from "@/lib/limits";
import { Banner, buttonClass } from "@/app/ui/page-shell";
import type { Installation } from "@/lib/installations/repository";
import { findInstallation } from "@/lib/installations/repository";
import { accountRefusal, loadChoices, mappingListsOf } from "@/lib/settings/choices";
import { MAPPING_KINDS, prefillMappings, RACKBEAT_VAT_ZONES, sameName } from "@/lib/settings/mappings";
import type { StoredSettings } from "@/lib/settings/repository";
import { knownContact } from "@/lib/alerts/contact";
import { matrixKey } from "@/lib/settings/schema";
import { getTranslations } from "next-intl/server";
import { rackbeatAppsPageUrl } from "@/lib/rackbeat/urls";
import { ManualTransfer } from "./manual-transfer";
import { SettingsForm, type SettingsFormProps } from "./settings-form";

/**
 * The part of the settings page that needs live data from both APIs; it streams in after the rest.
 * Loading the lists is also the connection check: a 401 marks the installation revoked.
 */
export async function LiveSettings({
  installation,
  settings,
  launchToken,
  refresh = false,
}: {
  installation: Installation;
  settings: StoredSettings;
  launchToken?: string;
  /** Read the lists anew (the refresh link), not from the minute they are kept. */
  refresh?: boolean;
}) {
  const t = await getTranslations("installation");
  const st = await getTranslations("settings");
  const fresh = refresh && (await takeRateLimit("choicesRefresh", installation.id)).ok;
  const choices = await loadChoices(installation, { fresh });
  // A side that failed may have been a revoked access: the status says which.
  const status =
    choices.economic.ok && choices.rackbeat.ok
      ? installation.status
      : ((await findInstallation(installation.id))?.status ?? installation.status);
  if (status === "economic_revoked") {
    return (
      <Banner tone="error" title={t("revoked")}>
        <p>{t("revokedText")}</p>
        {/* e-conomic's approval page must open at top level, not inside Rackbeat's iframe; posted, so
            that the launch token never lands in the address bar or the history. */}
        <form method="post" action="/install/economic" target="_top" className="mt-3">
          <input type="hidden" name="intent" value="reconnect" />
          <input type="hidden" name="installation" value={installation.id} />
          <LaunchTokenField token={launchToken} />
          <button type="submit" className={buttonClass("danger")}>
            {t("reconnect")}
          </button>
        </form>
      </Banner>
    );
  }
  if (status === "rackbeat_revoked") {
    return (
      <Banner tone="error" title={t("rackbeatRevoked")}>
        <p>{t("rackbeatRevokedText")}</p>
        {/* Rackbeat's Apps menu opens at top level: inside Rackbeat's iframe it is Rackbeat's own page. */}
        <a href={rackbeatAppsPageUrl()} target="_top" className={`${buttonClass("danger")} mt-3`}>
          {t("rackbeatReconnect")}
        </a>
      </Banner>
    );
  }
  const economic = choices.economic.ok ? choices.economic.data : undefined;
  const rackbeat = choices.rackbeat.ok ? choices.rackbeat.data : undefined;

  const values = structuredClone(settings.values);
  // The alerts' address is filled in with the contact's (read once for installations made before it was kept).
  const contact = values.alerts.email ? {} : await knownContact(installation);
  const productGroups = rackbeat?.productGroups ?? [];
  const vatZones = (economic?.vatZones ?? []).filter((z) => z.enabledForSupplier !== false);
  for (const g of productGroups)
    for (const z of vatZones) values.accounting.matrix[matrixKey(g.number, z.number)] ??= "";
  // A layout not matched yet gets the Rackbeat layout of the same name, shown for the customer to keep.
  for (const l of economic?.layouts ?? [])
    values.layouts[String(l.number)] ||= String(sameName(rackbeat?.layouts ?? [], l.name)?.number ?? "");
  // Matching tables: what is saved, and where the names agree a suggestion for the bookkeeper to confirm.
  const lists = economic && rackbeat ? mappingListsOf(economic, rackbeat) : undefined;
  const prefill = lists ? prefillMappings(values.mappings, lists) : undefined;
  if (prefill) values.mappings = prefill.values;
  const numbered = (items: { number: number; name: string }[]) =>
    items.map((x) => ({ key: String(x.number), label: `${x.number} ${x.name}` }));

  const options: SettingsFormProps["options"] = {
    // Every account field is one a transfer posts to directly: only accounts that take such postings
    // are choices (a saved one that no longer does still shows, marked saved, with the server's error).
    accounts: (economic?.accounts ?? [])
      .filter((a) => !accountRefusal(a))
      .map((a) => ({ value: String(a.accountNumber), label: `${a.accountNumber} ${a.name}` })),
    dayBooks: (economic?.journals ?? []).map((j) => ({
      value: String(j.journalNumber),
      label: `${j.journalNumber} ${j.name}${
        j.settings?.entryTypeRestrictedTo
          ? ` (${t("onlyEntryType", { entryType: j.settings.entryTypeRestrictedTo })})`
          : ""
      }`,
    })),
    supplierGroups: (economic?.supplierGroups ?? []).map((g) => ({
      value: String(g.number),
      label: `${g.number} ${g.name}${g.accountNumber ? ` (${g.accountNumber})` : ""}`,
    })),
    vatZones: vatZones.map((z) => ({ value: String(z.number), label: z.name })),
    customerVatZones: (economic?.vatZones ?? []).map((z) => ({ value: String(z.number), label: z.name })),
    customerGroups: (economic?.customerGroups ?? []).map((g) => ({
      value: String(g.number),
      label: `${g.number} ${g.name}`,
    })),
    rackbeatProductGroups: productGroups.map((g) => ({
      value: String(g.number),
      label: `${g.number} ${g.name}`,
    })),
    economicLayouts: (economic?.layouts ?? []).map((l) => ({
      value: String(l.number),
      label: `${st("layouts.economicLayout")}: ${l.name}`,
    })),
    rackbeatLayouts: (rackbeat?.layouts ?? []).map((l) => ({ value: String(l.number), label: l.name })),
    mappings: MAPPING_KINDS.map((kind) => ({
      kind,
      rows:
        kind === "vatZones"
          ? RACKBEAT_VAT_ZONES.map((zone) => ({ key: zone, label: st(`mappings.vatZones.${zone}`) }))
          : numbered(rackbeat?.[kind] ?? []),
      economic: (lists?.economic[kind] ?? []).map((x) => ({
        value: String(x.number),
        label: `${x.number} ${x.name}`,
      })),
      suggested: prefill?.suggested[kind] ?? [],
    })),
  };

  return (
    <>
      {!choices.economic.ok && <Banner tone="warning" title={st("economicDown")} />}
      {!choices.rackbeat.ok && <Banner tone="warning" title={st("rackbeatDown")} />}
      {choices.economic.ok && choices.rackbeat.ok && (
        <p className="mb-4 flex flex-wrap items-center gap-3 text-sm">
          <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
            {t("connected")}
          </span>
          <span className="text-slate-600">{t("listsKept")}</span>
          <a
            className="text-brand-600 hover:underline"
            href={launchHref({ launchToken }, `/installations/${installation.id}?refresh=1`)}
          >
            {t("refreshLists")}
          </a>
        </p>
      )}
      <SettingsForm
        installationId={installation.id}
        launchToken={launchToken}
        version={settings.version}
        active={Boolean(settings.activatedAt)}
        startupSyncChosenAt={
          settings.startupSyncChosenAt ? settings.startupSyncChosenAt.toISOString().slice(0, 10) : null
        }
        // Alerts go to the installer's e-mail until someone names another: shown filled in.
        initial={
          values.alerts.email || !contact.email
            ? values
            : { ...values, alerts: { ...values.alerts, email: contact.email } }
        }
        markAsSentUnavailable={
          installation.markAsSentUnavailable
            ? {
                status: installation.markAsSentUnavailable.status,
                date: installation.markAsSentUnavailable.at.slice(0, 10),
              }
            : undefined
        }
        options={options}
      />
      {settings.activatedAt && (
        <div className="mt-6">
          <ManualTransfer installationId={installation.id} launchToken={launchToken} />
        </div>
      )}
    </>
  );
}

/** What the page shows while the live lists load: a progress bar and the shape of the form. */
export async function LiveSettingsLoading() {
  const t = await getTranslations("installation");
  return (
    <div role="status" aria-live="polite" className="space-y-6">
      <p className="text-sm text-slate-600">{t("loading")}</p>
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
