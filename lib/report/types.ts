import type { TransferStatus } from "@/db/vocabulary";
import type { ReportPeriod } from "./period";

/** What the report puts side by side: Rackbeat's documents that reach e-conomic's books. */
export const REPORT_KINDS = ["customer_invoice", "supplier_invoice", "inventory_value"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Money in øre (exact), in the document's own currency. */
export type Amounts = { currency: string; netOre: bigint; vatOre: bigint; grossOre: bigint };

export type RackbeatDocument = Amounts & {
  kind: ReportKind;
  /** Rackbeat's number (an invoice), or the period end a posting covers (`2026-11-30`). */
  number: string;
  date: string;
};

export type EconomicDocument = Amounts & {
  kind: ReportKind;
  /** `booked:20001`, `draft:5`, `voucher:2026-12`, as a transfer records what it made. */
  reference: string;
  date: string;
  /** A booked invoice or booked entries; a draft invoice or an entry still in a day book. */
  state: "booked" | "draft";
  /** The Rackbeat number our mark on it names (`references.other`, the voucher text), if it carries one. */
  source?: string;
  /** The voucher text or the invoice's customer, to recognise a document made by hand. */
  text?: string;
};

/** The outbox's record of one Rackbeat document (read only). */
export type TransferRecord = {
  id: number;
  status: TransferStatus;
  runAfter: Date;
  attemptsTotal: number;
  errorCode: string | null;
  errorParams: Record<string, unknown> | null;
  economicReference: string | null;
  /** Why an invoice that reached e-conomic was left a draft, from the settings it ran with. */
  draftReason?: "ean" | "post_off";
};

/** Why a row differs, in codes the page words (report.cause.*). */
export type Cause =
  | { code: "not_transferred"; partOff: boolean }
  | { code: "queued"; runAfter: string }
  | { code: "failed"; errorCode: string | null; errorParams: Record<string, unknown> | null }
  | { code: "skipped"; errorCode: string | null; errorParams: Record<string, unknown> | null }
  | { code: "draft_by_settings"; reason: "ean" | "post_off" }
  | { code: "deleted_in_economic"; reference: string }
  | { code: "changed_in_economic" }
  | { code: "twice_in_economic" }
  | { code: "only_in_economic"; source?: string }
  | { code: "other_period"; rackbeatDate?: string; economicDate?: string }
  | { code: "rounding" };
export type CauseCode = Cause["code"];

export type Difference = { netOre: bigint; vatOre: bigint; grossOre: bigint };

export type ReportRow = {
  kind: ReportKind;
  rackbeat?: RackbeatDocument;
  economic?: EconomicDocument;
  /** Whether each side's date falls in the period (only those count in the period's totals). */
  rackbeatInPeriod: boolean;
  economicInPeriod: boolean;
  /** e-conomic less Rackbeat, each side counted only when its date is in the period. */
  difference: Difference;
  cause?: Cause;
  transferId?: number;
};

export type KindTotal = {
  kind: ReportKind;
  currency: string;
  rackbeat: Difference;
  economic: Difference;
  difference: Difference;
};

export type BooksMatchReport = {
  period: ReportPeriod;
  rows: ReportRow[];
  totals: KindTotal[];
  /** Rows with a cause: 0 is "the books match". */
  differences: number;
  /** What the report cost: calls to each service, for the README's budget and the log. */
  calls: { economic: number; rackbeat: number };
  generatedAt: string;
};
