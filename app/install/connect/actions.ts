"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { validatedAction } from "@/app/validated-action";
import { HttpError } from "@/lib/http";
import { finishEconomicFirst } from "@/lib/installations/flows";
import { findPendingByState, isExpired, STATE_COOKIE } from "@/lib/installations/pending";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { applyInstallStep } from "../respond";

const connectSchema = z.object({
  apiKey: z.string().trim().min(16, "Paste the whole API key from Rackbeat → Company settings → API."),
});

/** Fallback for the Market path: connect Rackbeat with a pasted personal API key. */
export const connectWithApiKey = validatedAction(connectSchema, async ({ apiKey }) => {
  const pending = await findPendingByState((await cookies()).get(STATE_COOKIE)?.value);
  if (!pending || pending.origin !== "economic_first" || pending.consumedAt || isExpired(pending)) {
    return {
      formError:
        "No install is in progress in this browser any more. Approve the app in e-conomic again to start over.",
    };
  }
  // Check the key first, so that a typo costs the customer nothing but a second try.
  try {
    await new RackbeatClient(apiKey).getSelf();
  } catch (error) {
    if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
      return {
        fieldErrors: {
          apiKey: "Rackbeat did not accept this key. Copy it again from Company settings → API.",
        },
      };
    }
    return { formError: "Rackbeat could not be reached. Please try again in a moment." };
  }
  redirect(await applyInstallStep(await finishEconomicFirst(pending, { apiKey })));
});
