import { notFound } from "next/navigation";
import { getLocale } from "@/app/i18n";
import { AccountMenu } from "@/app/ui/account-menu";
import { Banner, buttonClass, Card, PageShell } from "@/app/ui/page-shell";
import { allowedInstallationIds, installationFor, launchTokenInstallation } from "@/lib/auth/access";
import { recentActivity } from "@/lib/installations/activity";
import { findInstallation } from "@/lib/installations/repository";
import { rackbeatAppsPageUrl } from "@/lib/rackbeat/urls";
import { isPostable, loadChoices } from "@/lib/settings/choices";
import { loadSettings } from "@/lib/settings/repository";
import { matrixKey } from "@/lib/settings/schema";
import { fieldLabel, SETTINGS_TEXT } from "@/lib/settings/text";
import { ManualTransfer } from "./manual-transfer";
import { SettingsForm, type SettingsFormProps } from "./settings-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Integration settings" };

const T = {
  en: {
    revoked: "e-conomic access revoked",
    revokedText: "e-conomic no longer accepts this app's access, so transfers are paused. Reconnect the same agreement to resume; nothing is lost.",
    reconnect: "Reconnect e-conomic",
    uninstalled: "The app was uninstalled in Rackbeat",
    uninstalledText: "Transfers are stopped and all access tokens are deleted. Your settings and history are kept: install the app again in Rackbeat to continue.",
    reinstall: "Open Rackbeat Apps",
    connected: "Connected",
    agreement: "e-conomic agreement",
    headingAccount: "heading",
    barred: "barred",
    only: (type: string) => `only ${type}`,
  },
  da: {
    revoked: "Adgangen til e-conomic er tilbagekaldt",
    revokedText: "e-conomic godtager ikke længere appens adgang, så overførsler er sat på pause. Genforbind den samme aftale for at fortsætte; intet går tabt.",
    reconnect: "Genforbind e-conomic",
    uninstalled: "Appen er afinstalleret i Rackbeat",
    uninstalledText: "Overførsler er stoppet, og alle adgangsnøgler er slettet. Dine indstillinger og din historik er gemt: installér appen igen i Rackbeat for at fortsætte.",
    reinstall: "Åbn Rackbeat Apps",
    connected: "Forbundet",
    agreement: "e-conomic-aftale",
    headingAccount: "overskrift",
    barred: "spærret",
    only: (type: string) => `kun ${type}`,
  },
};

export default async function InstallationPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ lt?: string }> }) {
  const { id } = await params;
  const { lt } = await searchParams;
  const installation = await installationFor(id, await allowedInstallationIds(lt));
  const locale = await getLocale();
  if (!installation && lt && !launchTokenInstallation(lt)) {
    // Opened from Rackbeat a while ago: the launch token expired. Say so instead of a bare 404.
    return (
      <PageShell>
        <Banner tone="info" title={locale === "da" ? "Åbn appen igen fra Rackbeat" : "Open the app again from Rackbeat"}>
          {locale === "da" ? "Af sikkerhedshensyn gælder et link fra Rackbeat i 30 minutter. Åbn appen igen under Brugerindstillinger → Apps." : "For your security, a link from Rackbeat is valid for 30 minutes. Open the app again from User settings → Apps."}
        </Banner>
      </PageShell>
    );
  }
  if (!installation) notFound();
  const t = T[locale];
  const st = SETTINGS_TEXT[locale];
  const connected = installation.status === "active";
  const [settings, activity] = await Promise.all([loadSettings(installation.id), recentActivity(installation.id, 30)]);
  // Loading the live lists is also the connection check: a 401 marks the installation revoked.
  const choices = connected ? await loadChoices(installation) : undefined;
  // A 401 while loading marks the installation revoked; read its status again to show it at once.
  const status = choices && !choices.economic.ok ? ((await findInstallation(installation.id))?.status ?? installation.status) : installation.status;
  const revoked = status === "economic_revoked";
  const economic = choices?.economic.ok ? choices.economic.data : undefined;
  const rackbeat = choices?.rackbeat.ok ? choices.rackbeat.data : undefined;
  const reconnectHref = `/install/economic?intent=reconnect&installation=${installation.id}${lt ? `&lt=${encodeURIComponent(lt)}` : ""}`;

  const values = structuredClone(settings.values);
  const productGroups = rackbeat?.productGroups ?? [];
  const vatZones = (economic?.vatZones ?? []).filter((z) => z.enabledForSupplier !== false);
  for (const g of productGroups) for (const z of vatZones) values.accounting.matrix[matrixKey(g.number, z.number)] ??= "";
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
    supplierGroups: (economic?.supplierGroups ?? []).map((g) => ({ value: String(g.number), label: `${g.number} ${g.name}${g.accountNumber ? ` (${g.accountNumber})` : ""}` })),
    vatZones: vatZones.map((z) => ({ value: String(z.number), label: z.name })),
    rackbeatProductGroups: productGroups.map((g) => ({ value: String(g.number), label: `${g.number} ${g.name}` })),
    economicLayouts: (economic?.layouts ?? []).map((l) => ({ value: String(l.number), label: `${st.layouts.economicLayout}: ${l.name}` })),
    rackbeatLayouts: (rackbeat?.layouts ?? []).map((l) => ({ value: String(l.number), label: l.name })),
  };

  return (
    // Inside Rackbeat's iframe (launch token) the session menu means nothing: Rackbeat is the session.
    <PageShell wide aside={lt ? undefined : <AccountMenu locale={locale} />}>
      {revoked && (
        <Banner tone="error" title={t.revoked}>
          <p>{t.revokedText}</p>
          {/* e-conomic's approval page must open at top level, not inside Rackbeat's iframe. */}
          <a className={`${buttonClass("danger")} mt-3`} href={reconnectHref} target="_top">
            {t.reconnect}
          </a>
        </Banner>
      )}
      {installation.status === "uninstalled" && (
        <Banner tone="warning" title={t.uninstalled}>
          <p>{t.uninstalledText}</p>
          <a className={`${buttonClass("secondary")} mt-3`} href={rackbeatAppsPageUrl()} target="_top">
            {t.reinstall}
          </a>
        </Banner>
      )}
      {choices && !choices.economic.ok && !revoked && <Banner tone="warning" title={st.economicDown} />}
      {choices && !choices.rackbeat.ok && <Banner tone="warning" title={st.rackbeatDown} />}

      <header className="mb-6">
        <h1 className="break-words text-2xl font-bold">
          {installation.rackbeatCompanyName} → {installation.economicCompanyName}
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          {t.agreement} {installation.economicAgreementNumber} · Rackbeat {installation.rackbeatAccountId}
          {connected && !revoked && <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">{t.connected}</span>}
        </p>
        <p className="mt-3 max-w-3xl text-sm text-slate-600">{st.intro}</p>
      </header>

      {connected && !revoked && (
        <SettingsForm
          installationId={installation.id}
          lt={lt}
          locale={locale}
          version={settings.version}
          active={Boolean(settings.activatedAt)}
          startupSyncChosenAt={settings.startupSyncChosenAt ? settings.startupSyncChosenAt.toISOString().slice(0, 10) : null}
          initial={values}
          options={options}
        />
      )}

      {connected && settings.activatedAt && (
        <div className="mt-6">
          <ManualTransfer installationId={installation.id} lt={lt} text={st.manual} />
        </div>
      )}

      <Card className="mt-6">
        <h2 className="text-lg font-semibold">{st.history}</h2>
        {activity.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">{st.noHistory}</p>
        ) : (
          <ol className="mt-3 divide-y divide-slate-100 text-sm" aria-label={st.history}>
            {activity.map((a) => {
              const changes = ((a.details as { changes?: { field: string; from: unknown; to: unknown }[] }).changes ?? []).slice(0, 30);
              return (
                <li key={a.id} className="py-2">
                  <div className="flex flex-wrap justify-between gap-2">
                    <span className="font-medium">{a.action}</span>
                    <span className="text-slate-500">
                      {a.actor} · {a.createdAt.toISOString().replace("T", " ").slice(0, 16)}
                    </span>
                  </div>
                  {changes.length > 0 && (
                    <ul className="mt-1 space-y-0.5 break-all text-xs text-slate-600">
                      {changes.map((c) => (
                        <li key={c.field}>
                          {fieldLabel(locale, c.field)}: {JSON.stringify(c.from)} → {JSON.stringify(c.to)}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              );
            })}
          </ol>
        )}
      </Card>
    </PageShell>
  );
}
