import { safeEqual } from "@/lib/crypto";
import { env } from "@/lib/env";

/**
 * Cron routes run only for `Authorization: Bearer $CRON_SECRET` (Vercel sends it). Without a configured
 * secret they run for nobody: they cost API calls.
 */
export function cronRefusal(request: Request): Response | undefined {
  const secret = env().cronSecret;
  if (!secret)
    return Response.json({ ok: false, message: "CRON_SECRET is not configured." }, { status: 503 });
  const given = request.headers.get("authorization") ?? "";
  if (!safeEqual(given, `Bearer ${secret}`))
    return Response.json(
      { ok: false, message: "Missing or wrong Authorization: Bearer <CRON_SECRET>." },
      { status: 401 },
    );
  return undefined;
}
