import type { Mappings } from "@/lib/settings/mappings";

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
