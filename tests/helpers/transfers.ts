import { and, eq } from "drizzle-orm";
import { schema, type Db } from "@/db/client";

/** An installation's transfer by its key (`customer_invoice:10042`), as the tests look one up. */
export const transferByKey = async (db: Db, installationId: string, key: string) =>
  (
    await db
      .select()
      .from(schema.transfers)
      .where(
        and(eq(schema.transfers.installationId, installationId), eq(schema.transfers.idempotencyKey, key)),
      )
  )[0];
