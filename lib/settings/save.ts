import { eq, sql } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { isRevokedGrant } from "@/lib/economic/client";
import { installationFor, rackbeatTokenOf } from "@/lib/installations/repository";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { enqueueTransfer } from "@/lib/transfers/enqueue";
import { loadEconomicChoices, loadRackbeatChoices } from "./choices";
import { checkAgainstLive } from "./live-check";
import {
  diffSettings,
  settingsSchema,
  withDefaults,
  type SettingsChange,
  type SettingsValues,
} from "./schema";
import { say, type SettingsLocale } from "./text";

export type SaveResult =
  | { ok: true; version: number; changes: SettingsChange[]; activated: boolean }
  | { ok: false; status: 400 | 404 | 409 | 503; formError?: string; fieldErrors?: Record<string, string> };

/**
 * Saves (and optionally activates) an installation's settings: parse with the shared schema, check every
 * choice against live e-conomic and Rackbeat data, then store a new version and log old → new per field.
 */
export async function saveSettings(input: {
  installationId: string;
  allowedInstallationIds: readonly string[];
  actor: string;
  values: unknown;
  expectedVersion: number;
  activate: boolean;
  locale: SettingsLocale;
}): Promise<SaveResult> {
  const { locale } = input;
  const installation = await installationFor(input.installationId, input.allowedInstallationIds);
  if (!installation)
    return {
      ok: false,
      status: 404,
      formError: say(locale, "Installation not found.", "Installationen findes ikke."),
    };
  if (installation.status === "uninstalled")
    return {
      ok: false,
      status: 400,
      formError: say(
        locale,
        "The app is uninstalled in Rackbeat; install it again to change settings.",
        "Appen er afinstalleret i Rackbeat; installér den igen for at ændre indstillinger.",
      ),
    };
  if (installation.status === "economic_revoked")
    return {
      ok: false,
      status: 400,
      formError: say(
        locale,
        "e-conomic access is revoked. Reconnect e-conomic first; your changes are still in the form.",
        "Adgangen til e-conomic er tilbagekaldt. Genforbind e-conomic først; dine ændringer er stadig i formularen.",
      ),
    };

  const parsed = settingsSchema.safeParse(input.values);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[issue.path.join(".")] ??= issue.message;
    return { ok: false, status: 400, fieldErrors };
  }
  const values = parsed.data;

  const db = await getDb();
  const [current] = await db
    .select()
    .from(schema.settings)
    .where(eq(schema.settings.installationId, installation.id));
  const before = withDefaults(current?.values);
  const version = current?.version ?? 0;
  if (version !== input.expectedVersion) {
    return {
      ok: false,
      status: 409,
      formError: say(
        locale,
        `These settings were saved elsewhere while you edited (now version ${version}). Reload to see those changes; your edits are still in the form.`,
        `Indstillingerne blev gemt et andet sted, mens du redigerede (nu version ${version}). Genindlæs for at se ændringerne; dine ændringer er stadig i formularen.`,
      ),
    };
  }

  const fieldErrors: Record<string, string> = {};
  // The start-up synchronization is a one-time choice, made during setup.
  if (values.startupSync !== before.startupSync && (current?.startupSyncChosenAt || current?.activatedAt)) {
    fieldErrors.startupSync = say(
      locale,
      "The start-up synchronization can only be chosen once, during setup.",
      "Opstartssynkroniseringen kan kun vælges én gang, under opsætningen.",
    );
  }
  const activating = input.activate && !current?.activatedAt;
  if (input.activate && !values.debtor.enabled && !values.creditor.enabled && !values.inventory.enabled) {
    fieldErrors["debtor.enabled"] = say(
      locale,
      "Activate at least one of debtor integration, creditor integration or inventory value synchronization, or nothing will be transferred.",
      "Aktivér mindst én af debitorintegration, kreditorintegration eller lagerværdisynkronisering, ellers overføres intet.",
    );
  }

  try {
    const rackbeat = new RackbeatClient(rackbeatTokenOf(installation) ?? "");
    const [economicChoices, rackbeatChoices] = await Promise.all([
      loadEconomicChoices(installation),
      loadRackbeatChoices(installation),
    ]);
    Object.assign(
      fieldErrors,
      await checkAgainstLive(
        values,
        {
          economic: economicChoices,
          rackbeat: rackbeatChoices,
          productExists: async (n) => Boolean(await rackbeat.findProduct(n)),
        },
        locale,
      ),
      fieldErrors,
    );
  } catch (error) {
    const service = (error as { service?: string }).service ?? "Rackbeat";
    if (isRevokedGrant(error))
      return {
        ok: false,
        status: 400,
        formError: say(
          locale,
          "e-conomic no longer accepts this app's access. Reconnect e-conomic; your changes are still in the form.",
          "e-conomic godtager ikke længere appens adgang. Genforbind e-conomic; dine ændringer er stadig i formularen.",
        ),
      };
    return {
      ok: false,
      status: 503,
      formError: say(
        locale,
        `${service} could not be reached to check your choices, so nothing was saved. Try again in a moment; your changes are still in the form.`,
        `${service} kunne ikke nås for at tjekke dine valg, så intet blev gemt. Prøv igen om lidt; dine ændringer er stadig i formularen.`,
      ),
    };
  }
  if (Object.keys(fieldErrors).length) return { ok: false, status: 400, fieldErrors };

  const changes = diffSettings(before, values);
  const newlyChosenStartup = values.startupSync && !current?.startupSyncChosenAt;
  const nextVersion = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(schema.settings)
      .values({
        installationId: installation.id,
        values,
        version: 1,
        activatedAt: activating ? new Date() : null,
        startupSyncChosenAt: newlyChosenStartup ? new Date() : null,
      })
      .onConflictDoUpdate({
        target: schema.settings.installationId,
        set: {
          values,
          version: sql`${schema.settings.version} + 1`,
          updatedAt: new Date(),
          ...(activating ? { activatedAt: new Date() } : {}),
          ...(newlyChosenStartup ? { startupSyncChosenAt: new Date() } : {}),
        },
        // Optimistic lock: a concurrent save that won the race makes this one a no-op.
        setWhere: sql`${schema.settings.version} = ${version}`,
      })
      .returning({ version: schema.settings.version });
    if (!row) return undefined;
    if (changes.length || activating)
      await writeAudit(tx, {
        installationId: installation.id,
        actor: input.actor,
        action: activating ? "settings.activated" : "settings.saved",
        details: { version: row.version, changes },
      });
    if (newlyChosenStartup)
      await enqueueTransfer(tx, {
        installationId: installation.id,
        kind: "startup_sync",
        sourceId: "startup",
        idempotencyKey: "startup_sync",
        settingsVersion: row.version,
      });
    return row.version;
  });
  if (nextVersion === undefined)
    return {
      ok: false,
      status: 409,
      formError: say(
        locale,
        "These settings were saved elsewhere at the same moment. Reload to see those changes; your edits are still in the form.",
        "Indstillingerne blev gemt et andet sted i samme øjeblik. Genindlæs for at se ændringerne; dine ændringer er stadig i formularen.",
      ),
    };
  return { ok: true, version: nextVersion, changes, activated: activating || Boolean(current?.activatedAt) };
}

export type { SettingsValues };
