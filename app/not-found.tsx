import Link from "next/link";
import { buttonClass, Card, PageShell } from "@/app/ui/page-shell";

export default function NotFound() {
  return (
    <PageShell>
      <Card>
        <h1 className="text-2xl font-bold">Not found</h1>
        <p className="mt-2 text-slate-700">
          This page does not exist, or you are not signed in to the installation it belongs to.
        </p>
        <div className="mt-5 flex gap-3">
          <Link className={buttonClass("economic")} href="/signin">
            Sign in with e-conomic
          </Link>
          <Link className={buttonClass("secondary")} href="/">
            Home
          </Link>
        </div>
      </Card>
    </PageShell>
  );
}
