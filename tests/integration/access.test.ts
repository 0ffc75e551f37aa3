import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { schema } from "@/db/client";
import { ACTORS } from "@/lib/actors";
import { auth, type Binding } from "@/lib/auth";
import { accessInstallation, mintLaunchToken } from "@/lib/auth/access";
import { withTestDb } from "@/tests/helpers/db";

/** The session the next request carries (Next's request context is absent in tests). */
let session: { bindings: Binding[]; user?: { name?: string } } | null = null;
vi.mock("@/lib/auth", async (original) => ({
  ...(await original<typeof import("@/lib/auth")>()),
  auth: vi.fn(async () => session),
}));

/** The one access decision (lib/auth/access.ts), for every way a request can claim an installation. */
const db = withTestDb();

async function installation(name: string) {
  const [row] = await db()
    .insert(schema.installations)
    .values({
      rackbeatAccountId: `access-${randomUUID()}`,
      rackbeatCompanyName: name,
      economicAgreementNumber: 1,
      economicCompanyName: name,
      status: "active",
    })
    .returning();
  return row;
}
const bindingOf = (i: { id: string; bindingGeneration: number }) => ({
  id: i.id,
  generation: i.bindingGeneration,
});

beforeEach(() => {
  session = null;
  vi.mocked(auth).mockClear();
});

describe("accessInstallation", () => {
  it("a session holding the installation opens it, as the signed-in person", async () => {
    const mine = await installation("Min ApS");
    const theirs = await installation("Deres ApS");
    session = { bindings: [bindingOf(mine)], user: { name: "Bente" } };
    expect(await accessInstallation(mine.id, undefined)).toMatchObject({
      installation: { id: mine.id },
      bySession: true,
      actor: "Bente",
      launchToken: undefined,
    });
    // Another tenant's id, with my session: nothing.
    expect(await accessInstallation(theirs.id, undefined)).toBeUndefined();
  });

  it("a launch token opens its own installation for the visit, not the session's, and not another", async () => {
    const mine = await installation("Min ApS");
    const theirs = await installation("Deres ApS");
    session = { bindings: [bindingOf(mine)], user: { name: "Bente" } };
    const theirToken = mintLaunchToken(bindingOf(theirs));
    expect(await accessInstallation(theirs.id, theirToken)).toMatchObject({
      bySession: false,
      launchToken: theirToken,
      actor: ACTORS.rackbeatLaunch,
    });
    // Their token on my installation proves nothing about it (my session still does), and is not carried.
    expect(await accessInstallation(mine.id, theirToken)).toMatchObject({
      bySession: true,
      launchToken: undefined,
    });
    session = null;
    expect(await accessInstallation(mine.id, theirToken)).toBeUndefined();
  });

  it("a rebinding or an uninstall ends both proofs at the next request", async () => {
    const mine = await installation("Min ApS");
    const token = mintLaunchToken(bindingOf(mine));
    session = { bindings: [bindingOf(mine)] };
    await db()
      .update(schema.installations)
      .set({ bindingGeneration: mine.bindingGeneration + 1 })
      .where(eq(schema.installations.id, mine.id));
    expect(await accessInstallation(mine.id, token)).toBeUndefined();
    const other = await installation("Anden ApS");
    session = { bindings: [bindingOf(other)] };
    await db()
      .update(schema.installations)
      .set({ status: "uninstalled" })
      .where(eq(schema.installations.id, other.id));
    expect(await accessInstallation(other.id, mintLaunchToken(bindingOf(other)))).toBeUndefined();
  });

  it("malformed ids and tokens are no access, not an error", async () => {
    const mine = await installation("Min ApS");
    session = { bindings: [bindingOf(mine)] };
    for (const id of ["", "not-a-uuid", "' or 1=1 --", 42, null, undefined, [mine.id], { id: mine.id }])
      expect(await accessInstallation(id, undefined)).toBeUndefined();
    for (const token of ["forged.token", "x".repeat(10_000), 42, ["a"], null])
      expect(await accessInstallation(mine.id, token)).toMatchObject({
        bySession: true,
        launchToken: undefined,
      });
  });
});
