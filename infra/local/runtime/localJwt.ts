import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { jwtVerify, SignJWT } from "jose";

/**
 * The local stack's stand-in for the API Gateway JWT authorizer: HS256 tokens signed with a key
 * generated on first use and kept in `.local/jwt-secret` (git-ignored), or JWT_SECRET when set.
 */
export const localJwt = {
  issuer: "trakt-list-sync-local",
  audience: "trakt-list-sync",
  /** The only algorithm accepted: a token naming another (or `none`) is refused before any key is used. */
  algorithm: "HS256",
} as const;

export function localSigningKey(path = resolve(process.cwd(), ".local/jwt-secret")): Uint8Array {
  if (process.env.JWT_SECRET) return new TextEncoder().encode(process.env.JWT_SECRET);
  try {
    return new Uint8Array(readFileSync(path));
  } catch {
    mkdirSync(dirname(path), { recursive: true });
    const key = randomBytes(32);
    writeFileSync(path, key, { mode: 0o600 });
    return new Uint8Array(key);
  }
}

export async function signLocalToken(
  userId: string,
  key: Uint8Array,
  ttlSeconds = 24 * 3600,
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: localJwt.algorithm })
    .setSubject(userId)
    .setIssuer(localJwt.issuer)
    .setAudience(localJwt.audience)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key);
}

/**
 * The token's claims when it is valid, undefined otherwise (as API Gateway answers 401): algorithm
 * pinned, `exp` required and not passed, `iss` and `aud` ours, `sub` present.
 */
export async function verifyLocalToken(
  authorization: string | undefined,
  key: Uint8Array,
): Promise<Record<string, string | number | boolean | string[]> | undefined> {
  const match = /^Bearer (.+)$/i.exec(authorization ?? "");
  if (!match?.[1]) return undefined;
  try {
    const { payload } = await jwtVerify(match[1], key, {
      algorithms: [localJwt.algorithm],
      issuer: localJwt.issuer,
      audience: localJwt.audience,
      requiredClaims: ["exp", "sub"],
    });
    return payload as Record<string, string | number>;
  } catch {
    return undefined;
  }
}
