/**
 * Event source mapping filters for the table's stream. CDK puts these on the Lambda event source
 * mappings and the local stream poller applies the very same patterns, so both run the handlers on
 * exactly the same records.
 */
export const listInsertedFilter = {
  eventName: ["INSERT"],
  dynamodb: { NewImage: { entity: { S: ["LIST"] } } },
} as const;

export const listRemovedFilter = {
  eventName: ["REMOVE"],
  dynamodb: { OldImage: { entity: { S: ["LIST"] } } },
} as const;

export type EventFilterPattern = Readonly<Record<string, unknown>>;
