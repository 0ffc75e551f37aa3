"use server";

import { waitUntil } from "@vercel/functions";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { wordFieldMessages, wordMessage } from "@/app/i18n/catalog";
import { accessInstallation } from "@/lib/auth/access";
import { redirect } from "next/navigation";
import { formAccess, launchHref } from "@/app/installations/access";
import { replaceLaunchLinkNow } from "@/lib/installations/launch-secret";
import { message } from "@/lib/messages";
import { saveSettings, type SaveResult } from "@/lib/settings/save";
import { requestManualInvoiceTransfer } from "@/lib/transfers/manual";
import { kickInstallation } from "@/lib/transfers/kick";

export type SaveActionResult =
  | Extract<SaveResult, { ok: true }>
  | { ok: false; status: number; formError?: string; fieldErrors?: Record<string, string> };

/** What the settings form posts (its values are parsed by the settings schema in the use case). */
const saveInput = z.object({
  installationId: z.string().max(64),
  lt: z.string().max(4096).optional(),
  values: z.unknown(),
  expectedVersion: z.number().int().min(0),
  activate: z.boolean(),
});

/** Save (or activate) settings. The installation id comes from the client, so access is checked here. */
export async function saveSettingsAction(raw: z.input<typeof saveInput>): Promise<SaveActionResult> {
  const t = await getTranslations();
  const parsed = saveInput.safeParse(raw);
  if (!parsed.success)
    return { ok: false, status: 400, formError: wordMessage(t, message("request.malformed")) };
  const input = parsed.data;
  const access = await accessInstallation(input.installationId, input.lt);
  if (!access)
    return { ok: false, status: 404, formError: wordMessage(t, message("installation.not_found")) };
  const { installation } = access;
  const result = await saveSettings({
    installation,
    actor: access.actor,
    values: input.values,
    expectedVersion: input.expectedVersion,
    activate: input.activate,
  });
  if (result.ok) {
    // A start-up sync chosen just now starts at once, after the answer; the cron carries it on.
    if (result.startupSyncQueued)
      waitUntil(kickInstallation(installation.id, { budgetMs: 50_000, kinds: ["startup_sync"] }));
    // Transfers that waited on what was just fixed go now, not at the next cron run.
    if (result.requeued) waitUntil(kickInstallation(installation.id, { budgetMs: 50_000 }));
    return result;
  }
  return {
    ok: false,
    status: result.status,
    formError: result.formError && wordMessage(t, result.formError),
    fieldErrors: result.fieldErrors && wordFieldMessages(t, result.fieldErrors),
  };
}

export type ManualActionResult = { ok: boolean; message: string; field?: "invoiceNumber" };

export async function manualTransferAction(
  _prev: ManualActionResult | null,
  formData: FormData,
): Promise<ManualActionResult> {
  const t = await getTranslations();
  const access = await formAccess(formData);
  if (!access) return { ok: false, message: wordMessage(t, message("installation.not_found")) };
  const result = await requestManualInvoiceTransfer({
    installation: access.installation,
    invoiceNumber: String(formData.get("invoiceNumber") ?? ""),
    actor: access.actor,
  });
  return { ...result, message: wordMessage(t, result.message) };
}

/** "Replace the link now": a new settings URL in Rackbeat, the old one refused at once. */
export async function replaceLaunchLinkAction(formData: FormData): Promise<void> {
  const access = await formAccess(formData);
  if (!access) redirect("/not-found");
  const outcome = await replaceLaunchLinkNow(access.installation, access.actor);
  redirect(launchHref(access, `/installations/${access.installation.id}?link=${outcome}`));
}
