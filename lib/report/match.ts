import { inPeriod, type ReportPeriod } from "./period";
import type {
  Cause,
  Difference,
  EconomicDocument,
  KindTotal,
  RackbeatDocument,
  ReportKind,
  ReportRow,
  TransferRecord,
} from "./types";

const ZERO: Difference = { netOre: 0n, vatOre: 0n, grossOre: 0n };
const plus = (a: Difference, b: Difference): Difference => ({
  netOre: a.netOre + b.netOre,
  vatOre: a.vatOre + b.vatOre,
  grossOre: a.grossOre + b.grossOre,
});
const minus = (a: Difference, b: Difference): Difference => ({
  netOre: a.netOre - b.netOre,
  vatOre: a.vatOre - b.vatOre,
  grossOre: a.grossOre - b.grossOre,
});
const amountsOf = (d: Difference): Difference => ({
  netOre: d.netOre,
  vatOre: d.vatOre,
  grossOre: d.grossOre,
});
const abs = (n: bigint) => (n < 0n ? -n : n);

/** What one kind's documents are, on each side, with the outbox's record of each Rackbeat document. */
export type KindInput = {
  kind: ReportKind;
  period: ReportPeriod;
  /** Rackbeat's documents dated in the period, and those outside it that an e-conomic document names. */
  rackbeat: RackbeatDocument[];
  /** e-conomic's documents dated in the period, and those outside it that carry a Rackbeat document's mark. */
  economic: EconomicDocument[];
  transfers: Map<string, TransferRecord>;
  /** The kind's part of the settings is on (a document not transferred is then waiting, not switched off). */
  partOn: boolean;
};

/** Why a Rackbeat document has nothing in e-conomic, from what the outbox knows of it. */
function missingCause(transfer: TransferRecord | undefined, partOn: boolean): Cause {
  if (!transfer) return { code: "not_transferred", partOff: !partOn };
  switch (transfer.status) {
    case "pending":
    case "running":
      return { code: "queued", runAfter: transfer.runAfter.toISOString() };
    case "failed":
      return { code: "failed", errorCode: transfer.errorCode, errorParams: transfer.errorParams };
    case "cancelled":
      return { code: "skipped", errorCode: transfer.errorCode, errorParams: transfer.errorParams };
    case "succeeded":
      return { code: "deleted_in_economic", reference: transfer.economicReference ?? "" };
  }
}

/**
 * The rows of one kind: each Rackbeat document beside the e-conomic document carrying its mark, then
 * e-conomic's documents that no Rackbeat document in reach claims. Pure: the reading is done elsewhere.
 */
export function matchKind(input: KindInput): ReportRow[] {
  const { kind, period } = input;
  const bySource = new Map<string, EconomicDocument[]>();
  for (const e of input.economic)
    if (e.source !== undefined) bySource.set(e.source, [...(bySource.get(e.source) ?? []), e]);
  // Booked before draft: a draft beside a booked invoice is the leftover, not the book.
  for (const list of bySource.values())
    list.sort((a, b) => (a.state === b.state ? 0 : a.state === "booked" ? -1 : 1));
  const used = new Set<EconomicDocument>();
  const rows: ReportRow[] = [];
  const row = (
    r: RackbeatDocument | undefined,
    e: EconomicDocument | undefined,
    cause?: Cause,
  ): ReportRow => {
    const rackbeatInPeriod = !!r && inPeriod(r.date, period);
    const economicInPeriod = !!e && inPeriod(e.date, period);
    const difference = minus(
      economicInPeriod ? amountsOf(e!) : ZERO,
      rackbeatInPeriod ? amountsOf(r!) : ZERO,
    );
    const transfer = r ? input.transfers.get(r.number) : undefined;
    return {
      kind,
      rackbeat: r,
      economic: e,
      rackbeatInPeriod,
      economicInPeriod,
      difference,
      ...(cause ? { cause } : {}),
      ...(transfer ? { transferId: transfer.id } : {}),
    };
  };

  for (const r of input.rackbeat) {
    const candidates = bySource.get(r.number) ?? [];
    const e = candidates[0];
    const rInPeriod = inPeriod(r.date, period);
    if (!e) {
      // A source outside the period with nothing in e-conomic is not this period's business.
      if (!rInPeriod) continue;
      // A posting of nothing (no change in value) has nothing to carry.
      if (r.netOre === 0n && r.grossOre === 0n && input.transfers.get(r.number)?.status === "succeeded") {
        rows.push(row(r, undefined));
        continue;
      }
      rows.push(row(r, undefined, missingCause(input.transfers.get(r.number), input.partOn)));
      continue;
    }
    used.add(e);
    const eInPeriod = inPeriod(e.date, period);
    if (!rInPeriod && !eInPeriod) continue;
    rows.push(row(r, e, compare(r, e, rInPeriod, eInPeriod, input.transfers.get(r.number))));
    // A second e-conomic document with the same mark is the same Rackbeat document posted twice.
    for (const extra of candidates.slice(1)) {
      used.add(extra);
      if (inPeriod(extra.date, period)) rows.push(row(undefined, extra, { code: "twice_in_economic" }));
    }
  }
  for (const e of input.economic) {
    if (used.has(e) || !inPeriod(e.date, period)) continue;
    rows.push(row(undefined, e, { code: "only_in_economic", ...(e.source ? { source: e.source } : {}) }));
  }
  return rows;
}

function compare(
  r: RackbeatDocument,
  e: EconomicDocument,
  rInPeriod: boolean,
  eInPeriod: boolean,
  transfer: TransferRecord | undefined,
): Cause | undefined {
  if (rInPeriod !== eInPeriod) return { code: "other_period", rackbeatDate: r.date, economicDate: e.date };
  const d = minus(amountsOf(e), amountsOf(r));
  if (r.currency !== e.currency || d.netOre !== 0n || d.vatOre !== 0n || d.grossOre !== 0n) {
    // Exact arithmetic leaves no øre behind; a difference of one øre is named for what it would be.
    if (r.currency === e.currency && abs(d.netOre) <= 1n && abs(d.vatOre) <= 1n && abs(d.grossOre) <= 1n)
      return { code: "rounding" };
    return { code: "changed_in_economic" };
  }
  if (e.kind === "customer_invoice" && e.state === "draft")
    return { code: "draft_by_settings", reason: transfer?.draftReason ?? "post_off" };
  return undefined;
}

/** Totals per kind and currency, each side counting only what is dated in the period. */
export function totalsOf(rows: ReportRow[]): KindTotal[] {
  const totals = new Map<string, KindTotal>();
  const slot = (kind: ReportKind, currency: string) => {
    const key = `${kind}:${currency}`;
    if (!totals.has(key))
      totals.set(key, { kind, currency, rackbeat: ZERO, economic: ZERO, difference: ZERO });
    return totals.get(key)!;
  };
  for (const r of rows) {
    if (r.rackbeat && r.rackbeatInPeriod) {
      const t = slot(r.kind, r.rackbeat.currency);
      t.rackbeat = plus(t.rackbeat, amountsOf(r.rackbeat));
    }
    if (r.economic && r.economicInPeriod) {
      const t = slot(r.kind, r.economic.currency);
      t.economic = plus(t.economic, amountsOf(r.economic));
    }
  }
  for (const t of totals.values()) t.difference = minus(t.economic, t.rackbeat);
  return [...totals.values()];
}
