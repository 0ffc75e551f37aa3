import { headers } from "next/headers";
import { clientKeyOf } from "@/lib/limits";

/**
 * The requesting client's address, hashed, for the limits on anonymous work. Vercel (and any sensible
 * proxy) sets `x-forwarded-for` with the client first; without a proxy every request shares one key,
 * which errs on the side of limiting.
 */
export async function clientKey(): Promise<string> {
  const h = await headers();
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim();
  return clientKeyOf(forwarded || h.get("x-real-ip"));
}
