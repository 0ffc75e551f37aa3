import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * One way into an installation: whether a request may see or act on one is decided by
 * `accessInstallation` (lib/auth/access.ts), reached through app/installations/access.ts. Nothing else
 * reads the launch token or the session to decide it.
 */
const ROOT = path.resolve(__dirname, "../..");
function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const relative = path.join(dir, name);
    if (statSync(path.join(ROOT, relative)).isDirectory()) return sources(relative);
    return /\.(ts|tsx)$/.test(name) ? [relative] : [];
  });
}
const files = ["app", "lib"].flatMap(sources);
const using = (pattern: RegExp) =>
  files.filter((f) => pattern.test(readFileSync(path.join(ROOT, f), "utf8"))).sort();

describe("one access decision", () => {
  it("only the access modules read a launch token", () => {
    expect(using(/launchTokenBinding\(/)).toEqual(["app/installations/access.ts", "lib/auth/access.ts"]);
    expect(using(/get\("lt"\)|\.lt\b|\[\s*"lt"\s*\]/)).toEqual([
      // The reconnect form posts its token; the route hands it straight to accessInstallation.
      "app/install/economic/route.ts",
      "app/installations/[id]/actions.ts",
      "app/installations/access.ts",
    ]);
  });

  it("pages, actions and routes ask accessInstallation, never the old hand-made check", () => {
    expect(using(/installationFor\(/).filter((f) => f.startsWith("app/"))).toEqual([]);
    expect(using(/accessInstallation\(/)).toEqual([
      "app/install/economic/route.ts",
      "app/installations/[id]/actions.ts",
      "app/installations/access.ts",
      "lib/auth/access.ts",
    ]);
  });

  it("the session is read elsewhere only to show it or to sign in, never to grant access", () => {
    expect(using(/await auth\(\)/)).toEqual([
      "app/install/respond.ts", // an install's sign-in keeps what the browser already proved
      "app/launch/[installationId]/[secret]/route.ts", // a launch joins no session holding another company
      "app/session-actions.ts", // "Add to my installations", confirmed in the browser
      "app/ui/account-menu.tsx", // the name in the menu
      "lib/auth/access.ts",
    ]);
  });
});
