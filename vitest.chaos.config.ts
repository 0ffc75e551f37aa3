import path from "node:path";
import { defineConfig } from "vitest/config";

/** `npm run test:chaos`: the reliability suite (long; CI runs it shortened with CHAOS_DOCUMENTS). */
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    environment: "node",
    include: ["tests/chaos/**/*.test.ts"],
    globalSetup: ["tests/setup/global.ts"],
    setupFiles: ["tests/setup/env.ts"],
    pool: "forks",
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 900_000,
    hookTimeout: 120_000,
  },
});
