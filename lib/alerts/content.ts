import { and, count, desc, eq, ne } from "drizzle-orm";
import { getDb, schema } from "@/db/client";
import { env } from "@/lib/env";
import type { Installation } from "@/lib/installations/repository";
import { alertTransfer, type Pause } from "./transfer";

export type AlertLinks = { settings: string; transfers: string; report: string };
export type DigestItem = {
  kind: string;
  sourceId: string;
  errorCode: string | null;
  errorParams: Record<string, unknown> | null;
  /** The settings section it waits on, when a setting caused it. */
  setting?: string;
};

/** What an alert says, as data: `lib/alerts/mail-text.ts` words it in the contact's language. */
export type AlertContent = {
  company: { rackbeat: string; economic: string };
  links: AlertLinks;
} & (
  | { type: "pause"; status: Pause }
  | { type: "digest"; failed: number; waitingOnSetting: number; newCount: number; items: DigestItem[] }
);

/** How many failed transfers a digest lists by name; the rest are counted. */
export const DIGEST_LIST_LIMIT = 20;

export const linksOf = (installationId: string): AlertLinks => {
  const base = `${env().appUrl}/installations/${installationId}`;
  return { settings: base, transfers: `${base}/transfers?status=failed`, report: `${base}/books-match` };
};

const companyOf = (i: Installation) => ({ rackbeat: i.rackbeatCompanyName, economic: i.economicCompanyName });

export const pauseContent = (installation: Installation, status: Pause): AlertContent => ({
  type: "pause",
  status,
  company: companyOf(installation),
  links: linksOf(installation.id),
});

/** The digest as it stands when it is sent (a transfer fixed since it was queued is no longer listed). */
export async function digestContent(
  installation: Installation,
  newCount: number,
): Promise<AlertContent | undefined> {
  const db = await getDb();
  const t = schema.transfers;
  const failedOf = and(
    eq(t.installationId, installation.id),
    eq(t.status, "failed"),
    ne(t.kind, alertTransfer.kind),
  );
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ kind: t.kind, sourceId: t.sourceId, errorCode: t.errorCode, errorParams: t.errorParams })
      .from(t)
      .where(failedOf)
      .orderBy(desc(t.updatedAt))
      .limit(DIGEST_LIST_LIMIT),
    db.select({ total: count() }).from(t).where(failedOf),
  ]);
  if (total === 0) return undefined;
  const items: DigestItem[] = rows.map((r) => {
    const params = (r.errorParams as Record<string, unknown> | null) ?? null;
    const setting = typeof params?.setting === "string" ? params.setting : undefined;
    return {
      kind: r.kind,
      sourceId: r.sourceId,
      errorCode: r.errorCode,
      errorParams: params,
      ...(setting ? { setting } : {}),
    };
  });
  return {
    type: "digest",
    failed: total,
    waitingOnSetting: items.filter((i) => i.setting).length,
    newCount,
    items,
    company: companyOf(installation),
    links: linksOf(installation.id),
  };
}
