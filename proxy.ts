import { NextResponse } from "next/server";
import { env } from "@/lib/env";

/**
 * Our pages may be framed by Rackbeat (the settings open in its iframe) and by ourselves, nobody else.
 * The Rackbeat origin comes from RACKBEAT_API_URL at run time, so it is set here, not in next.config.
 */
export function proxy() {
  const response = NextResponse.next();
  const rackbeat = new URL(env().rackbeat.apiUrl).origin;
  response.headers.set("Content-Security-Policy", `frame-ancestors 'self' ${rackbeat}`);
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/).*)"],
};
