import type { Cause, ReportRow } from "@/lib/report/types";
import { errorText, referenceText } from "../transfers/transfer-text";

type Translate = (key: string, values?: Record<string, string | number>) => string;

/**
 * The report in words, for the page and the CSV alike. `t` is the whole catalog (a row's failure is
 * worded from its outcome code, `codes.*`), `when` formats an instant in the reader's time.
 */
export function reportWords(t: unknown, when: (iso: string) => string) {
  const tr = t as Translate;
  // The transfers page's words for a stored outcome and an e-conomic document, from the whole catalog.
  const reference = (ref: string) =>
    referenceText((key: string, v?: Record<string, string | number>) => tr(`transfers.${key}`, v), ref);
  const cause = (c: Cause): string => {
    switch (c.code) {
      case "not_transferred":
        return tr("booksMatch.cause.not_transferred", { partOff: String(c.partOff) });
      case "queued":
        return tr("booksMatch.cause.queued", { at: when(c.runAfter) });
      case "failed":
      case "skipped":
        return tr(`booksMatch.cause.${c.code}`, { reason: errorText(t, c.errorCode, c.errorParams) });
      case "draft_by_settings":
        return tr("booksMatch.cause.draft_by_settings", { reason: c.reason });
      case "deleted_in_economic":
        return tr("booksMatch.cause.deleted_in_economic", {
          reference: reference(c.reference),
        });
      case "only_in_economic":
        return tr("booksMatch.cause.only_in_economic", { source: c.source ?? "none" });
      case "other_period":
        return tr("booksMatch.cause.other_period", {
          rackbeatDate: c.rackbeatDate ?? "—",
          economicDate: c.economicDate ?? "—",
        });
      default:
        return tr(`booksMatch.cause.${c.code}`);
    }
  };
  return {
    cause,
    todo: (c: Cause) => tr(`booksMatch.todo.${c.code}`),
    rackbeat: (row: ReportRow) =>
      row.rackbeat ? tr(`booksMatch.document.${row.kind}`, { number: row.rackbeat.number }) : "",
    economic: (row: ReportRow) =>
      row.economic
        ? `${reference(row.economic.reference)}${
            row.economic.state === "draft" && row.kind !== "customer_invoice"
              ? ` (${tr("booksMatch.document.draft")})`
              : ""
          }`
        : "",
  };
}
