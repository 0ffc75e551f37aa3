import { and, eq, or } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import type { EconomicRecordKind } from "@/db/vocabulary";
import { sha256 } from "@/lib/crypto";
import type { EconomicClient } from "@/lib/economic/client";
import { ECONOMIC_RECORD_SCHEMAS } from "@/lib/economic/records";
import { HttpError } from "@/lib/http";
import { message } from "@/lib/messages";
import { fail } from "./failure";
import type { RecordWrite } from "./mapping/master-records";
import { mergeRecord } from "./mapping/merge-record";

const PATHS: Record<
  EconomicRecordKind,
  { collection: string; item: (e: EconomicClient, n: string) => string }
> = {
  customer: { collection: "/customers", item: (_e, n) => `/customers/${n}` },
  supplier: { collection: "/suppliers", item: (_e, n) => `/suppliers/${n}` },
  product: { collection: "/products", item: (e, n) => e.productPath(n) },
};

export type RecordSync = {
  economic: EconomicClient;
  installationId: string;
  /** The Idempotency-Key of a write step of the calling transfer (kinds/context.ts `writeKey`). */
  writeKey: (step: string) => string;
};

/**
 * Makes sure e-conomic holds this record with the fields we own as Rackbeat has them now, and nothing
 * else of it changed:
 * - known and unchanged since we last sent it (same hash): no call;
 * - never sent by us: one POST; only when e-conomic says the number is taken (made by hand, or by a
 *   transfer racing this one) do we read it and update;
 * - known to exist but never sent by us (read by the start-up synchronization: an empty hash): read
 *   and update, as below;
 * - sent before and changed: one GET and one PUT of the record as read with our fields changed
 *   (mapping/merge-record.ts), because PUT replaces the whole record.
 * The local record is written after e-conomic answered.
 */
export async function ensureRecord(
  sync: RecordSync,
  write: RecordWrite,
  /** The hashes already read for this installation (knownRecords), saving the lookup. */
  known?: Map<string, string>,
): Promise<"unchanged" | "updated" | "created"> {
  const { economic } = sync;
  const { kind, number } = write;
  const hash = sha256(JSON.stringify([write.owned, write.createOnly]));
  const knownHash = known
    ? known.get(`${kind}:${number}`)
    : (await knownRecords(sync.installationId, [{ kind, number }])).get(`${kind}:${number}`);
  if (knownHash === hash) return "unchanged";
  const path = PATHS[kind];
  const create = () =>
    economic.rest(path.collection, {
      method: "POST",
      body: { ...write.createOnly, ...write.owned },
      idempotencyKey: sync.writeKey(`${kind}:${number}:create:${hash}`),
    });

  let done: "updated" | "created";
  if (knownHash === undefined) {
    try {
      await create();
      done = "created";
    } catch (error) {
      // Refused: the number may be taken (e-conomic documents no code for it). Read it to tell.
      const refused = error instanceof HttpError && error.status === 400;
      if (!refused) throw error;
      const current = await readRecord(economic, kind, number);
      if (!current) throw error;
      await update(sync, write, current, hash);
      done = "updated";
    }
  } else {
    const current = await readRecord(economic, kind, number);
    // Deleted in e-conomic since we sent it: a transfer that needs it makes it again.
    if (current) await update(sync, write, current, hash);
    else await create();
    done = current ? "updated" : "created";
  }
  await remember(sync.installationId, kind, number, hash);
  return done;
}

async function update(sync: RecordSync, write: RecordWrite, current: Record<string, unknown>, hash: string) {
  await sync.economic.rest(PATHS[write.kind].item(sync.economic, write.number), {
    method: "PUT",
    body: mergeRecord(current, write.owned),
    idempotencyKey: sync.writeKey(`${write.kind}:${write.number}:update:${hash}`),
  });
}

/** The record as e-conomic holds it, checked against its documented fields, or undefined (404). */
async function readRecord(
  economic: EconomicClient,
  kind: EconomicRecordKind,
  number: string,
): Promise<Record<string, unknown> | undefined> {
  let data: unknown;
  try {
    data = (await economic.rest<unknown>(PATHS[kind].item(economic, number))).data;
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return undefined;
    throw error;
  }
  const parsed = ECONOMIC_RECORD_SCHEMAS[kind].safeParse(data);
  if (!parsed.success)
    throw fail(
      message("transfer.economic_record_unreadable", {
        kind,
        number,
        fields: [...new Set(parsed.error.issues.map((i) => i.path.join(".")))].join(", "),
      }),
    );
  return parsed.data as Record<string, unknown>;
}

async function remember(installationId: string, kind: EconomicRecordKind, number: string, hash: string) {
  const db = await getDb();
  await db
    .insert(schema.economicRecords)
    .values({ installationId, kind, number, hash })
    .onConflictDoUpdate({
      target: [
        schema.economicRecords.installationId,
        schema.economicRecords.kind,
        schema.economicRecords.number,
      ],
      set: { hash, updatedAt: new Date() },
    });
}

/** What the local record holds for these records, in one query: `kind:number` → hash of what was sent. */
export async function knownRecords(
  installationId: string,
  records: { kind: EconomicRecordKind; number: string }[],
): Promise<Map<string, string>> {
  if (!records.length) return new Map();
  const db = await getDb();
  const rows = await db
    .select()
    .from(schema.economicRecords)
    .where(
      and(
        eq(schema.economicRecords.installationId, installationId),
        or(
          ...records.map((r) =>
            and(eq(schema.economicRecords.kind, r.kind), eq(schema.economicRecords.number, r.number)),
          ),
        ),
      ),
    );
  return new Map(rows.map((r) => [`${r.kind}:${r.number}`, r.hash]));
}
