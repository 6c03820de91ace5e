import { httpError } from "../http.ts";
import { findList } from "../lists.ts";
import type { PersonalList, SandboxUser } from "../model.ts";
import { findUser } from "../users.ts";
import type { ApiRequest } from "./apiTypes.ts";

/** `:id` of `/users/:id/...`: `me` is the token's user, anything else a user slug (404 when unknown). */
export function resolveOwner(request: ApiRequest): SandboxUser {
  const id = request.params.id ?? "me";
  if (id === "me") {
    if (!request.viewer) throw httpError(401, "invalid_token", "An access token is required.");
    return request.viewer;
  }
  const user = findUser(request.runtime, id);
  if (!user) throw httpError(404, "not_found", `User ${id} not found.`);
  return user;
}

export function isOwner(request: ApiRequest, owner: SandboxUser): boolean {
  return request.viewer?.slug === owner.slug;
}

/** Lists another user may see in a listing: only public ones. */
export function listedFor(request: ApiRequest, owner: SandboxUser): PersonalList[] {
  return isOwner(request, owner) ? owner.lists : owner.lists.filter((list) => list.privacy === "public");
}

/** A list the viewer may read: their own, or another user's public or link-shared list; 404 otherwise. */
export function readableList(request: ApiRequest): { owner: SandboxUser; list: PersonalList } {
  const owner = resolveOwner(request);
  const list = findList(owner, request.params.list_id ?? "");
  const visible = list && (isOwner(request, owner) || list.privacy === "public" || list.privacy === "link");
  if (!list || !visible) throw httpError(404, "not_found", "List not found.");
  return { owner, list };
}

/** A list the viewer may change: only their own. Another user's list is 404 when hidden, 403 when visible. */
export function writableList(request: ApiRequest): { owner: SandboxUser; list: PersonalList } {
  const found = readableList(request);
  if (!isOwner(request, found.owner))
    throw httpError(403, "forbidden", "Only the owner can change this list.");
  return found;
}

export function writableOwner(request: ApiRequest): SandboxUser {
  const owner = resolveOwner(request);
  if (!isOwner(request, owner)) throw httpError(403, "forbidden", "Only the owner can create lists.");
  return owner;
}
