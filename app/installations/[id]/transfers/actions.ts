"use server";

import { waitUntil } from "@vercel/functions";
import { redirect } from "next/navigation";
import { formAccess, launchHref } from "@/app/installations/access";
import { kickInstallation } from "@/lib/transfers/kick";
import { retryFailedTransfers } from "@/lib/transfers/retry";

/**
 * Retry one failed transfer (`transferId`) or all of them. Access is checked here (the form carries the
 * installation id, and the launch token inside Rackbeat's iframe); the work starts at once after the
 * response, with the cron as safety net.
 */
export async function retryTransfersAction(formData: FormData): Promise<void> {
  const access = await formAccess(formData);
  if (!access) redirect("/not-found");
  const { installation } = access;
  const id = Number(formData.get("transferId"));
  const outcome = await retryFailedTransfers({
    installationId: installation.id,
    transferId: Number.isSafeInteger(id) && id > 0 ? id : undefined,
    actor: access.actor,
  });
  if (outcome.count) waitUntil(kickInstallation(installation.id));
  const detail = Number.isSafeInteger(id) && id > 0 ? `/${id}` : "";
  const said = outcome.limited
    ? "limited=1"
    : `retried=${outcome.count}${outcome.waiting ? `&waiting=${outcome.waiting}` : ""}`;
  redirect(launchHref(access, `/installations/${installation.id}/transfers${detail}?${said}`));
}
