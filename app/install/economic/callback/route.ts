import { responder } from "@/app/responder";
import { cookies } from "next/headers";
import type { NextRequest } from "next/server";
import { clientKey } from "@/app/client-address";
import { handleEconomicCallback } from "@/lib/installations/flows";
import { STATE_COOKIE } from "@/lib/installations/pending";
import { respond } from "../../respond";

export const dynamic = "force-dynamic";

export const GET = responder(
  async (request: NextRequest) => {
    const step = await handleEconomicCallback({
      query: request.nextUrl.searchParams,
      state: (await cookies()).get(STATE_COOKIE)?.value,
      clientKey: await clientKey(),
    });
    return respond(step);
  },
  { page: true },
);
