import Link from "next/link";
import { redirect } from "next/navigation";
import { getLocale } from "@/app/i18n";
import { AccountMenu } from "@/app/ui/account-menu";
import { Card, PageShell } from "@/app/ui/page-shell";
import { allowedInstallationIds } from "@/lib/auth/access";
import { findInstallation } from "@/lib/installations/repository";

export const dynamic = "force-dynamic";
export const metadata = { title: "My installations" };

export default async function InstallationsPage() {
  const ids = await allowedInstallationIds();
  if (!ids.length) redirect("/signin");
  const locale = await getLocale();
  const installations = (await Promise.all(ids.map(findInstallation))).filter((i) => i !== undefined);
  return (
    <PageShell aside={<AccountMenu locale={locale} />}>
      <h1 className="mb-4 text-2xl font-bold">
        {locale === "da" ? "Mine installationer" : "My installations"}
      </h1>
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
              e-conomic {i.economicAgreementNumber} · {i.status}
            </p>
          </Card>
        ))}
      </div>
    </PageShell>
  );
}
