import { z } from "zod";
import type { SyncRequest } from "./ports.ts";

/** Why a sync was asked for; shows in logs and metrics. */
const syncReasons = [
  "created",
  "items_changed",
  "list_changed",
  "manual",
  "backfill",
  "drift",
  "relinked",
  "import",
  "catalog_refresh",
] as const;

/** The sync queue's message body. */
export const syncRequestSchema = z
  .object({
    userId: z.string().min(1),
    listId: z.string().min(1),
    forceFull: z.boolean(),
    reason: z.enum(syncReasons),
    requestedAt: z.iso.datetime(),
  })
  .strict() satisfies z.ZodType<SyncRequest>;

export function newSyncRequest(
  userId: string,
  listId: string,
  reason: (typeof syncReasons)[number],
  options: { forceFull?: boolean; now?: Date } = {},
): SyncRequest {
  return {
    userId,
    listId,
    forceFull: options.forceFull ?? false,
    reason,
    requestedAt: (options.now ?? new Date()).toISOString(),
  };
}
