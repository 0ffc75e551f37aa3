import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { auth, mintSignInProof, signIn } from "@/lib/auth";
import { requestLogger } from "@/app/request-log";
import { env } from "@/lib/env";
import type { InstallStep } from "@/lib/installations/flows";
import { PENDING_INSTALL_TTL_MS, STATE_COOKIE } from "@/lib/installations/pending";

/** Applies an install step — state cookie, sign-in — and returns where the browser goes next. */
export async function applyInstallStep(step: InstallStep): Promise<string> {
  const jar = await cookies();
  if (step.state) {
    jar.set(STATE_COOKIE, step.state, {
      httpOnly: true,
      sameSite: "lax",
      secure: env().appUrl.startsWith("https://"),
      path: "/",
      maxAge: PENDING_INSTALL_TTL_MS / 1000,
    });
  } else if (step.state === null) {
    jar.delete(STATE_COOKIE);
  }
  switch (step.kind) {
    case "redirect":
      return step.url;
    case "signed-in": {
      // Keep what this browser already proved (another installation) alongside the new one.
      const session = await auth();
      const bindings = [...(session?.bindings ?? []), ...step.bindings];
      await signIn("install-proof", { proof: mintSignInProof(bindings, step.displayName), redirect: false });
      return step.redirectTo;
    }
    case "problem":
      (await requestLogger()).warn(
        { event: "install.problem", code: step.problem.code, details: step.problem.details ?? {} },
        "install stopped",
      );
      return `/install/problem/${step.problem.code}`;
  }
}

/** For route handlers: the step as a 303 redirect. */
export async function respond(step: InstallStep): Promise<NextResponse> {
  return NextResponse.redirect(new URL(await applyInstallStep(step), env().appUrl), 303);
}
