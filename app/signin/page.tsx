import { getTranslations } from "next-intl/server";
import { buttonClass, Card, PageShell } from "@/app/ui/page-shell";
import { rackbeatAppsPageUrl } from "@/lib/rackbeat/urls";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getTranslations("signin"))("title") };
}

export default async function SignInPage() {
  const t = await getTranslations("signin");
  const common = await getTranslations("common");
  return (
    <PageShell>
      <Card>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-2 text-slate-700">{t("text")}</p>
        <a className={`${buttonClass("economic")} mt-5`} href="/install/economic?intent=signin">
          {common("signInWithEconomic")}
        </a>
        <p className="mt-6 text-sm text-slate-600">
          {t("orRackbeat")}
          <a className="text-brand-600 underline" href={rackbeatAppsPageUrl()}>
            {t("appsMenu")}
          </a>
        </p>
      </Card>
    </PageShell>
  );
}
