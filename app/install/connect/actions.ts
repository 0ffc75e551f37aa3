"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { validatedAction } from "@/app/validated-action";
import { HttpError } from "@/lib/http";
import { finishEconomicFirst } from "@/lib/installations/flows";
import { findPendingByState, isExpired, STATE_COOKIE } from "@/lib/installations/pending";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { applyInstallStep } from "../respond";

const connectSchema = z.object({
  apiKey: z.string().trim().min(16, "connect.keyTooShort"),
});

/** Fallback for the Market path: connect Rackbeat with a pasted personal API key. */
export const connectWithApiKey = validatedAction(connectSchema, async ({ apiKey }) => {
  const t = await getTranslations("connect");
  const pending = await findPendingByState((await cookies()).get(STATE_COOKIE)?.value);
  if (!pending || pending.origin !== "economic_first" || pending.consumedAt || isExpired(pending)) {
    return {
      formError: t("noInstallInProgress"),
    };
  }
  // Check the key first, so that a typo costs the customer nothing but a second try.
  try {
    await new RackbeatClient(apiKey).getSelf();
  } catch (error) {
    if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
      return {
        fieldErrors: {
          apiKey: t("keyRefused"),
        },
      };
    }
    return { formError: t("rackbeatDown") };
  }
  redirect(await applyInstallStep(await finishEconomicFirst(pending, { apiKey })));
});
