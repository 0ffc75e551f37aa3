import pino, { type Logger } from "pino";
import { env } from "@/lib/env";

/**
 * One structured logger: JSON lines on stdout, with the installation, transfer and request ids as fields
 * (pass them to `log.child({ installationId, transferId, requestId })`). Values under any key that names
 * a secret are replaced, wherever they sit in the object, so a token never reaches a log line.
 */
const SECRET_KEYS = [
  "token",
  "accessToken",
  "access_token",
  "grantToken",
  "economicGrantToken",
  "rackbeatAccessToken",
  "requestToken",
  "apiKey",
  "secret",
  "password",
  "authorization",
  "Authorization",
  "X-AppSecretToken",
  "X-AgreementGrantToken",
  "x-appsecrettoken",
  "x-agreementgranttoken",
  "Rackbeat-Webhook-Token",
  "rackbeat-webhook-token",
  "cookie",
];
// pino's redaction needs one path per depth; four levels cover every object this app logs.
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const dot = k.startsWith("[") ? k : `.${k}`;
  return [k, `*${dot}`, `*.*${dot}`, `*.*.*${dot}`];
});

function create(): Logger {
  const { nodeEnv, logLevel } = env();
  return pino({
    level: logLevel ?? (nodeEnv === "test" ? "silent" : "info"),
    base: { service: "rackbeat-economic" },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

let root: Logger | undefined;

/** The app's logger; created on first use so that importing it never reads the environment early. */
export function logger(): Logger {
  root ??= create();
  return root;
}

/** For tests: log into `destination` (one JSON object per line). */
export function loggerTo(destination: { write(line: string): void }): Logger {
  return pino(
    { level: "debug", redact: { paths: REDACT_PATHS, censor: "[redacted]" } },
    destination as pino.DestinationStream,
  );
}

/** An error as log fields: its name, message and, for HTTP failures, the status (never the body's secrets). */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const extra = error as Error & { status?: number; service?: string; code?: string };
  return {
    error: {
      name: error.name,
      message: error.message,
      status: extra.status,
      service: extra.service,
      code: extra.code,
      // A vendor's answer (it names its service) is described by its status; anything else is ours or the
      // database's, and only its stack says where.
      ...(extra.service
        ? {}
        : { stack: error.stack, cause: error.cause === undefined ? undefined : String(error.cause) }),
    },
  };
}

/**
 * A `.catch` handler for best-effort work whose failure must not stop the caller but must be seen:
 * `await cancelIntegration(token).catch(loggedAndIgnored("install.cancel_failed"))`.
 */
export const loggedAndIgnored =
  (event: string, fields: Record<string, unknown> = {}) =>
  (error: unknown): undefined => {
    logger().warn({ event, ...fields, ...errorFields(error) }, event);
    return undefined;
  };
