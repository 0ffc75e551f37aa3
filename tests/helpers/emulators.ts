import { afterAll, beforeAll } from "vitest";
import { startEmulators, type Emulators } from "@/tests/emulators";
import type { EconomicOptions } from "@/tests/emulators/economic/state";
import type { RackbeatOptions } from "@/tests/emulators/rackbeat/state";

/** Starts both emulators on free ports for one test file; tests reach them over real HTTP. */
export function withEmulators(
  options: { appUrl?: string; economic?: EconomicOptions; rackbeat?: RackbeatOptions } = {},
): () => Emulators {
  let emulators: Emulators | undefined;
  beforeAll(async () => {
    emulators = await startEmulators({
      appUrl: options.appUrl ?? "http://localhost:3999",
      economic: options.economic,
      rackbeat: { webhookRetryBaseMs: 25, ...options.rackbeat },
    });
  });
  afterAll(async () => {
    await emulators?.close();
  });
  return () => {
    if (!emulators) throw new Error("withEmulators(): not started yet");
    return emulators;
  };
}

export { economicHeaders } from "./headers";
