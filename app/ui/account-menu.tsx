import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { signOutAction } from "@/app/session-actions";
import { auth } from "@/lib/auth";

/** Signed in: who, and Sign out. Signed out: Sign in with e-conomic. */
export async function AccountMenu() {
  const session = await auth();
  const t = await getTranslations("common");
  if (!session?.bindings?.length) {
    return (
      <Link href="/signin" className="text-sm font-medium text-brand-600 hover:underline">
        {t("signIn")}
      </Link>
    );
  }
  return (
    <form action={signOutAction} className="flex items-center gap-3 text-sm">
      <Link href="/installations" className="text-slate-600 hover:underline">
        {session.user?.name ?? t("myInstallations")}
      </Link>
      <button type="submit" className="font-medium text-brand-600 hover:underline">
        {t("signOut")}
      </button>
    </form>
  );
}
