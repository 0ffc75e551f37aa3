import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const tsx = path.join("node_modules", "tsx", "dist", "cli.mjs");
const run = (extra: Record<string, string>) => {
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    ...extra,
  } as unknown as NodeJS.ProcessEnv;
  return spawnSync(process.execPath, [tsx, "scripts/migrate.ts"], { env, encoding: "utf8", timeout: 30_000 });
};

describe("npm run db:migrate", () => {
  it("fails loudly in production without DATABASE_URL, naming it", () => {
    const result = run({ NODE_ENV: "production" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/DATABASE_URL: required in production/);
  });
  it("fails under CI without DATABASE_URL, naming it", () => {
    const result = run({ NODE_ENV: "development", CI: "1" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/DATABASE_URL is not set/);
  });
  it("leaves the database alone in a Vercel preview build unless previews have their own database", () => {
    const production = {
      NODE_ENV: "production",
      // Nothing listens here: a migration attempt would fail the run.
      DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
      AUTH_SECRET: "x".repeat(32),
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
      CRON_SECRET: "c".repeat(32),
      ECONOMIC_APP_SECRET_TOKEN: "secret",
      ECONOMIC_APP_PUBLIC_TOKEN: "public",
    };
    const preview = run({ ...production, VERCEL_ENV: "preview" });
    expect(preview.status).toBe(0);
    expect(preview.stdout).toMatch(/Preview deployment: migrations are not applied/);
    const own = run({ ...production, VERCEL_ENV: "preview", MIGRATE_PREVIEW_DATABASE: "1" });
    expect(own.status).not.toBe(0);
    expect(run({ ...production, VERCEL_ENV: "production" }).status).not.toBe(0);
  });
  it("explains and succeeds on a developer machine, where PGlite migrates itself", () => {
    const result = run({ NODE_ENV: "development" });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/embedded PGlite/);
  });
});
