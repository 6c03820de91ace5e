import {
  CfnOutput,
  Duration,
  Lazy,
  RemovalPolicy,
  SecretValue,
  Stack,
  type StackProps,
  Tags,
} from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpJwtAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from "aws-cdk-lib/aws-dynamodb";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { type CfnFunction, FilterCriteria, StartingPosition } from "aws-cdk-lib/aws-lambda";
import {
  DynamoEventSource,
  S3EventSourceV2,
  SqsDlq,
  SqsEventSource,
} from "aws-cdk-lib/aws-lambda-event-sources";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { BlockPublicAccess, Bucket, BucketEncryption, EventType } from "aws-cdk-lib/aws-s3";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { type IQueue, Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { envNames } from "#config/env.ts";
import { listInsertedFilter, listRemovedFilter } from "#config/eventFilters.ts";
import {
  backfillScheduleMinutes,
  catalogIngestFunction,
  catalogRefresh,
  catalogStore,
  functionMemoryMb,
  type HandlerName,
  streamMapping,
  syncFunctionTimeoutSeconds,
  syncMaxConcurrency,
  syncQueue,
  table as tableConfig,
} from "#config/resources.ts";
import { EncryptionKeys } from "#infra/constructs/EncryptionKeys.ts";
import { ServiceAlarms } from "#infra/constructs/ServiceAlarms.ts";
import { ServiceFunction, serviceName } from "#infra/constructs/ServiceFunction.ts";
import { UserDirectory } from "#infra/constructs/UserDirectory.ts";
import { WebSite } from "#infra/constructs/WebSite.ts";
import { type ApiRouteMethod, apiRoutes } from "./apiRoutes.ts";
import { tableActions, tokenUsers } from "./functionAccess.ts";
import { acknowledgeNagFindings } from "./nagAcknowledgements.ts";
import { defaultApiReservedConcurrency, type StackSettings } from "./stackSettings.ts";

export type TraktListSyncStackProps = StackProps & {
  readonly settings: StackSettings;
  /** The built web page (web/dist); infra/app.ts builds it before synth. */
  readonly webDir: string;
};

const httpMethods: Record<ApiRouteMethod, HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

/** One JSON line per API request (HTTP API `$context` variables). */
export const apiAccessLogFields = {
  requestId: "$context.requestId",
  sub: "$context.authorizer.claims.sub",
  routeKey: "$context.routeKey",
  status: "$context.status",
  latencyMs: "$context.responseLatency",
  integrationLatencyMs: "$context.integrationLatency",
  time: "$context.requestTime",
  ip: "$context.identity.sourceIp",
} as const;

/** Default throttling of the API's stage (per account and region, across all routes). */
export const apiThrottle = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * The whole service: the lists table and its stream, the sync queue, the five functions, the
 * schedule that repairs drift, the HTTP API and the alarms that tell a person something is stuck.
 */
export class TraktListSyncStack extends Stack {
  public readonly table: Table;
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
    const { settings } = props;
    Tags.of(this).add("service", serviceName);

    // --- Data -------------------------------------------------------------------------------
    const keys = new EncryptionKeys(this, "Keys");
    const table = new Table(this, "Table", {
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: keys.table,
      timeToLiveAttribute: tableConfig.timeToLiveAttribute,
      partitionKey: { name: tableConfig.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableConfig.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Only lists carry `repairShard`; the backfill reads the entries already due. The projection holds
    // just what the backfill needs, so list updates that leave those attributes alone skip the index.
    table.addGlobalSecondaryIndex({
      indexName: tableConfig.repairIndex.name,
      partitionKey: { name: tableConfig.repairIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableConfig.repairIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...tableConfig.repairIndex.projectedAttributes],
    });

    // The catalog: source files dropped under incoming/ are ingested into immutable snapshot versions
    // under catalog/ (see README "Catalog"). Private, encrypted, versioned; old object versions expire.
    const catalogBucket = new Bucket(this, "CatalogBucket", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(30) },
        { prefix: catalogStore.incomingPrefix, expiration: Duration.days(30) },
      ],
    });

    // Filled by the operator after deploy: {"clientId": "...", "clientSecret": "..."}. The template
    // holds only this constant empty shape, so a later deploy never overwrites what was filled in
    // (CloudFormation rewrites the value only when the template value changes).
    const traktCredentials = new Secret(this, "TraktClientCredentials", {
      description: `Trakt API app credentials for ${serviceName}: JSON {"clientId","clientSecret"}; fill in after deploy`,
      secretObjectValue: {
        clientId: SecretValue.unsafePlainText(""),
        clientSecret: SecretValue.unsafePlainText(""),
      },
    });

    // --- Queues -----------------------------------------------------------------------------
    const syncDeadLetterQueue = new Queue(this, "SyncDeadLetterQueue", {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const syncQueueResource = new Queue(this, "SyncQueue", {
      fifo: syncQueue.fifo,
      contentBasedDeduplication: false,
      visibilityTimeout: Duration.seconds(syncQueue.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(4),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: syncDeadLetterQueue, maxReceiveCount: syncQueue.maxReceiveCount },
    });
    // Stream batches that kept failing land here (metadata of the records, not the records).
    const streamFailures = new Queue(this, "StreamFailuresQueue", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    // --- Functions --------------------------------------------------------------------------
    const environment: Record<string, string> = {
      [envNames.tableName]: table.tableName,
      [envNames.syncQueueUrl]: syncQueueResource.queueUrl,
      [envNames.traktApiUrl]: settings.traktApiUrl,
      [envNames.traktAuthUrl]: settings.traktAuthUrl,
      [envNames.traktCredentialsSecretArn]: traktCredentials.secretArn,
      [envNames.catalogBucket]: catalogBucket.bucketName,
      [envNames.tokenKmsKeyId]: keys.tokens.keyArn,
      ...(settings.traktClientId === undefined ? {} : { [envNames.traktClientId]: settings.traktClientId }),
    };

    const api = new ServiceFunction(this, "Api", {
      name: "api",
      description: "HTTP API: lists, items, Trakt device flow",
      timeout: Duration.seconds(29),
      memorySize: functionMemoryMb.api,
      environment,
      reservedConcurrentExecutions: settings.apiReservedConcurrency ?? defaultApiReservedConcurrency,
    }).function;
    const listCreated = new ServiceFunction(this, "ListCreated", {
      name: "list-created",
      description: "Table stream INSERT of a list: creates its Trakt list and enqueues a full sync",
      timeout: Duration.seconds(120),
      memorySize: functionMemoryMb["list-created"],
      environment: { ...environment, [envNames.streamFailuresQueueUrl]: streamFailures.queueUrl },
    }).function;
    const listDeleted = new ServiceFunction(this, "ListDeleted", {
      name: "list-deleted",
      description: "Table stream REMOVE of a list: deletes its Trakt list",
      timeout: Duration.seconds(120),
      memorySize: functionMemoryMb["list-deleted"],
      environment: { ...environment, [envNames.streamFailuresQueueUrl]: streamFailures.queueUrl },
    }).function;
    const sync = new ServiceFunction(this, "Sync", {
      name: "sync",
      description: "Sync queue consumer: converges a Trakt list to the local list",
      timeout: Duration.seconds(syncFunctionTimeoutSeconds),
      memorySize: functionMemoryMb.sync,
      environment: { ...environment, [envNames.syncMaxReceiveCount]: String(syncQueue.maxReceiveCount) },
    }).function;
    const backfill = new ServiceFunction(this, "Backfill", {
      name: "backfill",
      description: "Scheduled repair: creates missing Trakt lists, re-enqueues failed or drifted syncs",
      timeout: Duration.seconds(300),
      memorySize: functionMemoryMb.backfill,
      environment,
    }).function;

    const catalogIngest = new ServiceFunction(this, "CatalogIngest", {
      name: "catalog-ingest",
      description: "A file in the catalog bucket's incoming/: builds and publishes the next catalog version",
      timeout: Duration.seconds(catalogIngestFunction.timeoutSeconds),
      memorySize: functionMemoryMb["catalog-ingest"],
      environment,
    }).function;
    const catalogRefreshFunction = new ServiceFunction(this, "CatalogRefresh", {
      name: "catalog-refresh",
      description: "New catalog version or schedule: queues syncs of custom lists whose selection changed",
      timeout: Duration.seconds(300),
      memorySize: functionMemoryMb["catalog-refresh"],
      environment: {
        ...environment,
        [envNames.catalogRefreshIntervalSeconds]: String(catalogRefresh.passIntervalSeconds),
      },
    }).function;

    // Least privilege: each function gets the DynamoDB actions its code sends (functionAccess.ts),
    // the token key and the Trakt secret where Trakt is called; only these four enqueue syncs.
    this.functions = {
      api,
      "list-created": listCreated,
      "list-deleted": listDeleted,
      sync,
      backfill,
      "catalog-ingest": catalogIngest,
      "catalog-refresh": catalogRefreshFunction,
    };
    for (const [name, fn] of Object.entries(this.functions) as [HandlerName, NodejsFunction][]) {
      if (tableActions[name].length > 0)
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: [...tableActions[name]],
            resources: [
              table.tableArn,
              ...(name === "backfill" ? [`${table.tableArn}/index/${tableConfig.repairIndex.name}`] : []),
            ],
          }),
        );
      if (tableActions[name].length > 0) keys.grantTableUse(fn);
      if (tokenUsers.includes(name)) {
        keys.grantTokenUse(fn);
        traktCredentials.grantRead(fn);
      }
    }
    for (const fn of [api, listCreated, backfill, catalogRefreshFunction]) {
      syncQueueResource.grantSendMessages(fn);
    }
    // The API (preview, search, manual items), the sync and the refresh read the catalog; only the ingestion writes it.
    const catalogObjects = (prefix: string) => `${catalogBucket.bucketArn}/${prefix}*`;
    for (const fn of [api, sync, catalogRefreshFunction]) {
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ["s3:GetObject"], resources: [catalogObjects("catalog/")] }),
      );
    }
    catalogIngest.addToRolePolicy(
      new PolicyStatement({ actions: ["s3:ListBucket"], resources: [catalogBucket.bucketArn] }),
    );
    catalogIngest.addToRolePolicy(
      new PolicyStatement({ actions: ["s3:GetObject"], resources: [catalogObjects("")] }),
    );
    catalogIngest.addToRolePolicy(
      new PolicyStatement({ actions: ["s3:PutObject"], resources: [catalogObjects("catalog/")] }),
    );
    catalogIngest.addToRolePolicy(
      new PolicyStatement({
        actions: ["s3:DeleteObject"],
        resources: [catalogObjects(catalogStore.versionsPrefix)],
      }),
    );

    // --- Event sources ----------------------------------------------------------------------
    const streamSettings = {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: streamMapping.batchSize,
      parallelizationFactor: streamMapping.parallelizationFactor,
      retryAttempts: streamMapping.retryAttempts,
      maxRecordAge: Duration.seconds(streamMapping.maxRecordAgeSeconds),
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(streamFailures),
    };
    listCreated.addEventSource(
      new DynamoEventSource(table, {
        ...streamSettings,
        filters: [FilterCriteria.filter(listInsertedFilter)],
      }),
    );
    listDeleted.addEventSource(
      new DynamoEventSource(table, {
        ...streamSettings,
        filters: [FilterCriteria.filter(listRemovedFilter)],
      }),
    );
    sync.addEventSource(
      new SqsEventSource(syncQueueResource, {
        batchSize: syncQueue.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: syncMaxConcurrency,
      }),
    );

    // The next scheduled run is the retry: no async retries of a failed run.
    backfill.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.minutes(backfillScheduleMinutes),
    });
    new Rule(this, "BackfillSchedule", {
      description: "Repairs lists that have no Trakt list, failed or drifted",
      schedule: Schedule.rate(Duration.minutes(backfillScheduleMinutes)),
      targets: [new LambdaFunction(backfill, { retryAttempts: 2 })],
    });

    // A file in incoming/ starts an ingestion; the pointer written last by a publish starts a refresh.
    // One ingestion at a time: the two events of an IMDb pair then build one version, not two.
    catalogIngest.configureAsyncInvoke({ retryAttempts: 0 });
    const ingestConcurrency = catalogIngest.node.defaultChild as CfnFunction;
    ingestConcurrency.reservedConcurrentExecutions = 1;
    catalogIngest.addEventSource(
      new S3EventSourceV2(catalogBucket, {
        events: [EventType.OBJECT_CREATED],
        filters: [{ prefix: catalogStore.incomingPrefix }],
      }),
    );
    catalogRefreshFunction.addEventSource(
      new S3EventSourceV2(catalogBucket, {
        events: [EventType.OBJECT_CREATED],
        filters: [{ prefix: catalogStore.pointerKey }],
      }),
    );
    catalogRefreshFunction.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.minutes(catalogRefresh.tickMinutes),
    });
    new Rule(this, "CatalogRefreshSchedule", {
      description:
        "Evaluates custom lists against the current catalog: a pass daily (and on each new version); unfinished passes continue",
      schedule: Schedule.rate(Duration.minutes(catalogRefresh.tickMinutes)),
      targets: [new LambdaFunction(catalogRefreshFunction, { retryAttempts: 2 })],
    });

    // --- HTTP API ---------------------------------------------------------------------------
    let jwtIssuer: string;
    let jwtAudience: string[];
    // The page's address is known once the distribution exists (below); Cognito's callback needs it.
    let webUrl: string | undefined;
    const pageUrl = Lazy.string({ produce: () => `${webUrl}/` });
    let pageAuth: (url: string) => Record<string, unknown> = () => ({ mode: "external" });
    if (settings.jwt === undefined) {
      const users = new UserDirectory(this, "Users", {
        callbackUrls: [pageUrl, ...(settings.authCallbackUrls ?? [])],
        logoutUrls: [pageUrl, ...(settings.authLogoutUrls ?? [])],
        domainPrefix: `${serviceName}-${Stack.of(this).account}`,
      });
      jwtIssuer = users.userPool.userPoolProviderUrl;
      jwtAudience = [users.client.userPoolClientId];
      const { domain, client } = users;
      if (domain) {
        pageAuth = (url) => ({
          mode: "cognito",
          domain: domain.baseUrl(),
          clientId: client.userPoolClientId,
          redirectUri: `${url}/`,
          scopes: ["openid", "email"],
        });
      }
    } else {
      jwtIssuer = settings.jwt.issuer;
      jwtAudience = [...settings.jwt.audience];
    }

    const httpApi = new HttpApi(this, "HttpApi", {
      description: `${serviceName} HTTP API`,
      createDefaultStage: false,
      defaultAuthorizer: new HttpJwtAuthorizer("JwtAuthorizer", jwtIssuer, {
        jwtAudience,
        identitySource: ["$request.header.Authorization"],
      }),
    });
    // Access logs: who (the token's sub), which route, the status and the latency of every request.
    const accessLogs = new LogGroup(this, "ApiAccessLogs", {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = new HttpStage(this, "DefaultStage", {
      httpApi,
      stageName: "$default",
      autoDeploy: true,
      throttle: apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(apiAccessLogFields)),
      },
    });
    const apiIntegration = new HttpLambdaIntegration("ApiIntegration", api);
    const noAuth = new HttpNoneAuthorizer();
    for (const route of apiRoutes) {
      httpApi.addRoutes({
        path: route.path,
        methods: [httpMethods[route.method]],
        integration: apiIntegration,
        ...(route.auth ? {} : { authorizer: noAuth }),
      });
    }
    // Unknown routes reach the api function too, so they answer 404 in the API's own error shape.
    new HttpRoute(this, "DefaultRoute", {
      httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration: apiIntegration,
      authorizer: noAuth,
    });

    // --- Web page ---------------------------------------------------------------------------
    const webSite = new WebSite(this, "Web", { webDir: props.webDir, httpApi, auth: (url) => pageAuth(url) });
    webUrl = webSite.url;
    new CfnOutput(this, "WebUrl", { value: webSite.url });

    // --- Alarms -----------------------------------------------------------------------------
    const alarmTopic = new Topic(this, "AlarmTopic", { enforceSSL: true });
    if (settings.alarmEmail !== undefined) {
      alarmTopic.addSubscription(new EmailSubscription(settings.alarmEmail));
    }
    const queueAlarms: [string, IQueue, string][] = [
      ["SyncDeadLetterQueueAlarm", syncDeadLetterQueue, "Sync messages exhausted their retries"],
      ["StreamFailuresAlarm", streamFailures, "Table stream batches failed list-created/list-deleted"],
    ];
    for (const [id, queue, description] of queueAlarms) {
      const alarm = new Alarm(this, id, {
        alarmDescription: `${description}; inspect ${id.replace(/Alarm$/, "")} and redrive`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: "Maximum",
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new SnsAction(alarmTopic));
      alarm.addOkAction(new SnsAction(alarmTopic));
    }

    new ServiceAlarms(this, "Alarms", {
      topic: alarmTopic,
      httpApi,
      functions: this.functions,
      // One failed ingestion or refresh is worth a look: the ingestion is not retried, and the current version keeps serving.
      errorThresholds: { "catalog-ingest": 1, "catalog-refresh": 1 },
      syncQueue: syncQueueResource,
    });

    // --- Outputs ----------------------------------------------------------------------------
    this.table = table;
    this.syncQueue = syncQueueResource;
    this.syncDeadLetterQueue = syncDeadLetterQueue;
    this.streamFailuresQueue = streamFailures;
    this.traktCredentials = traktCredentials;
    this.httpApi = httpApi;
    this.alarmTopic = alarmTopic;
    this.catalogBucket = catalogBucket;
    this.keys = keys;

    acknowledgeNagFindings(this);

    new CfnOutput(this, "ApiUrl", { value: stage.url });
    new CfnOutput(this, "TableName", { value: table.tableName });
    new CfnOutput(this, "SyncQueueUrl", { value: syncQueueResource.queueUrl });
    new CfnOutput(this, "SyncDeadLetterQueueUrl", { value: syncDeadLetterQueue.queueUrl });
    new CfnOutput(this, "StreamFailuresQueueUrl", { value: streamFailures.queueUrl });
    new CfnOutput(this, "TraktCredentialsSecretArn", { value: traktCredentials.secretArn });
    new CfnOutput(this, "AlarmTopicArn", { value: alarmTopic.topicArn });
    new CfnOutput(this, "CatalogBucketName", { value: catalogBucket.bucketName });
  }
}
