import { routeAccess } from "@/app/installations/access";
import { translatorFor } from "@/app/i18n/catalog";
import { responder } from "@/app/responder";
import { takeRateLimit } from "@/lib/limits";
import { localeFromAcceptLanguage } from "@/lib/locale";
import { booksMatch } from "@/lib/report";
import { reportCsv, type CsvColumn } from "@/lib/report/csv";
import { parsePeriod } from "@/lib/report/period";
import { reportWords } from "../report-text";

export const dynamic = "force-dynamic";

type Say = (key: string, values?: Record<string, string | number>) => string;

/**
 * The books-match report as CSV, for a spreadsheet: the page's columns, in the reader's language, with
 * Danish Excel's `;` and decimal comma for a Danish browser. The same access, limit and reads as the page.
 */
export const GET = responder(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const access = await routeAccess(request, id);
  if (!access) return Response.json({ ok: false, message: "Not found." }, { status: 404 });
  const locale = localeFromAcceptLanguage(request.headers.get("accept-language"));
  const say = translatorFor(locale) as unknown as Say;
  const q = new URL(request.url).searchParams;
  const parsed = parsePeriod({
    from: q.get("from") ?? undefined,
    to: q.get("to") ?? undefined,
    month: q.get("month") ?? undefined,
  });
  if (!parsed.ok)
    return Response.json(
      { ok: false, field: parsed.problem.field, message: say(`booksMatch.problem.${parsed.problem.code}`) },
      { status: 400 },
    );
  const limit = await takeRateLimit("booksMatch", access.installation.id);
  if (!limit.ok)
    return Response.json(
      { ok: false, message: say("booksMatch.problem.limited") },
      { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } },
    );
  const outcome = await booksMatch(access.installation, parsed.period);
  if (!outcome.ok)
    return Response.json(
      { ok: false, message: say(`booksMatch.problem.${outcome.code}`, outcome.params) },
      { status: outcome.code === "report.not_connected" ? 409 : 502 },
    );
  const dateTime = new Intl.DateTimeFormat(locale === "da" ? "da-DK" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Europe/Copenhagen",
  });
  const words = reportWords(say, (iso) => dateTime.format(new Date(iso)));
  const csv = reportCsv(
    outcome.report,
    {
      header: (c: CsvColumn) => say(`booksMatch.csvColumns.${c}`),
      kind: (row) => say(`booksMatch.kind.${row.kind}`),
      rackbeat: words.rackbeat,
      economic: words.economic,
      cause: (row) => (row.cause ? words.cause(row.cause) : say("booksMatch.table.match")),
      todo: (row) => (row.cause ? words.todo(row.cause) : ""),
    },
    locale === "da" ? { separator: ";", decimalMark: "," } : { separator: ",", decimalMark: "." },
  );
  const { from, to } = parsed.period;
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="books-match-${from}-${to}.csv"`,
      "Cache-Control": "no-store",
    },
  });
});
