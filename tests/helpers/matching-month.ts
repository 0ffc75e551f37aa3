import type { Agreement } from "@/tests/emulators/economic/seed";
import { createInvoiceRecord, type Account } from "@/tests/emulators/rackbeat/seed";

/**
 * A month of booked invoices that match, put straight into both emulators' state (the volume the
 * books-match budget is about, without transferring each): Rackbeat's invoices, and in e-conomic a
 * booked invoice for each carrying our mark and the same amounts.
 */
export function seedMatchingMonth(
  account: Account,
  agreement: Agreement,
  options: { month: string; count: number; customer: number; product: string; firstBookedNumber: number },
) {
  const start = Math.max(0, ...account.customerInvoices.keys()) + 1;
  for (let i = 0; i < options.count; i++) {
    const number = start + i;
    const date = `${options.month}-${String((i % 28) + 1).padStart(2, "0")}`;
    const invoice = createInvoiceRecord(
      account,
      "customer",
      {
        customer_id: options.customer,
        invoice_date: date,
        lines: [{ child_id: options.product, quantity: 1 + (i % 5), line_price: 9.95 }],
      },
      number,
    );
    invoice.is_booked = true;
    const booked = options.firstBookedNumber + i;
    agreement.booked.set(booked, {
      bookedInvoiceNumber: booked,
      date,
      currency: "DKK",
      netAmount: invoice.total_subtotal,
      vatAmount: invoice.total_total - invoice.total_subtotal,
      grossAmount: invoice.total_total,
      references: { other: `rackbeat-invoice:${number}` },
    });
  }
}
