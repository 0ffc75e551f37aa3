import type { NextRequest } from "next/server";
import { allowedInstallationIds } from "@/lib/auth/access";
import { startEconomicGrant } from "@/lib/installations/flows";
import { respond } from "../respond";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const params = request.nextUrl.searchParams;
  const intent =
    params.get("intent") === "reconnect"
      ? "reconnect"
      : params.get("intent") === "signin"
        ? "signin"
        : "install";
  const step = await startEconomicGrant({
    intent,
    installationId: params.get("installation") ?? undefined,
    allowedInstallationIds: await allowedInstallationIds(params.get("lt")),
    acceptLanguage: request.headers.get("accept-language"),
  });
  return respond(step);
}
