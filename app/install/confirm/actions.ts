"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { clientKey } from "@/app/client-address";
import { answerConsent } from "@/lib/installations/consent";
import { STATE_COOKIE } from "@/lib/installations/pending";
import { applyInstallStep } from "../respond";

/**
 * The confirmation form's POST. Next refuses a server action posted from another origin; the signed
 * `csrf` value ties the answer to the page rendered for this browser's install.
 */
export async function answerConsentAction(formData: FormData): Promise<void> {
  const step = await answerConsent({
    state: (await cookies()).get(STATE_COOKIE)?.value,
    csrf: String(formData.get("csrf") ?? ""),
    decision: formData.get("decision") === "confirm" ? "confirm" : "decline",
    clientKey: await clientKey(),
  });
  redirect(await applyInstallStep(step));
}
