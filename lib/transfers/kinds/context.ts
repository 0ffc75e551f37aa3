import type { EconomicClient } from "@/lib/economic/client";
import type { Installation } from "@/lib/installations/repository";
import type { RackbeatClient } from "@/lib/rackbeat/client";
import type { SettingsValues } from "@/lib/settings/schema";
import type { AttemptResult, Transfer } from "../outbox";

/** What one attempt at one transfer works with. */
export type TransferContext = {
  transfer: Transfer;
  installation: Installation;
  settings: SettingsValues;
  settingsVersion: number;
  economic: EconomicClient;
  rackbeat: RackbeatClient;
  /**
   * True when an earlier attempt may have written to e-conomic without our hearing the answer (any
   * attempt after the first): the transfer looks for its own document before writing again.
   */
  mayExist: boolean;
  /** When this attempt must have stopped (epoch ms): inside the lease and the worker's time budget. */
  deadline: number;
};

export type Succeeded = Extract<AttemptResult, { outcome: "succeeded" }>;
export type Continued = Extract<AttemptResult, { outcome: "continued" }>;
