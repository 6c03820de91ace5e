import type { TraktSandbox } from "../../infra/local/trakt-sandbox/TraktSandbox.ts";
import type { UserRepository } from "../../shared/adapters/dynamo/UserRepository.ts";

/** Creates a Trakt user on the sandbox and links it to our user, as a finished device flow would. */
export async function linkSandboxUser(
  sandbox: TraktSandbox,
  users: UserRepository,
  userId: string,
  slug = userId,
) {
  const grant = sandbox.createUser(slug);
  await users.completeLink(
    userId,
    {
      accessToken: grant.access_token,
      refreshToken: grant.refresh_token,
      issuedAt: grant.created_at * 1000,
      expiresAt: (grant.created_at + grant.expires_in) * 1000,
      traktSlug: slug,
    },
    slug,
  );
  return grant;
}
