import { eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { isRevokedGrant } from "@/lib/economic/client";
import { rackbeatTokenOf, type Installation } from "@/lib/installations/repository";
import { errorFields, logger } from "@/lib/log";
import { message, type FieldMessages, type Message, type MessageCode } from "@/lib/messages";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { startupSync } from "@/lib/sync/run";
import { markAsSent } from "@/lib/transfers/kinds/mark-as-sent";
import { enqueue, requeue } from "@/lib/transfers/queue";
import type { SettingsSection } from "@/lib/transfers/failure";
import { requeueWaitingOn } from "@/lib/transfers/retry";
import { takeRateLimit } from "@/lib/limits";
import { loadEconomicChoices, loadRackbeatChoices } from "./choices";
import { checkAgainstLive } from "./live-check";
import { readinessProblems } from "./readiness";
import { loadSettings, storeSettingsVersion } from "./repository";
import { diffSettings, settingsSchema, type SettingsChange, type SettingsValues } from "./schema";

export type SaveResult =
  | {
      ok: true;
      version: number;
      changes: SettingsChange[];
      activated: boolean;
      startupSyncQueued: boolean;
      /** Failed transfers queued again because the settings they waited on changed. */
      requeued: number;
    }
  | { ok: false; status: 400 | 409 | 429 | 503; formError?: Message; fieldErrors?: FieldMessages };

const refuse = (
  status: 400 | 409 | 429 | 503,
  formError?: Message,
  fieldErrors?: FieldMessages,
): SaveResult => ({
  ok: false,
  status,
  ...(formError ? { formError } : {}),
  ...(fieldErrors ? { fieldErrors } : {}),
});

/**
 * Saves (and optionally activates) an installation's settings: parse with the shared schema, check every
 * choice against live e-conomic and Rackbeat data, then store a new version (kept as a snapshot) and log
 * old → new per field. The caller has already decided that `actor` may change this installation.
 */
export async function saveSettings(input: {
  installation: Installation;
  actor: string;
  values: unknown;
  expectedVersion: number;
  activate: boolean;
}): Promise<SaveResult> {
  const arrived = Date.now();
  const { installation } = input;
  if (installation.status === "uninstalled") return refuse(400, message("settings.uninstalled"));
  if (installation.status === "economic_revoked") return refuse(400, message("settings.economic_revoked"));
  if (installation.status === "rackbeat_revoked") return refuse(400, message("settings.rackbeat_revoked"));

  const parsed = settingsSchema.safeParse(input.values);
  if (!parsed.success) {
    const fieldErrors: FieldMessages = {};
    for (const issue of parsed.error.issues)
      fieldErrors[issue.path.join(".")] ??= message(issue.message as MessageCode);
    return refuse(400, undefined, fieldErrors);
  }
  const values = parsed.data;

  const current = await loadSettings(installation.id);
  if (current.version !== input.expectedVersion)
    return refuse(409, message("settings.version_conflict", { version: current.version }));
  // Each save checks the choices against both services: a burst of saves must not spend the agreement.
  const limit = await takeRateLimit("settingsSave", installation.id);
  if (!limit.ok)
    return refuse(429, message("settings.too_many_saves", { seconds: String(limit.retryAfterSeconds) }));

  const fieldErrors: FieldMessages = {};
  // The start-up synchronization is a one-time choice, made during setup.
  if (
    values.startupSync !== current.values.startupSync &&
    (current.startupSyncChosenAt || current.activatedAt)
  )
    fieldErrors.startupSync = message("settings.startup_sync_once");
  const activating = input.activate && !current.activatedAt;
  if (input.activate && !values.debtor.enabled && !values.creditor.enabled && !values.inventory.enabled)
    fieldErrors["debtor.enabled"] = message("settings.nothing_activated");

  try {
    const rackbeat = new RackbeatClient(rackbeatTokenOf(installation) ?? "");
    // Checked against the lists as they are now: read since this save arrived, a read that saves
    // arriving together share (sixty saves at once cost one read of each list, not sixty).
    const since = arrived;
    const [economicChoices, rackbeatChoices] = await Promise.all([
      loadEconomicChoices(installation, { since }),
      loadRackbeatChoices(installation, { since }),
    ]);
    const live: FieldMessages = await checkAgainstLive(values, {
      economic: economicChoices,
      rackbeat: rackbeatChoices,
      // Looked up when chosen, changed or activated, not on every save of other fields.
      productExists: async (n) =>
        (!activating && n === current.values.debtor.emptyLineProduct) ||
        Boolean(await rackbeat.findProduct(n)),
    });
    // Active (or becoming so): what the transfers will need must be there, not only what the form asks.
    if (activating || current.activatedAt)
      for (const [path, m] of Object.entries(
        readinessProblems(values, { economic: economicChoices, rackbeat: rackbeatChoices }),
      ))
        live[path] ??= m;
    for (const [path, m] of Object.entries(live)) fieldErrors[path] ??= m;
  } catch (error) {
    if (isRevokedGrant(error)) return refuse(400, message("settings.economic_refused_access"));
    const service = (error as { service?: string }).service ?? "Rackbeat";
    logger().warn({
      event: "settings.live_check_failed",
      installationId: installation.id,
      ...errorFields(error),
    });
    return refuse(503, message("settings.service_unreachable", { service }));
  }
  if (Object.keys(fieldErrors).length) return refuse(400, undefined, fieldErrors);

  const changes = diffSettings(current.values, values);
  const chooseStartupSync = values.startupSync && !current.startupSyncChosenAt;
  const db = await getDb();
  let requeued = 0;
  const nextVersion = await db.transaction(async (tx) => {
    const version = await storeSettingsVersion(tx, {
      installationId: installation.id,
      values,
      expectedVersion: current.version,
      actor: input.actor,
      activate: activating,
      chooseStartupSync,
    });
    if (version === undefined) return undefined;
    if (changes.length || activating)
      await writeAudit(tx, {
        installationId: installation.id,
        actor: input.actor,
        action: activating ? "settings.activated" : "settings.saved",
        details: { version, changes },
      });
    // Transfers that failed on a setting go again once that part of the settings changed.
    requeued = await requeueWaitingOn(tx, {
      installationId: installation.id,
      sections: [...new Set(changes.map((c) => c.field.split(".")[0]))] as SettingsSection[],
      actor: input.actor,
    });
    // Switched on again: Rackbeat may offer the call by now, so the marks it refused are tried again.
    if (values.debtor.markInvoicesAsSent && !current.values.debtor.markInvoicesAsSent) {
      await tx
        .update(schema.installations)
        .set({ markAsSentUnavailable: null })
        .where(eq(schema.installations.id, installation.id));
      await requeue(tx, {
        installationId: installation.id,
        kind: markAsSent.kind,
        statuses: ["cancelled", "failed"],
      });
    }
    if (chooseStartupSync)
      await enqueue(tx, startupSync, {
        installationId: installation.id,
        sourceId: "startup",
        settingsVersion: version,
      });
    return version;
  });
  if (nextVersion === undefined) return refuse(409, message("settings.saved_concurrently"));
  return {
    ok: true,
    version: nextVersion,
    changes,
    activated: activating || Boolean(current.activatedAt),
    startupSyncQueued: chooseStartupSync,
    requeued,
  };
}

export type { SettingsValues };
