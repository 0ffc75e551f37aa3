import Link from "next/link";
import { cookies } from "next/headers";
import { getLocale } from "@/app/i18n";
import { Banner, buttonClass, Card, PageShell } from "@/app/ui/page-shell";
import { findPendingByState, isExpired, STATE_COOKIE } from "@/lib/installations/pending";
import { rackbeatAppsPageUrl } from "@/lib/rackbeat/urls";
import { ApiKeyForm } from "./api-key-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Connect Rackbeat" };

const T = {
  en: {
    heading: "One click left: connect Rackbeat",
    approved: (company: string, n: number) => `e-conomic agreement ${n} (${company}) is approved.`,
    steps: [
      "Open Rackbeat in this browser.",
      "Go to User settings (top right) → Apps.",
      "Find Visma e-conomic and click Install.",
    ],
    after: "You come straight back here, to the integration's settings — no second trip to e-conomic.",
    open: "Open Rackbeat Apps",
    fallback: "Can't use the Apps menu? Paste a Rackbeat API key instead",
    key: "Rackbeat API key",
    hint: "Rackbeat → Company settings → API. The key is shown once when you create it.",
    submit: "Connect with API key",
    pending: "Connecting…",
    none: "No install is waiting in this browser",
    noneText: "Approve the app in e-conomic first, or start from Rackbeat's Apps menu.",
    start: "Install from e-conomic",
  },
  da: {
    heading: "Ét klik tilbage: forbind Rackbeat",
    approved: (company: string, n: number) => `e-conomic-aftale ${n} (${company}) er godkendt.`,
    steps: [
      "Åbn Rackbeat i denne browser.",
      "Gå til Brugerindstillinger (øverst til højre) → Apps.",
      "Find Visma e-conomic og klik Installér.",
    ],
    after:
      "Du kommer direkte tilbage hertil, til integrationens indstillinger — uden en tur mere i e-conomic.",
    open: "Åbn Rackbeat Apps",
    fallback: "Kan du ikke bruge Apps-menuen? Indsæt en Rackbeat API-nøgle i stedet",
    key: "Rackbeat API-nøgle",
    hint: "Rackbeat → Virksomhedsindstillinger → API. Nøglen vises én gang, når du opretter den.",
    submit: "Forbind med API-nøgle",
    pending: "Forbinder…",
    none: "Der venter ingen installation i denne browser",
    noneText: "Godkend appen i e-conomic først, eller start fra Rackbeats Apps-menu.",
    start: "Installér fra e-conomic",
  },
};

export default async function ConnectRackbeatPage() {
  const locale = await getLocale();
  const t = T[locale];
  const pending = await findPendingByState((await cookies()).get(STATE_COOKIE)?.value);
  const waiting =
    pending && pending.origin === "economic_first" && !pending.consumedAt && !isExpired(pending);
  if (!waiting) {
    return (
      <PageShell>
        <Banner tone="info" title={t.none}>
          {t.noneText}
        </Banner>
        <Link className={buttonClass("economic")} href="/install/economic">
          {t.start}
        </Link>
      </PageShell>
    );
  }
  return (
    <PageShell>
      <Card>
        <p className="text-sm font-medium text-emerald-700">
          ✓ {t.approved(pending.economicCompanyName ?? "", pending.economicAgreementNumber ?? 0)}
        </p>
        <h1 className="mt-2 text-2xl font-bold">{t.heading}</h1>
        <ol className="mt-4 list-decimal space-y-1 pl-5 text-slate-700">
          {t.steps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
        <p className="mt-3 text-sm text-slate-600">{t.after}</p>
        <a className={`${buttonClass()} mt-5`} href={rackbeatAppsPageUrl()}>
          {t.open}
        </a>
      </Card>
      <details className="mt-6 rounded-xl border border-slate-200 bg-white p-6">
        <summary className="cursor-pointer text-sm font-medium text-slate-800">{t.fallback}</summary>
        <ApiKeyForm labels={{ key: t.key, hint: t.hint, submit: t.submit, pending: t.pending }} />
      </details>
    </PageShell>
  );
}
