import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { schema } from "@/db/client";
import { findInstallation, rackbeatTokenOf } from "@/lib/installations/repository";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { loadChoices } from "@/lib/settings/choices";
import { installViaRackbeat, withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";

/** `npm run dev` stopped and started again: the emulators keep their state in the sandbox's directory. */
const stateDir = mkdtempSync(path.join(tmpdir(), "rbe-sandbox-"));
const db = withTestDb();
const app = withApp({ stateDir });
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

describe("the sandbox across a restart", () => {
  it("keeps the installation, its webhooks and its grant; a booked invoice after the restart reaches the app", async () => {
    const account = app().emulators.rackbeat.state.addAccount("Genstart ApS");
    const agreement = app().emulators.economic.state.addAgreement("Genstart ApS");
    const installationId = await installViaRackbeat(app().emulators, account.id, agreement.agreementNumber);
    const webhooksBefore = app().emulators.rackbeat.state.webhooks.filter((w) => w.accountId === account.id);

    const restarted = await app().restartEmulators();
    // The restarted emulators still know the grant, the Rackbeat install, its webhooks and settings URL.
    const installation = (await findInstallation(installationId))!;
    const choices = await loadChoices(installation);
    expect(choices.economic.ok && choices.rackbeat.ok).toBe(true);
    expect((await findInstallation(installationId))!.status).toBe("active");
    expect(restarted.rackbeat.state.webhooks.filter((w) => w.accountId === account.id)).toEqual(
      webhooksBefore,
    );
    expect(restarted.rackbeat.state.settingsUrls.get(`${account.id}:economic-integration`)).toMatch(
      new RegExp(`/launch/${installationId}/`),
    );
    expect(restarted.rackbeat.state.installed.has(`${account.id}:economic-integration`)).toBe(true);

    // Book an invoice in the restarted Rackbeat: its webhook is delivered to the app and accepted.
    const rackbeat = new RackbeatClient(rackbeatTokenOf(installation)!);
    const { data } = await rackbeat.request<{ customer_invoices: { number: number; is_booked: boolean }[] }>(
      "/customer-invoices?limit=50",
    );
    const draft = data.customer_invoices.find((i) => !i.is_booked)!;
    await rackbeat.request(`/customer-invoices/${draft.number}/book`, { method: "POST", body: {} });
    await expect
      .poll(
        () =>
          restarted.rackbeat.state.deliveries.find(
            (d) => d.accountId === account.id && d.event === "customer_invoice.booked",
          )?.status,
        { timeout: 5000 },
      )
      .toBe(202);
    const [receipts] = await db()
      .select({ n: count() })
      .from(schema.webhookReceipts)
      .where(
        and(
          eq(schema.webhookReceipts.installationId, installationId),
          eq(schema.webhookReceipts.event, "customer_invoice.booked"),
        ),
      );
    expect(receipts.n).toBe(1);
  });
});
