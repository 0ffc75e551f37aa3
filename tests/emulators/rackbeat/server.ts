import { orderRoutes } from "./routes-orders";
import { Hono } from "hono";
import { commonControlRoutes, faultMiddleware } from "../shared/faults";
import { persistingFetch, persistState } from "../shared/persist";
import { listen, type RunningServer } from "../shared/serve";
import { type RackbeatEnv, RackbeatError } from "./context";
import { apiRoutes } from "./routes-api";
import { demoApiKey, RackbeatState, type RackbeatOptions } from "./state";
import { uiRoutes, uninstall } from "./ui";
import { emit } from "./webhooks";

/** A request token older than this cannot be accepted (the real lifetime is UNCERTAIN). */
export const REQUEST_TOKEN_TTL_MS = 60 * 60 * 1000;

/** A stateful Rackbeat: API subset under /api, integration accept/cancel, the Apps page, control endpoints. */
export function createRackbeatEmulator(options: RackbeatOptions = {}) {
  const state = new RackbeatState(options);
  const app = new Hono<RackbeatEnv>();

  app.onError((error, c) => {
    if (error instanceof RackbeatError)
      return c.json(
        { message: error.message, ...(error.errors ? { errors: error.errors } : {}) },
        error.status as 422,
      );
    console.error("[rackbeat emulator]", error);
    return c.json({ message: "Server Error" }, 500);
  });
  app.notFound((c) => c.json({ message: `No route ${c.req.method} ${new URL(c.req.url).pathname}.` }, 404));
  app.use("*", async (c, next) => {
    c.set("state", state);
    // Calls of the guessed mark-as-sent path, counted before any fault answers them (so a test can see
    // how often the app tries a call Rackbeat does not have).
    if (c.req.method === "POST" && c.req.path.endsWith("/mark-as-sent"))
      state.counters.add("requests.mark_as_sent");
    await next();
  });
  app.use(
    "*",
    faultMiddleware(
      () => state.faults,
      (p) => p.startsWith("/api/") || p.startsWith("/integration/"),
      (status) => ({ message: status === 429 ? "Too Many Attempts." : "Server Error" }),
    ),
  );

  // --- integration handshake (no auth header) --------------------------------------------------
  app.post("/integration/accept/:token", (c) => {
    const t = state.requestTokens.get(c.req.param("token"));
    if (!t) return c.json({ message: "Unknown integration token." }, 404);
    if (t.status !== "pending")
      return c.json({ message: `This integration token was already ${t.status}.` }, 410);
    if (Date.now() - t.createdAt > REQUEST_TOKEN_TTL_MS)
      return c.json({ message: "This integration token has expired." }, 410);
    t.status = "accepted";
    state.installed.add(`${t.accountId}:${state.appSlug}`);
    state.counters.add("integration.accepted");
    const origin = new URL(c.req.url).origin;
    return c.json({
      access_token: state.issueAccessToken(t.accountId, state.appSlug),
      app_slug: state.appSlug,
      redirect_to: `${origin}/apps/${state.appSlug}?account=${t.accountId}`,
    });
  });
  app.post("/integration/cancel/:token", (c) => {
    const t = state.requestTokens.get(c.req.param("token"));
    if (!t) return c.json({ message: "Unknown integration token." }, 404);
    if (t.status === "accepted") {
      // The app gave up after accepting: the install is undone and its tokens stop working.
      state.installed.delete(`${t.accountId}:${state.appSlug}`);
      for (const token of state.tokens.values())
        if (token.accountId === t.accountId && token.plugin === state.appSlug) token.revoked = true;
    }
    t.status = "cancelled";
    state.counters.add("integration.cancelled");
    return c.json({ success: true });
  });

  // --- control ---------------------------------------------------------------------------------
  commonControlRoutes(app, state);
  app.post("/__control/accounts", async (c) => {
    // The body is optional for this control call: no body (or not JSON) means "use the default name".
    const { name } = (await c.req.json().catch(() => ({}))) as { name?: string };
    return c.json(state.addAccount(name ?? "Testfirma ApS"), 201);
  });
  app.post("/__control/accounts/:id/request-token", (c) =>
    c.json(state.createRequestToken(Number(c.req.param("id"))), 201),
  );
  app.post("/__control/accounts/:id/uninstall", (c) => {
    uninstall(state, Number(c.req.param("id")), state.appSlug);
    return c.json({ ok: true });
  });
  app.post("/__control/revoke", async (c) => {
    const { token } = (await c.req.json()) as { token: string };
    const t = state.tokens.get(token);
    if (t) t.revoked = true;
    return c.json({ revoked: t ? 1 : 0 });
  });
  app.post("/__control/emit", async (c) => {
    const { accountId, event, key, key_name } = (await c.req.json()) as {
      accountId: number;
      event: string;
      key: string | number;
      key_name?: "id" | "number";
    };
    emit(state, accountId, event, { key, key_name: key_name ?? "number" });
    return c.json({ ok: true });
  });
  app.get("/__control/deliveries", (c) => c.json(state.deliveries));
  app.get("/__control/webhooks", (c) => c.json(state.webhooks));
  app.get("/__control/settings-urls", (c) => c.json(Object.fromEntries(state.settingsUrls)));

  // --- the API ---------------------------------------------------------------------------------
  app.use("/api/*", async (c, next) => {
    state.counters.add(`requests.${c.req.method}`);
    const bearer = /^Bearer (.+)$/.exec(c.req.header("Authorization") ?? "")?.[1];
    const token = bearer ? state.tokens.get(bearer) : undefined;
    if (!token || token.revoked) return c.json({ message: "Unauthenticated." }, 401);
    c.set("account", state.account(token.accountId));
    c.set("plugin", token.plugin);
    await next();
  });
  const api = apiRoutes();
  api.route("/", orderRoutes());
  app.route("/api", api);

  const callApi = async (accountId: number, method: string, path: string, body?: unknown) => {
    const res = await app.request(`/api${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${demoApiKey(accountId)}`,
        "Content-Type": "application/json",
        Accept: "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  app.route("/", uiRoutes(state, callApi));
  return { app, state };
}

export type RackbeatEmulator = ReturnType<typeof createRackbeatEmulator> & {
  server: RunningServer;
  close: () => Promise<void>;
};

export async function startRackbeatEmulator(
  options: RackbeatOptions & { port?: number; stateFile?: string } = {},
): Promise<RackbeatEmulator> {
  const emulator = createRackbeatEmulator(options);
  // The sandbox keeps accounts, tokens, installs, webhooks and settings URLs across restarts (not the
  // delivery log or pending retries); tests pass no file.
  const persisted = options.stateFile
    ? persistState(emulator.state, options.stateFile, [
        "accounts",
        "tokens",
        "requestTokens",
        "webhooks",
        "settingsUrls",
        "installed",
        "nextWebhookId",
        "nextDeliveryId",
      ])
    : undefined;
  const server = await listen(
    { fetch: persistingFetch((r, ...bindings) => emulator.app.fetch(r, ...(bindings as [])), persisted) },
    options.port ?? 0,
  );
  return {
    ...emulator,
    server,
    close: async () => {
      for (const t of emulator.state.timers) clearTimeout(t);
      persisted?.flush();
      await server.close();
    },
  };
}
