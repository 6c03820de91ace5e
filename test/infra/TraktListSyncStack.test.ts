import { App, type CfnResource } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { BUNDLING_STACKS } from "aws-cdk-lib/cx-api";
import { beforeAll, describe, expect, it } from "vitest";
import { envNames } from "#config/env.ts";
import { listInsertedFilter, listRemovedFilter } from "#config/eventFilters.ts";
import {
  backfillScheduleMinutes,
  catalogIngestFunction,
  catalogRefresh,
  catalogStore,
  type HandlerName,
  handlerNames,
  streamMapping,
  syncFunctionTimeoutSeconds,
  syncQueue,
  table as tableConfig,
} from "#config/resources.ts";
import { apiRoutes } from "#infra/stacks/apiRoutes.ts";
import { tokenUsers } from "#infra/stacks/functionAccess.ts";
import { TraktListSyncStack } from "#infra/stacks/TraktListSyncStack.ts";
import { buildWeb, webDist } from "#web/build.ts";

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
type Json = Record<string, unknown>;

const settings = {
  traktApiUrl: "https://api.trakt.tv",
  traktAuthUrl: "https://auth.trakt.tv",
  alarmEmail: "ops@example.com",
};

let stack: TraktListSyncStack;
let template: Template;
let resources: Record<string, { Type: string; Properties?: Json }>;

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnResource);
}

function ref(value: string): unknown {
  return stack.resolve(value);
}

function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** Every statement of every IAM policy attached to the function's execution role. */
function statementsOf(name: HandlerName): Statement[] {
  const role = stack.functions[name].role;
  if (role === undefined) throw new Error(`function ${name} has no role`);
  const roleId = logicalId(role);
  return Object.values(resources)
    .filter((resource) => resource.Type === "AWS::IAM::Policy")
    .filter((policy) => JSON.stringify(policy.Properties?.Roles).includes(`"${roleId}"`))
    .flatMap(
      (policy) =>
        (policy.Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [],
    );
}

/** Whether the function's role allows `action` on a resource whose template form contains `resource`. */
function allows(name: HandlerName, action: string, resource: unknown): boolean {
  const needle = JSON.stringify(resource);
  return statementsOf(name).some(
    (statement) =>
      statement.Effect === "Allow" &&
      asArray(statement.Action).includes(action) &&
      asArray(statement.Resource as unknown).some((entry) => JSON.stringify(entry).includes(needle)),
  );
}

describe("TraktListSyncStack", () => {
  beforeAll(async () => {
    // Prepare: real esbuild bundling of the five handlers (and the web page), once for the whole suite.
    await buildWeb({ quiet: true });
    const app = new App();
    stack = new TraktListSyncStack(app, "TestStack", { settings, webDir: webDist });

    // Act
    template = Template.fromStack(stack);
    resources = template.toJSON().Resources;
  }, 300_000);

  describe("functions", () => {
    it("has exactly the service functions, all on nodejs24.x, ARM64, traced, JSON logs", () => {
      // Assess: besides ours, only CDK-provided Python handlers (the catalog bucket's notifications,
      // the web page's BucketDeployment).
      const functions = template.findResources("AWS::Lambda::Function");
      const ours = handlerNames.map((name) => logicalId(stack.functions[name]));
      const others = Object.entries(functions).filter(([id]) => !ours.includes(id));
      expect(others.map(([id]) => id)).toContainEqual(expect.stringMatching(/^BucketNotificationsHandler/));
      for (const [, fn] of others) expect(String(fn.Properties.Runtime)).toMatch(/^python/);
      for (const id of ours) {
        const fn = functions[id]!;
        expect(fn.Properties.Runtime).toBe("nodejs24.x");
        expect(fn.Properties.Architectures).toEqual(["arm64"]);
        expect(fn.Properties.TracingConfig).toEqual({ Mode: "Active" });
        expect(fn.Properties.LoggingConfig).toMatchObject({ LogFormat: "JSON", LogGroup: expect.anything() });
        expect(fn.Properties.Handler).toBe("index.handler");
      }
    });

    it("gives every log group a fixed retention", () => {
      // Assess
      // One per function, and the API's access logs.
      template.resourceCountIs("AWS::Logs::LogGroup", handlerNames.length + 1);
      template.allResourcesProperties("AWS::Logs::LogGroup", { RetentionInDays: 30 });
    });

    it("gives every function the common environment", () => {
      // Assess
      for (const name of handlerNames) {
        template.hasResourceProperties("AWS::Lambda::Function", {
          FunctionName: Match.absent(),
          Role: ref(stack.functions[name].role!.roleArn),
          Environment: {
            Variables: Match.objectLike({
              [envNames.tableName]: ref(stack.table.tableName),
              [envNames.itemsTableName]: ref(stack.itemsTable.tableName),
              [envNames.syncQueueUrl]: ref(stack.syncQueue.queueUrl),
              [envNames.traktApiUrl]: settings.traktApiUrl,
              [envNames.traktAuthUrl]: settings.traktAuthUrl,
              [envNames.traktCredentialsSecretArn]: ref(stack.traktCredentials.secretArn),
              POWERTOOLS_SERVICE_NAME: "trakt-list-sync",
              POWERTOOLS_METRICS_NAMESPACE: "TraktListSync",
            }),
          },
        });
      }
    });

    it("sets timeouts and memory per function", () => {
      // Prepare
      const expected: Record<HandlerName, { Timeout: number; MemorySize?: number }> = {
        api: { Timeout: 29, MemorySize: 512 },
        "list-created": { Timeout: 120 },
        "list-deleted": { Timeout: 120 },
        sync: { Timeout: syncFunctionTimeoutSeconds, MemorySize: 1024 },
        backfill: { Timeout: 300 },
        "catalog-ingest": { Timeout: catalogIngestFunction.timeoutSeconds, MemorySize: 3008 },
        "catalog-refresh": { Timeout: 300, MemorySize: 1024 },
      };

      // Assess
      for (const name of handlerNames) {
        const properties = resources[logicalId(stack.functions[name])]?.Properties;
        expect(properties, name).toMatchObject(expected[name]);
      }
    });

    it("keeps the sync queue's visibility timeout above the sync function's timeout", () => {
      // Assess
      expect(syncQueue.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(syncFunctionTimeoutSeconds);
    });
  });

  describe("table", () => {
    it("has the keys, on-demand billing, PITR, stream and retain policy", () => {
      // Assess
      template.hasResource("AWS::DynamoDB::Table", {
        DeletionPolicy: "Retain",
        UpdateReplacePolicy: "Retain",
        Properties: Match.objectLike({
          KeySchema: [
            { AttributeName: tableConfig.partitionKey, KeyType: "HASH" },
            { AttributeName: tableConfig.sortKey, KeyType: "RANGE" },
          ],
          BillingMode: "PAY_PER_REQUEST",
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
        }),
      });
    });

    it("keeps the items in a second table with the same keys, PITR and retain policy, but no stream", () => {
      // Assess
      const tables = template.findResources("AWS::DynamoDB::Table");
      expect(Object.keys(tables)).toHaveLength(2);
      const items = tables[logicalId(stack.itemsTable)];
      expect(items).toMatchObject({
        DeletionPolicy: "Retain",
        UpdateReplacePolicy: "Retain",
        Properties: {
          KeySchema: [
            { AttributeName: tableConfig.partitionKey, KeyType: "HASH" },
            { AttributeName: tableConfig.sortKey, KeyType: "RANGE" },
          ],
          BillingMode: "PAY_PER_REQUEST",
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true, SSEType: "KMS" },
        },
      });
      expect(items?.Properties.StreamSpecification).toBeUndefined();
      expect(items?.Properties.GlobalSecondaryIndexes).toBeUndefined();
    });

    it("has the sparse repair index", () => {
      // Assess
      template.hasResourceProperties("AWS::DynamoDB::Table", {
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: tableConfig.repairIndex.partitionKey, AttributeType: "S" },
          { AttributeName: tableConfig.repairIndex.sortKey, AttributeType: "S" },
        ]),
        GlobalSecondaryIndexes: [
          {
            IndexName: tableConfig.repairIndex.name,
            KeySchema: [
              { AttributeName: tableConfig.repairIndex.partitionKey, KeyType: "HASH" },
              { AttributeName: tableConfig.repairIndex.sortKey, KeyType: "RANGE" },
            ],
            Projection: {
              ProjectionType: "INCLUDE",
              NonKeyAttributes: [...tableConfig.repairIndex.projectedAttributes],
            },
          },
        ],
      });
    });
  });

  describe("queues", () => {
    it("makes the sync queue FIFO with a FIFO dead-letter queue after maxReceiveCount receives", () => {
      // Assess
      template.hasResourceProperties("AWS::SQS::Queue", {
        FifoQueue: true,
        ContentBasedDeduplication: false,
        VisibilityTimeout: syncQueue.visibilityTimeoutSeconds,
        SqsManagedSseEnabled: true,
        RedrivePolicy: {
          deadLetterTargetArn: ref(stack.syncDeadLetterQueue.queueArn),
          maxReceiveCount: syncQueue.maxReceiveCount,
        },
      });
      expect(resources[logicalId(stack.syncDeadLetterQueue)]?.Properties).toMatchObject({
        FifoQueue: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
      });
    });

    it("has a standard stream-failures queue", () => {
      // Assess
      const properties = resources[logicalId(stack.streamFailuresQueue)]?.Properties;
      expect(properties?.FifoQueue).toBeUndefined();
      expect(properties).toMatchObject({
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
      });
    });
  });

  describe("event source mappings", () => {
    it.each([
      ["list-created", listInsertedFilter],
      ["list-deleted", listRemovedFilter],
    ] as const)("feeds %s from the table stream with the shared filter", (name, filter) => {
      // Assess
      template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        FunctionName: ref(stack.functions[name].functionName),
        EventSourceArn: ref(stack.table.tableStreamArn!),
        StartingPosition: "TRIM_HORIZON",
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify(filter) }] },
        BatchSize: streamMapping.batchSize,
        MaximumRetryAttempts: streamMapping.retryAttempts,
        MaximumRecordAgeInSeconds: streamMapping.maxRecordAgeSeconds,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        DestinationConfig: { OnFailure: { Destination: ref(stack.streamFailuresQueue.queueArn) } },
      });
    });

    it("uses the exact filter patterns", () => {
      // Assess
      expect(JSON.stringify(listInsertedFilter)).toBe(
        '{"eventName":["INSERT"],"dynamodb":{"NewImage":{"entity":{"S":["LIST"]}}}}',
      );
      expect(JSON.stringify(listRemovedFilter)).toBe(
        '{"eventName":["REMOVE"],"dynamodb":{"OldImage":{"entity":{"S":["LIST"]}}}}',
      );
    });

    it("feeds sync from the FIFO queue with partial batch responses", () => {
      // Assess
      template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        FunctionName: ref(stack.functions.sync.functionName),
        EventSourceArn: ref(stack.syncQueue.queueArn),
        BatchSize: syncQueue.batchSize,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
      template.resourceCountIs("AWS::Lambda::EventSourceMapping", 3);
    });
  });

  describe("schedule", () => {
    it("runs backfill on a fixed rate", () => {
      // Assess
      template.hasResourceProperties("AWS::Events::Rule", {
        ScheduleExpression: `rate(${backfillScheduleMinutes} minutes)`,
        State: "ENABLED",
        Targets: [Match.objectLike({ Arn: ref(stack.functions.backfill.functionArn) })],
      });
    });
  });

  describe("HTTP API", () => {
    it("has a JWT authorizer on the Authorization header backed by the created user pool", () => {
      // Assess
      template.resourceCountIs("AWS::Cognito::UserPool", 1);
      template.resourceCountIs("AWS::Cognito::UserPoolClient", 1);
      template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
        AuthorizerType: "JWT",
        IdentitySource: ["$request.header.Authorization"],
        JwtConfiguration: {
          Audience: [{ Ref: Match.stringLikeRegexp("UsersClient") }],
          Issuer: { "Fn::GetAtt": [Match.stringLikeRegexp("^UsersUserPool"), "ProviderURL"] },
        },
      });
    });

    it("has every route of apiRoutes, JWT-protected except /health, and a public $default route, all on the api function", () => {
      // Prepare
      const authorizerId = Object.keys(template.findResources("AWS::ApiGatewayV2::Authorizer"))[0];
      const integrations = template.findResources("AWS::ApiGatewayV2::Integration");
      const integrationIds = Object.keys(integrations);

      // Assess
      expect(integrationIds).toHaveLength(1);
      expect(integrations[integrationIds[0]!]?.Properties.IntegrationUri).toEqual(
        ref(stack.functions.api.functionArn),
      );
      template.resourceCountIs("AWS::ApiGatewayV2::Route", apiRoutes.length + 1);
      template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
        RouteKey: "$default",
        Target: { "Fn::Join": ["", ["integrations/", { Ref: integrationIds[0] }]] },
        AuthorizationType: "NONE",
      });
      for (const route of apiRoutes) {
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
          RouteKey: `${route.method} ${route.path}`,
          Target: { "Fn::Join": ["", ["integrations/", { Ref: integrationIds[0] }]] },
          ...(route.auth
            ? { AuthorizationType: "JWT", AuthorizerId: { Ref: authorizerId } }
            : { AuthorizationType: "NONE", AuthorizerId: Match.absent() }),
        });
      }
      expect(apiRoutes.filter((route) => !route.auth).map((route) => route.path)).toEqual(["/health"]);
    });

    it("throttles the auto-deployed default stage", () => {
      // Assess
      template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
        StageName: "$default",
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingRateLimit: Match.anyValue(),
          ThrottlingBurstLimit: Match.anyValue(),
        },
      });
    });
  });

  describe("alarms", () => {
    it.each([
      ["sync dead-letter queue", () => stack.syncDeadLetterQueue],
      ["stream-failures queue", () => stack.streamFailuresQueue],
    ])("alarms when the %s holds a message", (_label, queue) => {
      // Assess
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        MetricName: "ApproximateNumberOfMessagesVisible",
        Namespace: "AWS/SQS",
        Dimensions: [{ Name: "QueueName", Value: ref(queue().queueName) }],
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        EvaluationPeriods: 1,
        AlarmActions: [ref(stack.alarmTopic.topicArn)],
      });
    });

    it("mails the alarm topic when alarmEmail is given", () => {
      // Assess
      template.hasResourceProperties("AWS::SNS::Subscription", {
        Protocol: "email",
        Endpoint: settings.alarmEmail,
        TopicArn: ref(stack.alarmTopic.topicArn),
      });
    });
  });

  describe("least privilege", () => {
    it("lets only api, list-created, backfill and catalog-refresh send to the sync queue", () => {
      // Assess
      const senders = handlerNames.filter((name) =>
        allows(name, "sqs:SendMessage", ref(stack.syncQueue.queueArn)),
      );
      expect(senders.sort()).toEqual(["api", "backfill", "catalog-refresh", "list-created"]);
    });

    it("lets only sync consume the sync queue", () => {
      // Assess
      const consumers = handlerNames.filter((name) =>
        allows(name, "sqs:ReceiveMessage", ref(stack.syncQueue.queueArn)),
      );
      expect(consumers).toEqual(["sync"]);
    });

    it("lets only the stream functions read the stream and write to stream-failures", () => {
      // Assess
      const streamReaders = handlerNames.filter((name) =>
        allows(name, "dynamodb:GetRecords", ref(stack.table.tableStreamArn!)),
      );
      const failureWriters = handlerNames.filter((name) =>
        allows(name, "sqs:SendMessage", ref(stack.streamFailuresQueue.queueArn)),
      );
      expect(streamReaders.sort()).toEqual(["list-created", "list-deleted"]);
      expect(failureWriters.sort()).toEqual(["list-created", "list-deleted"]);
    });

    it("lets every function that calls Trakt read the Trakt credentials, none change them, the catalog functions not read them", () => {
      // Assess
      for (const name of handlerNames) {
        if (!tokenUsers.includes(name)) {
          expect(
            allows(name, "secretsmanager:GetSecretValue", ref(stack.traktCredentials.secretArn)),
            name,
          ).toBe(false);
          continue;
        }
        expect(
          allows(name, "secretsmanager:GetSecretValue", ref(stack.traktCredentials.secretArn)),
          name,
        ).toBe(true);
        expect(
          allows(name, "secretsmanager:PutSecretValue", ref(stack.traktCredentials.secretArn)),
          name,
        ).toBe(false);
      }
    });

    it("grants each function exactly the DynamoDB actions its code uses, per table: no Scan, DeleteItem only where records are deleted", () => {
      // Assess
      const expected: Record<HandlerName, { table: string[]; items: string[] }> = {
        api: {
          table: ["DeleteItem", "GetItem", "PutItem", "Query", "UpdateItem"],
          items: ["BatchWriteItem", "Query"],
        },
        "list-created": { table: ["GetItem", "PutItem", "UpdateItem"], items: [] },
        "list-deleted": {
          table: ["DeleteItem", "GetItem", "PutItem", "Query", "UpdateItem"],
          items: ["BatchWriteItem", "Query"],
        },
        sync: {
          table: ["GetItem", "PutItem", "Query", "UpdateItem"],
          items: ["BatchWriteItem", "Query", "UpdateItem"],
        },
        backfill: { table: ["GetItem", "PutItem", "Query", "UpdateItem"], items: [] },
        "catalog-ingest": { table: [], items: [] },
        "catalog-refresh": { table: ["GetItem", "PutItem", "Query"], items: [] },
      };
      const streamActions = ["DescribeStream", "GetRecords", "GetShardIterator", "ListStreams"];
      const actionsOn = (name: HandlerName, tableArn: string) =>
        statementsOf(name)
          .filter((statement) => JSON.stringify(statement.Resource).includes(JSON.stringify(ref(tableArn))))
          .flatMap((statement) => asArray(statement.Action))
          .filter((action) => action.startsWith("dynamodb:") && !streamActions.includes(action.slice(9)))
          .map((action) => action.replace("dynamodb:", ""));
      for (const name of handlerNames) {
        expect([...new Set(actionsOn(name, stack.table.tableArn))].sort(), name).toEqual(
          expected[name].table,
        );
        expect([...new Set(actionsOn(name, stack.itemsTable.tableArn))].sort(), name).toEqual(
          expected[name].items,
        );
        const all = statementsOf(name)
          .flatMap((statement) => asArray(statement.Action))
          .filter((action) => action.startsWith("dynamodb:") && !streamActions.includes(action.slice(9)));
        expect(all).not.toContain("dynamodb:Scan");
      }
    });

    it("lets the functions use the token key only for data keys under our encryption context", () => {
      // Assess
      for (const name of tokenUsers) {
        const tokenStatements = statementsOf(name).filter((statement) =>
          JSON.stringify(statement.Resource).includes(JSON.stringify(ref(stack.keys.tokens.keyArn))),
        );
        expect(tokenStatements.flatMap((statement) => asArray(statement.Action)).sort(), name).toEqual([
          "kms:Decrypt",
          "kms:GenerateDataKey",
        ]);
        expect(JSON.stringify(tokenStatements), name).toContain("kms:EncryptionContext:service");
      }
    });

    it("uses wildcard resources only where AWS requires them (X-Ray, ListStreams)", () => {
      // Assess
      for (const name of handlerNames) {
        const wildcardActions = statementsOf(name)
          .filter((statement) => statement.Resource === "*")
          .flatMap((statement) => asArray(statement.Action));
        for (const action of wildcardActions) {
          expect(action, name).toMatch(/^(xray:.*|dynamodb:ListStreams)$/);
        }
      }
    });
  });

  describe("catalog", () => {
    it("keeps the catalog in a private, encrypted, versioned bucket that refuses plain HTTP", () => {
      // Assess
      template.hasResource("AWS::S3::Bucket", {
        DeletionPolicy: "Retain",
        Properties: Match.objectLike({
          VersioningConfiguration: { Status: "Enabled" },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
            ],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
        }),
      });
      template.hasResourceProperties("AWS::S3::BucketPolicy", {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ]),
        },
      });
    });

    it("ingests files created under incoming/ and refreshes when the pointer is written", () => {
      // Assess
      const notifications = Object.values(template.findResources("Custom::S3BucketNotifications"))[0];
      const configs = (notifications!.Properties!.NotificationConfiguration as Json)
        .LambdaFunctionConfigurations as Json[];
      const byPrefix = Object.fromEntries(
        configs.map((c) => [
          JSON.stringify(c.Filter).match(/"Value":"([^"]+)"/)?.[1],
          { events: c.Events, target: c.LambdaFunctionArn },
        ]),
      );
      expect(byPrefix[catalogStore.incomingPrefix]).toEqual({
        events: ["s3:ObjectCreated:*"],
        target: ref(stack.functions["catalog-ingest"].functionArn),
      });
      expect(byPrefix[catalogStore.pointerKey]).toEqual({
        events: ["s3:ObjectCreated:*"],
        target: ref(stack.functions["catalog-refresh"].functionArn),
      });
    });

    it("runs one ingestion at a time and never retries a failed one blindly", () => {
      // Assess
      expect(resources[logicalId(stack.functions["catalog-ingest"])]?.Properties).toMatchObject({
        ReservedConcurrentExecutions: 1,
      });
      template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
        FunctionName: ref(stack.functions["catalog-ingest"].functionName),
        MaximumRetryAttempts: 0,
      });
    });

    it("runs the refresh on a schedule, with passes a day apart", () => {
      // Assess
      template.hasResourceProperties("AWS::Events::Rule", {
        ScheduleExpression: `rate(${catalogRefresh.tickMinutes} minutes)`,
        Targets: [Match.objectLike({ Arn: ref(stack.functions["catalog-refresh"].functionArn) })],
      });
      expect(resources[logicalId(stack.functions["catalog-refresh"])]?.Properties).toMatchObject({
        Environment: { Variables: { [envNames.catalogRefreshIntervalSeconds]: "86400" } },
      });
    });

    it.each(["catalog-ingest", "catalog-refresh"] as const)("alarms when %s fails", (name) => {
      // Assess
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        MetricName: "Errors",
        Namespace: "AWS/Lambda",
        Dimensions: [{ Name: "FunctionName", Value: ref(stack.functions[name].functionName) }],
        Threshold: 1,
        AlarmActions: [ref(stack.alarmTopic.topicArn)],
      });
    });

    it("lets only the ingestion write the catalog; api, sync and refresh read it", () => {
      // Assess
      const bucketArn = ref(stack.catalogBucket.bucketArn);
      const writers = handlerNames.filter((name) => allows(name, "s3:PutObject", bucketArn));
      const readers = handlerNames.filter((name) => allows(name, "s3:GetObject", bucketArn));
      expect(writers).toEqual(["catalog-ingest"]);
      expect(readers.sort()).toEqual(["api", "catalog-ingest", "catalog-refresh", "sync"]);
    });
  });

  describe("web page", () => {
    it("serves the page from a private, encrypted bucket through CloudFront with origin access control", () => {
      template.hasResourceProperties("AWS::S3::Bucket", {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: Match.objectLike({}),
      });
      template.hasResourceProperties("AWS::CloudFront::OriginAccessControl", {
        OriginAccessControlConfig: Match.objectLike({
          OriginAccessControlOriginType: "s3",
          SigningBehavior: "always",
        }),
      });
      template.hasResourceProperties("AWS::CloudFront::Distribution", {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: "index.html",
          Origins: Match.arrayWith([
            Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: Match.anyValue() }),
          ]),
          DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: "redirect-to-https" }),
        }),
      });
      // Only CloudFront (by the distribution's ARN) may read the bucket.
      const policies = Object.values(resources).filter((r) => r.Type === "AWS::S3::BucketPolicy");
      expect(JSON.stringify(policies)).toContain("cloudfront.amazonaws.com");
      expect(JSON.stringify(policies)).toContain("AWS:SourceArn");
    });

    it("puts the API on the same distribution under /api/*, uncached, with the prefix stripped", () => {
      template.hasResourceProperties("AWS::CloudFront::Distribution", {
        DistributionConfig: Match.objectLike({
          CacheBehaviors: [
            Match.objectLike({
              PathPattern: "/api/*",
              AllowedMethods: Match.arrayWith(["GET", "OPTIONS", "PATCH", "POST", "DELETE"]),
              CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
              FunctionAssociations: [Match.objectLike({ EventType: "viewer-request" })],
            }),
          ],
        }),
      });
      template.hasResourceProperties("AWS::CloudFront::Function", {
        FunctionCode: Match.stringLikeRegexp("/api"),
      });
    });

    it("writes config.json at deploy time with the Cognito managed-login settings (code flow + PKCE client)", () => {
      const deployments = template.findResources("Custom::CDKBucketDeployment");
      expect(Object.keys(deployments)).toHaveLength(1);
      const deployment = Object.values(deployments)[0] as { Properties: Json };
      const text = JSON.stringify(deployment.Properties);
      expect(text).toContain("config.json");
      expect((deployment.Properties.SourceObjectKeys as unknown[]).length).toBe(2);
      expect(text).toContain("DistributionId");
      template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
        AllowedOAuthFlows: ["code"],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: Match.arrayWith(["openid", "email"]),
        GenerateSecret: false,
        CallbackURLs: [Match.anyValue()],
      });
      template.hasResourceProperties("AWS::Cognito::UserPoolDomain", { ManagedLoginVersion: 2 });
      template.resourceCountIs("AWS::Cognito::ManagedLoginBranding", 1);
      expect(Object.keys(template.findOutputs("*"))).toContain("WebUrl");
    });

    it("never deploys the local stack's sign-in route", () => {
      const routeKeys = Object.values(template.findResources("AWS::ApiGatewayV2::Route")).map(
        (route) => (route as { Properties: { RouteKey: string } }).Properties.RouteKey,
      );
      expect(routeKeys.length).toBeGreaterThan(0);
      expect(routeKeys.some((key) => key.includes("_local"))).toBe(false);
      expect(JSON.stringify(template.toJSON())).not.toContain("/_local/token");
    });
  });

  describe("stack", () => {
    it("tags resources with the service name", () => {
      // Assess
      template.hasResourceProperties("AWS::DynamoDB::Table", {
        Tags: Match.arrayWith([{ Key: "service", Value: "trakt-list-sync" }]),
      });
      template.hasResourceProperties("AWS::Lambda::Function", {
        Tags: Match.arrayWith([{ Key: "service", Value: "trakt-list-sync" }]),
      });
    });

    it("outputs what an operator needs", () => {
      // Assess
      const outputs = Object.keys(template.findOutputs("*"));
      for (const name of [
        "ApiUrl",
        "TableName",
        "ItemsTableName",
        "SyncQueueUrl",
        "SyncDeadLetterQueueUrl",
        "StreamFailuresQueueUrl",
        "TraktCredentialsSecretArn",
        "UserPoolId",
        "UserPoolClientId",
      ]) {
        expect(outputs).toContain(name);
      }
    });
  });
});

describe("TraktListSyncStack with an external JWT issuer", () => {
  it("uses the given issuer and audience and creates no user pool", () => {
    // Prepare: bundling skipped here; the suite above bundles the real handlers.
    const app = new App({ context: { [BUNDLING_STACKS]: [] } });
    const external = new TraktListSyncStack(app, "ExternalIdpStack", {
      settings: {
        traktApiUrl: "http://localhost:4000",
        traktAuthUrl: "http://localhost:4000",
        traktClientId: "client-123",
        jwt: { issuer: "https://issuer.example.com/", audience: ["aud-1", "aud-2"] },
      },
      webDir: webDist,
    });

    // Act
    const externalTemplate = Template.fromStack(external);

    // Assess
    externalTemplate.resourceCountIs("AWS::Cognito::UserPool", 0);
    externalTemplate.resourceCountIs("AWS::SNS::Subscription", 0);
    externalTemplate.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      JwtConfiguration: { Issuer: "https://issuer.example.com/", Audience: ["aud-1", "aud-2"] },
    });
    for (const name of handlerNames) {
      externalTemplate.hasResourceProperties("AWS::Lambda::Function", {
        Role: external.resolve(external.functions[name].role!.roleArn),
        Environment: {
          Variables: Match.objectLike({
            [envNames.traktClientId]: "client-123",
            [envNames.traktApiUrl]: "http://localhost:4000",
          }),
        },
      });
    }
    expect(Object.keys(externalTemplate.findOutputs("UserPoolId"))).toEqual([]);
  });
});
