import { getLocale } from "@/app/i18n";
import { buttonClass, Card, PageShell } from "@/app/ui/page-shell";
import { rackbeatAppsPageUrl } from "@/lib/rackbeat/urls";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function SignInPage() {
  const locale = await getLocale();
  const da = locale === "da";
  return (
    <PageShell>
      <Card>
        <h1 className="text-2xl font-bold">{da ? "Log ind" : "Sign in"}</h1>
        <p className="mt-2 text-slate-700">
          {da
            ? "Log ind med den e-conomic-aftale, som integrationen overfører til. Du bliver bedt om at godkende appen i e-conomic."
            : "Sign in with the e-conomic agreement the integration transfers to. e-conomic asks you to approve the app."}
        </p>
        <a className={`${buttonClass("economic")} mt-5`} href="/install/economic?intent=signin">
          {da ? "Log ind med e-conomic" : "Sign in with e-conomic"}
        </a>
        <p className="mt-6 text-sm text-slate-600">
          {da ? "Eller åbn appen fra Rackbeat: " : "Or open the app from Rackbeat: "}
          <a className="text-brand-600 underline" href={rackbeatAppsPageUrl()}>
            {da ? "Brugerindstillinger → Apps" : "User settings → Apps"}
          </a>
        </p>
      </Card>
    </PageShell>
  );
}
