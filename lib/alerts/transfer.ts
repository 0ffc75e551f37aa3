import { z } from "zod";
import type { Executor } from "@/db/client";
import { enqueue } from "@/lib/transfers/queue";

/** The pauses an installation's contact hears about at once. */
export const PAUSES = ["economic_revoked", "rackbeat_revoked", "uninstalled"] as const;
export type Pause = (typeof PAUSES)[number];

export const alertPayload = z.discriminatedUnion("type", [
  z.object({ type: z.literal("pause"), status: z.enum(PAUSES) }),
  z.object({
    type: z.literal("digest"),
    /** The local day it is the digest of: at most one per day (the key). */
    day: z.string(),
    /** Every failed transfer when it was queued (the next digest goes only if one is new), and how many were new. */
    failedIds: z.array(z.number()),
    newCount: z.number(),
  }),
]);
export type AlertPayload = z.infer<typeof alertPayload>;

/** An alert e-mail as the outbox keys it: one per pause, one digest per local day. */
export const alertTransfer = {
  kind: "alert_email" as const,
  key: (sourceId: string) => `alert_email:${sourceId}`,
  payload: alertPayload,
};

export const digestSource = (day: string) => `digest-${day}`;
export const pauseSource = (status: Pause, at: Date) => `paused-${status}-${at.toISOString()}`;

/**
 * Queues the e-mail that says an installation stopped, in the transaction that stopped it: the pause
 * and its alert are one fact. The outbox sends it at its next run, paused or not (`runsWhilePaused`).
 */
export async function queuePauseAlert(tx: Executor, installationId: string, status: Pause): Promise<void> {
  await enqueue(tx, alertTransfer, {
    installationId,
    sourceId: pauseSource(status, new Date()),
    payload: { type: "pause", status },
  });
}
