/**
 * An update to an e-conomic record: the record as e-conomic answered it, with only the fields this
 * integration owns changed. e-conomic's PUT "will overwrite the full object and must include the full
 * entity" (_introduction.md), so whatever the body leaves out is erased: the merged whole is what we PUT.
 *
 * References (`paymentTerms`, `unit`, …) are replaced whole: keeping the old `self` link beside a new
 * number would name two different records. Only `inventory` is merged field by field, because its stock
 * figures sit beside the one field we own (`recommendedCostPrice`).
 */
const MERGED_FIELD_BY_FIELD = new Set(["inventory"]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** e-conomic refuses `null` anywhere ("to null a property you must exclude it", _introduction.md). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(withoutNulls);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

export function mergeRecord(
  current: Record<string, unknown>,
  owned: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(owned)) {
    const was = merged[field];
    merged[field] =
      MERGED_FIELD_BY_FIELD.has(field) && isObject(value) && isObject(was) ? { ...was, ...value } : value;
  }
  return withoutNulls(merged) as Record<string, unknown>;
}
