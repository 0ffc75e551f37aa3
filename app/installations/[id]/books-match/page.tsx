import Link from "next/link";
import { Suspense } from "react";
import { getFormatter, getTranslations } from "next-intl/server";
import { Banner, buttonClass, Card } from "@/app/ui/page-shell";
import { LaunchTokenField, launchHref, requireInstallationPage } from "@/app/installations/access";
import { InstallationPage } from "../installation-page";
import { parsePeriod } from "@/lib/report/period";
import { localDate } from "@/lib/transfers/inventory/periods";
import { ReportSection } from "./report-section";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getTranslations("booksMatch"))("title") };
}

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

/**
 * "Books match": a period's Rackbeat documents beside e-conomic's, the totals and a verdict. The page
 * frame and the period form come at once; the report, which reads both services, streams in after.
 */
export default async function BooksMatchPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { access, search } = await requireInstallationPage({ params, searchParams });
  const { installation } = access;
  const lt = access.launchToken;
  const t = await getTranslations("booksMatch");
  const format = await getFormatter();
  const query = { from: one(search.from), to: one(search.to), month: one(search.month) };
  const parsed = parsePeriod(query);
  const shown = parsed.ok ? parsed.period : undefined;
  const all = one(search.show) === "all";
  const base = `/installations/${installation.id}/books-match`;
  const problem = parsed.ok ? undefined : parsed.problem;
  const fieldError = (field: "from" | "to") =>
    problem?.field === field ? t(`problem.${problem.code}`) : undefined;

  return (
    <InstallationPage
      access={access}
      title={t("title")}
      intro={t("intro")}
      links={[
        { label: `← ${t("back")}`, path: "" },
        { label: t("transfers"), path: "/transfers" },
      ]}
    >
      <Card className="mb-6">
        <form method="get" className="flex flex-wrap items-end gap-3" aria-label={t("period.legend")}>
          <LaunchTokenField token={lt} />
          {all && <input type="hidden" name="show" value="all" />}
          <Field label={t("period.from")} htmlFor="p-from" error={fieldError("from")}>
            <input
              id="p-from"
              type="date"
              name="from"
              required
              defaultValue={query.from ?? shown?.from ?? ""}
              aria-invalid={fieldError("from") ? true : undefined}
              aria-describedby={fieldError("from") ? "p-from-error" : "p-hint"}
              className={inputClass}
            />
          </Field>
          <Field label={t("period.to")} htmlFor="p-to" error={fieldError("to")}>
            <input
              id="p-to"
              type="date"
              name="to"
              required
              defaultValue={query.to ?? shown?.to ?? ""}
              aria-invalid={fieldError("to") ? true : undefined}
              aria-describedby={fieldError("to") ? "p-to-error" : "p-hint"}
              className={inputClass}
            />
          </Field>
          <button type="submit" className={buttonClass("secondary")}>
            {t("period.show")}
          </button>
          <MonthLinks access={access} base={base} all={all} current={shown} format={format} />
          <p id="p-hint" className="w-full text-xs text-slate-500">
            {t("period.hint")}
          </p>
        </form>
      </Card>

      {shown ? (
        <Suspense key={`${shown.from}:${shown.to}:${all}`} fallback={<ReportLoading label={t("loading")} />}>
          <ReportSection installation={installation} access={access} period={shown} all={all} />
        </Suspense>
      ) : (
        <Banner tone="warning" title={problem ? t(`problem.${problem.code}`) : ""} />
      )}
    </InstallationPage>
  );
}

/** The last three months, one click each: what a bookkeeper closing a month reaches for. */
function MonthLinks({
  access,
  base,
  all,
  current,
  format,
}: {
  access: Parameters<typeof launchHref>[0];
  base: string;
  all: boolean;
  current?: { from: string; to: string };
  format: Awaited<ReturnType<typeof getFormatter>>;
}) {
  // Months as Copenhagen counts them: at 00:30 on the 1st it is already the new month there.
  const [year, month] = localDate(new Date()).split("-").map(Number);
  const months = [0, 1, 2].map((back) => {
    const d = new Date(Date.UTC(year, month - 1 - back, 15));
    return {
      key: d.toISOString().slice(0, 7),
      label: format.dateTime(d, { month: "long", year: "numeric" }),
    };
  });
  return (
    <div className="flex flex-wrap gap-2">
      {months.map((m) => (
        <Link
          key={m.key}
          aria-current={current?.from === `${m.key}-01` ? "true" : undefined}
          className="rounded-full border border-slate-300 px-3 py-1 text-sm hover:border-brand-600 aria-[current=true]:border-brand-600 aria-[current=true]:bg-brand-600 aria-[current=true]:text-white"
          href={launchHref(access, `${base}?month=${m.key}${all ? "&show=all" : ""}`)}
        >
          {m.label}
        </Link>
      ))}
    </div>
  );
}

function ReportLoading({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <p className="text-sm text-slate-600">{label}</p>
      <div className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200">
        <div className="h-full w-1/3 animate-pulse rounded-full bg-brand-600" />
      </div>
      <div className="h-24 animate-pulse rounded-xl border border-slate-200 bg-white" />
      <div className="h-64 animate-pulse rounded-xl border border-slate-200 bg-white" />
    </div>
  );
}

const inputClass = "block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm";

function Field({
  label,
  htmlFor,
  error,
  children,
}: {
  label: string;
  htmlFor: string;
  error?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={htmlFor} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
      {error && (
        <p id={`${htmlFor}-error`} className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
