import type { Context } from "hono";
import type { HttpBindings } from "@hono/node-server";
import type { Account } from "./seed";
import type { RackbeatState } from "./state";

export type RackbeatEnv = {
  Bindings: HttpBindings;
  Variables: { state: RackbeatState; account: Account; plugin: string | null };
};
export type Ctx = Context<RackbeatEnv>;

/** Rackbeat's 422 shape: `{ message, errors: { field: [messages] } }`. */
export class RackbeatError extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly errors?: Record<string, string[]>,
  ) {
    super(message);
  }
}

export class Problems {
  errors: Record<string, string[]> = {};
  add(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
  }
  throwIfAny(): void {
    if (Object.keys(this.errors).length)
      throw new RackbeatError(422, "The given data was invalid.", this.errors);
  }
}

export async function jsonBody(c: Ctx): Promise<Record<string, unknown>> {
  try {
    const body = await c.req.json();
    if (body && typeof body === "object" && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new RackbeatError(400, "The request body must be a JSON object.");
}

/** The documented list shape: HTTP 206 with `{ <plural>, total, pages, limit, page }`. */
export function page<T>(c: Ctx, key: string, unordered: readonly T[]) {
  const q = new URL(c.req.url).searchParams;
  const limit = Math.min(Math.max(Number(q.get("limit") ?? 20) || 20, 1), 1000);
  const pageNumber = Math.max(Number(q.get("page") ?? 1) || 1, 1);
  // `order_by=<field>&order_direction=ASC|DESC` (rackbeat-api.md §4 "Query parameters", shown with
  // `created_at`); that any field, `updated_at` included, sorts is our assumption, and the reconcile sweep
  // checks the order it gets (lib/transfers/reconcile.ts). Ties keep their order.
  const orderBy = q.get("order_by");
  const descending = (q.get("order_direction") ?? "ASC").toUpperCase() === "DESC";
  const items = orderBy
    ? [...unordered].sort((a, b) => {
        const x = String((a as Record<string, unknown>)[orderBy] ?? "");
        const y = String((b as Record<string, unknown>)[orderBy] ?? "");
        return (x < y ? -1 : x > y ? 1 : 0) * (descending ? -1 : 1);
      })
    : unordered;
  const total = items.length;
  return c.json(
    {
      [key]: items.slice((pageNumber - 1) * limit, pageNumber * limit),
      total,
      pages: Math.max(1, Math.ceil(total / limit)),
      limit,
      page: pageNumber,
    },
    206,
  );
}

/** `?suppress_webhooks=true` on the URL or `"suppress_webhooks": true` in the body. */
export const suppressed = (c: Ctx, body?: Record<string, unknown>) =>
  new URL(c.req.url).searchParams.get("suppress_webhooks") === "true" || body?.suppress_webhooks === true;

/** Numbers in URLs: clients single- or double-encode (rackbeat-api.md §4); accept both. */
export function keyFromUrl(raw: string): string[] {
  const once = safeDecode(raw);
  const twice = safeDecode(once);
  return once === twice ? [once] : [once, twice];
}
const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
