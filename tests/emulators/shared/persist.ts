import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Keeps an emulator's state in a JSON file, so that the sandbox survives `npm run dev` being stopped and
 * started (grants, installations, webhooks, documents). Tests use fresh in-memory emulators and never
 * pass a file. Maps and Sets are written as tagged arrays; the file is replaced atomically.
 */
const encode = (_key: string, value: unknown) =>
  value instanceof Map
    ? { __map: [...value.entries()] }
    : value instanceof Set
      ? { __set: [...value.values()] }
      : value;
const decode = (_key: string, value: unknown) => {
  if (value && typeof value === "object") {
    const v = value as { __map?: [unknown, unknown][]; __set?: unknown[] };
    if (v.__map) return new Map(v.__map);
    if (v.__set) return new Set(v.__set);
  }
  return value;
};

export type Persisted = {
  /** Called after every request that may have changed the state; writes shortly after, once. */
  changed: () => void;
  /** Writes now (on close). */
  flush: () => void;
};

/**
 * Loads `fields` of `state` from `file` if it exists, and returns the hooks that write them back. Only
 * the named fields are kept: faults, counters and timers start fresh on every start.
 */
export function persistState<S extends object>(
  state: S,
  file: string,
  fields: readonly (keyof S)[],
): Persisted {
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8"), decode) as Partial<S>;
    for (const field of fields) if (field in saved) (state as Record<keyof S, unknown>)[field] = saved[field];
  }
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    mkdirSync(path.dirname(file), { recursive: true });
    const data = Object.fromEntries(fields.map((f) => [f, state[f]]));
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data, encode));
    renameSync(tmp, file);
  };
  return {
    changed: () => {
      timer ??= setTimeout(flush, 200);
    },
    flush,
  };
}

/**
 * Wraps an app's fetch so that every request other than GET/HEAD marks the state changed. The server's
 * bindings (the Node request and socket, which the fault injection uses) are passed through.
 */
export const persistingFetch =
  (
    fetch: (request: Request, ...bindings: unknown[]) => Response | Promise<Response>,
    persisted: Persisted | undefined,
  ) =>
  async (request: Request, ...bindings: unknown[]) => {
    const response = await fetch(request, ...bindings);
    if (persisted && request.method !== "GET" && request.method !== "HEAD") persisted.changed();
    return response;
  };
