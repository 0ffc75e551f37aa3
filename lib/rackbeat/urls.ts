import { env } from "@/lib/env";

/**
 * Where a customer finds Rackbeat's Apps menu. The real address is not documented (UNCERTAIN):
 * the Apps menu lives under User settings > Apps in the Rackbeat web app.
 */
export const RACKBEAT_APPS_PATH = "/apps";

export function rackbeatAppsPageUrl(): string {
  return `${new URL(env().rackbeat.apiUrl).origin}${RACKBEAT_APPS_PATH}`;
}
