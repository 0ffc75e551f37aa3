import { randomBytes } from "node:crypto";
import { emptyFaults, type Faults } from "../shared/faults";
import { Counters } from "../shared/serve";
import { seedAccount, type Account } from "./seed";

export type RackbeatOptions = {
  /** Where the Apps page's Install button sends the browser (`?token=` is appended). */
  installUrl?: string;
  appSlug?: string;
  appName?: string;
  /** First retry delay for failed webhook deliveries; doubles each time. */
  webhookRetryBaseMs?: number;
  webhookMaxAttempts?: number;
  seed?: { products?: number; customers?: number; suppliers?: number; invoices?: number };
};

export type Webhook = {
  id: number;
  accountId: number;
  event: string;
  url: string;
  is_active: boolean;
  plugin: string | null;
  token: string;
  failures_since_last_success: number;
  created_at: string;
  updated_at: string;
};
export type Delivery = {
  id: number;
  webhookId: number;
  accountId: number;
  event: string;
  url: string;
  attempt: number;
  status: number | null;
  error?: string;
  at: string;
  payload: unknown;
};
export type RequestToken = {
  token: string;
  accountId: number;
  status: "pending" | "accepted" | "cancelled";
  createdAt: number;
};

export const DEMO_ACCOUNTS = [
  { id: 51001, name: "Nordlys Engros ApS", seed: 21 },
  { id: 51002, name: "Vestjysk Værktøj A/S", seed: 22 },
] as const;

/** The personal API key of each demo account, as shown once in Rackbeat's Company settings > API. */
export const demoApiKey = (accountId: number) => `rb-personal-key-${accountId}`;

export class RackbeatState {
  accounts = new Map<number, Account>();
  /** Bearer token → account (personal API keys and integration access tokens). */
  tokens = new Map<string, { accountId: number; plugin: string | null; revoked: boolean }>();
  requestTokens = new Map<string, RequestToken>();
  webhooks: Webhook[] = [];
  deliveries: Delivery[] = [];
  settingsUrls = new Map<string, string>(); // `${accountId}:${slug}` → url
  installed = new Set<string>(); // `${accountId}:${slug}`
  faults: Faults = emptyFaults();
  counters = new Counters();
  nextWebhookId = 1;
  nextDeliveryId = 1;
  readonly appSlug: string;
  readonly appName: string;
  installUrl: string;
  readonly webhookRetryBaseMs: number;
  readonly webhookMaxAttempts: number;
  /** Pending delivery timers, cleared on reset/close. */
  timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: RackbeatOptions = {}) {
    this.appSlug = options.appSlug ?? "economic-integration";
    this.appName = options.appName ?? "Visma e-conomic";
    this.installUrl = options.installUrl ?? "http://localhost:3000/install/rackbeat";
    this.webhookRetryBaseMs = options.webhookRetryBaseMs ?? 2000;
    this.webhookMaxAttempts = options.webhookMaxAttempts ?? 8;
    this.reset();
  }

  reset(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const s = this.options.seed ?? {};
    this.accounts = new Map(
      DEMO_ACCOUNTS.map((d, i) => [
        d.id,
        seedAccount(
          d.id,
          d.name,
          i === 0
            ? {
                products: s.products ?? 300,
                customers: s.customers ?? 300,
                suppliers: s.suppliers ?? 40,
                invoices: s.invoices ?? 25,
              }
            : { products: 40, customers: 40, suppliers: 10, invoices: 5 },
          d.seed,
        ),
      ]),
    );
    this.tokens = new Map(
      DEMO_ACCOUNTS.map((d) => [demoApiKey(d.id), { accountId: d.id, plugin: null, revoked: false }]),
    );
    this.requestTokens = new Map();
    this.webhooks = [];
    this.deliveries = [];
    this.settingsUrls = new Map();
    this.installed = new Set();
    this.faults = emptyFaults();
    this.counters.reset();
  }

  /** A further account (for tests that need one of their own), seeded small, with its personal API key. */
  addAccount(name: string): { id: number; name: string; apiKey: string } {
    const id = Math.max(...this.accounts.keys()) + 1;
    this.accounts.set(
      id,
      seedAccount(id, name, { products: 30, customers: 20, suppliers: 5, invoices: 3 }, id),
    );
    this.tokens.set(demoApiKey(id), { accountId: id, plugin: null, revoked: false });
    return { id, name, apiKey: demoApiKey(id) };
  }

  account(id: number): Account {
    const a = this.accounts.get(id);
    if (!a) throw new Error(`No Rackbeat account ${id}`);
    return a;
  }

  /** What the Install button does: a one-time integration request token for this account. */
  createRequestToken(accountId: number): RequestToken {
    this.account(accountId);
    const t: RequestToken = {
      token: randomBytes(24).toString("hex"),
      accountId,
      status: "pending",
      createdAt: Date.now(),
    };
    this.requestTokens.set(t.token, t);
    this.counters.add("integration.requested");
    return t;
  }

  issueAccessToken(accountId: number, plugin: string): string {
    const token = `rb-access-${randomBytes(24).toString("base64url")}`;
    this.tokens.set(token, { accountId, plugin, revoked: false });
    return token;
  }
}
