import { HttpError } from "@/lib/http";
import { takeRateLimit } from "@/lib/limits";
import { errorFields, logger } from "@/lib/log";
import { message, type Message } from "@/lib/messages";
import { RackbeatClient } from "@/lib/rackbeat/client";
import { CONSENT_PATH } from "./flows";
import { advance, awaitsRackbeat } from "./install-state";
import { findPendingByState } from "./pending";
import { findByRackbeatAccount } from "./repository";

export type ApiKeyResult =
  { ok: true; redirectTo: string } | { ok: false; field?: "apiKey"; message: Message };

/**
 * The fallback of the Market path: the customer pastes a Rackbeat personal API key instead of clicking
 * Install in Rackbeat. The key only names the Rackbeat side; binding still waits for the confirmation.
 * An account that already has the app installed is refused: the Apps menu proves who administers it, a
 * key alone does not. Each attempt costs a Rackbeat call, so attempts are limited per address.
 */
export async function connectRackbeatWithApiKey(input: {
  state: string | undefined;
  apiKey: string;
  clientKey: string;
}): Promise<ApiKeyResult> {
  const pending = await findPendingByState(input.state);
  if (!awaitsRackbeat(pending)) return { ok: false, message: message("connect.no_install_in_progress") };
  const limit = await takeRateLimit("apiKey", input.clientKey);
  if (!limit.ok)
    return {
      ok: false,
      message: message("connect.rate_limited", { minutes: Math.ceil(limit.retryAfterSeconds / 60) }),
    };
  let account: { id: string; companyName: string };
  try {
    const self = await new RackbeatClient(input.apiKey).getSelf();
    account = { id: String(self.user_account.id), companyName: self.user_account.company_name };
  } catch (error) {
    if (error instanceof HttpError && (error.status === 401 || error.status === 403))
      return { ok: false, field: "apiKey", message: message("connect.key_refused") };
    logger().warn({ event: "install.api_key_check_failed", ...errorFields(error) });
    return { ok: false, message: message("connect.rackbeat_unreachable") };
  }
  const installed = await findByRackbeatAccount(account.id);
  if (installed && installed.status !== "uninstalled")
    return { ok: false, field: "apiKey", message: message("connect.account_already_installed") };
  const attached = await advance(pending, {
    kind: "attach",
    rackbeat: { kind: "api_key", accessToken: input.apiKey, account },
  });
  if (!attached.ok) return { ok: false, message: message("connect.no_install_in_progress") };
  return { ok: true, redirectTo: CONSENT_PATH };
}
