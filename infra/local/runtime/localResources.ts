import { mkdirSync } from "node:fs";
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  ResourceInUseException,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { startFauxqs } from "fauxqs";
import { createDocumentClient } from "#adapters/dynamo/client.ts";
import {
  itemsTableDefinition,
  itemsTableNameFor,
  tableDefinition,
} from "#adapters/dynamo/tableDefinition.ts";
import { createSqsClient } from "#adapters/queue/SqsSyncQueue.ts";
import { CatalogBucket } from "#adapters/s3/CatalogBucket.ts";
import { createS3Client } from "#adapters/s3/client.ts";
import { syncQueue } from "#config/resources.ts";
import {
  startTraktSandbox,
  type TraktSandbox,
  type TraktSandboxOptions,
} from "../trakt-sandbox/TraktSandbox.ts";
import { startDynamoDbLocal } from "./dynamoDbLocal.ts";
import type { localDataPaths } from "./localData.ts";
import { moveItemRecordsOnce } from "./moveItemRecords.ts";
import type { LocalStackState } from "./stackState.ts";
import type { Teardown } from "./teardown.ts";

/** Where the stack keeps its data across runs (`npm start`); undefined: in memory. */
export type DataPaths = ReturnType<typeof localDataPaths> | undefined;

export type Log = (message: string) => void;

export interface LocalQueue {
  url: string;
  arn: string;
}

export interface TraktSettings {
  apiUrl: string;
  authUrl: string;
  clientId: string;
  clientSecret: string;
}

/** What the functions use, running: DynamoDB and the table, the queues and the catalog bucket (fauxqs), Trakt. */
export interface LocalResources {
  dynamoEndpoint: string;
  tableName: string;
  itemsTableName: string;
  streamArn: string;
  /** fauxqs serves SQS and S3 on one address. */
  fauxqsEndpoint: string;
  sqs: SQSClient;
  queues: { sync: LocalQueue; syncDlq: LocalQueue; streamFailures: LocalQueue };
  catalogBucket: CatalogBucket;
  trakt: TraktSettings;
  /** Started unless real Trakt (or another stand-in) is configured. */
  sandbox: TraktSandbox | undefined;
}

export interface ResourceOptions {
  dynamoEndpoint?: string;
  tableName?: string;
  /** Default: the table's name followed by `-items`. */
  itemsTableName?: string;
  trakt?: TraktSettings;
  sandbox?: TraktSandboxOptions;
  /**
   * The sync queue's visibility timeout; default the CDK queue's (900 s, at least the sync function's timeout), so a
   * delivery still running (a last delivery waits for its write slot as long as it takes) never comes back meanwhile.
   */
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
}

const catalogBucketName = "trakt-list-sync-catalog";

/** Starts (or reaches) DynamoDB, fauxqs and Trakt, and makes the table, the queues and the bucket. */
export async function startResources(
  options: ResourceOptions,
  data: DataPaths,
  teardown: Teardown,
  log: Log,
): Promise<LocalResources> {
  const dynamoEndpoint = await startDynamo(options.dynamoEndpoint, data, teardown, log);
  const { fauxqsEndpoint, sqs, queues } = await startQueues(options, data, teardown, log);
  const { trakt, sandbox } = await startTrakt(options, data, teardown, log);
  const tableName = options.tableName ?? "trakt-list-sync";
  const itemsTableName = options.itemsTableName ?? itemsTableNameFor(tableName);
  const streamArn = await ensureTables(dynamoEndpoint, { tableName, itemsTableName }, teardown, log);
  const catalogBucket = await ensureCatalogBucket(fauxqsEndpoint, teardown);
  return {
    dynamoEndpoint,
    tableName,
    itemsTableName,
    streamArn,
    fauxqsEndpoint,
    sqs,
    queues,
    catalogBucket,
    trakt,
    sandbox,
  };
}

/** How scripts and the handlers reach these resources (see stackState.ts). */
export function stateOf(resources: LocalResources): Omit<LocalStackState, "apiUrl"> {
  const { trakt, queues } = resources;
  return {
    traktApiUrl: trakt.apiUrl,
    traktAuthUrl: trakt.authUrl,
    traktClientId: trakt.clientId,
    traktClientSecret: trakt.clientSecret,
    dynamoEndpoint: resources.dynamoEndpoint,
    sqsEndpoint: resources.fauxqsEndpoint,
    s3Endpoint: resources.fauxqsEndpoint,
    catalogBucket: resources.catalogBucket.bucket,
    tableName: resources.tableName,
    itemsTableName: resources.itemsTableName,
    queues: { sync: queues.sync.url, syncDlq: queues.syncDlq.url, streamFailures: queues.streamFailures.url },
  };
}

/** DynamoDB Local, unless `endpoint` names a DynamoDB to use (e.g. the tests' shared one). */
async function startDynamo(endpoint: string | undefined, data: DataPaths, teardown: Teardown, log: Log) {
  let reached = endpoint;
  if (!reached) {
    const dynamo = await startDynamoDbLocal(data ? { path: data.dynamo } : {});
    teardown.add(() => dynamo.stop());
    reached = dynamo.endpoint;
  }
  log(`DynamoDB Local   ${reached}`);
  return reached;
}

/** fauxqs (SQS and S3) with the sync queue, its dead-letter queue and the stream-failures queue. */
async function startQueues(options: ResourceOptions, data: DataPaths, teardown: Teardown, log: Log) {
  if (data) mkdirSync(data.fauxqs, { recursive: true });
  const fauxqs = await startFauxqs({
    port: 0,
    logger: false,
    host: "127.0.0.1",
    ...(data ? { dataDir: data.fauxqs } : {}),
  });
  teardown.add(() => fauxqs.stop());
  const sqs = createSqsClient(fauxqs.address);
  teardown.add(async () => sqs.destroy());
  const queues = await createQueues(sqs, options);
  log(`SQS (fauxqs)     ${fauxqs.address}`);
  return { fauxqsEndpoint: fauxqs.address, sqs, queues };
}

async function createQueues(sqs: SQSClient, options: ResourceOptions) {
  const create = async (name: string, attributes: Record<string, string>): Promise<LocalQueue> => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const url = QueueUrl!;
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }),
    );
    return { url, arn: Attributes!.QueueArn! };
  };
  const fifo = { FifoQueue: "true", ContentBasedDeduplication: "false" };
  const syncDlq = await create("sync-dlq.fifo", { ...fifo, MessageRetentionPeriod: "1209600" });
  const sync = await create("sync.fifo", {
    ...fifo,
    VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? syncQueue.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: syncDlq.arn,
      maxReceiveCount: String(options.maxReceiveCount ?? syncQueue.maxReceiveCount),
    }),
  });
  const streamFailures = await create("stream-failures", {});
  return { sync, syncDlq, streamFailures };
}

/** The configured Trakt, or the sandbox (its state kept with the stack's data). */
async function startTrakt(options: ResourceOptions, data: DataPaths, teardown: Teardown, log: Log) {
  let sandbox: TraktSandbox | undefined;
  let trakt = options.trakt;
  if (!trakt) {
    const started = await startTraktSandbox({ port: 0, ...options.sandbox });
    sandbox = started;
    teardown.add(() => started.stop());
    if (data) keepSandboxState(started, data.sandbox, teardown, log);
    const { url, clientId, clientSecret } = started;
    trakt = { apiUrl: url, authUrl: url, clientId, clientSecret };
  }
  log(`Trakt            ${trakt.apiUrl}${sandbox ? " (sandbox)" : ""}`);
  return { trakt, sandbox };
}

/** Loads the sandbox's saved state and saves it every 2 s and when the stack stops. */
function keepSandboxState(sandbox: TraktSandbox, path: string, teardown: Teardown, log: Log): void {
  if (sandbox.loadState(path)) log(`Trakt sandbox    state restored from ${path}`);
  const timer = setInterval(() => sandbox.saveState(path), 2_000);
  timer.unref();
  teardown.add(async () => {
    clearInterval(timer);
    sandbox.saveState(path);
  });
}

/**
 * Creates the main table and the items table unless they exist, and moves the items an earlier version kept in
 * the main table (once per table); the stream's ARN once the main table is active.
 */
async function ensureTables(
  endpoint: string,
  { tableName, itemsTableName }: { tableName: string; itemsTableName: string },
  teardown: Teardown,
  log: Log,
): Promise<string> {
  const doc = createDocumentClient(endpoint);
  teardown.add(async () => doc.destroy());
  await createUnlessExists(doc, tableDefinition(tableName));
  await createUnlessExists(doc, itemsTableDefinition(itemsTableName));
  const moved = await moveItemRecordsOnce(doc, tableName, itemsTableName);
  if (moved > 0) log(`Moved ${moved} list items into ${itemsTableName}`);
  for (;;) {
    const { Table } = await doc.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE" && Table.LatestStreamArn) return Table.LatestStreamArn;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Creates the table unless it exists. */
async function createUnlessExists(
  doc: DynamoDBDocumentClient,
  definition: CreateTableCommandInput,
): Promise<void> {
  try {
    await doc.send(new CreateTableCommand(definition));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

async function ensureCatalogBucket(endpoint: string, teardown: Teardown): Promise<CatalogBucket> {
  const s3 = createS3Client(endpoint);
  teardown.add(async () => s3.destroy());
  await s3.send(new CreateBucketCommand({ Bucket: catalogBucketName }));
  return new CatalogBucket(s3, catalogBucketName);
}
