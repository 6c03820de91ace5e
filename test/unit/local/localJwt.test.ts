import { randomBytes } from "node:crypto";
import { SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { localJwt, signLocalToken, verifyLocalToken } from "#infra/local/runtime/localJwt.ts";

const key = new Uint8Array(randomBytes(32));
const bearer = (token: string) => `Bearer ${token}`;

function token(options: { alg?: string; exp?: string | number | null; iss?: string; aud?: string } = {}) {
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: options.alg ?? "HS256" })
    .setSubject("alice")
    .setIssuer(options.iss ?? localJwt.issuer)
    .setAudience(options.aud ?? localJwt.audience)
    .setIssuedAt();
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? "1h");
  return jwt.sign(key);
}

describe("the local JWT check", () => {
  it("accepts our own token", async () => {
    const claims = await verifyLocalToken(bearer(await signLocalToken("alice", key)), key);
    expect(claims?.sub).toBe("alice");
  });

  it("refuses alg none", async () => {
    const unsecured = new UnsecuredJWT({ sub: "alice" })
      .setIssuer(localJwt.issuer)
      .setAudience(localJwt.audience)
      .setExpirationTime("1h")
      .encode();
    expect(await verifyLocalToken(bearer(unsecured), key)).toBeUndefined();
  });

  it("refuses another algorithm, even one the key could verify", async () => {
    expect(await verifyLocalToken(bearer(await token({ alg: "HS512" })), key)).toBeUndefined();
  });

  it("refuses a token without exp", async () => {
    expect(await verifyLocalToken(bearer(await token({ exp: null })), key)).toBeUndefined();
  });

  it("refuses an expired token", async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    expect(await verifyLocalToken(bearer(await token({ exp: past })), key)).toBeUndefined();
  });

  it("refuses a wrong audience or issuer", async () => {
    expect(await verifyLocalToken(bearer(await token({ aud: "someone-else" })), key)).toBeUndefined();
    expect(await verifyLocalToken(bearer(await token({ iss: "https://evil.example" })), key)).toBeUndefined();
  });
});
