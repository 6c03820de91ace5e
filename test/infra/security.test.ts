import { App, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { BUNDLING_STACKS } from "aws-cdk-lib/cx-api";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { alarmThresholds } from "../../infra/constructs/ServiceAlarms.ts";
import { passwordPolicy } from "../../infra/constructs/UserDirectory.ts";
import { nagAcknowledgements } from "../../infra/stacks/nagAcknowledgements.ts";
import type { StackSettings } from "../../infra/stacks/stackSettings.ts";
import { apiAccessLogFields, TraktListSyncStack } from "../../infra/stacks/TraktListSyncStack.ts";
import { envNames } from "../../shared/config/env.ts";
import { handlerNames, syncMaxConcurrency } from "../../shared/config/resources.ts";

const settings: StackSettings = {
  traktApiUrl: "https://api.trakt.tv",
  traktAuthUrl: "https://auth.trakt.tv",
  authCallbackUrls: ["https://app.example.com/callback"],
};

function synth(stackSettings: StackSettings = settings) {
  const app = new App({ context: { [BUNDLING_STACKS]: [] } });
  const stack = new TraktListSyncStack(app, "SecurityTest", { settings: stackSettings });
  return { app, stack, template: Template.fromStack(stack) };
}

let stack: TraktListSyncStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synth());
});

describe("cdk-nag AwsSolutions", () => {
  it("finds nothing unacknowledged in the synthesized stack", () => {
    // Prepare
    const app = new App({ context: { [BUNDLING_STACKS]: [] } });
    new TraktListSyncStack(app, "NagTest", { settings });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act / Assess: a finding fails synthesis with its report
    expect(() => app.synth()).not.toThrow();
  });

  it("fails synthesis on a finding nobody acknowledged (the check is live)", () => {
    // Prepare: one queue more, with no dead-letter queue and no acknowledgement
    const app = new App({ context: { [BUNDLING_STACKS]: [] } });
    const extra = new TraktListSyncStack(app, "NagLive", { settings });
    new Queue(extra, "UnacknowledgedQueue", { enforceSSL: true });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act / Assess
    expect(() => app.synth()).toThrow();
  });

  it("gives every acknowledgement a one-line reason", () => {
    for (const ack of Object.values(nagAcknowledgements)) {
      expect(ack.reason.length).toBeGreaterThan(20);
      expect(ack.reason).not.toContain("\n");
    }
  });
});

describe("encryption at rest", () => {
  it("encrypts the table with a customer-managed, rotated key and expires rate windows by TTL", () => {
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      SSESpecification: { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: Match.anyValue() },
      TimeToLiveSpecification: { AttributeName: "ttl", Enabled: true },
    });
    template.resourcePropertiesCountIs("AWS::KMS::Key", { EnableKeyRotation: true }, 2);
  });

  it("tells every function which KMS key encrypts the Trakt tokens", () => {
    for (const fn of Object.values(template.findResources("AWS::Lambda::Function"))) {
      expect(fn.Properties.Environment.Variables[envNames.tokenKmsKeyId]).toEqual(
        stack.resolve(stack.keys.tokens.keyArn),
      );
    }
  });
});

describe("Cognito", () => {
  it("allows SRP only, hides whether a user exists, recovers by e-mail only, offers TOTP MFA", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      PreventUserExistenceErrors: "ENABLED",
      AllowedOAuthFlows: ["code"],
      CallbackURLs: ["https://app.example.com/callback"],
    });
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      MfaConfiguration: "OPTIONAL",
      EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "verified_email", Priority: 1 }] },
      Policies: {
        PasswordPolicy: Match.objectLike({ MinimumLength: passwordPolicy.minLength, RequireSymbols: true }),
      },
    });
  });

  it("has no OAuth flow (and no placeholder callback) when no callback URL is configured", () => {
    const { template: bare } = synth({
      traktApiUrl: settings.traktApiUrl,
      traktAuthUrl: settings.traktAuthUrl,
    });
    const client = Object.values(bare.findResources("AWS::Cognito::UserPoolClient"))[0]!;
    expect(client.Properties.AllowedOAuthFlows).toBeUndefined();
    expect(client.Properties.CallbackURLs).toBeUndefined();
    expect(JSON.stringify(client)).not.toContain("example.com");
  });
});

describe("observability and concurrency", () => {
  it("writes access logs with the caller's sub, the route, the status and the latency", () => {
    const stage = Object.values(template.findResources("AWS::ApiGatewayV2::Stage"))[0]!;
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format) as Record<string, string>;
    expect(format).toEqual(apiAccessLogFields);
    expect(format).toMatchObject({
      sub: "$context.authorizer.claims.sub",
      routeKey: "$context.routeKey",
      status: "$context.status",
      latencyMs: "$context.responseLatency",
    });
  });

  it("alarms on API 5xx, each function's errors and throttles, and the sync queue's oldest message", () => {
    const alarms = Object.values(template.findResources("AWS::CloudWatch::Alarm")).map((a) => a.Properties);
    const metric = (name: string) => alarms.filter((alarm) => alarm.MetricName === name);
    expect(metric("5xx")).toHaveLength(1);
    expect(metric("Errors")).toHaveLength(handlerNames.length);
    expect(metric("Throttles")).toHaveLength(handlerNames.length);
    expect(metric("ApproximateAgeOfOldestMessage")[0]?.Threshold).toBe(
      alarmThresholds.syncQueueOldestMessageSeconds,
    );
    for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1);
  });

  it("bounds the sync event source and reserves concurrency for the API", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      ScalingConfig: { MaximumConcurrency: syncMaxConcurrency },
    });
    const reserved = Object.values(template.findResources("AWS::Lambda::Function"))
      .map((fn) => fn.Properties.ReservedConcurrentExecutions)
      .filter((value) => value !== undefined);
    expect(reserved).toEqual([20]);
  });

  it("uses no AWS managed policy on the function roles", () => {
    for (const role of Object.values(template.findResources("AWS::IAM::Role"))) {
      expect(JSON.stringify(role.Properties.ManagedPolicyArns ?? [])).not.toContain(
        "AWSLambdaBasicExecutionRole",
      );
    }
  });
});
