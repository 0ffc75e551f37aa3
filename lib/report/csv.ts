import type { BooksMatchReport, ReportRow } from "./types";

/** Øre as an exact decimal string (`-1234.50`) with the given decimal mark. */
export function decimalFromOre(ore: bigint, decimalMark = "."): string {
  const sign = ore < 0n ? "-" : "";
  const abs = ore < 0n ? -ore : ore;
  return `${sign}${abs / 100n}${decimalMark}${String(abs % 100n).padStart(2, "0")}`;
}

/** How a spreadsheet in the reader's language reads a CSV: Danish Excel wants `;` and a decimal comma. */
export type CsvDialect = { separator: "," | ";"; decimalMark: "." | "," };

export const CSV_COLUMNS = [
  "kind",
  "rackbeat",
  "rackbeatDate",
  "economic",
  "economicDate",
  "currency",
  "rackbeatNet",
  "rackbeatVat",
  "rackbeatGross",
  "economicNet",
  "economicVat",
  "economicGross",
  "differenceNet",
  "differenceVat",
  "differenceGross",
  "cause",
  "todo",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** What the CSV needs worded: headers, a row's kind, documents and cause, in the reader's language. */
export type CsvWords = {
  header: (column: CsvColumn) => string;
  kind: (row: ReportRow) => string;
  rackbeat: (row: ReportRow) => string;
  economic: (row: ReportRow) => string;
  cause: (row: ReportRow) => string;
  todo: (row: ReportRow) => string;
};

/**
 * A text cell: quoted when it holds the separator, a quote or a line break, and kept from being read as a
 * formula (a leading `=`, `+`, `-` or `@` gets an apostrophe), since a document name can be anything.
 */
function textCell(value: string, dialect: CsvDialect): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /["\r\n]/.test(safe) || safe.includes(dialect.separator) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The report as CSV, the same columns as the page: one line per document, UTF-8 with a BOM for Excel. */
export function reportCsv(report: BooksMatchReport, words: CsvWords, dialect: CsvDialect): string {
  const money = (ore: bigint | undefined) => {
    if (ore === undefined) return "";
    const text = decimalFromOre(ore, dialect.decimalMark);
    return text.includes(dialect.separator) ? `"${text}"` : text;
  };
  const lines = [CSV_COLUMNS.map((c) => textCell(words.header(c), dialect)).join(dialect.separator)];
  for (const row of report.rows) {
    const r = row.rackbeat;
    const e = row.economic;
    lines.push(
      [
        textCell(words.kind(row), dialect),
        textCell(words.rackbeat(row), dialect),
        r?.date ?? "",
        textCell(words.economic(row), dialect),
        e?.date ?? "",
        r?.currency ?? e?.currency ?? "",
        money(r?.netOre),
        money(r?.vatOre),
        money(r?.grossOre),
        money(e?.netOre),
        money(e?.vatOre),
        money(e?.grossOre),
        money(row.difference.netOre),
        money(row.difference.vatOre),
        money(row.difference.grossOre),
        textCell(words.cause(row), dialect),
        textCell(words.todo(row), dialect),
      ].join(dialect.separator),
    );
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
