import { describe, expect, it } from "vitest";
import { emptyMappings, prefillMappings, type MappingLists } from "@/lib/settings/mappings";

const lists: MappingLists = {
  economic: {
    vatZones: [
      { number: 1, name: "Indland" },
      { number: 2, name: "Udland" },
      { number: 3, name: "EU" },
      { number: 4, name: "Momsfri" },
    ],
    paymentTerms: [
      { number: 1, name: "Kontant" },
      { number: 2, name: "Netto 8 dage" },
      { number: 3, name: "Løbende måned + 30 dage" },
    ],
    units: [
      { number: 1, name: "timer" },
      { number: 2, name: "Stk." },
    ],
    productGroups: [
      { number: 3, name: "Momsfrie varer" },
      { number: 4, name: "Ydelser" },
      { number: 5, name: "Ydelser" },
    ],
    customerGroups: [],
  },
  rackbeat: {
    paymentTerms: [
      { number: 1, name: "Netto 8 dage" },
      { number: 2, name: "løbende  måned +30 dage" },
      { number: 3, name: "Netto 14 dage" },
    ],
    units: [{ number: 1, name: "stk" }],
    productGroups: [{ number: 3, name: "Ydelser" }],
    customerGroups: [{ number: 1, name: "Indenlandske kunder" }],
  },
};

describe("matching Rackbeat's numbered values with e-conomic's", () => {
  it("suggests by name only, never by number, and marks what it suggested", () => {
    const { values, suggested } = prefillMappings(emptyMappings(), lists);
    expect(values.vatZones).toEqual({ domestic: "1", eu: "3", abroad: "2", exempt: "4" });
    // Rackbeat 1 "Netto 8 dage" is e-conomic 2; Rackbeat 3 has no e-conomic of its name (e-conomic 3 is
    // something else), so it stays open rather than taking the same number.
    expect(values.paymentTerms).toEqual({ "1": "2", "2": "3", "3": "" });
    expect(values.units).toEqual({ "1": "2" });
    // Two e-conomic groups called "Ydelser": no guess.
    expect(values.productGroups).toEqual({ "3": "" });
    expect(values.customerGroups).toEqual({ "1": "" });
    expect(suggested.paymentTerms).toEqual(["1", "2"]);
  });
  it("keeps what the bookkeeper chose over any suggestion", () => {
    const saved = { ...emptyMappings(), paymentTerms: { "1": "1" }, vatZones: { eu: "2" } };
    const { values, suggested } = prefillMappings(saved, lists);
    expect(values.paymentTerms["1"]).toBe("1");
    expect(values.vatZones.eu).toBe("2");
    expect(suggested.paymentTerms).toEqual(["2"]);
  });
});
