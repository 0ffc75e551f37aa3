/**
 * Everything that can go wrong during an install, as codes for the URL and the message catalog
 * (`problem.<code>` words it for the customer, with what to do next). `status` is the page's HTTP status (the
 * customer's request could not be completed; a service we depend on is a 503), `retry` the way back the
 * page offers. Details for the log stay on the server.
 */
export const INSTALL_PROBLEMS = {
  missing_rackbeat_token: { status: 400, retry: "rackbeat" },
  declined: { status: 403, retry: "rackbeat" },
  invalid_grant: { status: 400, retry: "economic" },
  state_mismatch: { status: 403, retry: "rackbeat" },
  expired: { status: 410, retry: "rackbeat" },
  already_completed: { status: 409, retry: "signin" },
  rackbeat_token_invalid: { status: 410, retry: "rackbeat" },
  rackbeat_key_invalid: { status: 400, retry: "connect" },
  rackbeat_unavailable: { status: 503, retry: "rackbeat" },
  economic_unavailable: { status: 503, retry: "rackbeat" },
  agreement_taken: { status: 409, retry: "rackbeat" },
  reconnect_mismatch: { status: 400, retry: "reconnect" },
  not_found: { status: 404, retry: "signin" },
  internal: { status: 500, retry: "rackbeat" },
  rate_limited: { status: 429, retry: "rackbeat" },
  too_many_installs: { status: 429, retry: "rackbeat" },
  consent_declined: { status: 400, retry: "rackbeat" },
} as const satisfies Record<
  string,
  { status: number; retry: "rackbeat" | "economic" | "signin" | "connect" | "reconnect" }
>;

export type InstallProblemCode = keyof typeof INSTALL_PROBLEMS;

export class InstallProblem extends Error {
  constructor(
    readonly code: InstallProblemCode,
    /** For the log only: never shown, never containing a token. */
    readonly details?: Record<string, unknown>,
  ) {
    super(`install problem: ${code}`);
    this.name = "InstallProblem";
  }
}

export const isInstallProblemCode = (code: string): code is InstallProblemCode =>
  Object.hasOwn(INSTALL_PROBLEMS, code);
