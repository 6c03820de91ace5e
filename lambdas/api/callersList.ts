import type { ListRecord } from "#domain/list.ts";
import { getServices } from "#runtime/services.ts";
import { type ApiEvent, callerId, notFound, pathParam } from "./http.ts";

/** The caller and the list the path's `{id}` names (not read yet). */
export interface ListPath {
  userId: string;
  listId: string;
}

export function listPath(event: ApiEvent): ListPath {
  return { userId: callerId(event), listId: pathParam(event, "id") };
}

/** The caller's list at `path`: 404 when there is none (another user's list answers like a missing one). */
export async function callersList({ userId, listId }: ListPath): Promise<ListRecord> {
  const list = await getServices().lists.get(userId, listId);
  if (!list) throw notFound();
  return list;
}
