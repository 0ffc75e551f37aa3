import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { env } from "@/lib/env";
import { rackbeatAppsPageUrl } from "@/lib/rackbeat/urls";

export const dynamic = "force-dynamic";

const WHAT_MOVES = [
  "invoices",
  "supplierInvoices",
  "products",
  "customers",
  "suppliers",
  "inventory",
] as const;

export default async function LandingPage() {
  const { sandbox } = env();
  const t = await getTranslations("landing");
  const common = await getTranslations("common");
  return (
    <main className="mx-auto max-w-5xl px-6 py-12">
      {sandbox && (
        <p
          role="status"
          className="mb-8 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900"
        >
          {t("sandbox")}
        </p>
      )}
      <nav className="mb-6 flex justify-end">
        <Link href="/signin" className="text-sm font-medium text-brand-600 hover:underline">
          {common("signInWithEconomic")}
        </Link>
      </nav>
      <header className="mb-12">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">{t("eyebrow")}</p>
        <h1 className="mt-2 text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">{t("title")}</h1>
        <p className="mt-4 max-w-3xl text-lg text-slate-600">{t("intro")}</p>
        <p className="mt-2 text-slate-600">
          {t.rich("oneWay", { strong: (chunks) => <strong>{chunks}</strong> })}
        </p>
      </header>

      <section aria-labelledby="install-heading" className="mb-14">
        <h2 id="install-heading" className="text-2xl font-semibold">
          {t("installHeading")}
        </h2>
        <div className="mt-4 grid gap-4 sm:grid-cols-2">
          <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
            <h3 className="text-lg font-semibold">{t("fromRackbeat")}</h3>
            <p className="mt-2 text-sm text-slate-600">{t("fromRackbeatText")}</p>
            <a
              href={rackbeatAppsPageUrl()}
              className="mt-4 inline-block rounded-lg bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2"
            >
              {common("openRackbeatApps")}
            </a>
          </div>
          <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
            <h3 className="text-lg font-semibold">{t("fromMarket")}</h3>
            <p className="mt-2 text-sm text-slate-600">{t("fromMarketText")}</p>
            <Link
              href="/install/economic"
              prefetch={false}
              className="mt-4 inline-block rounded-lg bg-economic px-4 py-2 font-medium text-white hover:opacity-90 focus:outline-none focus-visible:ring-2 focus-visible:ring-economic focus-visible:ring-offset-2"
            >
              {common("installFromEconomic")}
            </Link>
          </div>
        </div>
      </section>

      <section aria-labelledby="what-heading">
        <h2 id="what-heading" className="text-2xl font-semibold">
          {t("whatHeading")}
        </h2>
        <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {WHAT_MOVES.map((item) => (
            <li key={item} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
              <h3 className="font-semibold">{t(`what.${item}.title`)}</h3>
              <p className="mt-1 text-sm text-slate-600">{t(`what.${item}.text`)}</p>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
