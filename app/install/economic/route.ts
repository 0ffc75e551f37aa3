import { responder } from "@/app/responder";
import type { NextRequest } from "next/server";
import { clientKey } from "@/app/client-address";
import { accessInstallation } from "@/lib/auth/access";
import { startEconomicGrant } from "@/lib/installations/flows";
import { respond } from "../respond";

export const dynamic = "force-dynamic";

type Params = { intent: string | null; installation: string | null; lt: string | null };

async function start(request: NextRequest, params: Params) {
  const intent =
    params.intent === "reconnect" ? "reconnect" : params.intent === "signin" ? "signin" : "install";
  const step = await startEconomicGrant({
    intent,
    installationId: params.installation ?? undefined,
    // Reconnecting needs access to that installation (its session or its launch token); else none.
    allowedInstallationIds:
      intent === "reconnect"
        ? [(await accessInstallation(params.installation, params.lt))?.installation.id ?? ""].filter(Boolean)
        : [],
    clientKey: await clientKey(),
    acceptLanguage: request.headers.get("accept-language"),
  });
  return respond(step);
}

export const GET = responder(
  async (request: NextRequest) => {
    const q = request.nextUrl.searchParams;
    return start(request, { intent: q.get("intent"), installation: q.get("installation"), lt: q.get("lt") });
  },
  { page: true },
);

/**
 * The reconnect button posts here (target _top), so that the launch token travels in the body and never
 * lands in the top-level history or the address bar.
 */
export const POST = responder(
  async (request: NextRequest) => {
    const form = await request.formData();
    const field = (name: string) => {
      const v = form.get(name);
      return typeof v === "string" ? v : null;
    };
    return start(request, { intent: field("intent"), installation: field("installation"), lt: field("lt") });
  },
  { page: true },
);
