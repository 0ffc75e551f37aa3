import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { AccountMenu } from "@/app/ui/account-menu";
import { Card, PageShell } from "@/app/ui/page-shell";
import { sessionInstallationIds } from "@/lib/auth/access";
import { findInstallation } from "@/lib/installations/repository";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getTranslations("common"))("myInstallations") };
}

export default async function InstallationsPage() {
  const ids = await sessionInstallationIds();
  if (!ids.length) redirect("/signin");
  const t = await getTranslations("common");
  const installations = (await Promise.all(ids.map((id) => findInstallation(id)))).filter(
    (i) => i !== undefined,
  );
  return (
    <PageShell aside={<AccountMenu />}>
      <h1 className="mb-4 text-2xl font-bold">{t("myInstallations")}</h1>
      <div className="space-y-3">
        {installations.map((i) => (
          <Card key={i.id}>
            <Link
              href={`/installations/${i.id}`}
              className="text-lg font-semibold text-brand-600 hover:underline"
            >
              {i.rackbeatCompanyName} → {i.economicCompanyName}
            </Link>
            <p className="text-sm text-slate-600">
              {t("agreement")} {i.economicAgreementNumber} · {t(`status.${i.status}`)}
            </p>
          </Card>
        ))}
      </div>
    </PageShell>
  );
}
