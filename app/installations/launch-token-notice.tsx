import { getTranslations } from "next-intl/server";
import { adoptLaunchAction } from "@/app/session-actions";
import type { InstallationAccess } from "./access";
import { TopLevelOnly } from "./top-level-only";
import { StripLaunchToken } from "./strip-launch-token";

/**
 * What an installation's page does with a launch token in its address. Inside Rackbeat's iframe: nothing
 * (the token is the proof where third-party cookies are blocked, and an iframe's address is neither shown
 * nor kept in the history). At top level, where the session cookie works: the token leaves the address
 * and the history at once when the session holds the installation; when it does not (a link opened in a
 * browser signed in to another company), the token opens this visit only, and the page asks before
 * adding the installation to this browser's account menu.
 */
export async function LaunchTokenNotice({ access }: { access: InstallationAccess }) {
  if (!access.launchToken) return null;
  if (access.bySession) return <StripLaunchToken />;
  const t = await getTranslations("installation");
  return (
    <TopLevelOnly>
      <div
        role="status"
        className="mb-6 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900"
      >
        <p className="font-medium">{t("launchOnly", { company: access.installation.rackbeatCompanyName })}</p>
        <p className="mt-1">{t("launchOnlyText")}</p>
        <form action={adoptLaunchAction} className="mt-3">
          <input type="hidden" name="installationId" value={access.installation.id} />
          <input type="hidden" name="lt" value={access.launchToken} />
          <button
            type="submit"
            className="rounded-md bg-amber-700 px-3 py-1.5 font-medium text-white hover:bg-amber-800 focus:outline-none focus:ring-2 focus:ring-amber-500 focus:ring-offset-2"
          >
            {t("launchOnlyAdopt")}
          </button>
        </form>
      </div>
    </TopLevelOnly>
  );
}
