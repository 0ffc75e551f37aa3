import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { INSTALL_PROBLEMS, isInstallProblemCode } from "@/lib/installations/problems";
import { logger } from "@/lib/log";
import { malformedActionBody, malformedActionResponse } from "./app/action-body";

const PROBLEM_PAGE = /^\/install\/problem\/([a-z_]+)$/;

/**
 * Our pages may be framed by Rackbeat (the settings open in its iframe) and by ourselves, nobody else.
 * The Rackbeat origin comes from RACKBEAT_API_URL at run time, so it is set here, not in next.config.
 * An install problem page is an answer to a request that failed, so it carries that status, not 200.
 */
export async function proxy(request: NextRequest) {
  const malformed = await malformedActionBody(request);
  if (malformed) {
    logger().info({ event: "action.malformed_body", path: request.nextUrl.pathname, reason: malformed });
    return malformedActionResponse();
  }
  const code = PROBLEM_PAGE.exec(request.nextUrl.pathname)?.[1];
  const status = code && isInstallProblemCode(code) ? INSTALL_PROBLEMS[code].status : undefined;
  const response = status ? NextResponse.next({ status }) : NextResponse.next();
  const { rackbeat, appUrl, nodeEnv } = env();
  response.headers.set(
    "Content-Security-Policy",
    `frame-ancestors 'self' ${new URL(rackbeat.apiUrl).origin}`,
  );
  // Production over HTTPS: browsers must never reach us over plain HTTP again (two years, as HSTS preload asks).
  if (nodeEnv === "production" && appUrl.startsWith("https://"))
    response.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|api/).*)"],
};
