import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { AddressInfo } from "node:net";

export type RunningServer = { url: string; port: number; close: () => Promise<void> };

/** Starts a Hono app (or anything with its `fetch`) on 127.0.0.1 (port 0 = any free port). */
export function listen(
  app: Hono<any> | { fetch: (request: Request, ...bindings: any[]) => Response | Promise<Response> },
  port = 0,
  hostname = "127.0.0.1",
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      const host = hostname === "0.0.0.0" ? "127.0.0.1" : hostname;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
    server.once("error", reject);
  });
}

/** Counts what an emulator created or was asked, for tests and benchmarks. */
export class Counters {
  private values = new Map<string, number>();
  add(name: string, by = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + by);
  }
  get(name: string): number {
    return this.values.get(name) ?? 0;
  }
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.values.entries()].sort());
  }
  reset(): void {
    this.values.clear();
  }
}

export const escapeHtml = (s: unknown) =>
  String(s ?? "").replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );
