import path from "node:path";
import { startEconomicEmulator, type EconomicEmulator } from "./economic/server";
import { startMailCatcher, type MailCatcher } from "./mail/server";
import type { EconomicOptions } from "./economic/state";
import { startRackbeatEmulator, type RackbeatEmulator } from "./rackbeat/server";
import type { RackbeatOptions } from "./rackbeat/state";

export type Emulators = {
  economic: EconomicEmulator;
  rackbeat: RackbeatEmulator;
  /** The sandbox's SMTP server and the page listing what it caught (alerts). */
  mail: MailCatcher;
  close: () => Promise<void>;
};

/** Starts both emulators (port 0 = any free port) and wires Rackbeat's Install button to the app. */
export async function startEmulators(options: {
  appUrl: string;
  economicPort?: number;
  rackbeatPort?: number;
  mailSmtpPort?: number;
  mailWebPort?: number;
  economic?: EconomicOptions;
  rackbeat?: RackbeatOptions;
  /** Where the sandbox keeps the emulators' state across restarts; tests leave it out (in memory). */
  stateDir?: string;
}): Promise<Emulators> {
  const file = (name: string) => (options.stateDir ? path.join(options.stateDir, `${name}.json`) : undefined);
  const economic = await startEconomicEmulator({
    ...options.economic,
    port: options.economicPort,
    stateFile: file("economic"),
  });
  const rackbeat = await startRackbeatEmulator({
    installUrl: `${options.appUrl}/install/rackbeat`,
    ...options.rackbeat,
    port: options.rackbeatPort,
    stateFile: file("rackbeat"),
  });
  const mail = await startMailCatcher({ smtpPort: options.mailSmtpPort, webPort: options.mailWebPort });
  return {
    economic,
    rackbeat,
    mail,
    close: async () => {
      await Promise.all([economic.server.close(), rackbeat.close(), mail.close()]);
    },
  };
}

/** The environment that points the app at these emulators (what sandbox mode sets). */
export function sandboxEnv(emulators: Emulators): Record<string, string> {
  return {
    ECONOMIC_API_URL: emulators.economic.server.url,
    ECONOMIC_OPENAPI_URL: emulators.economic.server.url,
    ECONOMIC_SECURE_URL: emulators.economic.server.url,
    RACKBEAT_API_URL: `${emulators.rackbeat.server.url}/api`,
    RACKBEAT_INTEGRATION_URL: `${emulators.rackbeat.server.url}/integration`,
    SMTP_URL: emulators.mail.smtpUrl,
  };
}
