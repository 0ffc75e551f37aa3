import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { encryptToken, randomToken, sha256 } from "@/lib/crypto";
import { env } from "@/lib/env";
import { errorFields, logger } from "@/lib/log";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { ensureDefaultSettings } from "@/lib/settings/repository";
import { RACKBEAT_WEBHOOK_EVENTS } from "@/lib/uncertain";
import { claimGrant } from "./grants";
import type { EconomicSide, RackbeatSide } from "./pending";
import { InstallProblem } from "./problems";
import { findByRackbeatAccount, findLiveByAgreement } from "./repository";

export type CompletedInstall = {
  installationId: string;
  generation: number;
  redirectTo: string;
  reinstalled: boolean;
};

export const webhookUrl = () => `${env().appUrl}/api/webhooks/rackbeat`;
export const launchUrl = (installationId: string, secret: string) =>
  `${env().appUrl}/launch/${installationId}/${secret}`;

/**
 * Binds a Rackbeat account to an e-conomic agreement, once the person in the browser has confirmed both
 * (lib/installations/consent.ts): registers webhooks and our settings URL in Rackbeat, then stores one
 * installation per Rackbeat account. A reinstall keeps settings and history; a new binding generation
 * ends every session of the old one.
 */
export async function completeInstall(input: {
  economic: EconomicSide;
  rackbeat: RackbeatSide;
  actor: string;
  /** Who hears about problems: the installer's e-mail and language, from e-conomic's `/self`. */
  contact?: { email?: string; locale?: string };
}): Promise<CompletedInstall> {
  const { economic, rackbeat: side } = input;
  // One agreement ↔ one Rackbeat account: two accounts posting into the same books would duplicate them.
  const taken = (await findLiveByAgreement(economic.agreementNumber)).find(
    (i) => i.rackbeatAccountId !== side.account.id,
  );
  if (taken)
    throw new InstallProblem("agreement_taken", {
      agreementNumber: economic.agreementNumber,
      otherAccount: taken.rackbeatAccountId,
    });

  const existing = await findByRackbeatAccount(side.account.id);
  const installationId = existing?.id ?? randomUUID();
  const rackbeat = new RackbeatClient(side.accessToken);
  const launchSecret = randomToken();
  let webhooks: { event: string; id: number; token: string }[];
  try {
    webhooks = await registerWebhooks(rackbeat);
    if (side.appSlug) await rackbeat.setSettingsUrl(side.appSlug, launchUrl(installationId, launchSecret));
  } catch (error) {
    throw new InstallProblem("rackbeat_unavailable", {
      step: "webhooks-settings-url",
      ...errorFields(error),
    });
  }

  const db = await getDb();
  const generation = await db.transaction(async (tx) => {
    if (!(await claimGrant(tx, economic.grantToken))) throw new InstallProblem("already_completed");
    const values = {
      rackbeatCompanyName: side.account.companyName,
      rackbeatAccessToken: encryptToken(side.accessToken),
      rackbeatAppSlug: side.appSlug ?? null,
      rackbeatTokenKind: side.kind,
      economicAgreementNumber: economic.agreementNumber,
      economicCompanyName: economic.companyName,
      // Unknown (an install that began before it was kept): read by the first transfer that needs it.
      economicCountry: economic.country ?? null,
      economicGrantToken: encryptToken(economic.grantToken),
      // A reinstall by someone else makes them the contact; an unknown address keeps the one known.
      ...(input.contact?.email ? { contactEmail: input.contact.email } : {}),
      ...(input.contact?.locale ? { contactLocale: input.contact.locale } : {}),
      status: "active" as const,
      launchSecretHash: sha256(launchSecret),
      previousLaunchSecretHash: null,
      previousLaunchSecretUntil: null,
      launchSecretRotatedAt: new Date(),
      uninstalledAt: null,
      updatedAt: new Date(),
    };
    const [row] = await tx
      .insert(schema.installations)
      .values({ id: installationId, rackbeatAccountId: side.account.id, ...values })
      .onConflictDoUpdate({
        target: schema.installations.rackbeatAccountId,
        set: { ...values, bindingGeneration: sql`${schema.installations.bindingGeneration} + 1` },
      })
      .returning({ generation: schema.installations.bindingGeneration });
    await tx
      .delete(schema.rackbeatWebhooks)
      .where(eq(schema.rackbeatWebhooks.installationId, installationId));
    if (webhooks.length)
      await tx.insert(schema.rackbeatWebhooks).values(
        webhooks.map((w) => ({
          installationId,
          event: w.event,
          rackbeatWebhookId: w.id,
          token: encryptToken(w.token),
        })),
      );
    // A reinstall keeps the customer's settings and history.
    await ensureDefaultSettings(tx, installationId, input.actor);
    await writeAudit(tx, {
      installationId,
      actor: input.actor,
      action: existing ? "installation.reinstalled" : "installation.installed",
      details: {
        rackbeatAccount: side.account.id,
        economicAgreement: economic.agreementNumber,
        ...(existing && existing.economicAgreementNumber !== economic.agreementNumber
          ? { previousEconomicAgreement: existing.economicAgreementNumber }
          : {}),
        via: side.kind === "integration" ? "rackbeat-apps" : "api-key",
      },
    });
    return row.generation;
  });
  logger().info({ event: "install.completed", installationId, generation, reinstalled: Boolean(existing) });
  return {
    installationId,
    generation,
    redirectTo: side.redirectTo ?? `/installations/${installationId}`,
    reinstalled: Boolean(existing),
  };
}

/**
 * Registers every event this app listens to. Rackbeat returns a webhook's token only when it is created;
 * if one already exists for our URL (a reinstall), it is deleted and created again to get a fresh token.
 */
async function registerWebhooks(
  rackbeat: RackbeatClient,
): Promise<{ event: string; id: number; token: string }[]> {
  const url = webhookUrl();
  const out: { event: string; id: number; token: string }[] = [];
  for (const event of RACKBEAT_WEBHOOK_EVENTS) {
    let webhook = await rackbeat.createWebhook(event, url);
    if (!webhook.token) {
      await rackbeat.deleteWebhook(webhook.id);
      webhook = await rackbeat.createWebhook(event, url);
    }
    if (!webhook.token) throw new Error(`Rackbeat returned no token for webhook ${event}`);
    out.push({ event, id: webhook.id, token: webhook.token });
  }
  return out;
}
