"use server";

import { getLocale } from "@/app/i18n";
import { allowedInstallationIds, currentActor } from "@/lib/auth/access";
import { saveSettings, type SaveResult } from "@/lib/settings/save";
import { requestManualInvoiceTransfer, type ManualResult } from "@/lib/transfers/manual";

/** Save (or activate) settings. The installation id comes from the client, so access is checked here. */
export async function saveSettingsAction(input: {
  installationId: string;
  lt?: string;
  values: unknown;
  expectedVersion: number;
  activate: boolean;
}): Promise<SaveResult> {
  return saveSettings({
    installationId: String(input.installationId),
    allowedInstallationIds: await allowedInstallationIds(input.lt),
    actor: await currentActor(input.lt),
    values: input.values,
    expectedVersion: Number(input.expectedVersion),
    activate: Boolean(input.activate),
    locale: await getLocale(),
  });
}

export async function manualTransferAction(
  _prev: ManualResult | null,
  formData: FormData,
): Promise<ManualResult> {
  const lt = String(formData.get("lt") ?? "");
  return requestManualInvoiceTransfer({
    installationId: String(formData.get("installationId") ?? ""),
    allowedInstallationIds: await allowedInstallationIds(lt),
    invoiceNumber: String(formData.get("invoiceNumber") ?? ""),
    actor: await currentActor(lt),
    locale: await getLocale(),
  });
}
