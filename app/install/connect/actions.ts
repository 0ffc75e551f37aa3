"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { clientKey } from "@/app/client-address";
import { wordMessage } from "@/app/i18n/catalog";
import { validatedAction } from "@/app/validated-action";
import { connectRackbeatWithApiKey } from "@/lib/installations/api-key";
import { STATE_COOKIE } from "@/lib/installations/pending";

const connectSchema = z.object({
  apiKey: z.string().trim().min(16, "connect.keyTooShort").max(512, "connect.keyTooShort"),
});

/** Fallback for the Market path: name the Rackbeat side with a pasted personal API key, then confirm. */
export const connectWithApiKey = validatedAction(connectSchema, async ({ apiKey }) => {
  const result = await connectRackbeatWithApiKey({
    state: (await cookies()).get(STATE_COOKIE)?.value,
    apiKey,
    clientKey: await clientKey(),
  });
  if (result.ok) redirect(result.redirectTo);
  const words = wordMessage(await getTranslations(), result.message);
  return result.field ? { fieldErrors: { [result.field]: words } } : { formError: words };
});
