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
  it("explains and succeeds on a developer machine, where PGlite migrates itself", () => {
    const result = run({ NODE_ENV: "development" });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/embedded PGlite/);
  });
});
