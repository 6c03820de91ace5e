/**
 * Signing in. Locally: a user name exchanged for a local token at the local-only route named in
 * config.json. In AWS: Cognito managed login, authorization code flow with PKCE (S256).
 */

export interface PageConfig {
  auth:
    | { mode: "local"; tokenUrl: string }
    | { mode: "cognito"; domain: string; clientId: string; redirectUri: string; scopes?: string[] };
  apiBaseUrl: string;
  traktListUrl: string;
}

export interface Session {
  token: string;
  userName: string;
  expiresAt?: number;
}

const sessionKey = "tls.session";
const pkceKey = "tls.pkce";

export function loadSession(): Session | undefined {
  try {
    const session = JSON.parse(sessionStorage.getItem(sessionKey) ?? "null") as Session | null;
    if (!session || (session.expiresAt !== undefined && session.expiresAt < Date.now())) return undefined;
    return session;
  } catch {
    return undefined;
  }
}

function saveSession(session: Session): Session {
  sessionStorage.setItem(sessionKey, JSON.stringify(session));
  return session;
}

export function clearSession(): void {
  sessionStorage.removeItem(sessionKey);
}

/** Local stack: the token for a user name (400 with `field: "userName"` when it is not acceptable). */
export async function localSignIn(
  config: PageConfig,
  userName: string,
): Promise<Session | { error: string }> {
  if (config.auth.mode !== "local") throw new Error("not the local stack");
  const response = await fetch(config.auth.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userName }),
  });
  const body = (await response.json()) as { token?: string; userId?: string; error?: { message: string } };
  if (!response.ok || !body.token) return { error: body.error?.message ?? "Sign-in failed" };
  return saveSession({ token: body.token, userName: body.userId ?? userName });
}

function base64Url(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** AWS: sends the browser to Cognito's managed login with a PKCE challenge. */
export async function cognitoSignIn(config: PageConfig): Promise<void> {
  if (config.auth.mode !== "cognito") throw new Error("not Cognito");
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64Url(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem(pkceKey, JSON.stringify({ verifier, state }));
  const url = new URL(`${config.auth.domain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.auth.clientId,
    redirect_uri: config.auth.redirectUri,
    scope: (config.auth.scopes ?? ["openid", "email"]).join(" "),
    code_challenge_method: "S256",
    code_challenge: challenge,
    state,
  }).toString();
  location.assign(url.toString());
}

/** AWS: on return from Cognito (`?code=…&state=…`), exchanges the code for tokens. */
export async function completeCognitoSignIn(config: PageConfig): Promise<Session | undefined> {
  if (config.auth.mode !== "cognito") return undefined;
  const params = new URLSearchParams(location.search);
  const code = params.get("code");
  if (!code) return undefined;
  const saved = JSON.parse(sessionStorage.getItem(pkceKey) ?? "null") as {
    verifier: string;
    state: string;
  } | null;
  sessionStorage.removeItem(pkceKey);
  history.replaceState(null, "", config.auth.redirectUri);
  if (!saved || saved.state !== params.get("state")) return undefined;
  const response = await fetch(`${config.auth.domain}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: config.auth.clientId,
      redirect_uri: config.auth.redirectUri,
      code,
      code_verifier: saved.verifier,
    }).toString(),
  });
  if (!response.ok) return undefined;
  const tokens = (await response.json()) as { id_token: string; access_token: string; expires_in: number };
  const claims = JSON.parse(atob(tokens.id_token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as {
    email?: string;
    "cognito:username"?: string;
  };
  // The API's JWT authorizer checks the audience (the app client id), which Cognito puts in the id token.
  return saveSession({
    token: tokens.id_token,
    userName: claims.email ?? claims["cognito:username"] ?? "you",
    expiresAt: Date.now() + tokens.expires_in * 1000,
  });
}

/** Signs out; on Cognito also ends the managed-login session. */
export function signOut(config: PageConfig): void {
  clearSession();
  if (config.auth.mode === "cognito") {
    const url = new URL(`${config.auth.domain}/logout`);
    url.search = new URLSearchParams({
      client_id: config.auth.clientId,
      logout_uri: config.auth.redirectUri,
    }).toString();
    location.assign(url.toString());
  }
}
