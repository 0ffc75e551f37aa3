import { desc, eq } from "drizzle-orm";
import { getDb, schema } from "@/db/client";

/** The installation's activity log, newest first. */
export async function recentActivity(installationId: string, limit = 25) {
  const db = await getDb();
  return db
    .select()
    .from(schema.auditLog)
    .where(eq(schema.auditLog.installationId, installationId))
    .orderBy(desc(schema.auditLog.createdAt), desc(schema.auditLog.id))
    .limit(limit);
}
