import Link from "next/link";
import { AccountMenu } from "@/app/ui/account-menu";
import { PageShell } from "@/app/ui/page-shell";
import { launchHref, type InstallationAccess } from "@/app/installations/access";
import { LaunchTokenNotice } from "@/app/installations/launch-token-notice";

/**
 * The frame of an installation's own pages (transfers, books match): the launch-token notice, links to
 * the installation's other pages (each carrying the launch token on), the title, both companies and an
 * intro. Inside Rackbeat's iframe there is no account menu: Rackbeat is the session.
 */
export function InstallationPage({
  access,
  title,
  intro,
  links,
  children,
}: {
  access: InstallationAccess;
  title: string;
  intro: string;
  /** `{ label, path }` under `/installations/<id>` ("" is the settings page). */
  links: { label: string; path: string }[];
  children: React.ReactNode;
}) {
  const { installation } = access;
  return (
    <PageShell wide aside={access.launchToken ? undefined : <AccountMenu />}>
      <LaunchTokenNotice access={access} />
      <nav className="mb-2 flex gap-4 text-sm">
        {links.map((link) => (
          <Link
            key={link.path}
            className="text-brand-600 hover:underline"
            href={launchHref(access, `/installations/${installation.id}${link.path}`)}
          >
            {link.label}
          </Link>
        ))}
      </nav>
      <header className="mb-6">
        <h1 className="text-2xl font-bold">{title}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {installation.rackbeatCompanyName} → {installation.economicCompanyName}
        </p>
        <p className="mt-2 max-w-3xl text-sm text-slate-600">{intro}</p>
      </header>
      {children}
    </PageShell>
  );
}
