import { message } from "@/lib/messages";
import type { MappingKind } from "@/lib/settings/mappings";
import type { SettingsValues } from "@/lib/settings/schema";
import { failOnSetting } from "../failure";

/**
 * The e-conomic number matched with a Rackbeat value in the settings. Nothing matched is a failure that
 * names the value and the table to fix: taking Rackbeat's number as e-conomic's would apply whatever
 * terms, unit, group or VAT zone happens to carry that number.
 */
export function mappedNumber(
  settings: SettingsValues,
  kind: MappingKind,
  rackbeatValue: string | number,
  rackbeatName?: string,
): number {
  const chosen = settings.mappings[kind][String(rackbeatValue) as never] as string | undefined;
  if (!chosen)
    throw failOnSetting(
      "mappings",
      message("transfer.value_not_mapped", {
        kind,
        value: String(rackbeatValue),
        name: rackbeatName?.trim() || String(rackbeatValue),
      }),
    );
  return Number(chosen);
}
