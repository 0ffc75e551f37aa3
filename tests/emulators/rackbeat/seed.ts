import type { Order } from "./routes-orders";
import {
  COMPANY_KINDS,
  COMPANY_SUFFIX,
  COMPANY_WORDS,
  DANISH_CITIES,
  PRODUCT_ADJ,
  PRODUCT_NOUNS,
  prng,
  STREETS,
} from "../shared/prng";

export type Line = {
  id: number;
  child_id: string;
  child_type: "product" | "lot";
  name: string;
  quantity: number;
  line_price: number;
  discount_percentage: number;
  item_cost_price: number;
  location_id?: number;
};
export type Product = {
  number: string;
  name: string;
  barcode?: string;
  group: { number: number; name: string };
  unit: { number: number; name: string };
  sales_price: number;
  recommended_cost_price: number;
  cost_price: number;
  stock_quantity: number;
  in_order_quantity: number;
  purchased_quantity: number;
  available_quantity: number;
  is_draft: boolean;
  is_barred: boolean;
  is_sellable: boolean;
  urlfriendly_number: string;
  type: "product";
  created_at: string;
  updated_at: string;
};
export type Customer = {
  number: number;
  company_name: string;
  company_vat?: string;
  address_street?: string;
  address_city?: string;
  address_zipcode?: string;
  address_country?: string;
  contact_email?: string;
  contact_phone?: string;
  locale: string;
  ean?: string;
  currency: string;
  vat_zone: "domestic" | "eu" | "abroad" | "exempt";
  group: { number: number; name: string };
  payment_terms: { number: number; name: string };
  layout: { number: number; name: string };
  is_deleted: boolean;
  created_at: string;
  updated_at: string;
};
export type Supplier = {
  number: number;
  company_name: string;
  company_vat?: string;
  address_street?: string;
  address_city?: string;
  address_zipcode?: string;
  address_country?: string;
  contact_email?: string;
  locale: string;
  currency: string;
  vat_zone: "domestic" | "eu" | "abroad";
  supplier_group_id: number;
  payment_terms_id: number;
  is_deleted: boolean;
  created_at: string;
  updated_at: string;
};
export type Invoice = {
  number: number;
  customer_id?: number;
  supplier_id?: number;
  currency: string;
  currency_rate: number;
  invoice_date: string;
  due_date: string;
  heading?: string;
  note?: string;
  our_reference?: string;
  layout_id?: number;
  ean?: string;
  is_booked: boolean;
  booked_at: string | null;
  /** Customer invoices: marked as sent (the guessed mark-as-sent call). */
  is_sent?: boolean;
  sent_at?: string;
  total_subtotal: number;
  total_vat: number;
  total_total: number;
  lines: Line[];
  created_at: string;
  updated_at: string;
  supplier_invoice_number?: string;
};
export type Account = {
  id: number;
  company_name: string;
  user: { id: number; name: string; email: string };
  productGroups: { number: number; name: string; is_draft: boolean; has_inventory: boolean }[];
  customerGroups: { number: number; name: string; is_draft: boolean }[];
  supplierGroups: { number: number; name: string }[];
  layouts: { number: number; name: string; is_default: boolean }[];
  paymentTerms: { number: number; name: string; description: string; maturity_days: number; type: string }[];
  units: { number: number; name: string; is_draft: boolean }[];
  products: Map<string, Product>;
  customers: Map<number, Customer>;
  suppliers: Map<number, Supplier>;
  customerInvoices: Map<number, Invoice>;
  /** Orders (routes-orders.ts), numbered by Rackbeat from 5001. */
  orders: Map<number, Order>;
  supplierInvoices: Map<number, Invoice>;
  /** Dated changes of the inventory value, on top of the seeded stock value. */
  valuation: { base: number; movements: { date: string; delta: number }[] };
  nextLineId: number;
};

const now = "2026-01-05T08:00:00Z";

export function seedAccount(
  id: number,
  company: string,
  sizes: { products: number; customers: number; suppliers: number; invoices: number },
  seed: number,
): Account {
  const r = prng(seed);
  const productGroups = [
    { number: 1, name: "Varer med moms", is_draft: false, has_inventory: true },
    { number: 2, name: "Reservedele", is_draft: false, has_inventory: true },
    { number: 3, name: "Ydelser", is_draft: false, has_inventory: false },
  ];
  const units = [
    { number: 1, name: "stk.", is_draft: false },
    { number: 2, name: "timer", is_draft: false },
    { number: 3, name: "kg", is_draft: false },
  ];
  const customerGroups = [
    { number: 1, name: "Indenlandske kunder", is_draft: false },
    { number: 2, name: "EU-kunder", is_draft: false },
    { number: 3, name: "Udenlandske kunder", is_draft: false },
  ];
  const layouts = [
    { number: 1, name: "Standard", is_default: true },
    { number: 2, name: "Engelsk", is_default: false },
  ];
  const paymentTerms = [
    { number: 1, name: "Netto 8 dage", description: "8 dage netto", maturity_days: 8, type: "net" },
    {
      number: 2,
      name: "Løbende måned + 30 dage",
      description: "Lb. md. + 30 dage",
      maturity_days: 30,
      type: "current_month",
    },
    { number: 3, name: "Netto 14 dage", description: "14 dage netto", maturity_days: 14, type: "net" },
  ];
  const account: Account = {
    id,
    company_name: company,
    user: {
      id: id * 10 + 1,
      name: "Lars Lagerchef",
      email: `lars@${company.toLowerCase().replace(/[^a-z]/g, "")}.dk`,
    },
    productGroups,
    customerGroups,
    supplierGroups: [
      { number: 1, name: "Indenlandske leverandører" },
      { number: 2, name: "Udenlandske leverandører" },
    ],
    layouts,
    paymentTerms,
    units,
    products: new Map(),
    customers: new Map(),
    suppliers: new Map(),
    customerInvoices: new Map(),
    orders: new Map(),
    supplierInvoices: new Map(),
    valuation: { base: 0, movements: [] },
    nextLineId: 1,
  };
  let stockValueOre = 0;
  for (let i = 1; i <= sizes.products; i++) {
    const number = i % 50 === 0 ? `VVS/${100 + i}` : i % 45 === 0 ? `EL ${100 + i}` : String(10000 + i);
    const cost = r.price(5, 800);
    const stock = r.int(0, 400);
    const group = r.pick(productGroups.slice(0, 2));
    stockValueOre += Math.round(cost * 100) * stock;
    account.products.set(number, {
      number,
      name: `${r.pick(PRODUCT_NOUNS)}, ${r.pick(PRODUCT_ADJ)} ${r.int(2, 120)} mm`,
      barcode: String(5700000000000 + i),
      group: { number: group.number, name: group.name },
      unit: { number: 1, name: "stk." },
      sales_price: Math.round(cost * 160) / 100,
      recommended_cost_price: cost,
      cost_price: Math.round(cost * 1.03 * 10000) / 10000,
      stock_quantity: stock,
      in_order_quantity: 0,
      purchased_quantity: 0,
      available_quantity: stock,
      is_draft: false,
      is_barred: false,
      is_sellable: true,
      urlfriendly_number: encodeURIComponent(number),
      type: "product",
      created_at: now,
      updated_at: now,
    });
  }
  account.products.set("PRODUKT", {
    number: "PRODUKT",
    name: "Produkt (tomme linjer fra e-conomic)",
    group: { number: 3, name: "Ydelser" },
    unit: { number: 1, name: "stk." },
    sales_price: 0,
    recommended_cost_price: 0,
    cost_price: 0,
    stock_quantity: 0,
    in_order_quantity: 0,
    purchased_quantity: 0,
    available_quantity: 0,
    is_draft: false,
    is_barred: false,
    is_sellable: true,
    urlfriendly_number: "PRODUKT",
    type: "product",
    created_at: now,
    updated_at: now,
  });
  account.valuation.base = stockValueOre / 100;
  for (let i = 1; i <= sizes.customers; i++) {
    const [zip, city] = r.pick(DANISH_CITIES);
    const zone = i % 10 === 0 ? "eu" : i % 25 === 0 ? "abroad" : "domestic";
    const group = customerGroups[zone === "domestic" ? 0 : zone === "eu" ? 1 : 2];
    account.customers.set(1000 + i, {
      number: 1000 + i,
      company_name: `${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_KINDS)} ${r.pick(COMPANY_SUFFIX)}`,
      company_vat: String(10000000 + r.int(0, 89999999)),
      address_street: `${r.pick(STREETS)} ${r.int(1, 120)}`,
      address_city: city,
      address_zipcode: zip,
      address_country: zone === "domestic" ? "DK" : "DE",
      contact_email: `indkoeb${i}@example.dk`,
      locale: zone === "domestic" ? "da" : "en",
      ean: i % 17 === 0 ? String(5790000000000 + i) : undefined,
      currency: zone === "domestic" ? "DKK" : "EUR",
      vat_zone: zone,
      group: { number: group.number, name: group.name },
      payment_terms: { number: 1, name: "Netto 8 dage" },
      layout: { number: zone === "domestic" ? 1 : 2, name: zone === "domestic" ? "Standard" : "Engelsk" },
      is_deleted: false,
      created_at: now,
      updated_at: now,
    });
  }
  for (let i = 1; i <= sizes.suppliers; i++) {
    const [zip, city] = r.pick(DANISH_CITIES);
    const foreign = i % 5 === 0;
    account.suppliers.set(500 + i, {
      number: 500 + i,
      company_name: `${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_KINDS)} Engros ${r.pick(COMPANY_SUFFIX)}`,
      company_vat: String(20000000 + r.int(0, 79999999)),
      address_street: `${r.pick(STREETS)} ${r.int(1, 120)}`,
      address_city: city,
      address_zipcode: zip,
      address_country: foreign ? "DE" : "DK",
      contact_email: `salg${i}@example.dk`,
      locale: "da",
      currency: foreign ? "EUR" : "DKK",
      vat_zone: foreign ? "eu" : "domestic",
      supplier_group_id: foreign ? 2 : 1,
      payment_terms_id: 3,
      is_deleted: false,
      created_at: now,
      updated_at: now,
    });
  }
  const productList = [...account.products.values()].filter((p) => p.number !== "PRODUKT");
  const customerList = [...account.customers.values()];
  for (let i = 1; i <= sizes.invoices; i++) {
    const customer = r.pick(customerList);
    const lines = Array.from({ length: r.int(1, 4) }, () => {
      const p = r.pick(productList);
      return { child_id: p.number, quantity: r.int(1, 20), line_price: p.sales_price };
    });
    createInvoiceRecord(
      account,
      "customer",
      {
        customer_id: customer.number,
        invoice_date: `2026-${String(r.int(1, 10)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}`,
        lines,
      },
      10000 + i,
    );
  }
  return account;
}

/**
 * Line totals: quantity × price × (100 − discount) / 100, exactly, rounded to øre at the invoice level.
 * VAT is the party's rate, or a line's own `vat_percentage` where it has one (a field confirmed on order
 * lines, rackbeat-api.md §8; unconfirmed on invoices, and the app never reads it): per rate, rounded once.
 */
export function invoiceTotals(
  lines: (Pick<Line, "quantity" | "line_price" | "discount_percentage"> & { vat_percentage?: number })[],
  vatRate: number,
) {
  const SCALE = 1_000_000n;
  const toScaled = (n: number) => BigInt(Math.round(n * 1_000_000));
  const denominator = SCALE * SCALE * 10000n;
  const toOre = (scaled: bigint) => (scaled * 100n * 2n + denominator) / (2n * denominator);
  const byRate = new Map<number, bigint>(); // in 1e-6 × 1e-6 × 1e-2 units
  for (const l of lines) {
    const rate = l.vat_percentage ?? vatRate;
    byRate.set(
      rate,
      (byRate.get(rate) ?? 0n) +
        toScaled(l.quantity) *
          toScaled(l.line_price) *
          BigInt(Math.round((100 - (l.discount_percentage ?? 0)) * 100)),
    );
  }
  const subtotalOre = toOre([...byRate.values()].reduce((a, b) => a + b, 0n));
  let vatOre = 0n;
  for (const [rate, scaled] of byRate)
    vatOre += (toOre(scaled) * BigInt(Math.round(rate * 100)) * 2n + 10_000n) / 20_000n;
  return {
    total_subtotal: Number(subtotalOre) / 100,
    total_vat: Number(vatOre) / 100,
    total_total: Number(subtotalOre + vatOre) / 100,
  };
}

export function createInvoiceRecord(
  account: Account,
  kind: "customer" | "supplier",
  body: {
    customer_id?: number;
    supplier_id?: number;
    invoice_date?: string;
    currency?: string;
    heading?: string;
    note?: string;
    supplier_invoice_number?: string;
    lines: {
      child_id: string;
      quantity: number;
      line_price: number;
      discount_percentage?: number;
      vat_percentage?: number;
      name?: string;
    }[];
  },
  number: number,
): Invoice {
  const date = body.invoice_date ?? new Date().toISOString().slice(0, 10);
  const party =
    kind === "customer" ? account.customers.get(body.customer_id!) : account.suppliers.get(body.supplier_id!);
  const lines: Line[] = body.lines.map((l) => {
    const product = account.products.get(l.child_id)!;
    return {
      id: account.nextLineId++,
      child_id: l.child_id,
      child_type: "product",
      name: l.name ?? product.name,
      quantity: l.quantity,
      line_price: l.line_price,
      discount_percentage: l.discount_percentage ?? 0,
      item_cost_price: product.cost_price,
    };
  });
  const vatRate = party?.vat_zone === "domestic" ? 25 : 0;
  const rates = body.lines.map((l) => l.vat_percentage);
  const due = new Date(`${date}T00:00:00Z`);
  due.setUTCDate(due.getUTCDate() + 8);
  const invoice: Invoice = {
    number,
    ...(kind === "customer"
      ? {
          customer_id: body.customer_id,
          // No EAN on an invoice: Rackbeat keeps it on the customer (rackbeat-api.md §8).
          layout_id: (party as Customer | undefined)?.layout.number,
        }
      : {
          supplier_id: body.supplier_id,
          supplier_invoice_number: body.supplier_invoice_number ?? `F-${number}`,
        }),
    currency: body.currency ?? party?.currency ?? "DKK",
    currency_rate: 100,
    invoice_date: date,
    due_date: due.toISOString().slice(0, 10),
    heading: body.heading,
    note: body.note,
    is_booked: false,
    booked_at: null,
    ...invoiceTotals(
      lines.map((l, i) => ({ ...l, vat_percentage: rates[i] })),
      vatRate,
    ),
    lines,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
  };
  (kind === "customer" ? account.customerInvoices : account.supplierInvoices).set(number, invoice);
  return invoice;
}
