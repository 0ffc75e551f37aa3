import Link from "next/link";
import { signOutAction } from "@/app/session-actions";
import { auth } from "@/lib/auth";

/** Signed in: who, and Sign out. Signed out: Sign in with e-conomic. */
export async function AccountMenu({ locale }: { locale: "da" | "en" }) {
  const session = await auth();
  if (!session?.installationIds?.length) {
    return (
      <Link href="/signin" className="text-sm font-medium text-brand-600 hover:underline">
        {locale === "da" ? "Log ind" : "Sign in"}
      </Link>
    );
  }
  return (
    <form action={signOutAction} className="flex items-center gap-3 text-sm">
      <Link href="/installations" className="text-slate-600 hover:underline">
        {session.user?.name ?? (locale === "da" ? "Mine installationer" : "My installations")}
      </Link>
      <button type="submit" className="font-medium text-brand-600 hover:underline">
        {locale === "da" ? "Log ud" : "Sign out"}
      </button>
    </form>
  );
}
