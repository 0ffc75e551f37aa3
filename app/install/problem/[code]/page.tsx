import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { buttonClass, Card, PageShell } from "@/app/ui/page-shell";
import { INSTALL_PROBLEMS, isInstallProblemCode } from "@/lib/installations/problems";
import { rackbeatAppsPageUrl } from "@/lib/rackbeat/urls";

export const dynamic = "force-dynamic";

/** Where an install ended when it could not finish. proxy.ts answers these pages with a 4xx status. */
export default async function InstallProblemPage({
  params,
  searchParams,
}: {
  params: Promise<{ code: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { code } = await params;
  const { ref } = await searchParams;
  // The request id of a fault on our side (app/responder.ts), for support to find its log lines.
  const reference = typeof ref === "string" && /^[\w:.-]{1,100}$/.test(ref) ? ref : undefined;
  if (!isInstallProblemCode(code)) notFound();
  const t = await getTranslations("problem");
  const common = await getTranslations("common");
  const { retry } = INSTALL_PROBLEMS[code];
  const href = {
    rackbeat: rackbeatAppsPageUrl(),
    economic: "/install/economic",
    signin: "/signin",
    connect: "/install/connect",
    reconnect: "/installations",
  }[retry];
  return (
    <PageShell>
      <Card>
        <p className="text-sm font-semibold uppercase tracking-wide text-red-700">{t("stopped")}</p>
        <h1 className="mt-2 text-2xl font-bold">{t(`${code}.title`)}</h1>
        <p className="mt-3 text-slate-700">{t(`${code}.text`)}</p>
        {code === "agreement_taken" && (
          <p className="mt-3 text-slate-700">{t("agreement_taken.rackbeatListing")}</p>
        )}
        <div className="mt-6 flex flex-wrap gap-3">
          <a className={buttonClass()} href={href}>
            {t(`retry.${retry}`)}
          </a>
          <Link className={buttonClass("secondary")} href="/">
            {common("home")}
          </Link>
        </div>
        <p className="mt-6 text-xs text-slate-500">
          {common("errorCode")}: <code>{code}</code>
          {reference && (
            <>
              {" · "}
              {common("reference")}: <code>{reference}</code>
            </>
          )}
        </p>
      </Card>
    </PageShell>
  );
}
