import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { env } from "@/lib/env";
import { signValue, verifySignedValue } from "@/lib/crypto";

/**
 * Sessions (next-auth v5, JWT in an encrypted cookie). A session lists the installations its holder proved
 * access to — a verified e-conomic grant for the agreement, or the launch URL registered in Rackbeat —
 * each with the binding generation it was proved for (checked on every request, lib/auth/access.ts).
 * Sign-in happens only server-side, through a short-lived signed proof minted by the install flows.
 */
const PROOF_PURPOSE = "sign-in-proof";
const MAX_INSTALLATIONS_PER_SESSION = 25;

export type Binding = { id: string; generation: number };

declare module "next-auth" {
  interface Session {
    bindings: Binding[];
  }
  interface User {
    bindings?: Binding[];
  }
}
declare module "@auth/core/jwt" {
  interface JWT {
    bindings?: Binding[];
  }
}

/** One entry per installation, the newest proof winning, at most MAX_INSTALLATIONS_PER_SESSION. */
const latest = (bindings: Binding[]) =>
  [...new Map(bindings.map((b) => [b.id, b])).values()].slice(-MAX_INSTALLATIONS_PER_SESSION);

export function mintSignInProof(bindings: Binding[], displayName: string): string {
  return signValue(PROOF_PURPOSE, { bindings: latest(bindings), displayName }, 60);
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
            // Partitioned (CHIPS): browsers that block third-party cookies still keep this one inside
            // Rackbeat's iframe, kept apart from the same cookie at top level.
            options: { httpOnly: true, sameSite: "none", path: "/", secure: true, partitioned: true },
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
          const proof = verifySignedValue<{ bindings: Binding[]; displayName: string }>(
            PROOF_PURPOSE,
            String(credentials?.proof ?? ""),
          );
          if (!proof) return null;
          return {
            id: proof.bindings.map((b) => b.id).join(","),
            name: proof.displayName,
            bindings: proof.bindings,
          };
        },
      }),
    ],
    callbacks: {
      jwt: async ({ token, user }) => {
        if (user?.bindings) token.bindings = user.bindings;
        return token;
      },
      session: async ({ session, token }) => {
        session.bindings = token.bindings ?? [];
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());
