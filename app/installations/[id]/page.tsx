import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { AccountMenu } from "@/app/ui/account-menu";
import Link from "next/link";
import { Banner, buttonClass, PageShell } from "@/app/ui/page-shell";
import { installationPage, launchHref } from "@/app/installations/access";
import { LaunchTokenNotice } from "@/app/installations/launch-token-notice";
import { recentActivity } from "@/lib/installations/activity";
import { loadSettings } from "@/lib/settings/repository";
import { ChangeHistory } from "./change-history";
import { LaunchLink, LaunchLinkOutcome } from "./launch-link";
import { LiveSettings, LiveSettingsLoading } from "./live-settings";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getTranslations("installation"))("title") };
}

export default async function InstallationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { access, launchExpired, search } = await installationPage({ params, searchParams });
  const t = await getTranslations("installation");
  const common = await getTranslations("common");
  // Access is decided before anything streams, so that a foreign id really answers 404.
  if (!access && launchExpired) {
    // Opened from Rackbeat a while ago: the launch token expired. Say so instead of a bare 404.
    return (
      <PageShell>
        <Banner tone="info" title={t("reopen")}>
          {t("reopenText")}
        </Banner>
      </PageShell>
    );
  }
  if (!access) notFound();
  const { installation } = access;
  const lt = access.launchToken;
  const st = await getTranslations("settings");
  const tt = await getTranslations("transfers");
  const bm = await getTranslations("booksMatch");
  const [settings, activity] = await Promise.all([
    loadSettings(installation.id),
    recentActivity(installation.id, 30),
  ]);

  return (
    // Inside Rackbeat's iframe (launch token) the session menu means nothing: Rackbeat is the session.
    <PageShell wide aside={lt ? undefined : <AccountMenu />}>
      <LaunchTokenNotice access={access} />
      <header className="mb-6">
        <h1 className="break-words text-2xl font-bold">
          {installation.rackbeatCompanyName} → {installation.economicCompanyName}
        </h1>
        <p className="mt-1 text-sm text-slate-600">
          {common("agreement")} {installation.economicAgreementNumber} · Rackbeat{" "}
          {installation.rackbeatAccountId}
        </p>
        <p className="mt-3 max-w-3xl text-sm text-slate-600">{st("intro")}</p>
        <div className="mt-4 flex flex-wrap gap-2">
          <Link
            className={buttonClass("secondary")}
            href={launchHref(access, `/installations/${installation.id}/transfers`)}
          >
            {tt("open")}
          </Link>
          <Link
            className={buttonClass("secondary")}
            href={launchHref(access, `/installations/${installation.id}/books-match`)}
          >
            {bm("open")}
          </Link>
        </div>
      </header>

      <LaunchLinkOutcome outcome={typeof search.link === "string" ? search.link : undefined} />

      {/* An uninstalled installation opens for nobody (its binding generation moved on). */}
      <Suspense fallback={<LiveSettingsLoading />}>
        <LiveSettings
          installation={installation}
          settings={settings}
          launchToken={lt}
          refresh={search.refresh === "1"}
        />
      </Suspense>

      <LaunchLink access={access} />

      <ChangeHistory entries={activity} />
    </PageShell>
  );
}
