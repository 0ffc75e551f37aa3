import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale } from "@/app/i18n";
import { buttonClass, Card, PageShell } from "@/app/ui/page-shell";
import { INSTALL_PROBLEMS, isInstallProblemCode } from "@/lib/installations/problems";
import { rackbeatAppsPageUrl } from "@/lib/rackbeat/urls";

export const dynamic = "force-dynamic";

const RETRY = {
  rackbeat: { en: "Start again from Rackbeat", da: "Start forfra fra Rackbeat" },
  economic: { en: "Approve in e-conomic again", da: "Godkend i e-conomic igen" },
  signin: { en: "Sign in with e-conomic", da: "Log ind med e-conomic" },
  connect: { en: "Try another key", da: "Prøv en anden nøgle" },
  reconnect: { en: "Back to my installations", da: "Tilbage til mine installationer" },
} as const;

export default async function InstallProblemPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  if (!isInstallProblemCode(code)) notFound();
  const locale = await getLocale();
  const problem = INSTALL_PROBLEMS[code];
  const text = problem[locale];
  const href = {
    rackbeat: rackbeatAppsPageUrl(),
    economic: "/install/economic",
    signin: "/signin",
    connect: "/install/connect",
    reconnect: "/installations",
  }[problem.retry];
  return (
    <PageShell>
      <Card>
        <p className="text-sm font-semibold uppercase tracking-wide text-red-700">
          {locale === "da" ? "Installationen stoppede" : "The install stopped"}
        </p>
        <h1 className="mt-2 text-2xl font-bold">{text.title}</h1>
        <p className="mt-3 text-slate-700">{text.text}</p>
        <div className="mt-6 flex flex-wrap gap-3">
          <a className={buttonClass()} href={href}>
            {RETRY[problem.retry][locale]}
          </a>
          <Link className={buttonClass("secondary")} href="/">
            {locale === "da" ? "Til forsiden" : "Home"}
          </Link>
        </div>
        <p className="mt-6 text-xs text-slate-500">
          {locale === "da" ? "Fejlkode" : "Error code"}: <code>{code}</code>
        </p>
      </Card>
    </PageShell>
  );
}
