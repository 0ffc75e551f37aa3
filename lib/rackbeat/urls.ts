import { env } from "@/lib/env";
import { UNCERTAIN } from "@/lib/uncertain";

/** Where a customer finds Rackbeat's Apps menu (derived from the API host; the path is UNCERTAIN). */
export function rackbeatAppsPageUrl(): string {
  return `${new URL(env().rackbeat.apiUrl).origin}${UNCERTAIN.rackbeat.appsPagePath}`;
}
