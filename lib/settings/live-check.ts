import { matrixKey, type SettingsValues } from "./schema";
import { acceptsEntryType, isPostable, type EconomicChoices, type RackbeatChoices } from "./choices";
import { say, type SettingsLocale } from "./text";

type Messages = Record<string, string>;

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
  locale: SettingsLocale,
): Promise<Messages> {
  const errors: Messages = {};
  const { economic, rackbeat } = live;

  const account = (path: string, value: string, opts: { direct?: boolean } = {}) => {
    if (!value) return;
    const found = economic.accounts.find((a) => String(a.accountNumber) === value);
    if (!found)
      errors[path] = say(
        locale,
        `Account ${value} no longer exists in e-conomic. Choose another account.`,
        `Konto ${value} findes ikke længere i e-conomic. Vælg en anden konto.`,
      );
    else if (!isPostable(found))
      errors[path] = say(
        locale,
        `Account ${value} “${found.name}” is a ${found.barred ? "barred" : "heading or total"} account and cannot be posted to.`,
        `Konto ${value} “${found.name}” er ${found.barred ? "spærret" : "en overskrift eller sumkonto"} og kan ikke bogføres på.`,
      );
    else if (opts.direct && found.blockDirectEntries)
      errors[path] = say(
        locale,
        `Account ${value} “${found.name}” does not allow direct postings.`,
        `Konto ${value} “${found.name}” tillader ikke direkte posteringer.`,
      );
  };
  const dayBook = (path: string, value: string, type: "financeVoucher" | "supplierInvoice") => {
    if (!value) return;
    const found = economic.journals.find((j) => String(j.journalNumber) === value);
    const what =
      type === "financeVoucher"
        ? say(locale, "finance vouchers", "finansbilag")
        : say(locale, "supplier invoices", "leverandørfakturaer");
    if (!found)
      errors[path] = say(
        locale,
        `Day book ${value} no longer exists in e-conomic.`,
        `Kassekladde ${value} findes ikke længere i e-conomic.`,
      );
    else if (!acceptsEntryType(found, type))
      errors[path] = say(
        locale,
        `Day book “${found.name}” does not accept ${what}. Choose a day book that does.`,
        `Kassekladden “${found.name}” accepterer ikke ${what}. Vælg en kassekladde, der gør.`,
      );
  };

  account("accounting.standardAccount", values.accounting.standardAccount);
  for (const [key, value] of Object.entries(values.accounting.matrix)) {
    const [group, zone] = key.split(":");
    if (!value) continue;
    if (
      !rackbeat.productGroups.some((g) => String(g.number) === group) ||
      !economic.vatZones.some((z) => String(z.number) === zone)
    ) {
      errors[`accounting.matrix.${key}`] = say(
        locale,
        "This product group or VAT zone no longer exists; clear the account.",
        "Denne varegruppe eller momszone findes ikke længere; ryd kontoen.",
      );
      continue;
    }
    account(`accounting.matrix.${matrixKey(group, zone)}`, value);
  }
  if (
    values.creditor.supplierGroup &&
    !economic.supplierGroups.some((g) => String(g.number) === values.creditor.supplierGroup)
  ) {
    errors["creditor.supplierGroup"] = say(
      locale,
      `Supplier group ${values.creditor.supplierGroup} no longer exists in e-conomic.`,
      `Leverandørgruppe ${values.creditor.supplierGroup} findes ikke længere i e-conomic.`,
    );
  }
  dayBook("creditor.dayBook", values.creditor.dayBook, "supplierInvoice");
  dayBook("inventory.dayBook", values.inventory.dayBook, "financeVoucher");
  account("inventory.inventoryAccount", values.inventory.inventoryAccount, { direct: true });
  account("inventory.offsetAccount", values.inventory.offsetAccount, { direct: true });

  for (const [economicLayout, rackbeatLayout] of Object.entries(values.layouts)) {
    if (!rackbeatLayout) continue;
    if (!economic.layouts.some((l) => String(l.number) === economicLayout))
      errors[`layouts.${economicLayout}`] = say(
        locale,
        "This e-conomic layout no longer exists.",
        "Dette e-conomic-layout findes ikke længere.",
      );
    else if (!rackbeat.layouts.some((l) => String(l.number) === rackbeatLayout))
      errors[`layouts.${economicLayout}`] = say(
        locale,
        `Rackbeat layout ${rackbeatLayout} no longer exists.`,
        `Rackbeat-layout ${rackbeatLayout} findes ikke længere.`,
      );
  }

  const product = values.debtor.emptyLineProduct;
  if (product && !(await live.productExists(product))) {
    errors["debtor.emptyLineProduct"] = say(
      locale,
      `Rackbeat has no product “${product}”. Create it in Rackbeat first (a product without inventory), then enter its number here.`,
      `Rackbeat har ingen vare “${product}”. Opret den i Rackbeat først (en vare uden lager), og skriv så dens nummer her.`,
    );
  }
  return errors;
}
