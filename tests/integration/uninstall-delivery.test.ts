import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { schema } from "@/db/client";
import { findInstallation } from "@/lib/installations/repository";
import { markUninstalled } from "@/lib/installations/lifecycle";
import { receiveRackbeatWebhook } from "@/lib/webhooks/rackbeat";
import { UNCERTAIN } from "@/lib/uncertain";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";

// The real uninstall, watched, so that one run of it can be made to fail as a database hiccup would.
vi.mock("@/lib/installations/lifecycle", async (original) => {
  const real = await original<typeof import("@/lib/installations/lifecycle")>();
  return { ...real, markUninstalled: vi.fn(real.markUninstalled) };
});

const db = withTestDb();
const app = withApp();

describe("an uninstall delivery", () => {
  it("that fails leaves no receipt: Rackbeat's redelivery uninstalls, and is not taken for a duplicate", async () => {
    const accountId = app().emulators.rackbeat.state.addAccount("Afinstaller ApS").id;
    const agreement = app().emulators.economic.state.addAgreement("Afinstaller ApS").agreementNumber;
    const installationId = await installViaRackbeat(app().emulators, accountId, agreement);
    const event = UNCERTAIN.rackbeat.webhookEvents.pluginUninstalled;
    const hook = app().emulators.rackbeat.state.webhooks.find(
      (w) => w.accountId === accountId && w.event === event,
    )!;
    const deliver = () =>
      receiveRackbeatWebhook(
        new Headers({
          "Rackbeat-Webhook-Token": hook.token!,
          "Rackbeat-Webhook-Event": event,
          "Rackbeat-Account-Id": String(accountId),
        }),
        async () => JSON.stringify({ key_name: "id", key: 1 }),
      );
    const receipts = async () =>
      (
        await db()
          .select()
          .from(schema.webhookReceipts)
          .where(eq(schema.webhookReceipts.installationId, installationId))
      ).length;

    vi.mocked(markUninstalled).mockRejectedValueOnce(new Error("connection reset"));
    await expect(deliver()).rejects.toThrow("connection reset");
    expect(await receipts()).toBe(0);
    expect((await findInstallation(installationId))!.status).toBe("active");

    expect((await deliver()).message.code).toBe("webhook.uninstalled");
    expect(await findInstallation(installationId)).toMatchObject({
      status: "uninstalled",
      rackbeatAccessToken: null,
      economicGrantToken: null,
    });
    // A third delivery is the redelivery it looks like.
    expect((await deliver()).message.code).toBe("webhook.duplicate");
  });
});
