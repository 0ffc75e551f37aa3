import { message, type FieldMessages } from "@/lib/messages";
import type { EconomicChoices, RackbeatChoices } from "./choices";
import { RACKBEAT_VAT_ZONES, type MappingKind } from "./mappings";
import type { SettingsValues } from "./schema";

/**
 * What the transfers of the activated parts will need, checked when the integration is (or becomes)
 * active: the form's own rules say what each field needs, this says what the customer's data needs. With
 * customer invoices on, every Rackbeat layout must have an e-conomic layout; every Rackbeat value a
 * transfer will meet (payment terms, units, groups, the VAT zones Rackbeat names) must be matched. Each
 * problem sits at the field that fixes it and names the Rackbeat value by its name.
 */
export function readinessProblems(
  values: SettingsValues,
  live: { economic: EconomicChoices; rackbeat: RackbeatChoices },
): FieldMessages {
  const errors: FieldMessages = {};
  const { debtor, creditor } = values;
  if (debtor.enabled) {
    const matched = new Set(Object.values(values.layouts).filter(Boolean));
    const unmatched = live.rackbeat.layouts.filter((l) => !matched.has(String(l.number)));
    if (unmatched.length)
      errors.layouts = message("settings.rackbeat_layouts_unmatched", {
        count: unmatched.length,
        layouts: unmatched.map((l) => `“${l.name}”`).join(", "),
      });
  }
  const needed = new Set<MappingKind>();
  if (debtor.enabled)
    ["vatZones", "paymentTerms", "customerGroups"].forEach((k) => needed.add(k as MappingKind));
  if (creditor.enabled) ["vatZones", "paymentTerms"].forEach((k) => needed.add(k as MappingKind));
  // Products are transferred with either part (they stand on invoices and supplier invoices alike).
  if (debtor.enabled || creditor.enabled)
    ["productGroups", "units"].forEach((k) => needed.add(k as MappingKind));
  for (const kind of needed) {
    // Rackbeat's exempt zone has no known API name (rackbeat-api.md §8): matched if offered, not required.
    const rows =
      kind === "vatZones"
        ? RACKBEAT_VAT_ZONES.filter((z) => z !== "exempt").map((z) => ({ key: z, name: z }))
        : live.rackbeat[kind].map((x) => ({ key: String(x.number), name: x.name }));
    for (const row of rows)
      if (!(values.mappings[kind] as Record<string, string>)[row.key])
        errors[`mappings.${kind}.${row.key}`] = message("settings.mapping_required", {
          kind,
          name: row.name,
        });
  }
  return errors;
}
