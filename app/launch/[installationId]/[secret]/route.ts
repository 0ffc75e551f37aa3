import { responder } from "@/app/responder";
import { NextResponse } from "next/server";
import { auth, mintSignInProof, signIn } from "@/lib/auth";
import { currentBindings, mintLaunchToken } from "@/lib/auth/access";
import { env } from "@/lib/env";
import { launchSecretMatches } from "@/lib/installations/launch-secret";
import { findInstallation } from "@/lib/installations/repository";

export const dynamic = "force-dynamic";

/**
 * The settings URL registered in Rackbeat, opened in Rackbeat's iframe. Its secret proves the caller came
 * from the Rackbeat account. We set a session cookie where the browser allows it, and always carry a
 * short-lived signed launch token in the URL for browsers that block third-party cookies.
 */
export const GET = responder(
  async (_request: Request, { params }: { params: Promise<{ installationId: string; secret: string }> }) => {
    const { installationId, secret } = await params;
    const installation = await findInstallation(installationId);
    if (
      !installation ||
      installation.status === "uninstalled" ||
      !launchSecretMatches(installation, secret)
    ) {
      return NextResponse.redirect(new URL("/install/problem/not_found", env().appUrl), 303);
    }
    const binding = { id: installation.id, generation: installation.bindingGeneration };
    const session = await auth();
    // A launch never joins a session that holds another installation: a link to someone else's launch URL
    // must not switch this browser's account menu to their company. Such a visit runs on the launch token
    // alone, and the page asks before adding the installation (app/installations/launch-token-notice.tsx).
    const others = await currentBindings((session?.bindings ?? []).filter((b) => b.id !== installation.id));
    if (!others.length)
      await signIn("install-proof", {
        proof: mintSignInProof([binding], installation.rackbeatCompanyName),
        redirect: false,
      });
    const target = new URL(`/installations/${installation.id}`, env().appUrl);
    target.searchParams.set("lt", mintLaunchToken(binding));
    return NextResponse.redirect(target, 303);
  },
  { page: true },
);
