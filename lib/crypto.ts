import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import { env } from "@/lib/env";

/**
 * Tokens at rest: AES-256-GCM with TOKEN_ENCRYPTION_KEY, stored as `v1.<iv>.<tag>.<ciphertext>` (base64url).
 * The version prefix leaves room for key rotation.
 */
export function encryptToken(plaintext: string, key: Buffer = env().tokenEncryptionKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    "v1",
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

export function decryptToken(stored: string, key: Buffer = env().tokenEncryptionKey): string {
  const [version, iv, tag, ciphertext] = stored.split(".");
  if (version !== "v1" || !iv || !tag || ciphertext === undefined)
    throw new Error("Unrecognised encrypted token format");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString(
    "utf8",
  );
}

export const sha256 = (value: string) => createHash("sha256").update(value).digest("base64url");

export const randomToken = (bytes = 32) => randomBytes(bytes).toString("base64url");

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Short-lived signed values (sign-in proofs, iframe launch tokens): `<payload>.<hmac>`, bound to a purpose
 * so that a token minted for one use is refused for another.
 */
export function signValue(
  purpose: string,
  payload: Record<string, unknown>,
  ttlSeconds: number,
  secret = env().authSecret,
): string {
  const body = Buffer.from(
    JSON.stringify({ ...payload, p: purpose, exp: Math.floor(Date.now() / 1000) + ttlSeconds }),
  ).toString("base64url");
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

export function verifySignedValue<T extends Record<string, unknown>>(
  purpose: string,
  token: string | undefined | null,
  secret = env().authSecret,
): T | undefined {
  if (!token) return undefined;
  const [body, mac] = token.split(".");
  if (!body || !mac) return undefined;
  if (!safeEqual(mac, createHmac("sha256", secret).update(body).digest("base64url"))) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as T & {
      p: string;
      exp: number;
    };
    if (payload.p !== purpose || typeof payload.exp !== "number" || payload.exp < Date.now() / 1000)
      return undefined;
    return payload;
  } catch {
    return undefined;
  }
}
