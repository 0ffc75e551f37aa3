type Translate = (key: string) => string;

/**
 * A settings path (`inventory.offsetAccount`) in the customer's words, from the `settings` catalog:
 * “Daily inventory value update › Offset account”.
 */
export function fieldLabel(translate: unknown, path: string): string {
  const t = translate as Translate;
  const [section, field, ...rest] = path.split(".");
  switch (section) {
    case "creditor":
    case "debtor":
    case "products":
    case "inventory":
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
