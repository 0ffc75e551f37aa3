import { notFound } from "next/navigation";
import { getLocale } from "@/app/i18n";
import { AccountMenu } from "@/app/ui/account-menu";
import { Banner, buttonClass, Card, PageShell } from "@/app/ui/page-shell";
import { allowedInstallationIds, installationFor } from "@/lib/auth/access";
import { recentActivity } from "@/lib/installations/activity";
import { checkEconomicConnection } from "@/lib/installations/lifecycle";
import { rackbeatAppsPageUrl } from "@/lib/rackbeat/urls";

export const dynamic = "force-dynamic";
export const metadata = { title: "Integration" };

const T = {
  en: {
    revoked: "e-conomic access revoked",
    revokedText: "e-conomic no longer accepts this app's access, so transfers are paused. Reconnect the same agreement to resume; nothing is lost.",
    reconnect: "Reconnect e-conomic",
    uninstalled: "The app was uninstalled in Rackbeat",
    uninstalledText: "Transfers are stopped and all access tokens are deleted. Your settings and history are kept: install the app again in Rackbeat to continue.",
    reinstall: "Open Rackbeat Apps",
    unreachable: "e-conomic could not be reached just now. Transfers retry automatically.",
    connected: "Connected",
    agreement: "e-conomic agreement",
    activity: "Activity",
    noActivity: "Nothing has happened yet.",
  },
  da: {
    revoked: "Adgangen til e-conomic er tilbagekaldt",
    revokedText: "e-conomic godtager ikke længere appens adgang, så overførsler er sat på pause. Genforbind den samme aftale for at fortsætte; intet går tabt.",
    reconnect: "Genforbind e-conomic",
    uninstalled: "Appen er afinstalleret i Rackbeat",
    uninstalledText: "Overførsler er stoppet, og alle adgangsnøgler er slettet. Dine indstillinger og din historik er gemt: installér appen igen i Rackbeat for at fortsætte.",
    reinstall: "Åbn Rackbeat Apps",
    unreachable: "e-conomic kunne ikke nås lige nu. Overførsler prøves igen automatisk.",
    connected: "Forbundet",
    agreement: "e-conomic-aftale",
    activity: "Aktivitet",
    noActivity: "Der er ikke sket noget endnu.",
  },
};

export default async function InstallationPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ lt?: string }> }) {
  const { id } = await params;
  const { lt } = await searchParams;
  const installation = await installationFor(id, await allowedInstallationIds(lt));
  if (!installation) notFound();
  const locale = await getLocale();
  const t = T[locale];
  const check = installation.status === "active" ? await checkEconomicConnection(installation.id) : undefined;
  const status = check?.economic === "revoked" ? "economic_revoked" : installation.status;
  const activity = await recentActivity(installation.id);
  const reconnectHref = `/install/economic?intent=reconnect&installation=${installation.id}${lt ? `&lt=${encodeURIComponent(lt)}` : ""}`;

  return (
    // Inside Rackbeat's iframe (launch token) the session menu means nothing: Rackbeat is the session.
    <PageShell wide aside={lt ? undefined : <AccountMenu locale={locale} />}>
      {status === "economic_revoked" && (
        <Banner tone="error" title={t.revoked}>
          <p>{t.revokedText}</p>
          <a className={`${buttonClass("danger")} mt-3`} href={reconnectHref}>
            {t.reconnect}
          </a>
        </Banner>
      )}
      {status === "uninstalled" && (
        <Banner tone="warning" title={t.uninstalled}>
          <p>{t.uninstalledText}</p>
          <a className={`${buttonClass("secondary")} mt-3`} href={rackbeatAppsPageUrl()}>
            {t.reinstall}
          </a>
        </Banner>
      )}
      {check?.economic === "unreachable" && <Banner tone="info" title={t.unreachable} />}

      <header className="mb-6">
        <h1 className="text-2xl font-bold">
          {installation.rackbeatCompanyName} → {installation.economicCompanyName}
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          {t.agreement} {installation.economicAgreementNumber} · Rackbeat {installation.rackbeatAccountId}
          {status === "active" && <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">{t.connected}</span>}
        </p>
      </header>

      <Card>
        <h2 className="text-lg font-semibold">{t.activity}</h2>
        {activity.length === 0 ? (
          <p className="mt-2 text-sm text-slate-500">{t.noActivity}</p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-100 text-sm">
            {activity.map((a) => (
              <li key={a.id} className="flex flex-wrap justify-between gap-2 py-2">
                <span className="font-medium">{a.action}</span>
                <span className="text-slate-500">
                  {a.actor} · {a.createdAt.toISOString().replace("T", " ").slice(0, 16)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </PageShell>
  );
}
