"use server";

import { redirect } from "next/navigation";
import { auth, mintSignInProof, signIn, signOut } from "@/lib/auth";
import { formAccess } from "@/app/installations/access";

export async function signOutAction() {
  await signOut({ redirectTo: "/signin" });
}

/**
 * "Add to my installations": a launch link opened in a browser whose session holds other installations
 * opens that visit only; this confirmation, clicked in the browser that will hold it, adds the
 * installation to the session (and the launch token then leaves the address).
 */
export async function adoptLaunchAction(formData: FormData): Promise<void> {
  const access = await formAccess(formData);
  if (!access) redirect("/not-found");
  if (access.launchToken && !access.bySession) {
    const session = await auth();
    const binding = { id: access.installation.id, generation: access.installation.bindingGeneration };
    await signIn("install-proof", {
      proof: mintSignInProof(
        [...(session?.bindings ?? []), binding],
        session?.user?.name ?? access.installation.rackbeatCompanyName,
      ),
      redirect: false,
    });
  }
  redirect(`/installations/${access.installation.id}`);
}
