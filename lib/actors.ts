/**
 * Who did something, when it was not a named person: stored in the change history as these codes and
 * worded by `app/` (`actors.*` in the catalog). A person is stored by name, an e-conomic user as
 * `e-conomic:<email or login>`.
 */
export const ACTORS = {
  system: "system",
  unknown: "unknown",
  rackbeatLaunch: "rackbeat:launch",
  rackbeatUninstall: "rackbeat:plugin.uninstalled",
} as const;
