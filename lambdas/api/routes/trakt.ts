import { getServices } from "../../../shared/runtime/services.ts";
import { newSyncRequest } from "../../../shared/sync/syncRequest.ts";
import { TraktHttpError } from "../../../shared/trakt/errors.ts";
import { storedAuthFrom } from "../../../shared/trakt/storedAuth.ts";
import { ApiError, type ApiEvent, type ApiResult, badRequest, callerId, json } from "../http.ts";

/** Starts Trakt's device flow: the user opens the URL and enters the code. */
export async function startDeviceLink(event: ApiEvent): Promise<ApiResult> {
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
}

const deviceErrors: Record<number, [string, string]> = {
  404: [
    "device_code_invalid",
    "Trakt does not know this device code; start again with POST /trakt/device-code",
  ],
  409: ["device_code_used", "This device code was already used; start again with POST /trakt/device-code"],
  410: ["device_code_expired", "The device code expired; start again with POST /trakt/device-code"],
  418: ["device_code_denied", "The Trakt authorization was denied"],
};

/** Polls the device flow once: 202 while the user has not approved yet, 200 once linked. */
export async function pollDeviceLink(event: ApiEvent): Promise<ApiResult> {
  const userId = callerId(event);
  const { users, lists, queue, trakt } = getServices();
  const profile = await users.getProfile(userId);
  if (!profile?.deviceCode) {
    throw badRequest("deviceCode", "No Trakt link in progress; start with POST /trakt/device-code");
  }
  const client = await trakt();
  let tokens: Awaited<ReturnType<typeof client.pollDeviceToken>>;
  try {
    tokens = await client.pollDeviceToken(profile.deviceCode);
  } catch (error) {
    if (!(error instanceof TraktHttpError)) throw error;
    if (error.status === 400) return json(202, { linked: false, status: "pending" });
    if (error.status === 429) return json(202, { linked: false, status: "slow_down" });
    const known = deviceErrors[error.status];
    if (known) throw new ApiError(400, known[0], known[1], "deviceCode");
    throw error;
  }
  const settings = await client.getSettings(tokens.access_token);
  await users.completeLink(userId, storedAuthFrom(tokens, settings.user.ids.slug), settings.user.username);
  // Lists that waited for Trakt access sync now.
  const waiting = (await lists.listByUser(userId)).filter(
    (list) => list.syncState !== "synced" || list.traktListId === undefined,
  );
  for (const list of waiting) await queue.enqueue(newSyncRequest(userId, list.listId, "relinked"));
  return json(200, { linked: true, traktUsername: settings.user.username, listsQueued: waiting.length });
}
