/** Every label of the settings page, in the customer guide's words, in English and Danish. */
export const SETTINGS_TEXT = {
  en: {
    title: "Integration settings",
    intro: "Decide how Rackbeat's data lands in your books. Data moves one way: from Rackbeat to e-conomic.",
    creditor: {
      heading: "Supplier invoices",
      enabled: "Activate creditor integration",
      enabledHint: "Suppliers and supplier invoices are transferred.",
      supplierGroup: "Account for supplier groups",
      supplierGroupHint:
        "The supplier group (and its creditor account) used for your suppliers in e-conomic.",
      dayBook: "Day book",
      dayBookHint: "We recommend a day book of its own for supplier invoices from Rackbeat.",
    },
    accounting: {
      heading: "Accounting",
      standardAccount: "Standard account if none are chosen",
      standardAccountHint: "Used for purchased products when the matrix below has no account.",
      matrix: "Account per product group and VAT zone",
      matrixHint: "The VAT code comes from the account, so choose carefully for each VAT zone.",
      productGroup: "Product group",
    },
    debtor: {
      heading: "Customer invoices",
      enabled: "Activate debtor integration",
      enabledHint: "Customers and customer invoices are transferred.",
      useActualQuantity: "Use actual quantity when creating",
      useActualQuantityHint:
        "If you use more than 2 decimals on prices in Rackbeat, this may cause differences in e-conomic.",
      postInvoices: "Post invoices in e-conomic when posted in Rackbeat",
      postInvoicesHint: "Ticked: invoices arrive booked (archived). Unticked: they arrive as drafts.",
      neverPostEanInvoices: "Never post EAN invoices",
      neverPostEanInvoicesHint:
        "Invoices with an EAN number arrive as drafts so you can send them via NemHandel from e-conomic.",
      markInvoicesAsSent: "Mark invoices as sent when posted in e-conomic",
      emptyLineProduct: "Product nr. for empty e-conomic product lines",
      emptyLineProductHint:
        "A Rackbeat product without inventory (e.g. “Product”) for invoice lines that have no product.",
      oneStopVat: "Activate One Stop VAT",
      oneStopVatHint: "Apply the EU One Stop Shop VAT rules to customers transferred from Rackbeat.",
    },
    products: {
      heading: "Product and groups",
      useActualCostPrice: "Use actual cost price",
      useActualCostPriceHint: "Send Rackbeat's actual cost price instead of the recommended cost price.",
    },
    layouts: {
      heading: "Layouts",
      intro:
        "Match each e-conomic layout with a Rackbeat layout. Which layout a customer gets is chosen on the customer.",
      economicLayout: "e-conomic layout",
      none: "No match",
    },
    inventory: {
      heading: "Daily inventory value update",
      enabled: "Activate inventory value synchronization",
      frequency: "Frequency",
      daily: "Daily",
      weekly: "Weekly",
      monthly: "Monthly",
      dayBook: "Day book",
      dayBookHint: "It must be a day book that can handle finance vouchers.",
      inventoryAccount: "Inventory account",
      offsetAccount: "Offset account",
      accountHint: "If you aren't sure which account to use, please contact your accountant.",
    },
    startup: {
      heading: "Start-up synchronization",
      label: "Transfer groups, products, customers, suppliers and layouts from e-conomic to Rackbeat once",
      warning:
        "The start-up synchronization can only be done once! It is the only time data moves from e-conomic to Rackbeat, so do it together with the setup.",
      chosen: (date: string) => `Start-up synchronization was chosen on ${date}. It cannot be chosen again.`,
      locked: "The integration is active, so the start-up synchronization can no longer be chosen.",
    },
    manual: {
      heading: "Manually transfer customer invoice to e-conomic",
      label: "Rackbeat invoice number",
      warning:
        "Be aware that this function can cause issues with invoices being transferred multiple times. We recommend that you contact our support team before using it.",
      submit: "Transfer invoice",
    },
    choose: "Choose…",
    search: (label: string) => `Search ${label.toLowerCase()}`,
    noMatches: "No matches",
    save: "Save settings",
    saving: "Saving…",
    activate: "Activate integration",
    activating: "Activating…",
    saved: (v: number) => `Saved (version ${v}).`,
    activated: "The integration is active.",
    active: "Active",
    notActive: "Not active yet",
    unsaved: "You have unsaved changes.",
    fixErrors: "Some fields need your attention; see the messages next to them.",
    economicDown:
      "e-conomic could not be reached, so its accounts, day books and layouts cannot be listed right now. Your saved settings are shown.",
    rackbeatDown:
      "Rackbeat could not be reached, so its product groups, layouts and products cannot be listed right now. Your saved settings are shown.",
    savedValue: (v: string) => `${v} (saved)`,
    history: "Change history",
    noHistory: "No changes yet.",
    errors: {
      choose: "Choose an option from the list.",
      productNumberLength: "A product number has at most 25 characters.",
      neverPostEanNeedsPost:
        "“Never post EAN invoices” only works together with “Post invoices in e-conomic when posted in Rackbeat”. Tick that as well, or untick this.",
      creditorSupplierGroup: "Choose the supplier group whose creditor account your suppliers use.",
      creditorDayBook: "Choose the day book supplier invoices are transferred to.",
      standardAccount: "Choose the account used for purchases when no account is chosen in the matrix.",
      inventoryDayBook: "Choose a day book that accepts finance vouchers.",
      inventoryAccount: "Choose the inventory account the stock value is posted to.",
      offsetAccount: "Choose the offset account (usually cost of goods sold).",
      offsetSameAsInventory: "The offset account must differ from the inventory account.",
    },
  },
  da: {
    title: "Indstillinger for integrationen",
    intro:
      "Bestem hvordan data fra Rackbeat lander i dit regnskab. Data går én vej: fra Rackbeat til e-conomic.",
    creditor: {
      heading: "Leverandørfakturaer",
      enabled: "Aktivér kreditorintegration",
      enabledHint: "Leverandører og leverandørfakturaer overføres.",
      supplierGroup: "Konto for leverandørgrupper",
      supplierGroupHint:
        "Den leverandørgruppe (og dens kreditorkonto), dine leverandører bruger i e-conomic.",
      dayBook: "Kassekladde",
      dayBookHint: "Vi anbefaler en særskilt kassekladde til leverandørfakturaer fra Rackbeat.",
    },
    accounting: {
      heading: "Bogføring",
      standardAccount: "Standardkonto hvis ingen er valgt",
      standardAccountHint: "Bruges til indkøbte varer, når matricen herunder ikke har en konto.",
      matrix: "Konto pr. varegruppe og momszone",
      matrixHint: "Momskoden kommer fra kontoen, så vælg omhyggeligt for hver momszone.",
      productGroup: "Varegruppe",
    },
    debtor: {
      heading: "Kundefakturaer",
      enabled: "Aktivér debitorintegration",
      enabledHint: "Kunder og kundefakturaer overføres.",
      useActualQuantity: "Brug faktisk antal ved oprettelse",
      useActualQuantityHint:
        "Bruger du mere end 2 decimaler på priser i Rackbeat, kan det give afvigelser i e-conomic.",
      postInvoices: "Bogfør fakturaer i e-conomic, når de bogføres i Rackbeat",
      postInvoicesHint:
        "Afkrydset: fakturaer ankommer bogført (arkiveret). Ikke afkrydset: de ankommer som kladder.",
      neverPostEanInvoices: "Bogfør aldrig EAN-fakturaer",
      neverPostEanInvoicesHint:
        "Fakturaer med EAN-nummer ankommer som kladder, så du kan sende dem via NemHandel fra e-conomic.",
      markInvoicesAsSent: "Markér fakturaer som sendt, når de bogføres i e-conomic",
      emptyLineProduct: "Varenr. til tomme e-conomic-varelinjer",
      emptyLineProductHint: "En Rackbeat-vare uden lager (fx “Produkt”) til fakturalinjer uden vare.",
      oneStopVat: "Aktivér One Stop Moms",
      oneStopVatHint: "Anvend EU's One Stop Shop-momsregler på kunder overført fra Rackbeat.",
    },
    products: {
      heading: "Varer og grupper",
      useActualCostPrice: "Brug faktisk kostpris",
      useActualCostPriceHint: "Send Rackbeats faktiske kostpris i stedet for den anbefalede kostpris.",
    },
    layouts: {
      heading: "Layouts",
      intro:
        "Match hvert e-conomic-layout med et Rackbeat-layout. Hvilket layout en kunde får, vælges på kunden.",
      economicLayout: "e-conomic-layout",
      none: "Intet match",
    },
    inventory: {
      heading: "Daglig lagerværdi opdatering",
      enabled: "Aktivér synkronisering af lagerværdi",
      frequency: "Frekvens",
      daily: "Dagligt",
      weekly: "Ugentligt",
      monthly: "Månedligt",
      dayBook: "Kassekladde",
      dayBookHint: "Det skal være en kassekladde, der kan håndtere finansbilag.",
      inventoryAccount: "Lagerkonto",
      offsetAccount: "Modkonto",
      accountHint: "Er du i tvivl om, hvilken konto du skal bruge, så kontakt din revisor.",
    },
    startup: {
      heading: "Opstartssynkronisering",
      label: "Overfør grupper, varer, kunder, leverandører og layouts fra e-conomic til Rackbeat én gang",
      warning:
        "Opstartssynkroniseringen kan kun udføres én gang! Det er den eneste gang, data går fra e-conomic til Rackbeat, så gør det sammen med opsætningen.",
      chosen: (date: string) => `Opstartssynkronisering blev valgt ${date}. Den kan ikke vælges igen.`,
      locked: "Integrationen er aktiv, så opstartssynkroniseringen kan ikke længere vælges.",
    },
    manual: {
      heading: "Overfør kundefaktura manuelt til e-conomic",
      label: "Rackbeat-fakturanummer",
      warning:
        "Vær opmærksom på, at denne funktion kan give problemer med fakturaer, der overføres flere gange. Vi anbefaler, at du kontakter vores support, før du bruger den.",
      submit: "Overfør faktura",
    },
    choose: "Vælg…",
    search: (label: string) => `Søg ${label.toLowerCase()}`,
    noMatches: "Ingen resultater",
    save: "Gem indstillinger",
    saving: "Gemmer…",
    activate: "Aktivér integration",
    activating: "Aktiverer…",
    saved: (v: number) => `Gemt (version ${v}).`,
    activated: "Integrationen er aktiv.",
    active: "Aktiv",
    notActive: "Ikke aktiv endnu",
    unsaved: "Du har ændringer, der ikke er gemt.",
    fixErrors: "Nogle felter kræver din opmærksomhed; se beskederne ved felterne.",
    economicDown:
      "e-conomic kunne ikke nås, så konti, kassekladder og layouts kan ikke vises lige nu. Dine gemte indstillinger vises.",
    rackbeatDown:
      "Rackbeat kunne ikke nås, så varegrupper, layouts og varer kan ikke vises lige nu. Dine gemte indstillinger vises.",
    savedValue: (v: string) => `${v} (gemt)`,
    history: "Ændringshistorik",
    noHistory: "Ingen ændringer endnu.",
    errors: {
      choose: "Vælg en mulighed på listen.",
      productNumberLength: "Et varenummer har højst 25 tegn.",
      neverPostEanNeedsPost:
        "“Bogfør aldrig EAN-fakturaer” virker kun sammen med “Bogfør fakturaer i e-conomic, når de bogføres i Rackbeat”. Afkryds også den, eller fjern dette flueben.",
      creditorSupplierGroup: "Vælg den leverandørgruppe, hvis kreditorkonto dine leverandører bruger.",
      creditorDayBook: "Vælg den kassekladde, leverandørfakturaer overføres til.",
      standardAccount: "Vælg kontoen til indkøb, når matricen ikke har en konto.",
      inventoryDayBook: "Vælg en kassekladde, der accepterer finansbilag.",
      inventoryAccount: "Vælg lagerkontoen, lagerværdien bogføres på.",
      offsetAccount: "Vælg modkontoen (typisk vareforbrug).",
      offsetSameAsInventory: "Modkontoen skal være en anden end lagerkontoen.",
    },
  },
} as const;

export type SettingsLocale = keyof typeof SETTINGS_TEXT;

/** A message with parameters, in the reader's language. */
export const say = (locale: SettingsLocale, en: string, da: string) => (locale === "da" ? da : en);

/** A schema message key (`errors.x`) in the reader's language; live-check messages pass through. */
export function translateError(locale: SettingsLocale, message: string): string {
  if (!message.startsWith("errors.")) return message;
  const key = message.slice("errors.".length) as keyof (typeof SETTINGS_TEXT)["en"]["errors"];
  return SETTINGS_TEXT[locale].errors[key] ?? message;
}

/** A settings path (`inventory.offsetAccount`) in the customer's words: “Daily inventory value update › Offset account”. */
export function fieldLabel(locale: SettingsLocale, path: string): string {
  const t = SETTINGS_TEXT[locale];
  const [section, field, ...rest] = path.split(".");
  const pick = (group: Record<string, unknown>, key: string) =>
    typeof group[key] === "string" ? (group[key] as string) : key;
  switch (section) {
    case "creditor":
      return `${t.creditor.heading} › ${pick(t.creditor, field)}`;
    case "accounting":
      return field === "matrix"
        ? `${t.accounting.matrix} › ${rest.join(".")}`
        : `${t.accounting.heading} › ${pick(t.accounting, field)}`;
    case "debtor":
      return `${t.debtor.heading} › ${pick(t.debtor, field)}`;
    case "products":
      return `${t.products.heading} › ${pick(t.products, field)}`;
    case "layouts":
      return `${t.layouts.heading} › ${t.layouts.economicLayout} ${field}`;
    case "inventory":
      return `${t.inventory.heading} › ${pick(t.inventory, field)}`;
    case "startupSync":
      return t.startup.heading;
    default:
      return path;
  }
}
