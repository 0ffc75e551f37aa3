import { randomBytes } from "node:crypto";
import { z } from "zod";

/**
 * The only module that reads process.env. Everything else asks `env()`.
 *
 * Sandbox mode: outside production, when no real e-conomic app secret is configured, every external
 * URL defaults to the local emulators (started by `npm run dev` and by the tests).
 */

export const SANDBOX_PORTS = { economic: 4010, rackbeat: 4020, mailSmtp: 4025, mailWeb: 4026 } as const;
export const SANDBOX_ECONOMIC_TOKENS = {
  appSecretToken: "sandbox-app-secret-token",
  appPublicToken: "sandbox-app-public-token",
} as const;

const url = z
  .string()
  .url("must be an absolute URL such as https://example.com")
  .transform((u) => u.replace(/\/+$/, ""));
const base64Key = z
  .string()
  .refine(
    (v) => Buffer.from(v, "base64").length === 32,
    "must be 32 bytes encoded as base64 (openssl rand -base64 32)",
  );

const raw = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  PGLITE_DIR: z.string().optional(),
  APP_URL: url.default("http://localhost:3000"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)").optional(),
  TOKEN_ENCRYPTION_KEY: base64Key.optional(),
  CRON_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  ECONOMIC_APP_SECRET_TOKEN: z.string().min(1).optional(),
  ECONOMIC_APP_PUBLIC_TOKEN: z.string().min(1).optional(),
  ECONOMIC_API_URL: url.optional(),
  ECONOMIC_OPENAPI_URL: url.optional(),
  ECONOMIC_SECURE_URL: url.optional(),
  RACKBEAT_API_URL: url.optional(),
  RACKBEAT_INTEGRATION_URL: url.optional(),
  SANDBOX_ECONOMIC_PORT: z.coerce.number().int().positive().optional(),
  SANDBOX_RACKBEAT_PORT: z.coerce.number().int().positive().optional(),
  SANDBOX_MAIL_SMTP_PORT: z.coerce.number().int().positive().optional(),
  /** Where alerts are sent from: `smtp://user:password@host:587` (STARTTLS) or `smtps://…:465`. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, "must look like smtp://user:password@host:587")
    .optional(),
  /** The alerts' sender, e.g. `Rackbeat → e-conomic <alerts@example.com>`. */
  MAIL_FROM: z.string().min(3).max(200).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  CI: z.string().optional(),
  /** Set by Vercel on every build and function: `production`, `preview` or `development`. */
  VERCEL_ENV: z.enum(["production", "preview", "development"]).optional(),
  /** `1`: preview deployments have a database of their own, which their builds may migrate. */
  MIGRATE_PREVIEW_DATABASE: z.enum(["0", "1"]).optional(),
});

export type Env = {
  nodeEnv: "development" | "production" | "test";
  sandbox: boolean;
  databaseUrl?: string;
  pgliteDir?: string;
  appUrl: string;
  authSecret: string;
  tokenEncryptionKey: Buffer;
  cronSecret?: string;
  logLevel?: string;
  /** Running under CI (`CI` set): scripts that would quietly skip work fail instead. */
  ci: boolean;
  /** Vercel's deployment kind, when built or run there. */
  vercelEnv?: "production" | "preview" | "development";
  /** Whether a preview deployment's build may migrate the database it names (a database of its own). */
  migratePreviewDatabase: boolean;
  economic: {
    appSecretToken: string;
    appPublicToken: string;
    apiUrl: string;
    openApiUrl: string;
    secureUrl: string;
  };
  rackbeat: { apiUrl: string; integrationUrl: string };
  /** Alerts by e-mail (lib/alerts/): unset SMTP outside the sandbox means alerts cannot be sent (said on the transfer). */
  mail: { smtpUrl?: string; from: string };
};

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      `Invalid environment configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee README.md, "Production setup".`,
    );
    this.name = "EnvError";
  }
}

/** Parses an environment object; exported separately so tests can check the messages. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // Treat empty strings as unset: hosting dashboards often save blank values.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = raw.safeParse(cleaned);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join(".")}: ${issue.message}`);
    throw new EnvError(problems);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  const sandbox = !production && !e.ECONOMIC_APP_SECRET_TOKEN;

  if (production) {
    // An explicit PGLITE_DIR is a deliberate embedded database (a local production build); a missing
    // DATABASE_URL is not, and would otherwise run the app on an empty in-memory database.
    if (!e.DATABASE_URL && !e.PGLITE_DIR)
      problems.push("DATABASE_URL: required in production (a postgres:// connection string)");
    for (const name of [
      "AUTH_SECRET",
      "TOKEN_ENCRYPTION_KEY",
      "CRON_SECRET",
      "ECONOMIC_APP_SECRET_TOKEN",
      "ECONOMIC_APP_PUBLIC_TOKEN",
    ] as const) {
      if (!e[name]) problems.push(`${name}: required in production`);
    }
  } else if (e.ECONOMIC_APP_SECRET_TOKEN && !e.ECONOMIC_APP_PUBLIC_TOKEN) {
    problems.push("ECONOMIC_APP_PUBLIC_TOKEN: required when ECONOMIC_APP_SECRET_TOKEN is set");
  }
  if (problems.length) throw new EnvError(problems);

  const economicPort = e.SANDBOX_ECONOMIC_PORT ?? SANDBOX_PORTS.economic;
  const rackbeatPort = e.SANDBOX_RACKBEAT_PORT ?? SANDBOX_PORTS.rackbeat;
  const economicEmulator = `http://127.0.0.1:${economicPort}`;
  const rackbeatEmulator = `http://127.0.0.1:${rackbeatPort}`;

  return {
    nodeEnv: e.NODE_ENV,
    sandbox,
    databaseUrl: e.DATABASE_URL,
    pgliteDir: e.PGLITE_DIR,
    appUrl: e.APP_URL,
    // Outside production a missing secret is generated per process; `npm run dev` persists one in .data/.
    authSecret: e.AUTH_SECRET ?? randomBytes(32).toString("base64"),
    tokenEncryptionKey: Buffer.from(e.TOKEN_ENCRYPTION_KEY ?? randomBytes(32).toString("base64"), "base64"),
    cronSecret: e.CRON_SECRET,
    logLevel: e.LOG_LEVEL,
    ci: Boolean(e.CI && e.CI !== "false" && e.CI !== "0"),
    vercelEnv: e.VERCEL_ENV,
    migratePreviewDatabase: e.MIGRATE_PREVIEW_DATABASE === "1",
    economic: {
      appSecretToken: e.ECONOMIC_APP_SECRET_TOKEN ?? SANDBOX_ECONOMIC_TOKENS.appSecretToken,
      appPublicToken: e.ECONOMIC_APP_PUBLIC_TOKEN ?? SANDBOX_ECONOMIC_TOKENS.appPublicToken,
      apiUrl: e.ECONOMIC_API_URL ?? (sandbox ? economicEmulator : "https://restapi.e-conomic.com"),
      openApiUrl: e.ECONOMIC_OPENAPI_URL ?? (sandbox ? economicEmulator : "https://apis.e-conomic.com"),
      secureUrl: e.ECONOMIC_SECURE_URL ?? (sandbox ? economicEmulator : "https://secure.e-conomic.com"),
    },
    mail: {
      smtpUrl:
        e.SMTP_URL ??
        (sandbox ? `smtp://127.0.0.1:${e.SANDBOX_MAIL_SMTP_PORT ?? SANDBOX_PORTS.mailSmtp}` : undefined),
      from: e.MAIL_FROM ?? "Rackbeat → e-conomic <alerts@localhost>",
    },
    rackbeat: {
      apiUrl: e.RACKBEAT_API_URL ?? (sandbox ? `${rackbeatEmulator}/api` : "https://app.rackbeat.com/api"),
      integrationUrl:
        e.RACKBEAT_INTEGRATION_URL ??
        (sandbox ? `${rackbeatEmulator}/integration` : "https://app.rackbeat.com/integration"),
    },
  };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests change process.env between cases; this forgets the cached parse. */
export function resetEnvForTests(): void {
  cached = undefined;
}
