import { notFound } from "next/navigation";
import { Suspense } from "react";
import { getLocale } from "@/app/i18n";
import { AccountMenu } from "@/app/ui/account-menu";
import { Banner, buttonClass, Card, PageShell } from "@/app/ui/page-shell";
import { allowedInstallationIds, installationFor, launchTokenInstallation } from "@/lib/auth/access";
import { recentActivity } from "@/lib/installations/activity";
import { rackbeatAppsPageUrl } from "@/lib/rackbeat/urls";
import { loadSettings } from "@/lib/settings/repository";
import { fieldLabel, SETTINGS_TEXT } from "@/lib/settings/text";
import { LiveSettings, LiveSettingsLoading } from "./live-settings";

export const dynamic = "force-dynamic";
export const metadata = { title: "Integration settings" };

const T = {
  en: {
    uninstalled: "The app was uninstalled in Rackbeat",
    uninstalledText:
      "Transfers are stopped and all access tokens are deleted. Your settings and history are kept: install the app again in Rackbeat to continue.",
    reinstall: "Open Rackbeat Apps",
    agreement: "e-conomic agreement",
    reopen: "Open the app again from Rackbeat",
    reopenText:
      "For your security, a link from Rackbeat is valid for 30 minutes. Open the app again from User settings → Apps.",
  },
  da: {
    uninstalled: "Appen er afinstalleret i Rackbeat",
    uninstalledText:
      "Overførsler er stoppet, og alle adgangsnøgler er slettet. Dine indstillinger og din historik er gemt: installér appen igen i Rackbeat for at fortsætte.",
    reinstall: "Åbn Rackbeat Apps",
    agreement: "e-conomic-aftale",
    reopen: "Åbn appen igen fra Rackbeat",
    reopenText:
      "Af sikkerhedshensyn gælder et link fra Rackbeat i 30 minutter. Åbn appen igen under Brugerindstillinger → Apps.",
  },
};

export default async function InstallationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ lt?: string }>;
}) {
  const { id } = await params;
  const { lt } = await searchParams;
  const locale = await getLocale();
  const t = T[locale];
  // Access is decided before anything streams, so that a foreign id really answers 404.
  const installation = await installationFor(id, await allowedInstallationIds(lt));
  if (!installation && lt && !launchTokenInstallation(lt)) {
    // Opened from Rackbeat a while ago: the launch token expired. Say so instead of a bare 404.
    return (
      <PageShell>
        <Banner tone="info" title={t.reopen}>
          {t.reopenText}
        </Banner>
      </PageShell>
    );
  }
  if (!installation) notFound();
  const st = SETTINGS_TEXT[locale];
  const [settings, activity] = await Promise.all([
    loadSettings(installation.id),
    recentActivity(installation.id, 30),
  ]);

  return (
    // Inside Rackbeat's iframe (launch token) the session menu means nothing: Rackbeat is the session.
    <PageShell wide aside={lt ? undefined : <AccountMenu locale={locale} />}>
      {installation.status === "uninstalled" && (
        <Banner tone="warning" title={t.uninstalled}>
          <p>{t.uninstalledText}</p>
          <a className={`${buttonClass("secondary")} mt-3`} href={rackbeatAppsPageUrl()} target="_top">
            {t.reinstall}
          </a>
        </Banner>
      )}

      <header className="mb-6">
        <h1 className="break-words text-2xl font-bold">
          {installation.rackbeatCompanyName} → {installation.economicCompanyName}
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          {t.agreement} {installation.economicAgreementNumber} · Rackbeat {installation.rackbeatAccountId}
        </p>
        <p className="mt-3 max-w-3xl text-sm text-slate-600">{st.intro}</p>
      </header>

      {installation.status !== "uninstalled" && (
        <Suspense fallback={<LiveSettingsLoading locale={locale} />}>
          <LiveSettings installation={installation} settings={settings} lt={lt} locale={locale} />
        </Suspense>
      )}

      <Card className="mt-6">
        <h2 className="text-lg font-semibold">{st.history}</h2>
        {activity.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">{st.noHistory}</p>
        ) : (
          <ol className="mt-3 divide-y divide-slate-100 text-sm" aria-label={st.history}>
            {activity.map((a) => {
              const changes = (
                (a.details as { changes?: { field: string; from: unknown; to: unknown }[] }).changes ?? []
              ).slice(0, 30);
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
