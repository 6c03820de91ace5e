import { TraktAccountInUseError } from "#adapters/dynamo/UserRepository.ts";
import { logger } from "#observability/observability.ts";
import { getServices, retryPolicy } from "#runtime/services.ts";
import { newSyncRequest } from "#sync/syncRequest.ts";
import { isTransientTraktError, TraktHttpError } from "#sync/traktErrors.ts";
import type { TraktSettings } from "#sync/traktSession.ts";
import { newTokenSession } from "#trakt/newTokenSession.ts";
import type { StoredTraktAuth } from "#trakt/ports.ts";
import { storedAuthFrom } from "#trakt/storedAuth.ts";
import { ApiError, type ApiResult, badRequest, callerId, json, type RouteHandler } from "../http.ts";

/** The tokens Trakt handed over for a device code, before we know whose account they are. */
type DeviceTokens = Omit<StoredTraktAuth, "traktSlug">;

/** A device-code exchange: the tokens, or the answer to give while there are none yet. */
type DeviceExchange = { tokens: DeviceTokens } | { result: ApiResult };

/** Starts Trakt's device flow: the user opens the URL and enters the code. */
export const startDeviceLink: RouteHandler = async (event) => {
  const userId = callerId(event);
  const { users, trakt } = getServices();
  const code = await (await trakt()).requestDeviceCode();
  await users.startDeviceLink(userId, code.device_code, Date.now() + code.expires_in * 1000);
  return json(200, {
    userCode: code.user_code,
    verificationUrl: code.verification_url,
    expiresIn: code.expires_in,
    interval: code.interval,
  });
};

const deviceErrors: Record<number, [string, string]> = {
  404: [
    "device_code_invalid",
    "Trakt does not know this device code; start again with POST /trakt/device-code",
  ],
  409: ["device_code_used", "This device code was already used; start again with POST /trakt/device-code"],
  410: ["device_code_expired", "The device code expired; start again with POST /trakt/device-code"],
  418: ["device_code_denied", "The Trakt authorization was denied"],
};

/**
 * Polls the device flow once: 202 while the user has not approved yet, 200 once linked. Tokens are
 * stored the moment Trakt hands them over (the device code is single use); the account they belong
 * to is then looked up with the usual retries, and a poll after a lookup that failed tries it again.
 */
export const pollDeviceLink: RouteHandler = async (event) => {
  const userId = callerId(event);
  const { users } = getServices();
  const profile = await users.getProfile(userId);
  let tokens = profile?.pendingLink;
  if (!tokens && !profile?.deviceCode && profile?.traktLinkState === "linked") {
    // The exchange already succeeded (an earlier answer may have been lost): say so again.
    return json(200, { linked: true, traktUsername: profile.traktUsername ?? null, listsQueued: 0 });
  }
  if (!tokens) {
    if (!profile?.deviceCode) {
      throw badRequest("deviceCode", "No Trakt link in progress; start with POST /trakt/device-code");
    }
    const exchanged = await exchangeDeviceCode(profile.deviceCode);
    if ("result" in exchanged) return exchanged.result;
    tokens = exchanged.tokens;
    await users.storePendingLink(userId, tokens);
  }
  return finishLink(userId, tokens);
};

async function exchangeDeviceCode(deviceCode: string): Promise<DeviceExchange> {
  try {
    const { traktSlug: _unknown, ...tokens } = storedAuthFrom(
      await (await getServices().trakt()).pollDeviceToken(deviceCode),
      "",
    );
    return { tokens };
  } catch (error) {
    if (!(error instanceof TraktHttpError)) throw error;
    if (error.status === 400) return { result: json(202, { linked: false, status: "pending" }) };
    if (error.status === 429) return { result: json(202, { linked: false, status: "slow_down" }) };
    const known = deviceErrors[error.status];
    if (known) throw new ApiError(400, known[0], known[1], "deviceCode");
    throw error;
  }
}

/** Confirms whose account the tokens are, claims it for this user and queues the lists that waited. */
async function finishLink(userId: string, tokens: DeviceTokens): Promise<ApiResult> {
  const { users, lists, queue, pacer, trakt } = getServices();
  const session = newTokenSession({ client: await trakt(), pacer, userId, tokens, retry: retryPolicy() });
  let settings: TraktSettings;
  try {
    settings = await session.getSettings();
  } catch (error) {
    if (!isTransientTraktError(error)) throw error;
    // The tokens are kept: the next poll looks the account up again.
    logger.warn("Trakt account look-up failed after the token exchange; the next poll retries it", { error });
    return json(202, { linked: false, status: "pending" });
  }
  const { slug } = settings.user.ids;
  try {
    await users.completeLink(userId, { ...tokens, traktSlug: slug }, settings.user.username);
  } catch (error) {
    if (!(error instanceof TraktAccountInUseError)) throw error;
    await users.dropPendingLink(userId);
    throw new ApiError(
      409,
      "trakt_account_in_use",
      "This Trakt account is already linked to another user here. Link a different Trakt account, or unlink it from the other user first.",
    );
  }
  // Lists that waited for Trakt access sync now.
  const waiting = (await lists.listByUser(userId)).filter(
    (list) => list.syncState !== "synced" || list.traktListId === undefined,
  );
  for (const list of waiting) await queue.enqueue(newSyncRequest(userId, list.listId, "relinked"));
  return json(200, { linked: true, traktUsername: settings.user.username, listsQueued: waiting.length });
}
