import { Hono } from "hono";
import { timingSafeEqual } from "node:crypto";
import { commonControlRoutes, faultMiddleware } from "../shared/faults";
import { persistingFetch, persistState } from "../shared/persist";
import { listen, type RunningServer } from "../shared/serve";
import type { EconomicEnv } from "./context";
import { EconomicError, errorBody, ERROR_CODES } from "./errors";
import { bookedEntryRoutes, bookkeeperControlRoutes } from "./booking";
import { orderControlRoutes, orderRoutes } from "./routes-orders";
import { sandboxOrderRoutes } from "./sandbox-orders";
import { grantPageRoutes } from "./grant-page";
import { idempotencyMiddleware } from "./idempotency";
import { invoiceRoutes } from "./routes-invoices";
import { journalRoutes } from "./routes-journals";
import { masterDataRoutes } from "./routes-master";
import { EconomicState, type EconomicOptions } from "./state";

const isApi = (path: string) =>
  !path.startsWith("/__control") && !path.startsWith("/secure/") && !path.startsWith("/sandbox/");

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** A stateful e-conomic: legacy REST subset, journals OpenAPI, the grant page, and control endpoints. */
export function createEconomicEmulator(options: EconomicOptions = {}) {
  const state = new EconomicState(options);
  const app = new Hono<EconomicEnv>();

  app.onError((error, c) => {
    if (error instanceof EconomicError) return c.json(error.body(), error.status as 400);
    console.error("[economic emulator]", error);
    return c.json(errorBody(500, "Internal error in the e-conomic emulator."), 500);
  });
  app.notFound((c) =>
    c.json(errorBody(404, `No route ${c.req.method} ${new URL(c.req.url).pathname}.`), 404),
  );

  app.use("*", async (c, next) => {
    c.set("state", state);
    c.set("baseUrl", new URL(c.req.url).origin);
    await next();
  });
  app.use(
    "*",
    faultMiddleware(
      () => state.faults,
      isApi,
      (status) => errorBody(status, status === 429 ? "Too many requests." : "Service unavailable."),
    ),
  );

  app.route("/", controlRoutes(state));
  app.route("/", grantPageRoutes());
  app.route("/", sandboxOrderRoutes(state));

  // Authentication, content type and verb rules for every API request.
  app.use("*", async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (!isApi(path)) return next();
    state.counters.add(`requests.${c.req.method}`);
    const secret = c.req.header("X-AppSecretToken") ?? "";
    const grant = state.grants.get(c.req.header("X-AgreementGrantToken") ?? "");
    if (!same(secret, state.appSecretToken) || !grant || grant.revoked) {
      return c.json(
        errorBody(401, "Token does not correspond to a valid grant.", {
          errorCode: ERROR_CODES.invalidGrant,
        }),
        401,
      );
    }
    if (c.req.method === "PATCH")
      return c.json(errorBody(405, "PATCH is not supported; PUT the whole object."), 405);
    if (
      (c.req.method === "POST" || c.req.method === "PUT") &&
      !(c.req.header("Content-Type") ?? "").includes("application/json")
    ) {
      return c.json(errorBody(415, "Content-Type must be application/json."), 415);
    }
    c.set("agreement", state.agreement(grant.agreementNumber));
    await next();
  });
  app.use("*", async (c, next) =>
    isApi(new URL(c.req.url).pathname) ? idempotencyMiddleware()(c, next) : next(),
  );

  app.route("/", masterDataRoutes());
  app.route("/", bookedEntryRoutes());
  app.route("/", invoiceRoutes());
  app.route("/", orderRoutes());
  app.route("/", journalRoutes());
  return { app, state };
}

function controlRoutes(state: EconomicState) {
  const r = new Hono<EconomicEnv>();
  commonControlRoutes(r, state);
  r.route(
    "/",
    bookkeeperControlRoutes((n) => state.agreements.get(n)),
  );
  r.route(
    "/",
    orderControlRoutes((n) => state.agreements.get(n)),
  );
  // Moves the emulator's clock forward (idempotency windows): `{ "advanceSeconds": 604800 }` is a week.
  r.post("/__control/clock", async (c) => {
    const { advanceSeconds } = (await c.req.json()) as { advanceSeconds: number };
    state.clockOffsetMs += Math.max(0, advanceSeconds) * 1000;
    return c.json({ now: new Date(state.now()).toISOString() });
  });
  r.post("/__control/grants", async (c) => {
    const { agreementNumber } = (await c.req.json()) as { agreementNumber: number };
    if (!state.agreements.has(agreementNumber))
      return c.json({ error: `No agreement ${agreementNumber}` }, 404);
    return c.json(state.issueGrant(agreementNumber), 201);
  });
  r.post("/__control/revoke", async (c) => {
    const { token, agreementNumber } = (await c.req.json()) as { token?: string; agreementNumber?: number };
    let revoked = 0;
    for (const grant of state.grants.values()) {
      if (
        (token && grant.token === token) ||
        (agreementNumber && grant.agreementNumber === agreementNumber)
      ) {
        grant.revoked = true;
        revoked += 1;
      }
    }
    return c.json({ revoked });
  });
  r.post("/__control/agreements", async (c) => {
    // The body is optional for this control call: no body (or not JSON) means "use the default name".
    const { name, ...size } = (await c.req.json().catch(() => ({}))) as {
      name?: string;
      products?: number;
      customers?: number;
      suppliers?: number;
    };
    const within = (n: unknown) =>
      Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 50_000 ? (n as number) : undefined;
    return c.json(
      state.addAgreement(name ?? "Testfirma ApS", {
        products: within(size.products),
        customers: within(size.customers),
        suppliers: within(size.suppliers),
      }),
      201,
    );
  });
  r.delete("/__control/agreements/:n/accounts/:account", (c) => {
    const a = state.agreements.get(Number(c.req.param("n")));
    if (!a) return c.json({ error: "not found" }, 404);
    a.accounts = a.accounts.filter((x) => x.accountNumber !== Number(c.req.param("account")));
    return c.json({ ok: true });
  });
  r.get("/__control/agreements", (c) =>
    c.json(
      [...state.agreements.values()].map((a) => ({
        agreementNumber: a.agreementNumber,
        name: a.company.name,
      })),
    ),
  );
  r.get("/__control/agreements/:n", (c) => {
    const a = state.agreements.get(Number(c.req.param("n")));
    if (!a) return c.json({ error: "not found" }, 404);
    return c.json({
      agreementNumber: a.agreementNumber,
      customers: a.customers.size,
      suppliers: a.suppliers.size,
      products: a.products.size,
      drafts: [...a.drafts.values()],
      booked: [...a.booked.values()],
      entries: a.entries,
    });
  });
  return r;
}

export type EconomicEmulator = ReturnType<typeof createEconomicEmulator> & { server: RunningServer };

export async function startEconomicEmulator(
  options: EconomicOptions & { port?: number; stateFile?: string } = {},
): Promise<EconomicEmulator> {
  const emulator = createEconomicEmulator(options);
  // The sandbox keeps agreements (with their documents) and grants across restarts; tests pass no file.
  const persisted = options.stateFile
    ? persistState(emulator.state, options.stateFile, ["agreements", "grants"])
    : undefined;
  const running = await listen(
    { fetch: persistingFetch((r, ...bindings) => emulator.app.fetch(r, ...(bindings as [])), persisted) },
    options.port ?? 0,
  );
  const server = {
    ...running,
    close: async () => {
      persisted?.flush();
      await running.close();
    },
  };
  return { ...emulator, server };
}
