import type { MiddlewareHandler } from "hono";
import type { EconomicEnv } from "./context";
import { errorBody } from "./errors";

/**
 * e-conomic's `Idempotency-Key` on writes (economic-constraints.md, "Idempotency-Key"; e-conomic's
 * OpenAPI introduction, "Idempotency tokens"):
 * - a repeat within one hour gets the first response, marked `X-ResultFromCache: true`, and nothing is
 *   done again;
 * - a key used again on another URL (or verb) is refused with 400 "URLChanged";
 * - after the hour the key is forgotten and the write is done again;
 * - GET carries no key (ignored).
 * Only a 2xx answer is kept (assumed: the docs describe replaying a result, and a refused write did
 * nothing to protect). The hour runs on the emulator's clock, which tests move with `/__control/clock`.
 */
export const IDEMPOTENCY_WINDOW_MS = 60 * 60 * 1000;

export function idempotencyMiddleware(): MiddlewareHandler<EconomicEnv> {
  return async (c, next) => {
    const key = c.req.header("Idempotency-Key");
    if (c.req.method === "GET") return next();
    // Counted so that a test can assert that every write of the app carried a key.
    if (!key) {
      c.get("state").counters.add("writes.withoutIdempotencyKey");
      return next();
    }
    const a = c.get("agreement");
    const state = c.get("state");
    const target = `${c.req.method} ${new URL(c.req.url).pathname}`;
    const now = state.now();
    const kept = a.idempotency.get(key);
    if (kept && now - kept.at < IDEMPOTENCY_WINDOW_MS) {
      if (kept.target !== target)
        return c.json(
          errorBody(400, "URLChanged: this Idempotency-Key was used for another request.", {
            errorCode: "URLChanged",
          }),
          400,
        );
      state.counters.add("idempotency.replayed");
      c.header("X-ResultFromCache", "true");
      return c.json(kept.body as object, kept.status as 200);
    }
    await next();
    if (c.res.status >= 200 && c.res.status < 300) {
      const body = await c.res
        .clone()
        .json()
        .catch(() => undefined);
      a.idempotency.set(key, { target, status: c.res.status, body, at: now });
    }
  };
}
