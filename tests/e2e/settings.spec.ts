import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ECONOMIC, installFresh, RACKBEAT } from "./helpers";

const region = (page: Page, name: string) => page.getByRole("region", { name, exact: true });
const fieldError = (page: Page, section: string, label: string) =>
  region(page, section).getByLabel(label, { exact: true });

test("a new user fills every section, meets each rule at its field, activates, and sees the history", async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const { installationId, agreementNumber } = await installFresh(page, "Indstillinger E2E ApS");
  await page.goto(`/installations/${installationId}`);
  await expect(page.getByRole("heading", { name: "Supplier invoices" })).toBeVisible();
  const save = page.getByRole("button", { name: "Save settings" });

  // Numbered values are matched by what they are, never by number: Rackbeat's payment terms 1 "Netto 8
  // dage" is e-conomic's 2 (its 1 is cash), suggested by name until the bookkeeper confirms by saving.
  const values = region(page, "Rackbeat and e-conomic values");
  await expect(values.getByLabel("Payment terms: 1 Netto 8 dage")).toHaveValue("2");
  await expect(values.getByLabel("VAT zones: EU")).toHaveValue("3");
  await expect(values.getByText("matched by name").first()).toBeVisible();
  await values.screenshot({ path: testInfo.outputPath("settings-matching-tables.png") });

  // Rule: "Never post EAN invoices" needs "Post invoices in e-conomic when posted in Rackbeat".
  await region(page, "Customer invoices").getByLabel("Never post EAN invoices").check();
  await save.click();
  await expect(fieldError(page, "Customer invoices", "Never post EAN invoices")).toHaveAccessibleDescription(
    /only works together with/,
  );
  await expect(page.getByRole("alert").filter({ hasText: "Some fields need your attention" })).toBeVisible();
  await region(page, "Customer invoices")
    .getByLabel("Post invoices in e-conomic when posted in Rackbeat")
    .check();

  // Rule: inventory value sync needs a day book, an inventory account and an offset account.
  const inventory = region(page, "Daily inventory value update");
  await inventory.getByLabel("Activate inventory value synchronization").check();
  await save.click();
  await expect(inventory.getByLabel("Day book", { exact: true })).toHaveAccessibleDescription(
    /Choose a day book that accepts finance vouchers/,
  );
  await expect(inventory.getByLabel("Inventory account", { exact: true })).toHaveAccessibleDescription(
    /Choose the inventory account/,
  );
  await expect(inventory.getByLabel("Offset account", { exact: true })).toHaveAccessibleDescription(
    /Choose the offset account/,
  );

  // Rule: creditor integration needs a day book and a supplier group.
  const suppliers = region(page, "Supplier invoices");
  await suppliers.getByLabel("Activate creditor integration").check();
  await save.click();
  await expect(suppliers.getByLabel("Account for supplier groups")).toHaveAccessibleDescription(
    /Choose the supplier group/,
  );
  await expect(suppliers.getByLabel("Day book", { exact: true })).toHaveAccessibleDescription(
    /Choose the day book supplier invoices/,
  );

  // Fill every section.
  await suppliers.getByLabel("Account for supplier groups").selectOption("1");
  await suppliers.getByLabel("Day book", { exact: true }).selectOption("2");
  const accounting = region(page, "Accounting");
  await accounting.getByLabel("Search standard account if none are chosen").fill("varekøb");
  await accounting.getByLabel("Standard account if none are chosen", { exact: true }).selectOption("1310");
  await accounting.getByLabel("1 Varer med moms – Domestic").selectOption("1310");
  await accounting.getByLabel("1 Varer med moms – EU").selectOption("1320");
  await accounting.getByLabel("1 Varer med moms – Abroad").selectOption("1330");
  const customers = region(page, "Customer invoices");
  await customers.getByLabel("Activate debtor integration").check();
  await customers.getByLabel("Use actual quantity when creating").check();
  await customers.getByLabel("Mark invoices as sent when posted in e-conomic").check();
  await customers.getByLabel("Activate One Stop VAT").check();
  await region(page, "Product and groups").getByLabel("Use actual cost price").check();
  await region(page, "Layouts")
    .getByLabel("e-conomic layout: Standard", { exact: true })
    .selectOption({ label: "Standard" });
  await region(page, "Layouts")
    .getByLabel("e-conomic layout: Standard engelsk", { exact: true })
    .selectOption({ label: "Engelsk" });
  await inventory.getByLabel("Frequency").selectOption("weekly");
  await inventory.getByLabel("Inventory account", { exact: true }).selectOption("5500");
  await inventory.getByLabel("Offset account", { exact: true }).selectOption("1350");

  // Rule (server, live): the inventory day book must accept finance vouchers.
  await inventory.getByLabel("Day book", { exact: true }).selectOption("2");
  // Rule (server, live): the empty-line product must exist in Rackbeat.
  await customers.getByLabel("Product nr. for empty e-conomic product lines").fill("FINDES-IKKE");
  await save.click();
  await expect(inventory.getByLabel("Day book", { exact: true })).toHaveAccessibleDescription(
    /does not accept finance vouchers/,
  );
  await expect(
    customers.getByLabel("Product nr. for empty e-conomic product lines"),
  ).toHaveAccessibleDescription(/Rackbeat has no product/);
  await expect(page.getByText("You have unsaved changes.")).toBeVisible();
  await inventory.getByLabel("Day book", { exact: true }).selectOption("3");
  await customers.getByLabel("Product nr. for empty e-conomic product lines").fill("PRODUKT");
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: /Saved \(version \d+\)\./ })).toBeVisible();

  // Rule (server, live): an account that no longer exists in e-conomic is a field error.
  await page.request.delete(`${ECONOMIC}/__control/agreements/${agreementNumber}/accounts/1350`);
  await customers.getByLabel("Activate One Stop VAT").uncheck();
  await save.click();
  await expect(inventory.getByLabel("Offset account", { exact: true })).toHaveAccessibleDescription(
    /Account 1350 no longer exists in e-conomic/,
  );
  await inventory.getByLabel("Offset account", { exact: true }).selectOption("1340");

  // The start-up synchronization, then activation.
  const startup = region(page, "Start-up synchronization");
  await expect(startup.getByRole("note")).toHaveText(/can only be done once/);
  await startup.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Activate integration" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The integration is active." })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("settings-activated.png"), fullPage: true });

  // Reload: every value is still there; the start-up choice cannot be made again.
  await page.reload();
  await expect(suppliers.getByLabel("Day book", { exact: true })).toHaveValue("2");
  await expect(accounting.getByLabel("1 Varer med moms – EU")).toHaveValue("1320");
  await expect(customers.getByLabel("Never post EAN invoices")).toBeChecked();
  await expect(customers.getByLabel("Activate One Stop VAT")).not.toBeChecked();
  await expect(customers.getByLabel("Product nr. for empty e-conomic product lines")).toHaveValue("PRODUKT");
  await expect(inventory.getByLabel("Frequency")).toHaveValue("weekly");
  await expect(inventory.getByLabel("Offset account", { exact: true })).toHaveValue("1340");
  await expect(startup.getByRole("checkbox")).toBeChecked();
  await expect(startup.getByRole("checkbox")).toBeDisabled();
  await expect(
    startup.getByText(/was chosen on \d{4}-\d{2}-\d{2}\. It cannot be chosen again\./),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Activate integration" })).toHaveCount(0);

  // Once active: the manual transfer field with its warning.
  const manual = region(page, "Manually transfer customer invoice to e-conomic");
  await expect(manual.getByRole("note")).toHaveText(/transferred multiple times/);
  await manual.getByLabel("Rackbeat invoice number").fill("12x");
  await manual.getByRole("button", { name: "Transfer invoice" }).click();
  await expect(manual.getByLabel("Rackbeat invoice number")).toHaveAccessibleDescription(/digits only/);

  // The history lists who changed what, old → new.
  const history = page.getByRole("list", { name: "Change history" });
  await expect(history.getByText("Integration activated")).toBeVisible();
  await expect(
    history.getByText('Daily inventory value update › Offset account: "1350" → "1340"'),
  ).toBeVisible();
  await expect(history.getByText('Supplier invoices › Day book: — → "2"')).toBeVisible();

  // Rackbeat's iframe width and a phone.
  await page.setViewportSize({ width: 800, height: 1000 });
  await page.screenshot({ path: testInfo.outputPath("settings-800px.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole("button", { name: "Save settings" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("settings-phone.png"), fullPage: true });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
});

test.describe("in Danish", () => {
  test.use({ locale: "da-DK", extraHTTPHeaders: { "Accept-Language": "da-DK,da;q=0.9" } });
  test("labels follow the customer guide in Danish", async ({ page }, testInfo) => {
    const { installationId } = await installFresh(page, "Dansk E2E ApS");
    await page.goto(`/installations/${installationId}`);
    await expect(page.getByRole("heading", { name: "Leverandørfakturaer" })).toBeVisible();
    await expect(region(page, "Kundefakturaer").getByLabel("Aktivér debitorintegration")).toBeVisible();
    await expect(
      region(page, "Daglig lagerværdi opdatering").getByLabel("Modkonto", { exact: true }),
    ).toBeVisible();
    await region(page, "Kundefakturaer").getByLabel("Bogfør aldrig EAN-fakturaer").check();
    await page.getByRole("button", { name: "Gem indstillinger" }).click();
    await expect(
      region(page, "Kundefakturaer").getByLabel("Bogfør aldrig EAN-fakturaer"),
    ).toHaveAccessibleDescription(/virker kun sammen med/);
    // The change history reads in Danish too: actions and field names.
    const history = page.getByRole("list", { name: "Ændringshistorik" });
    await expect(history.getByText("Appen installeret", { exact: true })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("settings-da.png"), fullPage: true });
  });
});

test("when Rackbeat is down the page says so and still shows what was saved", async ({ page }, testInfo) => {
  const { installationId } = await installFresh(page, "Nedbrud E2E ApS");
  await page.goto(`/installations/${installationId}`);
  await region(page, "Customer invoices").getByLabel("Activate debtor integration").check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Saved/ })).toBeVisible();

  await page.request.put(`${RACKBEAT}/__control/faults`, {
    data: { failures: [{ path: "/api/", status: 503 }] },
  });
  try {
    await page.reload();
    await expect(page.getByRole("alert").filter({ hasText: "Rackbeat could not be reached" })).toBeVisible();
    await expect(region(page, "Customer invoices").getByLabel("Activate debtor integration")).toBeChecked();
    await expect(
      region(page, "Daily inventory value update").getByLabel("Inventory account", { exact: true }),
    ).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("rackbeat-down.png"), fullPage: true });
    // Saving needs both sides to check the choices: it says which one is missing and keeps the edits.
    await region(page, "Customer invoices").getByLabel("Use actual quantity when creating").check();
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(
      page.getByRole("alert").filter({ hasText: "Rackbeat could not be reached to check your choices" }),
    ).toBeVisible();
    await expect(
      region(page, "Customer invoices").getByLabel("Use actual quantity when creating"),
    ).toBeChecked();
  } finally {
    await page.request.delete(`${RACKBEAT}/__control/faults`);
  }
});

test("One Stop VAT: countries are added to a table, each needs a VAT zone and a customer group, and the table is kept", async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const { installationId } = await installFresh(page, "One Stop E2E ApS");
  await page.goto(`/installations/${installationId}`);
  await expect(page.getByText("Connected to e-conomic and Rackbeat")).toBeVisible();
  await page.waitForLoadState("networkidle");
  const customers = region(page, "Customer invoices");
  await customers.getByLabel("Activate One Stop VAT").check();
  const table = customers.getByRole("group", { name: "One Stop VAT per country" });
  await expect(table.getByText(/No countries yet/)).toBeVisible();
  await table.getByLabel("Country").selectOption({ label: "Germany" });
  await table.getByRole("button", { name: "Add country" }).click();
  await table.getByLabel("Country").selectOption({ label: "Sweden" });
  await table.getByRole("button", { name: "Add country" }).click();
  await expect(table.getByRole("rowheader")).toHaveText(["Germany", "Sweden"]);

  // A row without its zone and group is refused at its fields.
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(table.getByLabel("Germany – VAT zone", { exact: true })).toHaveAccessibleDescription(
    /Choose the VAT zone for One Stop VAT sales/,
  );
  await table.getByLabel("Germany – VAT zone", { exact: true }).selectOption({ label: "Domestic" });
  await table
    .getByLabel("Germany – Customer group", { exact: true })
    .selectOption({ label: "2 Udenlandske kunder" });
  await table.getByRole("button", { name: "Remove Sweden" }).click();
  await expect(table.getByRole("rowheader")).toHaveText(["Germany"]);
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Saved \(version \d+\)/ })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("one-stop-vat.png"), fullPage: true });

  await page.reload();
  await expect(page.getByText("Connected to e-conomic and Rackbeat")).toBeVisible();
  const kept = region(page, "Customer invoices").getByRole("group", { name: "One Stop VAT per country" });
  await expect(kept.getByRole("rowheader")).toHaveText(["Germany"]);
  await expect(kept.getByLabel("Germany – Customer group", { exact: true })).toHaveValue("2");
  // The history names the country and the field.
  await expect(
    page.getByText('Customer invoices › One Stop VAT per country › DE › Customer group: — → "2"'),
  ).toBeVisible();
});
