import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { buttonClass, Card, PageShell } from "@/app/ui/page-shell";

export default async function NotFound() {
  const t = await getTranslations("notFound");
  const common = await getTranslations("common");
  return (
    <PageShell>
      <Card>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-2 text-slate-700">{t("text")}</p>
        <div className="mt-5 flex gap-3">
          <Link className={buttonClass("economic")} href="/signin">
            {common("signInWithEconomic")}
          </Link>
          <Link className={buttonClass("secondary")} href="/">
            {common("home")}
          </Link>
        </div>
      </Card>
    </PageShell>
  );
}
