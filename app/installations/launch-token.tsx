/**
 * How the launch token travels inside an installation's pages (links and forms), for server and client
 * components alike; whether it proves anything is decided by lib/auth/access.ts alone.
 */
/** A link inside an installation's pages: it carries the launch token where one proved access. */
export const launchHref = (access: { launchToken?: string } | undefined, href: string) => {
  const lt = access?.launchToken;
  return lt ? `${href}${href.includes("?") ? "&" : "?"}lt=${encodeURIComponent(lt)}` : href;
};

/** A form inside an installation's pages: the launch token travels with it where one proved access. */
export function LaunchTokenField({ token }: { token: string | undefined }) {
  return token ? <input type="hidden" name="lt" value={token} /> : null;
}
