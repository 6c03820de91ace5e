import type { UserRepository } from "#adapters/dynamo/UserRepository.ts";
import type { TraktSandbox } from "#infra/local/trakt-sandbox/TraktSandbox.ts";
import { storedAuthFrom } from "#trakt/storedAuth.ts";

/** Creates a Trakt user on the sandbox and links it to our user, as a finished device flow would. */
export async function linkSandboxUser(
  sandbox: TraktSandbox,
  users: UserRepository,
  userId: string,
  slug = userId,
) {
  const grant = sandbox.createUser(slug);
  await users.completeLink(userId, storedAuthFrom(grant, slug), slug);
  return grant;
}
