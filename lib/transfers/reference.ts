/**
 * What a transfer created in e-conomic, as stored on its row (`booked:20001`, `draft:5`,
 * `voucher:2026-100004`, `product:10001`), split for a message: `{ refKind, refNumber }`.
 */
export function referenceParams(reference: string): { refKind: string; refNumber: string } {
  const at = reference.indexOf(":");
  return at < 0
    ? { refKind: "other", refNumber: reference }
    : { refKind: reference.slice(0, at), refNumber: reference.slice(at + 1) };
}

/** Our mark on the e-conomic invoice (`references.other`, filterable): how a retry finds what it made. */
export const invoiceReference = (number: string | number) => `rackbeat-invoice:${number}`;
