"use server";

import { waitUntil } from "@vercel/functions";
import { redirect } from "next/navigation";
import { allowedInstallationIds, currentActor, installationFor } from "@/lib/auth/access";
import { kickInstallation } from "@/lib/transfers/kick";
import { retryFailedTransfers } from "@/lib/transfers/retry";

/**
 * Retry one failed transfer (`transferId`) or all of them. Access is checked here (the form carries the
 * installation id, and the launch token inside Rackbeat's iframe); the work starts at once after the
 * response, with the cron as safety net.
 */
export async function retryTransfersAction(formData: FormData): Promise<void> {
  const lt = String(formData.get("lt") ?? "") || undefined;
  const installation = await installationFor(
    String(formData.get("installationId") ?? ""),
    await allowedInstallationIds(lt),
  );
  if (!installation) redirect("/not-found");
  const id = Number(formData.get("transferId"));
  const count = await retryFailedTransfers({
    installationId: installation.id,
    transferId: Number.isSafeInteger(id) && id > 0 ? id : undefined,
    actor: await currentActor(lt),
  });
  if (count) waitUntil(kickInstallation(installation.id));
  const back = new URLSearchParams({ retried: String(count), ...(lt ? { lt } : {}) });
  const detail = Number.isSafeInteger(id) && id > 0 ? `/${id}` : "";
  redirect(`/installations/${installation.id}/transfers${detail}?${back}`);
}
