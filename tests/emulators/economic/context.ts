import type { Context } from "hono";
import type { HttpBindings } from "@hono/node-server";
import { EconomicError, rejectNulls, Violations } from "./errors";
import type { Agreement } from "./seed";
import type { EconomicState } from "./state";

export type EconomicEnv = {
  Bindings: HttpBindings;
  Variables: { agreement: Agreement; state: EconomicState; baseUrl: string };
};
export type Ctx = Context<EconomicEnv>;

/** Reads a JSON body, rejecting `null`s (E00500) anywhere in it before any other rule. */
export async function readBody(c: Ctx): Promise<unknown> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new EconomicError(400, "The request body is not valid JSON.");
  }
  const v = new Violations();
  rejectNulls(body, v);
  v.throwIfAny("Null values are not allowed.");
  return body;
}

export async function readObject(c: Ctx): Promise<Record<string, unknown>> {
  const body = await readBody(c);
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new EconomicError(400, "The request body must be a JSON object.");
  return body as Record<string, unknown>;
}

export const query = (c: Ctx) => new URL(c.req.url).searchParams;

/** Omits `false` booleans, as e-conomic does in responses. */
export function present<T>(value: T): T {
  if (Array.isArray(value)) return value.map(present) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as object)
        .filter(([, v]) => v !== false && v !== undefined)
        .map(([k, v]) => [k, present(v)]),
    ) as T;
  }
  return value;
}

export function notFound(what: string): never {
  throw new EconomicError(404, `${what} not found.`);
}
