import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

describe("parseEnv", () => {
  it("defaults to sandbox mode on the local emulators outside production", () => {
    const env = parseEnv({ NODE_ENV: "development" });
    expect(env.sandbox).toBe(true);
    expect(env.economic.apiUrl).toBe("http://127.0.0.1:4010");
    expect(env.rackbeat.apiUrl).toBe("http://127.0.0.1:4020/api");
    expect(env.tokenEncryptionKey).toHaveLength(32);
    expect(env.appUrl).toBe("http://localhost:3000");
  });
  it("uses the real services when real e-conomic tokens are set", () => {
    const env = parseEnv({
      NODE_ENV: "development",
      ECONOMIC_APP_SECRET_TOKEN: "s",
      ECONOMIC_APP_PUBLIC_TOKEN: "p",
    });
    expect(env.sandbox).toBe(false);
    expect(env.economic.apiUrl).toBe("https://restapi.e-conomic.com");
    expect(env.economic.openApiUrl).toBe("https://apis.e-conomic.com");
    expect(env.economic.secureUrl).toBe("https://secure.e-conomic.com");
    expect(env.rackbeat.integrationUrl).toBe("https://app.rackbeat.com/integration");
  });
  it("honours every URL override and strips trailing slashes", () => {
    const env = parseEnv({
      NODE_ENV: "development",
      ECONOMIC_API_URL: "http://e.test/",
      RACKBEAT_API_URL: "http://r.test/api/",
      APP_URL: "https://app.test/",
    });
    expect(env.economic.apiUrl).toBe("http://e.test");
    expect(env.rackbeat.apiUrl).toBe("http://r.test/api");
    expect(env.appUrl).toBe("https://app.test");
  });
  it("names every missing production variable in one message", () => {
    let error: unknown;
    try {
      parseEnv({ NODE_ENV: "production" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    for (const name of [
      "DATABASE_URL",
      "AUTH_SECRET",
      "TOKEN_ENCRYPTION_KEY",
      "CRON_SECRET",
      "ECONOMIC_APP_SECRET_TOKEN",
      "ECONOMIC_APP_PUBLIC_TOKEN",
    ])
      expect(message).toContain(`${name}: required in production`);
  });
  it("names malformed variables with what is expected", () => {
    expect(() =>
      parseEnv({ DATABASE_URL: "mysql://x", APP_URL: "not a url", TOKEN_ENCRYPTION_KEY: "c2hvcnQ=" }),
    ).toThrow(
      /DATABASE_URL: must start with postgres[\s\S]*APP_URL: must be an absolute URL[\s\S]*TOKEN_ENCRYPTION_KEY: must be 32 bytes/,
    );
  });
  it("refuses production without DATABASE_URL even when everything else is set", () => {
    const complete = {
      NODE_ENV: "production",
      AUTH_SECRET: "a".repeat(32),
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
      CRON_SECRET: "c".repeat(16),
      ECONOMIC_APP_SECRET_TOKEN: "s",
      ECONOMIC_APP_PUBLIC_TOKEN: "p",
    };
    expect(() => parseEnv(complete)).toThrow(/DATABASE_URL: required in production/);
    expect(parseEnv({ ...complete, DATABASE_URL: "postgres://db/app" }).databaseUrl).toBe(
      "postgres://db/app",
    );
    // An explicit embedded directory is a deliberate choice (a local production build), not a silent one.
    expect(parseEnv({ ...complete, PGLITE_DIR: "/tmp/x" }).pgliteDir).toBe("/tmp/x");
  });
  it("treats blank values as unset", () => {
    expect(parseEnv({ NODE_ENV: "development", DATABASE_URL: "" }).databaseUrl).toBeUndefined();
  });
});
