import { message, type FieldMessages } from "@/lib/messages";
import {
  acceptsEntryType,
  accountRefusal,
  mappingListsOf,
  type EconomicChoices,
  type JournalEntryType,
  type RackbeatChoices,
} from "./choices";
import { MAPPING_KINDS } from "./mappings";
import { matrixKey, type SettingsValues } from "./schema";

const REFUSAL_CODE = {
  barred: "settings.account_barred",
  not_postable: "settings.account_not_postable",
  blocks_direct_entries: "settings.account_blocks_direct_entries",
} as const;

/**
 * The server's second look: every choice must still exist, and be usable, in today's e-conomic and
 * Rackbeat. Returns field errors keyed by the field's path (`inventory.offsetAccount`).
 */
export async function checkAgainstLive(
  values: SettingsValues,
  live: {
    economic: EconomicChoices;
    rackbeat: RackbeatChoices;
    productExists: (number: string) => Promise<boolean>;
  },
): Promise<FieldMessages> {
  const errors: FieldMessages = {};
  const { economic, rackbeat } = live;

  // Every account a transfer posts to directly: it must exist, be postable, not barred, and take direct entries.
  const account = (path: string, value: string) => {
    if (!value) return;
    const found = economic.accounts.find((a) => String(a.accountNumber) === value);
    if (!found) {
      errors[path] = message("settings.account_missing", { account: value });
      return;
    }
    const refusal = accountRefusal(found);
    if (refusal) errors[path] = message(REFUSAL_CODE[refusal], { account: value, name: found.name });
  };
  const dayBook = (path: string, value: string, entryType: JournalEntryType) => {
    if (!value) return;
    const found = economic.journals.find((j) => String(j.journalNumber) === value);
    if (!found) errors[path] = message("settings.day_book_missing", { dayBook: value });
    else if (!acceptsEntryType(found, entryType))
      errors[path] = message("settings.day_book_refuses", {
        dayBook: value,
        name: found.name,
        entryType,
        restrictedTo: found.settings?.entryTypeRestrictedTo ?? "",
      });
  };

  account("accounting.standardAccount", values.accounting.standardAccount);
  for (const [key, value] of Object.entries(values.accounting.matrix)) {
    const [group, zone] = key.split(":");
    if (!value) continue;
    if (
      !rackbeat.productGroups.some((g) => String(g.number) === group) ||
      !economic.vatZones.some((z) => String(z.number) === zone)
    ) {
      errors[`accounting.matrix.${key}`] = message("settings.matrix_row_stale");
      continue;
    }
    account(`accounting.matrix.${matrixKey(group, zone)}`, value);
  }
  const supplierGroup = values.creditor.supplierGroup;
  // The supplier groups list is undocumented and may be unavailable: then the choice cannot be checked.
  if (
    supplierGroup &&
    economic.supplierGroups &&
    !economic.supplierGroups.some((g) => String(g.number) === supplierGroup)
  )
    errors["creditor.supplierGroup"] = message("settings.supplier_group_missing", { group: supplierGroup });
  dayBook("creditor.dayBook", values.creditor.dayBook, "supplierInvoice");
  dayBook("inventory.dayBook", values.inventory.dayBook, "financeVoucher");
  account("inventory.inventoryAccount", values.inventory.inventoryAccount);
  account("inventory.offsetAccount", values.inventory.offsetAccount);

  for (const [economicLayout, rackbeatLayout] of Object.entries(values.layouts)) {
    if (!rackbeatLayout) continue;
    if (!economic.layouts.some((l) => String(l.number) === economicLayout))
      errors[`layouts.${economicLayout}`] = message("settings.economic_layout_missing", {
        layout: economicLayout,
      });
    else if (!rackbeat.layouts.some((l) => String(l.number) === rackbeatLayout))
      errors[`layouts.${economicLayout}`] = message("settings.rackbeat_layout_missing", {
        layout: rackbeatLayout,
      });
  }

  for (const [country, row] of Object.entries(values.debtor.oneStopVatCountries)) {
    const path = `debtor.oneStopVatCountries.${country}`;
    if (row?.vatZone && !economic.vatZones.some((z) => String(z.number) === row.vatZone))
      errors[`${path}.vatZone`] = message("settings.vat_zone_missing", { zone: row.vatZone });
    if (row?.customerGroup && !economic.customerGroups.some((g) => String(g.number) === row.customerGroup))
      errors[`${path}.customerGroup`] = message("settings.customer_group_missing", {
        group: row.customerGroup,
      });
  }

  // Every matched value must still exist in e-conomic (its number is all a transfer will send).
  const lists = mappingListsOf(economic, rackbeat);
  for (const kind of MAPPING_KINDS) {
    for (const [key, chosen] of Object.entries(values.mappings[kind] as Record<string, string>)) {
      if (chosen && !lists.economic[kind].some((x) => String(x.number) === chosen))
        errors[`mappings.${kind}.${key}`] = message("settings.mapped_value_missing", { kind, value: chosen });
    }
  }

  const product = values.debtor.emptyLineProduct;
  if (product && !(await live.productExists(product)))
    errors["debtor.emptyLineProduct"] = message("settings.empty_line_product_missing", { product });
  return errors;
}
