import { and, eq, gte, inArray, lte } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { HttpError } from "@/lib/http";
import { logger } from "@/lib/log";
import { toOre } from "@/lib/money";
import type { RackbeatClient } from "@/lib/rackbeat/client";
import { UNCERTAIN } from "@/lib/uncertain";
import type { SettingsValues } from "@/lib/settings/schema";
import { inventoryVoucherText, type Frequency } from "@/lib/transfers/inventory/periods";
import type { ReportPeriod } from "./period";
import type { RackbeatDocument, ReportKind, TransferRecord } from "./types";

type Invoice = {
  number: number | string;
  invoice_date?: string;
  currency?: string;
  total_subtotal: number;
  total_total: number;
  is_booked?: boolean;
};

const LISTS = {
  customer_invoice: { path: "/customer-invoices", key: "customer_invoices", one: "customer_invoice" },
  supplier_invoice: { path: "/supplier-invoices", key: "supplier_invoices", one: "supplier_invoice" },
} as const;
type InvoiceKind = keyof typeof LISTS;

const documentOf = (kind: InvoiceKind, i: Invoice): RackbeatDocument => {
  const netOre = toOre(i.total_subtotal);
  const grossOre = toOre(i.total_total);
  return {
    kind,
    number: String(i.number),
    date: (i.invoice_date ?? "").slice(0, 10),
    currency: i.currency ?? "DKK",
    netOre,
    vatOre: grossOre - netOre,
    grossOre,
  };
};

/**
 * Rackbeat's booked invoices dated in the period, with the documented filters (`is_booked`,
 * `invoice_date_from`/`_to`, rackbeat-api.md §8). Rackbeat refuses a filter it does not offer with 422:
 * then the booked list is read whole and the dates are checked here, and the log says so.
 */
export async function invoicesInPeriod(rackbeat: RackbeatClient, kind: InvoiceKind, period: ReportPeriod) {
  const { path, key } = LISTS[kind];
  const { from, to } = UNCERTAIN.rackbeat.invoiceDateFilter;
  let invoices: Invoice[];
  try {
    invoices = await rackbeat.listAll<Invoice>(
      `${path}?is_booked=true&${from(period.from)}&${to(period.to)}`,
      key,
    );
  } catch (error) {
    if (!(error instanceof HttpError && error.status === 422)) throw error;
    logger().warn({ event: "report.filter_refused", path });
    invoices = await rackbeat.listAll<Invoice>(`${path}?is_booked=true`, key);
  }
  return invoices
    .filter((i) => i.is_booked !== false)
    .map((i) => documentOf(kind, i))
    .filter((d) => d.date >= period.from && d.date <= period.to);
}

/** Booked invoices by number (an e-conomic document names them; their date is outside the period). */
export async function invoicesByNumber(rackbeat: RackbeatClient, kind: InvoiceKind, numbers: string[]) {
  const { path, one } = LISTS[kind];
  const found: RackbeatDocument[] = [];
  for (const number of numbers) {
    try {
      const { data } = await rackbeat.request<Record<string, Invoice>>(
        `${path}/${encodeURIComponent(number)}`,
      );
      const invoice = data[one];
      if (invoice && invoice.is_booked !== false) found.push(documentOf(kind, invoice));
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 404)) throw error;
    }
  }
  return found;
}

/** The outbox's rows for these documents (read only), with why an invoice was left a draft. */
export async function transfersOf(
  installationId: string,
  kind: ReportKind,
  sourceIds: string[],
): Promise<Map<string, TransferRecord>> {
  const map = new Map<string, TransferRecord>();
  if (!sourceIds.length) return map;
  const db = await getDb();
  const t = schema.transfers;
  const rows = await db
    .select()
    .from(t)
    .where(and(eq(t.installationId, installationId), eq(t.kind, kind), inArray(t.sourceId, sourceIds)));
  const versions = [
    ...new Set(rows.filter((r) => r.economicReference?.startsWith("draft:")).map((r) => r.settingsVersion)),
  ].filter((v): v is number => v !== null);
  const settingsByVersion = new Map<number, SettingsValues>();
  if (versions.length)
    for (const v of await db
      .select()
      .from(schema.settingsVersions)
      .where(
        and(
          eq(schema.settingsVersions.installationId, installationId),
          inArray(schema.settingsVersions.version, versions),
        ),
      ))
      settingsByVersion.set(v.version, v.values as SettingsValues);
  for (const r of rows) {
    const settings = r.settingsVersion !== null ? settingsByVersion.get(r.settingsVersion) : undefined;
    map.set(r.sourceId, {
      id: r.id,
      status: r.status,
      runAfter: r.runAfter,
      attemptsTotal: r.attemptsTotal,
      errorCode: r.errorCode,
      errorParams: (r.errorParams as Record<string, unknown> | null) ?? null,
      economicReference: r.economicReference,
      ...(settings ? { draftReason: settings.debtor.postInvoices ? "ean" : "post_off" } : {}),
    });
  }
  return map;
}

/**
 * The inventory value postings of the period: what the app computed from Rackbeat's valuation (its
 * ledger), and the periods still on their way (their transfers). Each with the voucher text it carries.
 */
export async function inventoryPostingsInPeriod(installationId: string, period: ReportPeriod) {
  const db = await getDb();
  const ledger = schema.inventoryPostings;
  const posted = await db
    .select()
    .from(ledger)
    .where(
      and(
        eq(ledger.installationId, installationId),
        gte(ledger.period, period.from),
        lte(ledger.period, period.to),
      ),
    );
  const t = schema.transfers;
  const queued = await db
    .select({ sourceId: t.sourceId, payload: t.payload })
    .from(t)
    .where(
      and(
        eq(t.installationId, installationId),
        eq(t.kind, "inventory_value"),
        gte(t.sourceId, period.from),
        lte(t.sourceId, period.to),
      ),
    );
  const documents = new Map<string, RackbeatDocument & { text: string }>();
  const add = (periodEnd: string, frequency: Frequency, differenceOre: bigint) =>
    documents.set(periodEnd, {
      kind: "inventory_value",
      number: periodEnd,
      date: periodEnd,
      currency: "DKK",
      netOre: differenceOre,
      vatOre: 0n,
      grossOre: differenceOre,
      text: inventoryVoucherText(periodEnd, frequency),
    });
  for (const q of queued) {
    const p = q.payload as { frequency?: Frequency; differenceOre?: string };
    add(q.sourceId, p.frequency ?? "monthly", BigInt(p.differenceOre ?? "0"));
  }
  for (const p of posted) add(p.period, p.frequency as Frequency, p.differenceOre);
  return [...documents.values()];
}
