import { CfnOutput, Duration, Lazy, SecretValue, Stack, type StackProps, Tags } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import type { Bucket } from "aws-cdk-lib/aws-s3";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { environmentFor } from "#config/env.ts";
import { listInsertedFilter, listRemovedFilter } from "#config/eventFilters.ts";
import {
  backfillScheduleMinutes,
  catalogRefresh,
  type HandlerName,
  handlerNames,
  syncQueue,
} from "#config/resources.ts";
import { EncryptionKeys } from "#infra/constructs/EncryptionKeys.ts";
import { ServiceAlarms } from "#infra/constructs/ServiceAlarms.ts";
import { type ServiceFunction, serviceName } from "#infra/constructs/ServiceFunction.ts";
import { WebSite } from "#infra/constructs/WebSite.ts";
import { CatalogStore } from "./CatalogStore.ts";
import {
  catalogReaders,
  itemsTableActions,
  syncQueueSenders,
  tableActions,
  tableIndexes,
  tokenUsers,
} from "./functionAccess.ts";
import { acknowledgeNagFindings } from "./nagAcknowledgements.ts";
import { ServiceApi } from "./ServiceApi.ts";
import { createServiceFunctions } from "./ServiceFunctions.ts";
import { ServiceQueues } from "./ServiceQueues.ts";
import { ServiceTable } from "./ServiceTable.ts";
import { defaultApiReservedConcurrency, type StackSettings } from "./stackSettings.ts";
import { TokenIssuer } from "./TokenIssuer.ts";

export type TraktListSyncStackProps = StackProps & {
  readonly settings: StackSettings;
  /** The built web page (web/dist); infra/app.ts builds it before synth. */
  readonly webDir: string;
};

type Functions = Readonly<Record<HandlerName, ServiceFunction>>;

/**
 * The whole service: the lists table and its stream, the items table, the sync queue, the functions, the schedules
 * that repair drift and refresh custom lists, the HTTP API, the web page and the alarms that tell a
 * person something is stuck. Each part is made in the stack's own scope, so the logical ids of the
 * deployed (and retained) resources never move.
 */
export class TraktListSyncStack extends Stack {
  public readonly table: Table;
  public readonly itemsTable: Table;
  public readonly syncQueue: Queue;
  public readonly syncDeadLetterQueue: Queue;
  public readonly streamFailuresQueue: Queue;
  public readonly traktCredentials: Secret;
  public readonly functions: Readonly<Record<HandlerName, NodejsFunction>>;
  public readonly httpApi: HttpApi;
  public readonly alarmTopic: Topic;
  public readonly catalogBucket: Bucket;
  public readonly keys: EncryptionKeys;

  public constructor(scope: Construct, id: string, props: TraktListSyncStackProps) {
    super(scope, id, props);
    Tags.of(this).add("service", serviceName);
    this.keys = new EncryptionKeys(this, "Keys");
    const table = new ServiceTable(this, this.keys.table);
    const catalog = new CatalogStore(this);
    this.traktCredentials = traktCredentialsSecret(this);
    const queues = new ServiceQueues(this);
    this.table = table.table;
    this.itemsTable = table.itemsTable;
    this.catalogBucket = catalog.bucket;
    this.syncQueue = queues.sync;
    this.syncDeadLetterQueue = queues.syncDeadLetter;
    this.streamFailuresQueue = queues.streamFailures;

    const functions = this.createFunctions(props.settings);
    this.functions = Object.fromEntries(
      handlerNames.map((name) => [name, functions[name].function]),
    ) as Record<HandlerName, NodejsFunction>;
    this.grantAccess(functions, catalog, queues);
    this.connectEvents(table, catalog, queues);

    const api = this.createApiAndPage(props);
    this.httpApi = api.httpApi;
    this.alarmTopic = this.createAlarms(props.settings, queues);
    acknowledgeNagFindings(this);
    this.addOutputs(api);
  }

  /** Every function gets the table, the queue, Trakt's settings, the catalog and the token key. */
  private createFunctions(settings: StackSettings): Functions {
    const streamFailures = environmentFor({ streamFailuresQueueUrl: this.streamFailuresQueue.queueUrl });
    return createServiceFunctions(this, {
      environment: environmentFor({
        tableName: this.table.tableName,
        itemsTableName: this.itemsTable.tableName,
        syncQueueUrl: this.syncQueue.queueUrl,
        traktApiUrl: settings.traktApiUrl,
        traktAuthUrl: settings.traktAuthUrl,
        traktCredentialsSecretArn: this.traktCredentials.secretArn,
        catalogBucket: this.catalogBucket.bucketName,
        tokenKmsKeyId: this.keys.tokens.keyArn,
        traktClientId: settings.traktClientId,
      }),
      environmentOf: {
        "list-created": streamFailures,
        "list-deleted": streamFailures,
        sync: environmentFor({ syncMaxReceiveCount: String(syncQueue.maxReceiveCount) }),
        "catalog-refresh": environmentFor({
          catalogRefreshIntervalSeconds: String(catalogRefresh.passIntervalSeconds),
        }),
      },
      reservedConcurrency: {
        api: settings.apiReservedConcurrency ?? defaultApiReservedConcurrency,
        // One ingestion at a time: the two events of an IMDb pair then build one version, not two.
        "catalog-ingest": 1,
      },
    });
  }

  /**
   * Least privilege: each function gets the DynamoDB actions its code sends, the token key and the
   * Trakt secret where Trakt is called, the sync queue and the catalog where it uses them
   * (functionAccess.ts); only the ingestion writes the catalog.
   */
  private grantAccess(functions: Functions, catalog: CatalogStore, queues: ServiceQueues): void {
    for (const name of handlerNames) {
      const fn = functions[name];
      fn.bindTable({
        table: this.table,
        keys: this.keys,
        actions: tableActions[name],
        indexes: tableIndexes[name],
      });
      fn.bindTable({ table: this.itemsTable, keys: this.keys, actions: itemsTableActions[name] });
      if (tokenUsers.includes(name)) fn.bindTraktCredentials(this.keys, this.traktCredentials);
    }
    for (const name of syncQueueSenders) queues.sync.grantSendMessages(functions[name].function);
    for (const name of catalogReaders) catalog.grantRead(functions[name].function);
    catalog.grantIngest(functions["catalog-ingest"].function);
  }

  /** The stream, the sync queue, the catalog bucket and the schedules start the functions. */
  private connectEvents(table: ServiceTable, catalog: CatalogStore, queues: ServiceQueues): void {
    const fn = this.functions;
    table.feedStream(fn["list-created"], listInsertedFilter, queues.streamFailures);
    table.feedStream(fn["list-deleted"], listRemovedFilter, queues.streamFailures);
    queues.feedSync(fn.sync);
    // The next scheduled run is the retry: no async retries of a failed run.
    fn.backfill.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.minutes(backfillScheduleMinutes),
    });
    new Rule(this, "BackfillSchedule", {
      description: "Repairs lists that have no Trakt list, failed or drifted",
      schedule: Schedule.rate(Duration.minutes(backfillScheduleMinutes)),
      targets: [new LambdaFunction(fn.backfill, { retryAttempts: 2 })],
    });
    catalog.notify(fn["catalog-ingest"], fn["catalog-refresh"], catalogRefresh.tickMinutes);
    new Rule(this, "CatalogRefreshSchedule", {
      description:
        "Evaluates custom lists against the current catalog: a pass daily (and on each new version); unfinished passes continue",
      schedule: Schedule.rate(Duration.minutes(catalogRefresh.tickMinutes)),
      targets: [new LambdaFunction(fn["catalog-refresh"], { retryAttempts: 2 })],
    });
  }

  /** The HTTP API behind the token issuer, and the web page on one CloudFront distribution with it. */
  private createApiAndPage(props: TraktListSyncStackProps): ServiceApi {
    const { settings } = props;
    // The page's address is known once the distribution exists (below); Cognito's callback needs it.
    let webUrl: string | undefined;
    const issuer = new TokenIssuer(this, {
      ...(settings.jwt === undefined ? {} : { jwt: settings.jwt }),
      pageUrl: Lazy.string({ produce: () => `${webUrl}/` }),
      callbackUrls: settings.authCallbackUrls ?? [],
      logoutUrls: settings.authLogoutUrls ?? [],
    });
    const api = new ServiceApi(this, {
      handler: this.functions.api,
      jwtIssuer: issuer.issuer,
      jwtAudience: issuer.audience,
    });
    const webSite = new WebSite(this, "Web", {
      webDir: props.webDir,
      httpApi: api.httpApi,
      auth: (url) => issuer.pageAuth(url),
    });
    webUrl = webSite.url;
    new CfnOutput(this, "WebUrl", { value: webSite.url });
    return api;
  }

  /** The topic a person subscribes to, the dead-letter alarms and the service alarms. */
  private createAlarms(settings: StackSettings, queues: ServiceQueues): Topic {
    const topic = new Topic(this, "AlarmTopic", { enforceSSL: true });
    if (settings.alarmEmail !== undefined) topic.addSubscription(new EmailSubscription(settings.alarmEmail));
    queues.alarmOnDeadLetters(this, topic);
    new ServiceAlarms(this, "Alarms", {
      topic,
      httpApi: this.httpApi,
      functions: this.functions,
      // One failed ingestion or refresh is worth a look: the ingestion is not retried, and the current version keeps serving.
      errorThresholds: { "catalog-ingest": 1, "catalog-refresh": 1 },
      syncQueue: queues.sync,
    });
    return topic;
  }

  private addOutputs(api: ServiceApi): void {
    new CfnOutput(this, "ApiUrl", { value: api.stage.url });
    new CfnOutput(this, "TableName", { value: this.table.tableName });
    new CfnOutput(this, "ItemsTableName", { value: this.itemsTable.tableName });
    new CfnOutput(this, "SyncQueueUrl", { value: this.syncQueue.queueUrl });
    new CfnOutput(this, "SyncDeadLetterQueueUrl", { value: this.syncDeadLetterQueue.queueUrl });
    new CfnOutput(this, "StreamFailuresQueueUrl", { value: this.streamFailuresQueue.queueUrl });
    new CfnOutput(this, "TraktCredentialsSecretArn", { value: this.traktCredentials.secretArn });
    new CfnOutput(this, "AlarmTopicArn", { value: this.alarmTopic.topicArn });
    new CfnOutput(this, "CatalogBucketName", { value: this.catalogBucket.bucketName });
  }
}

/**
 * Filled by the operator after deploy: {"clientId": "...", "clientSecret": "..."}. The template
 * holds only this constant empty shape, so a later deploy never overwrites what was filled in
 * (CloudFormation rewrites the value only when the template value changes).
 */
function traktCredentialsSecret(scope: Construct): Secret {
  return new Secret(scope, "TraktClientCredentials", {
    description: `Trakt API app credentials for ${serviceName}: JSON {"clientId","clientSecret"}; fill in after deploy`,
    secretObjectValue: {
      clientId: SecretValue.unsafePlainText(""),
      clientSecret: SecretValue.unsafePlainText(""),
    },
  });
}
