import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Banner, buttonClass } from "@/app/ui/page-shell";
import { launchHref, type InstallationAccess } from "@/app/installations/access";
import type { Installation } from "@/lib/installations/repository";
import { takeRateLimit } from "@/lib/limits";
import { booksMatch } from "@/lib/report";
import type { ReportPeriod } from "@/lib/report/period";
import { REPORT_KINDS, type Difference, type ReportRow } from "@/lib/report/types";
import { reportWords } from "./report-text";

/** The report itself: verdict, totals, the documents (differences first), and the CSV link. */
export async function ReportSection({
  installation,
  access,
  period,
  all,
}: {
  installation: Installation;
  access: InstallationAccess;
  period: ReportPeriod;
  all: boolean;
}) {
  const t = await getTranslations("booksMatch");
  const root = await getTranslations();
  const format = await getFormatter();
  const limit = await takeRateLimit("booksMatch", installation.id);
  if (!limit.ok) return <Banner tone="warning" title={t("problem.limited")} />;
  const outcome = await booksMatch(installation, period);
  if (!outcome.ok) {
    const say = root as unknown as (key: string, values: Record<string, string>) => string;
    return <Banner tone="error" title={say(`booksMatch.problem.${outcome.code}`, outcome.params)} />;
  }
  const { report } = outcome;
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  const words = reportWords(root, when);
  const kr = (ore: bigint) =>
    format.number(Number(ore) / 100, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const base = `/installations/${installation.id}/books-match`;
  const periodQuery = `from=${period.from}&to=${period.to}`;
  const rows = all ? report.rows : report.rows.filter((r) => r.cause);

  return (
    <div className="space-y-6">
      {report.rows.length === 0 ? (
        <Banner tone="info" title={t("verdict.empty")} />
      ) : report.differences === 0 ? (
        <Banner tone="success" title={t("verdict.match")} />
      ) : (
        <Banner tone="warning" title={t("verdict.differences", { count: report.differences })} />
      )}

      {report.totals.length > 0 && (
        <section aria-labelledby="totals-title">
          <h2 id="totals-title" className="mb-2 text-lg font-semibold">
            {t("totals.title")}
          </h2>
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table className="min-w-full text-sm">
              <caption className="sr-only">{t("totals.caption")}</caption>
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {t("totals.kind")}
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {t("totals.side")}
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    {t("totals.net")}
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    {t("totals.vat")}
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    {t("totals.gross")}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {report.totals.map((total) =>
                  (["rackbeat", "economic", "difference"] as const).map((side, i) => (
                    <tr
                      key={`${total.kind}:${total.currency}:${side}`}
                      className={side === "difference" ? "font-medium" : ""}
                    >
                      {i === 0 && (
                        <th
                          scope="rowgroup"
                          rowSpan={3}
                          className="px-3 py-2 text-left align-top font-medium"
                        >
                          {t(`kind.${total.kind}`)} ({total.currency})
                        </th>
                      )}
                      <td className="px-3 py-2 text-slate-600">{t(`totals.${side}`)}</td>
                      <Amounts value={total[side]} kr={kr} highlight={side === "difference"} />
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {report.rows.length > 0 && (
        <section aria-labelledby="documents-title">
          <div className="mb-2 flex flex-wrap items-center justify-between gap-3">
            <h2 id="documents-title" className="text-lg font-semibold">
              {t("table.caption")}
            </h2>
            <div className="flex flex-wrap gap-2">
              <Link
                className={buttonClass("secondary")}
                aria-current={!all ? "true" : undefined}
                href={launchHref(access, `${base}?${periodQuery}`)}
              >
                {t("show.differences")}
              </Link>
              <Link
                className={buttonClass("secondary")}
                aria-current={all ? "true" : undefined}
                href={launchHref(access, `${base}?${periodQuery}&show=all`)}
              >
                {t("show.all", { count: report.rows.length })}
              </Link>
              <a className={buttonClass()} href={launchHref(access, `${base}/csv?${periodQuery}`)} download>
                {t("csv")}
              </a>
            </div>
          </div>
          <p className="mb-3 text-xs text-slate-500">{t("table.legend")}</p>
          {REPORT_KINDS.map((kind) => {
            const ofKind = rows.filter((r) => r.kind === kind);
            if (!ofKind.length) return null;
            return (
              <div
                key={kind}
                className="mb-6 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm"
              >
                <table className="min-w-full text-sm">
                  <caption className="px-3 py-2 text-left font-semibold">{t(`kind.${kind}`)}</caption>
                  <thead className="bg-slate-50 text-left text-slate-600">
                    <tr>
                      <th scope="col" className="px-3 py-2 font-medium">
                        {t("table.rackbeat")}
                      </th>
                      <th scope="col" className="px-3 py-2 font-medium">
                        {t("table.economic")}
                      </th>
                      <th scope="col" className="px-3 py-2 text-right font-medium">
                        {t("table.net")}
                      </th>
                      <th scope="col" className="px-3 py-2 text-right font-medium">
                        {t("table.vat")}
                      </th>
                      <th scope="col" className="px-3 py-2 text-right font-medium">
                        {t("table.gross")}
                      </th>
                      <th scope="col" className="px-3 py-2 text-right font-medium">
                        {t("table.difference")}
                      </th>
                      <th scope="col" className="px-3 py-2 font-medium">
                        {t("table.cause")}
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {ofKind.map((row, i) => (
                      <DocumentRow
                        key={`${row.rackbeat?.number ?? ""}:${row.economic?.reference ?? ""}:${i}`}
                        row={row}
                        words={words}
                        kr={kr}
                        matchText={t("table.match")}
                        transferText={t("table.transfer")}
                        transferHref={
                          row.transferId !== undefined
                            ? launchHref(
                                access,
                                `/installations/${installation.id}/transfers/${row.transferId}`,
                              )
                            : undefined
                        }
                      />
                    ))}
                  </tbody>
                </table>
              </div>
            );
          })}
          <p className="text-xs text-slate-500">{t("calls", report.calls)}</p>
        </section>
      )}
    </div>
  );
}

function Amounts({
  value,
  kr,
  highlight,
}: {
  value: Difference;
  kr: (o: bigint) => string;
  highlight?: boolean;
}) {
  const tone = (o: bigint) => (highlight && o !== 0n ? "text-red-700" : "");
  return (
    <>
      <td className={`px-3 py-2 text-right tabular-nums ${tone(value.netOre)}`}>{kr(value.netOre)}</td>
      <td className={`px-3 py-2 text-right tabular-nums ${tone(value.vatOre)}`}>{kr(value.vatOre)}</td>
      <td className={`px-3 py-2 text-right tabular-nums ${tone(value.grossOre)}`}>{kr(value.grossOre)}</td>
    </>
  );
}

/** One document on both sides: each amount as Rackbeat / e-conomic, the difference, and the cause. */
function DocumentRow({
  row,
  words,
  kr,
  matchText,
  transferText,
  transferHref,
}: {
  row: ReportRow;
  words: ReturnType<typeof reportWords>;
  kr: (o: bigint) => string;
  matchText: string;
  transferText: string;
  transferHref?: string;
}) {
  const pair = (pick: (a: Difference) => bigint) => (
    <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">
      <span className="block">{row.rackbeat ? kr(pick(row.rackbeat)) : "—"}</span>
      <span className="block text-slate-500">{row.economic ? kr(pick(row.economic)) : "—"}</span>
    </td>
  );
  const side = (name: string, date?: string, inPeriod?: boolean) => (
    <td className="px-3 py-2">
      <span className="block">{name || "—"}</span>
      {date && (
        <span className={`block text-xs ${inPeriod ? "text-slate-500" : "font-medium text-amber-800"}`}>
          {date}
        </span>
      )}
    </td>
  );
  const currency = row.rackbeat?.currency ?? row.economic?.currency ?? "";
  return (
    <tr className={row.cause ? "bg-amber-50/40" : ""}>
      {side(words.rackbeat(row), row.rackbeat?.date, row.rackbeatInPeriod)}
      {side(words.economic(row), row.economic?.date, row.economicInPeriod)}
      {pair((a) => a.netOre)}
      {pair((a) => a.vatOre)}
      {pair((a) => a.grossOre)}
      <td
        className={`whitespace-nowrap px-3 py-2 text-right tabular-nums ${row.difference.grossOre !== 0n ? "font-medium text-red-700" : "text-slate-500"}`}
      >
        {kr(row.difference.grossOre)} {currency !== "DKK" ? currency : ""}
      </td>
      <td className="max-w-sm px-3 py-2">
        {row.cause ? (
          <>
            <span className="block text-slate-900">{words.cause(row.cause)}</span>
            <span className="block text-xs text-slate-600">{words.todo(row.cause)}</span>
            {transferHref && (
              <Link className="text-xs text-brand-600 hover:underline" href={transferHref}>
                {transferText}
              </Link>
            )}
          </>
        ) : (
          <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
            {matchText}
          </span>
        )}
      </td>
    </tr>
  );
}
