import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { decryptToken, encryptToken, signValue, verifySignedValue } from "@/lib/crypto";

const key = randomBytes(32);

describe("tokens at rest (AES-256-GCM)", () => {
  it("round-trips any token and never stores it in the clear", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (token) => {
        const stored = encryptToken(token, key);
        expect(decryptToken(stored, key)).toBe(token);
        if (token.length >= 12) expect(stored).not.toContain(token);
      }),
    );
  });
  it("uses a fresh IV each time", () => {
    expect(encryptToken("same", key)).not.toBe(encryptToken("same", key));
  });
  it("refuses a tampered ciphertext and the wrong key", () => {
    const stored = encryptToken("grant-token", key);
    const parts = stored.split(".");
    const flipped = Buffer.from(parts[3], "base64url");
    flipped[0] ^= 1;
    expect(() =>
      decryptToken([...parts.slice(0, 3), flipped.toString("base64url")].join("."), key),
    ).toThrow();
    expect(() => decryptToken(stored, randomBytes(32))).toThrow();
    expect(() => decryptToken("plaintext-token", key)).toThrow(/format/);
  });
});

describe("signed values (sign-in proofs, launch tokens)", () => {
  afterEach(() => vi.useRealTimers());
  const secret = "s".repeat(40);
  it("verifies its own value for the same purpose only", () => {
    const token = signValue("launch", { installationId: "abc" }, 60, secret);
    expect(verifySignedValue("launch", token, secret)).toMatchObject({ installationId: "abc" });
    expect(verifySignedValue("sign-in-proof", token, secret)).toBeUndefined();
    expect(verifySignedValue("launch", token, "x".repeat(40))).toBeUndefined();
  });
  it("refuses a forged payload and an expired value", () => {
    const token = signValue("launch", { installationId: "abc" }, 60, secret);
    const [, mac] = token.split(".");
    const forged = `${Buffer.from(JSON.stringify({ installationId: "other", p: "launch", exp: 9e9 })).toString("base64url")}.${mac}`;
    expect(verifySignedValue("launch", forged, secret)).toBeUndefined();
    vi.useFakeTimers();
    vi.setSystemTime(Date.now() + 61_000);
    expect(verifySignedValue("launch", token, secret)).toBeUndefined();
  });
  it("refuses garbage", () => {
    for (const junk of ["", ".", "a.b", "no-dot", undefined, null])
      expect(verifySignedValue("launch", junk, secret)).toBeUndefined();
  });
});
