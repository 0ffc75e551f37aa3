type Translate = (key: string) => string;

/**
 * A settings path (`inventory.offsetAccount`) in the customer's words, from the `settings` catalog:
 * “Daily inventory value update › Offset account”.
 */
export function fieldLabel(translate: unknown, path: string): string {
  const t = translate as Translate;
  const [section, field, ...rest] = path.split(".");
  switch (section) {
    case "debtor":
      // One Stop VAT rows: “Customer invoices › One Stop VAT per country › DE › VAT zone”.
      if (field === "oneStopVatCountries" && rest.length === 2)
        return `${t("debtor.heading")} › ${t("debtor.oneStopVatCountries")} › ${rest[0]} › ${t(`debtor.${rest[1]}`)}`;
      return `${t(`${section}.heading`)} › ${t(`${section}.${field}`)}`;
    case "creditor":
    case "products":
    case "inventory":
    case "alerts":
      return `${t(`${section}.heading`)} › ${t(`${section}.${field}`)}`;
    case "accounting":
      return field === "matrix"
        ? `${t("accounting.matrix")} › ${rest.join(".")}`
        : `${t("accounting.heading")} › ${t(`accounting.${field}`)}`;
    case "layouts":
      return `${t("layouts.heading")} › ${t("layouts.economicLayout")} ${field}`;
    case "startupSync":
      return t("startup.heading");
    default:
      return path;
  }
}
