import { notFound } from "next/navigation";
import { accessInstallation, launchTokenBinding, type InstallationAccess } from "@/lib/auth/access";

export { LaunchTokenField, launchHref } from "./launch-token";

/**
 * Access to an installation's pages, actions and routes, in one place: each asks `accessInstallation`
 * (lib/auth/access.ts) through one of these, and carries the launch token on through `launchHref` and
 * `LaunchTokenField`, never by hand.
 */
export type { InstallationAccess };

type PageProps = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/**
 * A page of one installation: the access it was opened with, its query, and whether it came with a launch
 * token that has run out (opened from Rackbeat a while ago: the page says so instead of a bare 404).
 */
export async function installationPage(props: PageProps) {
  const { id } = await props.params;
  const search = await props.searchParams;
  const lt = typeof search.lt === "string" ? search.lt : undefined;
  const access = await accessInstallation(id, lt);
  return { access, search, launchExpired: !access && lt !== undefined && !launchTokenBinding(lt) };
}

/** As `installationPage`, answering 404 (the same as for an id that does not exist) without access. */
export async function requireInstallationPage(props: PageProps) {
  const page = await installationPage(props);
  if (!page.access) notFound();
  return { ...page, access: page.access };
}

/** A server action's installation, from the form it was posted with (`installationId`, `lt`). */
export const formAccess = (formData: FormData) =>
  accessInstallation(formData.get("installationId"), formData.get("lt"));

/** A route handler's installation, from its path and the `lt` of its query. */
export const routeAccess = (request: Request, installationId: string) =>
  accessInstallation(installationId, new URL(request.url).searchParams.get("lt"));
