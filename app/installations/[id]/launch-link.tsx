import { getTranslations } from "next-intl/server";
import { LaunchTokenField } from "@/app/installations/launch-token";
import { Banner, buttonClass, Card } from "@/app/ui/page-shell";
import type { InstallationAccess } from "@/lib/auth/access";
import { replaceLaunchLinkAction } from "./actions";

const OUTCOME_WORDS = {
  replaced: "linkReplaced",
  rackbeat_refused: "linkFailed",
  not_registered: "linkNotRegistered",
  limited: "linkFailed",
} as const;

/** What "Replace the link now" did, at the top of the page it returns to. */
export async function LaunchLinkOutcome({ outcome }: { outcome: string | undefined }) {
  const t = await getTranslations("installation");
  const said =
    outcome && outcome in OUTCOME_WORDS ? OUTCOME_WORDS[outcome as keyof typeof OUTCOME_WORDS] : undefined;
  return said ? <Banner tone={said === "linkReplaced" ? "success" : "info"} title={t(said)} /> : null;
}

/** The link Rackbeat opens: what it is, and "Replace the link now" for one that may have been seen. */
export async function LaunchLink({ access }: { access: InstallationAccess }) {
  const t = await getTranslations("installation");
  return (
    <Card className="mt-6">
      <h2 className="text-lg font-semibold">{t("linkHeading")}</h2>
      <p className="mt-2 max-w-3xl text-sm text-slate-600">{t("linkText")}</p>
      {access.installation.rackbeatAppSlug && (
        <form action={replaceLaunchLinkAction} className="mt-3">
          <input type="hidden" name="installationId" value={access.installation.id} />
          <LaunchTokenField token={access.launchToken} />
          <button type="submit" className={buttonClass("secondary")}>
            {t("linkReplace")}
          </button>
        </form>
      )}
    </Card>
  );
}
