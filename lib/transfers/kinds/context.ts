import { eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { sha256 } from "@/lib/crypto";
import type { EconomicClient } from "@/lib/economic/client";
import type { Installation } from "@/lib/installations/repository";
import type { RackbeatClient } from "@/lib/rackbeat/client";
import type { SettingsValues } from "@/lib/settings/schema";
import type { AttemptResult, Transfer } from "../queue";

/** What one attempt at one transfer works with. */
export type TransferContext = {
  transfer: Transfer;
  installation: Installation;
  settings: SettingsValues;
  settingsVersion: number;
  economic: EconomicClient;
  rackbeat: RackbeatClient;
  /**
   * True when an earlier attempt may have written to e-conomic without our hearing the answer (any
   * attempt after the first): the transfer looks for its own document before writing again.
   */
  mayExist: boolean;
  /** When this attempt must have stopped (epoch ms): inside the lease and the worker's time budget. */
  deadline: number;
};

export type Succeeded = Extract<AttemptResult, { outcome: "succeeded" }>;
export type Continued = Extract<AttemptResult, { outcome: "continued" }>;

/**
 * The `Idempotency-Key` of one write: the same for every attempt at the same step of the same transfer
 * (installation, transfer key and step — not the row id, which a restored database could hand out
 * again), so e-conomic answers a quick repeat with its first answer for an hour. Later repeats are the
 * lookups' job.
 */
export function writeKey(ctx: Pick<TransferContext, "installation" | "transfer">, step: string): string {
  return `rbe-${sha256(`${ctx.installation.id}|${ctx.transfer.idempotencyKey}|${step}`).slice(0, 32)}`;
}

/**
 * The agreement's country (`/self` → `company.country`), read once per installation and kept: it decides
 * where a customer's company number goes (_customers.md).
 */
export async function agreementCountryOf(
  ctx: Pick<TransferContext, "installation" | "economic">,
): Promise<string> {
  if (ctx.installation.economicCountry !== null) return ctx.installation.economicCountry;
  const self = await ctx.economic.getSelf();
  const country = self.company.country?.trim() ?? "";
  const db = await getDb();
  await db
    .update(schema.installations)
    .set({ economicCountry: country })
    .where(eq(schema.installations.id, ctx.installation.id));
  ctx.installation.economicCountry = country;
  return country;
}

/**
 * What the record sync needs of a transfer: its clients and its write keys. A record's keys are per
 * attempt (the claim stamps `updatedAt`): a product changed A → B → A within the hour would otherwise
 * send its third write under the first one's key and get the first answer back, leaving B in e-conomic.
 * A repeat is safe without the key: the explicit number refuses a second create, and a PUT of the same
 * record twice is the same record.
 */
export const recordSyncOf = (ctx: TransferContext) => ({
  economic: ctx.economic,
  installationId: ctx.installation.id,
  writeKey: (step: string) => writeKey(ctx, `${step}@${ctx.transfer.updatedAt.toISOString()}`),
});
