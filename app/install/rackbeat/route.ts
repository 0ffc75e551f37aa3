import { responder } from "@/app/responder";
import { cookies } from "next/headers";
import type { NextRequest } from "next/server";
import { clientKey } from "@/app/client-address";
import { startFromRackbeat } from "@/lib/installations/flows";
import { STATE_COOKIE } from "@/lib/installations/pending";
import { respond } from "../respond";

export const dynamic = "force-dynamic";

export const GET = responder(
  async (request: NextRequest) => {
    const step = await startFromRackbeat({
      requestToken: request.nextUrl.searchParams.get("token"),
      state: (await cookies()).get(STATE_COOKIE)?.value,
      clientKey: await clientKey(),
      acceptLanguage: request.headers.get("accept-language"),
    });
    return respond(step);
  },
  { page: true },
);
