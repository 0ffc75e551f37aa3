import { randomBytes } from "node:crypto";
import { Counters } from "../shared/serve";
import { emptyFaults, type Faults } from "../shared/faults";
import { seedAgreement, type Agreement } from "./seed";

export type Grant = { token: string; agreementNumber: number; revoked: boolean; createdAt: string };

export type EconomicOptions = {
  appSecretToken?: string;
  appPublicToken?: string;
  appName?: string;
  /** Seed sizes; tests that page through thousands of records add their own. */
  seed?: { customers?: number; products?: number; suppliers?: number };
};

export const DEMO_AGREEMENTS = [
  { agreementNumber: 700001, name: "Nordlys Engros ApS", seed: 11 },
  { agreementNumber: 700002, name: "Vestjysk Værktøj A/S", seed: 12 },
  // A July–June financial year ("2026/2027"): code that derives the year from the calendar fails here.
  { agreementNumber: 700003, name: "Fjordhandel ApS", seed: 13, yearStartMonth: 7 },
] as const;

export class EconomicState {
  readonly appSecretToken: string;
  readonly appPublicToken: string;
  readonly appName: string;
  agreements = new Map<number, Agreement>();
  grants = new Map<string, Grant>();
  faults: Faults = emptyFaults();
  counters = new Counters();
  /** How far the emulator's clock runs ahead of the real one (`POST /__control/clock`). */
  clockOffsetMs = 0;

  /** The emulator's time: what idempotency windows are measured in. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  constructor(private readonly options: EconomicOptions = {}) {
    this.appSecretToken = options.appSecretToken ?? "sandbox-app-secret-token";
    this.appPublicToken = options.appPublicToken ?? "sandbox-app-public-token";
    this.appName = options.appName ?? "Rackbeat integration";
    this.reset();
  }

  reset(): void {
    const size = this.options.seed ?? {};
    this.agreements = new Map(
      DEMO_AGREEMENTS.map((d, i) => [
        d.agreementNumber,
        seedAgreement(d.agreementNumber, d.name, {
          customers: i === 0 ? (size.customers ?? 300) : 40,
          products: i === 0 ? (size.products ?? 300) : 40,
          suppliers: i === 0 ? (size.suppliers ?? 40) : 10,
          seed: d.seed,
          yearStartMonth: "yearStartMonth" in d ? d.yearStartMonth : 1,
        }),
      ]),
    );
    this.grants = new Map();
    this.faults = emptyFaults();
    this.clockOffsetMs = 0;
    this.counters.reset();
  }

  /** A further agreement (for tests that need one of their own), seeded small. */
  addAgreement(
    name: string,
    size: { customers?: number; products?: number; suppliers?: number } = {},
  ): { agreementNumber: number; name: string } {
    const agreementNumber = Math.max(...this.agreements.keys()) + 1;
    this.agreements.set(
      agreementNumber,
      seedAgreement(agreementNumber, name, {
        customers: size.customers ?? 20,
        products: size.products ?? 20,
        suppliers: size.suppliers ?? 5,
        seed: agreementNumber,
      }),
    );
    return { agreementNumber, name };
  }

  issueGrant(agreementNumber: number): Grant {
    if (!this.agreements.has(agreementNumber)) throw new Error(`No agreement ${agreementNumber}`);
    const grant = {
      token: `grant-${randomBytes(18).toString("base64url")}`,
      agreementNumber,
      revoked: false,
      createdAt: new Date().toISOString(),
    };
    this.grants.set(grant.token, grant);
    this.counters.add("grants");
    return grant;
  }

  agreement(n: number): Agreement {
    const found = this.agreements.get(n);
    if (!found) throw new Error(`No agreement ${n}`);
    return found;
  }
}
