import Link from "next/link";
import { cookies } from "next/headers";
import { getTranslations } from "next-intl/server";
import { Banner, buttonClass, Card, PageShell } from "@/app/ui/page-shell";
import { awaitsRackbeat } from "@/lib/installations/install-state";
import { findPendingByState, STATE_COOKIE } from "@/lib/installations/pending";
import { rackbeatAppsPageUrl } from "@/lib/rackbeat/urls";
import { ApiKeyForm } from "./api-key-form";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getTranslations("connect"))("title") };
}

export default async function ConnectRackbeatPage() {
  const t = await getTranslations("connect");
  const common = await getTranslations("common");
  const pending = await findPendingByState((await cookies()).get(STATE_COOKIE)?.value);
  if (!awaitsRackbeat(pending)) {
    return (
      <PageShell>
        <Banner tone="info" title={t("none")}>
          {t("noneText")}
        </Banner>
        <Link className={buttonClass("economic")} href="/install/economic">
          {common("installFromEconomic")}
        </Link>
      </PageShell>
    );
  }
  return (
    <PageShell>
      <Card>
        <p className="text-sm font-medium text-emerald-700">
          ✓{" "}
          {t("approved", {
            company: pending.economicCompanyName ?? "",
            agreement: String(pending.economicAgreementNumber ?? ""),
          })}
        </p>
        <h1 className="mt-2 text-2xl font-bold">{t("heading")}</h1>
        <ol className="mt-4 list-decimal space-y-1 pl-5 text-slate-700">
          {(["step1", "step2", "step3"] as const).map((step) => (
            <li key={step}>{t(step)}</li>
          ))}
        </ol>
        <p className="mt-3 text-sm text-slate-600">{t("after")}</p>
        <a className={`${buttonClass()} mt-5`} href={rackbeatAppsPageUrl()}>
          {common("openRackbeatApps")}
        </a>
      </Card>
      <details className="mt-6 rounded-xl border border-slate-200 bg-white p-6">
        <summary className="cursor-pointer text-sm font-medium text-slate-800">{t("fallback")}</summary>
        <ApiKeyForm />
      </details>
    </PageShell>
  );
}
