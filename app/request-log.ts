import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import { logger } from "@/lib/log";

/**
 * The logger for the current request: every line carries the request id (Vercel's `x-vercel-id`, a
 * proxy's `x-request-id`, or a fresh one), so that one request's lines can be found together.
 */
export async function requestLogger() {
  return logger().child({ requestId: requestIdFrom(await headers()) });
}

/** A request's id: Vercel's (`x-vercel-id`), a proxy's (`x-request-id`), or a fresh one. */
export const requestIdFrom = (h: Headers) => h.get("x-request-id") ?? h.get("x-vercel-id") ?? randomUUID();
