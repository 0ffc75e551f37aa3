import { randomBytes } from "node:crypto";
import { describeEconomicError } from "@/lib/economic/client";
import { HttpError, NetworkError } from "@/lib/http";
import { message, type Message } from "@/lib/messages";
import type { AttemptResult } from "./queue";

type Failure = Exclude<AttemptResult, { outcome: "succeeded" | "continued" }>;

/** A failure a transfer step decided on itself (a document that is not booked, a missing setting). */
export class TransferFailure extends Error {
  constructor(readonly result: Failure) {
    super(`transfer ${result.outcome}: ${result.message.code}`);
    this.name = "TransferFailure";
  }
}

export const skip = (m: Message) => new TransferFailure({ outcome: "skipped", message: m });
export const fail = (m: Message) => new TransferFailure({ outcome: "failed", message: m });

/** The sections of the settings a transfer can wait on (the first part of a settings path). */
export type SettingsSection =
  "layouts" | "mappings" | "accounting" | "creditor" | "debtor" | "inventory" | "alerts";
/**
 * A failure a setting caused: it records which section, so that saving a change there queues the
 * transfer again by itself (lib/transfers/retry.ts, `requeueWaitingOn`).
 */
export const failOnSetting = (section: SettingsSection, m: Message) =>
  fail({ code: m.code, params: { ...m.params, setting: section } });

/** `…/api/customer-invoices/10042` → `customer-invoices`: the resource a Rackbeat key may lack. */
export function rackbeatResourceOf(url: string | undefined): string {
  const path = url ? new URL(url).pathname.replace(/^.*\/api\//, "") : "";
  return path.split("/")[0] || "?";
}

/**
 * What an error means for the transfer: try again later (network, 5xx, 429 with its Retry-After), stop
 * and show e-conomic's own words (a 4xx from e-conomic), pause the installation (a revoked grant), or,
 * for anything else, a fault on our side with a log reference.
 */
export function classify(error: unknown): Failure {
  if (error instanceof TransferFailure) return error.result;
  if (error instanceof NetworkError)
    return { outcome: "retry", message: message("transfer.service_unreachable", { service: error.service }) };
  if (error instanceof HttpError) {
    const busy = error.status === 429 || error.status >= 500;
    if (busy)
      return {
        outcome: "retry",
        message: message("transfer.service_busy", { service: error.service }),
        httpStatus: error.status,
        retryAfterSeconds: error.retryAfterSeconds,
      };
    if (error.service === "e-conomic") {
      const { message: vendorMessage, logId } = describeEconomicError(error);
      if (error.status === 401)
        return {
          outcome: "paused",
          message: message("transfer.economic_access_revoked"),
          httpStatus: 401,
          logId,
        };
      return {
        outcome: "failed",
        message: message("transfer.economic_refused"),
        vendorMessage,
        httpStatus: error.status,
        logId,
      };
    }
    // Rackbeat took the app's access back: the installation pauses until it is installed again.
    if (error.status === 401)
      return { outcome: "paused", message: message("transfer.rackbeat_access_revoked"), httpStatus: 401 };
    // A key scoped to some resources only (rackbeat-api.md §8): name the one that was refused.
    if (error.status === 403)
      return {
        outcome: "failed",
        message: message("transfer.rackbeat_forbidden", { resource: rackbeatResourceOf(error.url) }),
        httpStatus: 403,
      };
    const body = error.body as { message?: unknown } | undefined;
    return {
      outcome: "failed",
      message: message("transfer.rackbeat_refused"),
      vendorMessage: typeof body?.message === "string" ? body.message : undefined,
      httpStatus: error.status,
    };
  }
  // A fault no rule expected: tried a few times (policy FAULT_ATTEMPTS), and shown with the reference that
  // finds its log line (with the stack) for support.
  return {
    outcome: "retry",
    message: message("transfer.internal", { reference: randomBytes(4).toString("hex") }),
    fault: true,
  };
}
