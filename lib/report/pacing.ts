import { and, count, eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { EconomicClient, type WriteOptions } from "@/lib/economic/client";
import { RackbeatClient } from "@/lib/rackbeat/client";
import type { RequestOptions } from "@/lib/http";
import { OUTBOX } from "@/lib/transfers/queue/policy";

/** How long a report page waits for the installation's transfers before it reads anyway. */
const MAX_WAIT_MS = 10_000;
const POLL_MS = 200;

/**
 * The report reads one call at a time and takes the place of one transfer: before each call it waits
 * while the installation already runs as many transfers as the outbox allows it at once
 * (`OUTBOX.perInstallationConcurrency`), so that its agreement never sees more than the outbox would send
 * and a transfer is never the one kept waiting. Counts its calls for the budget.
 */
export class Pacer {
  readonly calls = { economic: 0, rackbeat: 0 };
  constructor(private readonly installationId: string) {}

  async turn(service: keyof Pacer["calls"]) {
    const db = await getDb();
    const started = Date.now();
    for (;;) {
      const [{ running }] = await db
        .select({ running: count() })
        .from(schema.transfers)
        .where(
          and(
            eq(schema.transfers.installationId, this.installationId),
            eq(schema.transfers.status, "running"),
          ),
        );
      if (running < OUTBOX.perInstallationConcurrency || Date.now() - started > MAX_WAIT_MS) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    this.calls[service]++;
  }
}

export class PacedEconomic extends EconomicClient {
  constructor(
    grantToken: string,
    private readonly pacer: Pacer,
  ) {
    super(grantToken);
  }
  override async rest<T>(path: string, options: WriteOptions = {}) {
    await this.pacer.turn("economic");
    return super.rest<T>(path, options);
  }
}

export class PacedRackbeat extends RackbeatClient {
  constructor(
    token: string,
    private readonly pacer: Pacer,
  ) {
    super(token);
  }
  override async request<T>(path: string, options: RequestOptions = {}) {
    await this.pacer.turn("rackbeat");
    return super.request<T>(path, options);
  }
}
