import { createHash } from "node:crypto";
import { randomToken } from "./tokens.ts";

interface AuthorizationCode {
  slug: string;
  redirectUri: string;
  expiresAtMs: number;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

export interface CodeRequest {
  slug: string;
  redirectUri: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

const CODE_TTL_MS = 10 * 60 * 1000;

/** Codes of the authorization-code flow (with optional PKCE); each code works once. */
export class AuthorizationCodeStore {
  private readonly codes = new Map<string, AuthorizationCode>();

  issue(request: CodeRequest, nowMs: number): string {
    const code = randomToken();
    this.codes.set(code, { ...request, expiresAtMs: nowMs + CODE_TTL_MS });
    return code;
  }

  /** Consumes a code; returns the user slug, or undefined when the code, redirect URI or PKCE verifier is wrong. */
  redeem(code: string, redirectUri: unknown, codeVerifier: unknown, nowMs: number): string | undefined {
    const entry = this.codes.get(code);
    this.codes.delete(code);
    if (!entry || nowMs >= entry.expiresAtMs) return undefined;
    if (typeof redirectUri === "string" && redirectUri !== entry.redirectUri) return undefined;
    if (entry.codeChallenge && !verifierMatches(entry, codeVerifier)) return undefined;
    return entry.slug;
  }
}

function verifierMatches(entry: AuthorizationCode, verifier: unknown): boolean {
  if (typeof verifier !== "string") return false;
  const computed =
    entry.codeChallengeMethod === "S256"
      ? createHash("sha256").update(verifier).digest("base64url")
      : verifier;
  return computed === entry.codeChallenge;
}
