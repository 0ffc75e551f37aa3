import { describe, expect, it } from "vitest";
import { GET as outbox } from "@/app/api/cron/outbox/route";
import { GET as inventoryValue } from "@/app/api/cron/inventory-value/route";
import { GET as reconcile } from "@/app/api/cron/reconcile/route";
import { GET as alerts } from "@/app/api/cron/alerts/route";
import { withApp } from "@/tests/helpers/app";
import { withTestDb } from "@/tests/helpers/db";

/** The cron routes cost API calls: they run only for Vercel's `Authorization: Bearer $CRON_SECRET`. */
withTestDb();
withApp();
const call = (route: (r: Request) => Promise<Response>, authorization?: string) =>
  route(
    new Request("http://app.test/api/cron", {
      headers: authorization ? { Authorization: authorization } : {},
    }),
  );

describe("cron routes", () => {
  for (const [name, route] of [
    ["outbox", outbox],
    ["reconcile", reconcile],
    ["inventory-value", inventoryValue],
    ["alerts", alerts],
  ] as const) {
    it(`${name}: refuses a missing or wrong secret, runs for the right one`, async () => {
      expect((await call(route)).status).toBe(401);
      expect((await call(route, "Bearer wrong-secret-wrong-secret")).status).toBe(401);
      expect((await call(route, "test-cron-secret-0123456789")).status).toBe(401);
      const ok = await call(route, `Bearer ${process.env.CRON_SECRET}`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ ok: true, claimed: 0 });
    });
  }
});
