import { BroadcastChannel, isMainThread } from "node:worker_threads";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { onEveryDynamoClient } from "#adapters/dynamo/client.ts";

interface Consumed {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/** DynamoDB capacity consumed through the clients of this process, by operation kind. */
class CapacityMeter {
  readCapacityUnits = 0;
  writeCapacityUnits = 0;
  calls = 0;

  reset(): void {
    this.readCapacityUnits = 0;
    this.writeCapacityUnits = 0;
    this.calls = 0;
  }

  record(command: string, consumed: Consumed | Consumed[] | undefined): void {
    this.calls++;
    for (const entry of [consumed ?? []].flat()) {
      const units = entry.CapacityUnits ?? 0;
      const reads = entry.ReadCapacityUnits ?? (isWrite(command) ? 0 : units);
      const writes = entry.WriteCapacityUnits ?? (isWrite(command) ? units : 0);
      this.readCapacityUnits += reads;
      this.writeCapacityUnits += writes;
    }
  }
}

function isWrite(command: string): boolean {
  return /^(Put|Update|Delete|BatchWrite|TransactWrite)/.test(command);
}

/**
 * The benchmark's capacity figures: every DynamoDB client the process makes (the bench's own and the local
 * stack's services) asks for the consumed capacity of every call and adds it here. Only the bench imports it:
 * production clients neither ask DynamoDB for it nor run this middleware.
 */
export const capacityMeter = new CapacityMeter();

/**
 * Worker threads (the local stack's `apiWorkers`, isolated invocations) import this module too, through
 * `workerPreload`: their clients' figures come to the main thread's meter over this channel.
 */
export const capacityMeterUrl = new URL(import.meta.url);
const channel = new BroadcastChannel("bench-capacity-meter");
channel.unref();
if (isMainThread) {
  channel.onmessage = (message) => {
    const { command, consumed } = (message as { data: Recorded }).data;
    capacityMeter.record(command, consumed);
  };
}
const record = isMainThread
  ? (command: string, consumed: Recorded["consumed"]) => capacityMeter.record(command, consumed)
  : (command: string, consumed: Recorded["consumed"]) =>
      channel.postMessage({ command, consumed } satisfies Recorded);
onEveryDynamoClient((client) => meterCapacity(client, record));

interface Recorded {
  command: string;
  consumed: Consumed | Consumed[] | undefined;
}

/**
 * Asks DynamoDB for the consumed capacity of every call (`ReturnConsumedCapacity: TOTAL`; commands
 * without that parameter ignore it) and adds it to the meter.
 */
function meterCapacity(
  client: DynamoDBClient,
  record: (command: string, consumed: Recorded["consumed"]) => void,
): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity ??= "TOTAL";
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: Consumed | Consumed[] };
      record(context.commandName ?? "", output.ConsumedCapacity);
      return result;
    },
    { step: "initialize", name: "capacityMeter" },
  );
}
