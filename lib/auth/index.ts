import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { signValue, verifySignedValue } from "@/lib/crypto";

/**
 * Sessions (next-auth v5, JWT in an encrypted cookie). A session lists the installations its holder proved
 * access to: a verified e-conomic grant for the agreement, or the launch URL registered in Rackbeat.
 * Sign-in happens only server-side, through a short-lived signed proof minted by the install flows.
 */
const PROOF_PURPOSE = "sign-in-proof";
const MAX_INSTALLATIONS_PER_SESSION = 25;

declare module "next-auth" {
  interface Session {
    installationIds: string[];
  }
  interface User {
    installationIds?: string[];
  }
}
declare module "@auth/core/jwt" {
  interface JWT {
    installationIds?: string[];
  }
}

export function mintSignInProof(installationIds: string[], displayName: string): string {
  return signValue(
    PROOF_PURPOSE,
    { installationIds: [...new Set(installationIds)].slice(-MAX_INSTALLATIONS_PER_SESSION), displayName },
    60,
  );
}

function config(): NextAuthConfig {
  const secure = env().appUrl.startsWith("https://");
  return {
    secret: env().authSecret,
    trustHost: true,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    // Inside Rackbeat's iframe the cookie is third-party: SameSite=None where the browser allows it (HTTPS).
    cookies: secure
      ? {
          sessionToken: {
            name: "__Secure-rbe.session",
            options: { httpOnly: true, sameSite: "none", path: "/", secure: true },
          },
        }
      : {
          sessionToken: {
            name: "rbe.session",
            options: { httpOnly: true, sameSite: "lax", path: "/", secure: false },
          },
        },
    providers: [
      Credentials({
        id: "install-proof",
        name: "Install proof",
        credentials: { proof: {} },
        authorize: async (credentials) => {
          const proof = verifySignedValue<{ installationIds: string[]; displayName: string }>(
            PROOF_PURPOSE,
            String(credentials?.proof ?? ""),
          );
          if (!proof) return null;
          return {
            id: proof.installationIds.join(","),
            name: proof.displayName,
            installationIds: proof.installationIds,
          };
        },
      }),
    ],
    callbacks: {
      jwt: async ({ token, user }) => {
        if (user?.installationIds) token.installationIds = user.installationIds;
        return token;
      },
      session: async ({ session, token }) => {
        session.installationIds = token.installationIds ?? [];
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());
