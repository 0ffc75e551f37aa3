import { eq } from "drizzle-orm";
import { schema, type Db } from "@/db/client";
import { findInstallation } from "@/lib/installations/repository";
import type { Mappings } from "@/lib/settings/mappings";
import { loadSettings } from "@/lib/settings/repository";
import { saveSettings } from "@/lib/settings/save";
import { defaultSettings, matrixKey, type SettingsValues } from "@/lib/settings/schema";

/**
 * The matching tables for the emulators' demo companies: Rackbeat's numbers (rackbeat/seed.ts) → the
 * e-conomic numbers of the same things (economic/seed.ts). Never the same number for the same thing, on
 * purpose; tests/integration/settings.test.ts checks that the settings page suggests exactly these.
 */
export const demoMappings = (): Mappings => ({
  vatZones: { domestic: "1", eu: "3", abroad: "2", exempt: "4" },
  paymentTerms: { "1": "2", "2": "3", "3": "4" },
  units: { "1": "2", "2": "1", "3": "3" },
  productGroups: { "1": "1", "2": "2", "3": "4" },
  customerGroups: { "1": "1", "2": "3", "3": "2" },
});

/**
 * The settings the transfer tests start from: customer and supplier invoices on (posted, actual
 * quantities), the demo companies' matching tables, a standard account and a matrix, both layouts
 * matched. `patch` changes what a test is about.
 */
export function activeSettings(patch: (s: SettingsValues) => void = () => {}): SettingsValues {
  const s = defaultSettings();
  s.mappings = demoMappings();
  s.debtor = { ...s.debtor, enabled: true, useActualQuantity: true, postInvoices: true };
  s.creditor = { enabled: true, supplierGroup: "1", dayBook: "2" };
  s.accounting = {
    standardAccount: "1310",
    matrix: { [matrixKey(1, 1)]: "1310", [matrixKey(2, 1)]: "1340" },
  };
  s.layouts = { "19": "1", "20": "2" };
  patch(s);
  return s;
}

/** Saves (and by default activates) an installation's settings as a person would, or throws saying why not. */
export async function saveSettingsFor(installationId: string, values: SettingsValues, activate = true) {
  const result = await saveSettings({
    installation: (await findInstallation(installationId))!,
    actor: "Bente",
    values,
    expectedVersion: (await loadSettings(installationId)).version,
    activate,
  });
  if (!result.ok) throw new Error(`settings refused: ${JSON.stringify(result)}`);
}

/** As if the settings had been activated (and every saved version made) at `at`: for postings of earlier periods. */
export async function backdateActivation(db: Db, installationId: string, at: Date) {
  await db
    .update(schema.settings)
    .set({ activatedAt: at })
    .where(eq(schema.settings.installationId, installationId));
  await db
    .update(schema.settingsVersions)
    .set({ createdAt: at })
    .where(eq(schema.settingsVersions.installationId, installationId));
}
