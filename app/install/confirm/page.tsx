import Link from "next/link";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Banner, buttonClass, Card, PageShell } from "@/app/ui/page-shell";
import { describeConsent } from "@/lib/installations/consent";
import { STATE_COOKIE } from "@/lib/installations/pending";
import { answerConsentAction } from "./actions";
import { SubmitButtons } from "./submit-buttons";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getTranslations("consent"))("title") };
}

/**
 * The one place where two accounts get connected (or a stateless approval signs in): both sides are
 * named, and nothing happens until the person in this browser confirms.
 */
export default async function ConfirmPage() {
  const consent = await describeConsent((await cookies()).get(STATE_COOKIE)?.value);
  const t = await getTranslations("consent");
  const common = await getTranslations("common");
  if (consent.kind === "problem") redirect(`/install/problem/${consent.problem.code}`);
  if (consent.kind === "none")
    return (
      <PageShell>
        <Banner tone="info" title={t("none")}>
          {t("noneText")}
        </Banner>
        <Link className={buttonClass("secondary")} href="/">
          {common("home")}
        </Link>
      </PageShell>
    );

  return (
    <PageShell>
      <Card>
        {consent.kind === "install" ? (
          <>
            <h1 className="text-2xl font-bold">{t("title")}</h1>
            <p className="mt-4 text-lg text-slate-800">
              {t.rich("question", {
                rackbeat: consent.rackbeat.name,
                rackbeatNumber: consent.rackbeat.number,
                economic: consent.economic.name,
                economicNumber: consent.economic.number,
                strong: (chunks) => <strong>{chunks}</strong>,
              })}
            </p>
            <dl className="mt-5 grid gap-3 text-sm sm:grid-cols-2">
              <div className="rounded-lg border border-slate-200 p-3">
                <dt className="text-slate-500">{t("rackbeatAccount")}</dt>
                <dd className="font-medium">
                  {consent.rackbeat.name} ({consent.rackbeat.number})
                </dd>
              </div>
              <div className="rounded-lg border border-slate-200 p-3">
                <dt className="text-slate-500">{t("economicAgreement")}</dt>
                <dd className="font-medium">
                  {consent.economic.name} ({consent.economic.number})
                </dd>
              </div>
            </dl>
            <p className="mt-4 text-sm text-slate-600">{t("explain")}</p>
            {consent.previousAgreement && (
              <p
                role="note"
                className="mt-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
              >
                {t("previous", {
                  name: consent.previousAgreement.name,
                  number: consent.previousAgreement.number,
                })}
              </p>
            )}
            {consent.reinstall && !consent.previousAgreement && (
              <p className="mt-4 text-sm text-slate-600">{t("reinstall")}</p>
            )}
          </>
        ) : (
          <>
            <h1 className="text-2xl font-bold">{t("signinTitle")}</h1>
            <p className="mt-4 text-lg text-slate-800">
              {t("signinQuestion", {
                economic: consent.economic.name,
                economicNumber: consent.economic.number,
              })}
            </p>
            <ul className="mt-3 list-disc pl-5 text-sm text-slate-700">
              {consent.installations.map((i) => (
                <li key={i.rackbeat.number}>
                  {t("signinItem", { rackbeat: i.rackbeat.name, rackbeatNumber: i.rackbeat.number })}
                </li>
              ))}
            </ul>
            <p className="mt-4 text-sm text-slate-600">{t("signinExplain")}</p>
          </>
        )}
        <form action={answerConsentAction} className="mt-6 flex flex-wrap gap-3">
          <input type="hidden" name="csrf" value={consent.csrf} />
          <SubmitButtons
            confirm={consent.kind === "install" ? t("confirm") : t("signinConfirm")}
            decline={t("decline")}
            pending={t("pending")}
          />
        </form>
      </Card>
    </PageShell>
  );
}
