import type { Context, Env, Hono, MiddlewareHandler } from "hono";
import type { HttpBindings } from "@hono/node-server";

/**
 * Fault injection shared by both emulators, set through their control endpoints:
 * latency, failures by status, 429 with Retry-After, and "commit then time out" (the write happens,
 * the client never gets an answer).
 */
export type FaultRule = {
  /** Only requests whose path starts with this (and, if set, whose method matches). */
  path?: string;
  method?: string;
  /** How many matching requests to affect; undefined = until cleared. */
  count?: number;
  /** Probability 0..1 that a matching request is affected (default 1). */
  rate?: number;
  /** Let this many matching requests through untouched first (a fault in the middle of a run). */
  after?: number;
};
export type Faults = {
  latencyMs: number;
  failures: (FaultRule & { status: number; body?: unknown })[];
  rateLimits: (FaultRule & { retryAfterSeconds: number })[];
  commitThenTimeout: (FaultRule & { hangMs?: number })[];
  /**
   * A server-side request rate, as a token bucket: `perSecond` tokens a second, at most `burst` saved up.
   * A request finding the bucket empty gets 429 with Retry-After (whole seconds, rounded up). Neither
   * vendor documents its limit (rackbeat-api.md "Rate limits": no official number, back off on 429;
   * the e-conomic fair-use policy, economic-api.md Sources [GUIDE]), so the rate is a test knob, not a rule.
   */
  requestRate?: { perSecond: number; burst?: number; tokens?: number; at?: number; limited?: number };
};

export const emptyFaults = (): Faults => ({
  latencyMs: 0,
  failures: [],
  rateLimits: [],
  commitThenTimeout: [],
});

function take<T extends FaultRule>(rules: T[], method: string, path: string): T | undefined {
  for (const rule of rules) {
    if (rule.path && !path.startsWith(rule.path)) continue;
    if (rule.method && rule.method.toUpperCase() !== method) continue;
    if (rule.after !== undefined && rule.after > 0) {
      rule.after -= 1;
      continue;
    }
    if (rule.count !== undefined && rule.count <= 0) continue;
    if (rule.rate !== undefined && Math.random() >= rule.rate) continue;
    if (rule.count !== undefined) rule.count -= 1;
    return rule;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Applies the faults to every request for which `applies` is true (the API, not the control routes). */
export function faultMiddleware(
  getFaults: () => Faults,
  applies: (path: string) => boolean,
  errorBody: (status: number, c: Context) => unknown,
): MiddlewareHandler<{ Bindings: HttpBindings }> {
  return async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (!applies(path)) return next();
    const faults = getFaults();
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const bucket = faults.requestRate;
    if (bucket) {
      const burst = bucket.burst ?? bucket.perSecond;
      const now = Date.now();
      bucket.tokens = Math.min(
        burst,
        (bucket.tokens ?? burst) + ((now - (bucket.at ?? now)) / 1000) * bucket.perSecond,
      );
      bucket.at = now;
      if (bucket.tokens < 1) {
        bucket.limited = (bucket.limited ?? 0) + 1;
        c.header("Retry-After", String(Math.max(1, Math.ceil((1 - bucket.tokens) / bucket.perSecond))));
        return c.json(errorBody(429, c) as object, 429);
      }
      bucket.tokens -= 1;
    }
    const limited = take(faults.rateLimits, c.req.method, path);
    if (limited) {
      c.header("Retry-After", String(limited.retryAfterSeconds));
      return c.json(errorBody(429, c) as object, 429);
    }
    const failure = take(faults.failures, c.req.method, path);
    if (failure)
      return c.json((failure.body ?? errorBody(failure.status, c)) as object, failure.status as 500);
    const hang = take(faults.commitThenTimeout, c.req.method, path);
    await next();
    if (hang) {
      // The write is committed; the caller gets no response and sees a timeout or a reset.
      await sleep(hang.hangMs ?? 15_000);
      c.env.incoming.socket.destroy();
    }
  };
}

type ControlledState = { faults: Faults; counters: { toJSON(): Record<string, number> }; reset(): void };

/** The control endpoints both emulators share: reset, counters, and setting or clearing faults. */
export function commonControlRoutes<E extends Env>(app: Hono<E>, state: ControlledState): void {
  app.post("/__control/reset", (c) => {
    state.reset();
    return c.json({ ok: true });
  });
  app.get("/__control/counters", (c) => c.json(state.counters.toJSON()));
  app.put("/__control/faults", async (c) => {
    state.faults = { ...emptyFaults(), ...((await c.req.json()) as Partial<Faults>) };
    return c.json(state.faults);
  });
  app.delete("/__control/faults", (c) => {
    state.faults = emptyFaults();
    return c.json(state.faults);
  });
}
