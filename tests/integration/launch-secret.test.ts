import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { schema } from "@/db/client";
import {
  LAUNCH_SECRET,
  launchSecretMatches,
  replaceLaunchLinkNow,
  rotateDueLaunchSecrets,
  rotateLaunchSecret,
} from "@/lib/installations/launch-secret";
import { findInstallation } from "@/lib/installations/repository";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";

/** The settings URL Rackbeat opens is not a permanent key: its secret rotates, the old one is refused. */
const db = withTestDb();
const app = withApp();
let installationId: string;
let accountId: number;

/** The settings URL the Rackbeat emulator holds for this account, and its secret. */
const registered = () => {
  const url = [...app().emulators.rackbeat.state.settingsUrls.entries()].find(([k]) =>
    k.startsWith(`${accountId}:`),
  )![1];
  return { url, secret: url.split("/").pop()! };
};
const installation = async () => (await findInstallation(installationId))!;

beforeAll(async () => {
  const rb = app().emulators.rackbeat.state.addAccount("Nøgleskifte ApS");
  const ec = app().emulators.economic.state.addAgreement("Nøgleskifte ApS");
  accountId = rb.id;
  installationId = await installViaRackbeat(app().emulators, accountId, ec.agreementNumber);
});

describe("the launch URL's secret", () => {
  it("a weekly replacement registers a new URL with Rackbeat; the old one works for the grace, then not", async () => {
    const first = registered();
    expect(launchSecretMatches(await installation(), first.secret)).toBe(true);
    // Nothing is due the day after the install.
    expect((await rotateDueLaunchSecrets("system")).replaced).toBe(0);
    await db()
      .update(schema.installations)
      .set({ launchSecretRotatedAt: new Date(Date.now() - 8 * 24 * 3600 * 1000) })
      .where(eq(schema.installations.id, installationId));
    expect((await rotateDueLaunchSecrets("system")).replaced).toBeGreaterThanOrEqual(1);
    const second = registered();
    expect(second.url).not.toBe(first.url);
    const now = await installation();
    expect(launchSecretMatches(now, second.secret)).toBe(true);
    // A Rackbeat page opened a moment before the change still opens, for the grace only.
    expect(launchSecretMatches(now, first.secret)).toBe(true);
    const afterGrace = new Date(Date.now() + (LAUNCH_SECRET.graceMinutes + 1) * 60_000);
    expect(launchSecretMatches(now, first.secret, afterGrace)).toBe(false);
    expect(launchSecretMatches(now, second.secret, afterGrace)).toBe(true);
    const history = await db()
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.installationId, installationId));
    expect(history.map((h) => h.action)).toContain("installation.launch_link_replaced");
  });

  it("replaced on demand, the old link stops at once", async () => {
    const before = registered();
    expect(await replaceLaunchLinkNow(await installation(), "Bente")).toBe("replaced");
    const now = await installation();
    expect(launchSecretMatches(now, before.secret)).toBe(false);
    expect(launchSecretMatches(now, registered().secret)).toBe(true);
  });

  it("when Rackbeat refuses the new URL, the old one stays the current one", async () => {
    const before = registered();
    await fetch(`${app().emulators.rackbeat.server.url}/__control/faults`, {
      method: "PUT",
      body: JSON.stringify({ failures: [{ path: "/api/plugins/", status: 503 }] }),
    });
    try {
      expect(await rotateLaunchSecret(await installation(), { actor: "system" })).toBe("rackbeat_refused");
    } finally {
      await fetch(`${app().emulators.rackbeat.server.url}/__control/faults`, { method: "DELETE" });
    }
    const now = await installation();
    expect(registered().url).toBe(before.url);
    const farAhead = new Date(Date.now() + 24 * 3600 * 1000);
    expect(launchSecretMatches(now, before.secret, farAhead)).toBe(true);
  });

  it("a forged or empty secret opens nothing", async () => {
    const now = await installation();
    for (const secret of ["", "x", registered().secret.slice(0, -1), "' or 1=1"])
      expect(launchSecretMatches(now, secret)).toBe(false);
  });
});
