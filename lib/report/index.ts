import { HttpError } from "@/lib/http";
import { economicGrantOf, rackbeatTokenOf, type Installation } from "@/lib/installations/repository";
import { withEconomic } from "@/lib/installations/lifecycle";
import { errorFields, logger } from "@/lib/log";
import { loadSettings } from "@/lib/settings/repository";
import type { SettingsValues } from "@/lib/settings/schema";
import { INVENTORY_TEXT_PREFIX } from "@/lib/transfers/inventory/periods";
import { supplierInvoiceText } from "@/lib/transfers/kinds/supplier-invoice";
import type { VatCode } from "@/lib/transfers/mapping/supplier-vat";
import * as economicSide from "./economic-side";
import { matchKind, totalsOf } from "./match";
import { Pacer, PacedEconomic, PacedRackbeat } from "./pacing";
import type { ReportPeriod } from "./period";
import * as rackbeatSide from "./rackbeat-side";
import type {
  BooksMatchReport,
  EconomicDocument,
  RackbeatDocument,
  ReportKind,
  ReportRow,
  TransferRecord,
} from "./types";

/** Rackbeat documents outside the period read one by one at most: the rest are named, not read. */
const MAX_SOURCES_READ = 50;

export type ReportOutcome =
  | { ok: true; report: BooksMatchReport }
  | { ok: false; code: "report.not_connected" | "report.service_failed"; params: Record<string, string> };

/** Sources an e-conomic document names that the Rackbeat side of the period does not hold. */
const unclaimed = (economic: EconomicDocument[], rackbeat: RackbeatDocument[]) => {
  const known = new Set(rackbeat.map((r) => r.number));
  return [...new Set(economic.map((e) => e.source).filter((s): s is string => !!s && !known.has(s)))];
};
/** Rackbeat documents that reached e-conomic at some point but are not among the period's documents there. */
const unfound = (
  rackbeat: RackbeatDocument[],
  economic: EconomicDocument[],
  transfers: Map<string, TransferRecord>,
) => {
  const found = new Set(economic.map((e) => e.source));
  return rackbeat
    .filter((r) => !found.has(r.number))
    .filter((r) => {
      const t = transfers.get(r.number);
      return t && (t.status === "succeeded" ? !!t.economicReference : t.attemptsTotal > 0);
    })
    .map((r) => r.number);
};

/**
 * The books-match report of one installation for one period: every booked Rackbeat customer invoice,
 * supplier invoice and inventory value posting beside the e-conomic document that carries our mark,
 * found by the mark in e-conomic (not only by our records), so that a document changed or deleted there
 * shows as such. Reads both services in filtered pages, paced behind the installation's transfers
 * (pacing.ts); never writes.
 */
export async function booksMatch(installation: Installation, period: ReportPeriod): Promise<ReportOutcome> {
  const grant = economicGrantOf(installation);
  const token = rackbeatTokenOf(installation);
  if (!grant || !token || installation.status !== "active")
    return { ok: false, code: "report.not_connected", params: { status: installation.status } };
  const settings = (await loadSettings(installation.id)).values as SettingsValues;
  const pacer = new Pacer(installation.id);
  const rackbeat = new PacedRackbeat(token, pacer);
  try {
    // withEconomic for its one rule (a 401 marks the installation revoked); the client is the paced one.
    const rows = await withEconomic(installation, async () => {
      const economic = new PacedEconomic(grant, pacer);
      return [
        ...(await customerInvoiceRows(installation.id, settings, period, economic, rackbeat)),
        ...(await voucherRows(installation.id, settings, period, economic, rackbeat)),
      ];
    });
    const report: BooksMatchReport = {
      period,
      rows: sortRows(rows),
      totals: totalsOf(rows),
      differences: rows.filter((r) => r.cause).length,
      calls: { ...pacer.calls },
      generatedAt: new Date().toISOString(),
    };
    logger().info({
      event: "report.made",
      installationId: installation.id,
      period,
      calls: report.calls,
      rows: rows.length,
      differences: report.differences,
    });
    return { ok: true, report };
  } catch (error) {
    logger().warn({ event: "report.failed", installationId: installation.id, period, ...errorFields(error) });
    if (error instanceof HttpError)
      return {
        ok: false,
        code: "report.service_failed",
        params: { service: error.service, status: String(error.status) },
      };
    throw error;
  }
}

async function customerInvoiceRows(
  installationId: string,
  settings: SettingsValues,
  period: ReportPeriod,
  economic: PacedEconomic,
  rackbeat: PacedRackbeat,
): Promise<ReportRow[]> {
  const rb = await rackbeatSide.invoicesInPeriod(rackbeat, "customer_invoice", period);
  const ec = await economicSide.invoicesInPeriod(economic, period);
  const transfers = await withNamedSources(installationId, rackbeat, "customer_invoice", rb, ec);
  ec.push(...(await economicSide.invoicesByMark(economic, unfound(rb, ec, transfers))));
  return matchKind({
    kind: "customer_invoice",
    period,
    rackbeat: rb,
    economic: dedupe(ec),
    transfers,
    partOn: settings.debtor.enabled,
  });
}

async function voucherRows(
  installationId: string,
  settings: SettingsValues,
  period: ReportPeriod,
  economic: PacedEconomic,
  rackbeat: PacedRackbeat,
): Promise<ReportRow[]> {
  const postings = await rackbeatSide.inventoryPostingsInPeriod(installationId, period);
  const periodOfText = new Map(postings.map((p) => [p.text, p.number]));
  const ctx: economicSide.VoucherContext = {
    vatCodes: await economic.listAll<VatCode & { account?: { accountNumber: number } }>("/vat-accounts"),
    inventoryAccount: settings.inventory.inventoryAccount || undefined,
    years: new Map(),
    inventorySource: (text) =>
      periodOfText.get(text) ?? (text.startsWith(INVENTORY_TEXT_PREFIX) ? text : undefined),
  };
  const vouchers = await economicSide.vouchersInPeriod(economic, period, ctx);
  const ofKind = (kind: ReportKind) => vouchers.filter((v) => v.kind === kind);

  const rb = await rackbeatSide.invoicesInPeriod(rackbeat, "supplier_invoice", period);
  const ec = ofKind("supplier_invoice");
  const transfers = await withNamedSources(installationId, rackbeat, "supplier_invoice", rb, ec);
  const missing = unfound(rb, ec, transfers);
  if (missing.length)
    ec.push(
      ...(await economicSide.vouchersByText(economic, period, missing.map(supplierInvoiceText), ctx)).filter(
        (v) => v.kind === "supplier_invoice",
      ),
    );

  const inventoryTransfers = await rackbeatSide.transfersOf(
    installationId,
    "inventory_value",
    postings.map((p) => p.number),
  );
  return [
    ...matchKind({
      kind: "supplier_invoice",
      period,
      rackbeat: rb,
      economic: dedupe(ec),
      transfers,
      partOn: settings.creditor.enabled,
    }),
    ...matchKind({
      kind: "inventory_value",
      period,
      rackbeat: postings,
      economic: ofKind("inventory_value"),
      transfers: inventoryTransfers,
      partOn: settings.inventory.enabled,
    }),
  ];
}

/**
 * Adds to the period's Rackbeat invoices those outside it that an e-conomic document in the period names
 * (read one by one, at most MAX_SOURCES_READ), and returns the outbox's record of them all.
 */
async function withNamedSources(
  installationId: string,
  rackbeat: PacedRackbeat,
  kind: "customer_invoice" | "supplier_invoice",
  rb: RackbeatDocument[],
  ec: EconomicDocument[],
) {
  const named = unclaimed(ec, rb).slice(0, MAX_SOURCES_READ);
  rb.push(...(await rackbeatSide.invoicesByNumber(rackbeat, kind, named)));
  return rackbeatSide.transfersOf(
    installationId,
    kind,
    rb.map((r) => r.number),
  );
}

/** A document read twice (in the period and by its mark) is one document. */
const dedupe = (docs: EconomicDocument[]) => [
  ...new Map(docs.map((d) => [`${d.kind}:${d.reference}`, d])).values(),
];

const KIND_ORDER: ReportKind[] = ["customer_invoice", "supplier_invoice", "inventory_value"];
/** Per kind; differences first, then by date and number, as a bookkeeper works through them. */
function sortRows(rows: ReportRow[]) {
  const key = (r: ReportRow) => [
    KIND_ORDER.indexOf(r.kind),
    r.cause ? 0 : 1,
    r.rackbeat?.date ?? r.economic?.date ?? "",
    (r.rackbeat?.number ?? r.economic?.reference ?? "").padStart(20, "0"),
  ];
  return [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });
}
