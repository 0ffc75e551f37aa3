import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { redirect } from "next/navigation";
import { describe, expect, it } from "vitest";
import { responder } from "@/app/responder";

/** One responder for route handlers (app/responder.ts): a fault is a logged 500 with a request id. */
const request = (headers: Record<string, string> = {}) =>
  new Request("http://localhost:3000/api/something", { headers });

describe("the route responder", () => {
  it("passes the handler's own answers through, 4xx included", async () => {
    const handler = responder(async (_request: Request) =>
      Response.json({ ok: false, message: "Name the account." }, { status: 400 }),
    );
    const answer = await handler(request());
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ ok: false, message: "Name the account." });
  });

  it("answers a fault no rule expected with a 500 that names the request id, as JSON", async () => {
    const handler = responder(async (_request: Request): Promise<Response> => {
      throw new TypeError("Cannot read properties of undefined");
    });
    const answer = await handler(request({ "x-request-id": "req-123" }));
    expect(answer.status).toBe(500);
    expect(answer.headers.get("x-request-id")).toBe("req-123");
    const body = await answer.json();
    expect(body).toMatchObject({ ok: false, code: "internal", requestId: "req-123" });
    expect(body.message).toMatch(/quote req-123/);
    // A fresh id when the platform gave none.
    const fresh = await (await handler(request())).json();
    expect(fresh.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sends a browser to the problem page with the reference, for routes a browser opens", async () => {
    const handler = responder(
      async (_request: Request): Promise<Response> => {
        throw new Error("boom");
      },
      { page: true },
    );
    const answer = await handler(request({ "x-request-id": "req-9" }));
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toMatch(/\/install\/problem\/internal\?ref=req-9$/);
  });

  it("lets Next's own control flow through (redirect)", async () => {
    const handler = responder(async (_request: Request): Promise<Response> => redirect("/somewhere"));
    await expect(handler(request())).rejects.toThrow(/NEXT_REDIRECT/);
  });

  it("every route handler but next-auth's answers through it", () => {
    const root = path.resolve(__dirname, "../..");
    const routes = (dir: string): string[] =>
      readdirSync(path.join(root, dir)).flatMap((name) => {
        const relative = path.join(dir, name);
        if (statSync(path.join(root, relative)).isDirectory()) return routes(relative);
        return name === "route.ts" ? [relative] : [];
      });
    const all = routes("app").filter((r) => !r.includes("[...nextauth]"));
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const route of all) {
      const source = readFileSync(path.join(root, route), "utf8");
      expect({ route, plain: /export async function (GET|POST)/.test(source) }).toEqual({
        route,
        plain: false,
      });
      expect({ route, wrapped: /= responder\(/.test(source) }).toEqual({ route, wrapped: true });
    }
  });
});
