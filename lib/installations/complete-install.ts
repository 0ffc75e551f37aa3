import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { encryptToken, randomToken, sha256 } from "@/lib/crypto";
import type { EconomicSelf } from "@/lib/economic/client";
import { env } from "@/lib/env";
import { HttpError } from "@/lib/http";
import { loggedAndIgnored } from "@/lib/log";
import {
  acceptIntegration,
  cancelIntegration,
  RackbeatClient,
  type AcceptedIntegration,
} from "@/lib/rackbeat/client";
import { ensureDefaultSettings } from "@/lib/settings/repository";
import { RACKBEAT_WEBHOOK_EVENTS } from "@/lib/uncertain";
import { InstallProblem } from "./problems";
import { findByRackbeatAccount, findLiveByAgreement } from "./repository";

export type CompletedInstall = {
  installationId: string;
  redirectTo: string;
  reinstalled: boolean;
  companyName: string;
};

type RackbeatSide = { requestToken: string } | { apiKey: string };

export const webhookUrl = () => `${env().appUrl}/api/webhooks/rackbeat`;
export const launchUrl = (installationId: string, secret: string) =>
  `${env().appUrl}/launch/${installationId}/${secret}`;

/**
 * Finishes an install once both sides are known: accepts the Rackbeat request, identifies the account,
 * registers webhooks and our settings URL, then stores one installation per Rackbeat account. If anything
 * fails after the Rackbeat request was taken, the request is cancelled so Rackbeat does not show a
 * half-installed app.
 */
export async function completeInstall(input: {
  grantToken: string;
  self: EconomicSelf;
  rackbeat: RackbeatSide;
  actor: string;
}): Promise<CompletedInstall> {
  let accepted: AcceptedIntegration | undefined;
  const requestToken = "requestToken" in input.rackbeat ? input.rackbeat.requestToken : undefined;
  try {
    if (requestToken) {
      try {
        accepted = await acceptIntegration(requestToken);
      } catch (error) {
        if (error instanceof HttpError && error.status >= 400 && error.status < 500)
          throw new InstallProblem("rackbeat_token_invalid", { status: error.status });
        throw new InstallProblem("rackbeat_unavailable", { step: "accept", error: String(error) });
      }
    }
    const token = accepted?.access_token ?? ("apiKey" in input.rackbeat ? input.rackbeat.apiKey : "");
    const rackbeat = new RackbeatClient(token);
    let account: { id: string; companyName: string };
    try {
      const self = await rackbeat.getSelf();
      account = { id: String(self.user_account.id), companyName: self.user_account.company_name };
    } catch (error) {
      if (error instanceof HttpError && error.status === 401)
        throw new InstallProblem(accepted ? "rackbeat_unavailable" : "rackbeat_key_invalid", {
          step: "self",
        });
      throw new InstallProblem("rackbeat_unavailable", { step: "self", error: String(error) });
    }

    // One agreement ↔ one Rackbeat account: two accounts posting into the same books would duplicate them.
    const taken = (await findLiveByAgreement(input.self.agreementNumber)).find(
      (i) => i.rackbeatAccountId !== account.id,
    );
    if (taken)
      throw new InstallProblem("agreement_taken", {
        agreementNumber: input.self.agreementNumber,
        otherAccount: taken.rackbeatAccountId,
      });

    const existing = await findByRackbeatAccount(account.id);
    const installationId = existing?.id ?? randomUUID();
    const webhooks = await registerWebhooks(rackbeat);
    const launchSecret = randomToken();
    if (accepted?.app_slug) {
      try {
        await rackbeat.setSettingsUrl(accepted.app_slug, launchUrl(installationId, launchSecret));
      } catch (error) {
        throw new InstallProblem("rackbeat_unavailable", { step: "settings-url", error: String(error) });
      }
    }

    const db = await getDb();
    await db.transaction(async (tx) => {
      const values = {
        rackbeatCompanyName: account.companyName,
        rackbeatAccessToken: encryptToken(token),
        rackbeatAppSlug: accepted?.app_slug ?? null,
        rackbeatTokenKind: accepted ? ("integration" as const) : ("api_key" as const),
        economicAgreementNumber: input.self.agreementNumber,
        economicCompanyName: input.self.company.name,
        economicGrantToken: encryptToken(input.grantToken),
        status: "active" as const,
        launchSecretHash: sha256(launchSecret),
        uninstalledAt: null,
        updatedAt: new Date(),
      };
      await tx
        .insert(schema.installations)
        .values({ id: installationId, rackbeatAccountId: account.id, ...values })
        .onConflictDoUpdate({ target: schema.installations.rackbeatAccountId, set: values });
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
          rackbeatAccount: account.id,
          economicAgreement: input.self.agreementNumber,
          ...(existing && existing.economicAgreementNumber !== input.self.agreementNumber
            ? { previousEconomicAgreement: existing.economicAgreementNumber }
            : {}),
          via: accepted ? "rackbeat-apps" : "api-key",
        },
      });
    });
    return {
      installationId,
      redirectTo: accepted?.redirect_to ?? `/installations/${installationId}`,
      reinstalled: Boolean(existing),
      companyName: account.companyName,
    };
  } catch (error) {
    if (requestToken && !(error instanceof InstallProblem && error.code === "rackbeat_token_invalid")) {
      await cancelIntegration(requestToken).catch(loggedAndIgnored("install.rackbeat_cancel_failed"));
    }
    if (error instanceof InstallProblem) throw error;
    throw new InstallProblem("internal", { error: String(error) });
  }
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
  try {
    for (const event of RACKBEAT_WEBHOOK_EVENTS) {
      let webhook = await rackbeat.createWebhook(event, url);
      if (!webhook.token) {
        await rackbeat.deleteWebhook(webhook.id);
        webhook = await rackbeat.createWebhook(event, url);
      }
      if (!webhook.token) throw new Error(`Rackbeat returned no token for webhook ${event}`);
      out.push({ event, id: webhook.id, token: webhook.token });
    }
  } catch (error) {
    throw new InstallProblem("rackbeat_unavailable", { step: "webhooks", error: String(error) });
  }
  return out;
}
