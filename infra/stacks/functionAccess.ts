import { type HandlerName, table } from "#config/resources.ts";

/**
 * The DynamoDB actions each function's code sends to the main table, and nothing more (template tests assert
 * them). No function scans; only the functions that delete records may `DeleteItem`. List items are in their own
 * table (`itemsTableActions`).
 *
 * Plain data only: the template tests import it.
 */
export const tableActions: Readonly<Record<HandlerName, readonly string[]>> = {
  // Lists, users (link, unlink, account deletion), rate-limit windows.
  api: [
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
  ],
  // Creation lease and Trakt list id on the list; tokens (refresh) and the pacer.
  // PutItem: the install id is made once, by whichever function needs it first (ListRepository.installId).
  "list-created": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
  // The profile once an account deletion's last list is gone. PutItem: the deleted list's tombstone.
  "list-deleted": [
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
  ],
  // The list, tokens, the pacer.
  sync: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
  // The repair index, the lists it names and their tombstones, tokens, the pacer, the install id.
  backfill: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
  // Only the catalog bucket: no table access.
  "catalog-ingest": [],
  // The user directory and each user's lists (Query), its own progress record (GetItem, PutItem).
  "catalog-refresh": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
};

/**
 * The actions each function sends to the items table (ItemRepository): a list's items are read with Query and
 * written and deleted with BatchWriteItem; the sync flags the items Trakt could not match with UpdateItem.
 */
export const itemsTableActions: Readonly<Record<HandlerName, readonly string[]>> = {
  // A manual list's items: created with the list, added, removed, shown.
  api: ["dynamodb:Query", "dynamodb:BatchWriteItem"],
  "list-created": [],
  // The deleted list's items.
  "list-deleted": ["dynamodb:Query", "dynamodb:BatchWriteItem"],
  sync: ["dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem"],
  backfill: [],
  "catalog-ingest": [],
  "catalog-refresh": [],
};

/** The indexes each function queries, besides the table itself. */
export const tableIndexes: Readonly<Partial<Record<HandlerName, readonly string[]>>> = {
  backfill: [table.repairIndex.name],
};

/** Functions that use Trakt tokens (decrypt them, and store refreshed ones) and the Trakt client secret. */
export const tokenUsers: readonly HandlerName[] = ["api", "list-created", "list-deleted", "sync", "backfill"];

/** Functions that send sync requests; only `sync` consumes them. */
export const syncQueueSenders: readonly HandlerName[] = [
  "api",
  "list-created",
  "backfill",
  "catalog-refresh",
];

/** Functions that read the published catalog (previews, searches, manual items, syncs, refreshes); only `catalog-ingest` writes it. */
export const catalogReaders: readonly HandlerName[] = ["api", "sync", "catalog-refresh"];
