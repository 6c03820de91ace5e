import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, type CfnElement, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { BUNDLING_STACKS } from "aws-cdk-lib/cx-api";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { envNames } from "#config/env.ts";
import { handlerNames, syncMaxConcurrency } from "#config/resources.ts";
import { alarmThresholds } from "#infra/constructs/ServiceAlarms.ts";
import { passwordPolicy } from "#infra/constructs/UserDirectory.ts";
import { nagAcknowledgements } from "#infra/stacks/nagAcknowledgements.ts";
import { apiAccessLogFields } from "#infra/stacks/ServiceApi.ts";
import type { StackSettings } from "#infra/stacks/stackSettings.ts";
import { TraktListSyncStack } from "#infra/stacks/TraktListSyncStack.ts";

// The web page's files (the stack deploys whatever the directory holds).
const webDir = mkdtempSync(join(tmpdir(), "web-"));
writeFileSync(join(webDir, "index.html"), "<!doctype html>");

const settings: StackSettings = {
  traktApiUrl: "https://api.trakt.tv",
  traktAuthUrl: "https://auth.trakt.tv",
  authCallbackUrls: ["https://app.example.com/callback"],
};

function synth(stackSettings: StackSettings = settings) {
  const app = new App({ context: { [BUNDLING_STACKS]: [] } });
  const stack = new TraktListSyncStack(app, "SecurityTest", { settings: stackSettings, webDir });
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
    new TraktListSyncStack(app, "NagTest", { settings, webDir });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act / Assess: a finding fails synthesis with its report
    expect(() => app.synth()).not.toThrow();
  });

  it("fails synthesis on a finding nobody acknowledged (the check is live)", () => {
    // Prepare: one queue more, with no dead-letter queue and no acknowledgement
    const app = new App({ context: { [BUNDLING_STACKS]: [] } });
    const extra = new TraktListSyncStack(app, "NagLive", { settings, webDir });
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
    const resources = template.toJSON().Resources as Record<
      string,
      { Properties: { Environment: { Variables: Record<string, unknown> } } }
    >;
    for (const fn of Object.values(stack.functions)) {
      const id = stack.getLogicalId(fn.node.defaultChild as CfnElement);
      expect(resources[id]!.Properties.Environment.Variables[envNames.tokenKmsKeyId]).toEqual(
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
      CallbackURLs: Match.arrayWith(["https://app.example.com/callback"]),
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

  it("sends users back only to the web page itself when no other callback URL is configured", () => {
    const { template: bare } = synth({
      traktApiUrl: settings.traktApiUrl,
      traktAuthUrl: settings.traktAuthUrl,
    });
    const client = Object.values(bare.findResources("AWS::Cognito::UserPoolClient"))[0]!;
    expect(client.Properties.AllowedOAuthFlows).toEqual(["code"]);
    expect(client.Properties.CallbackURLs).toHaveLength(1);
    expect(JSON.stringify(client.Properties.CallbackURLs)).toContain("DomainName");
    expect(JSON.stringify(client)).not.toMatch(/example\.com|localhost/);
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
    // The API's reserve, and the catalog ingestion's 1 (one ingestion at a time).
    expect(reserved.sort((a, b) => a - b)).toEqual([1, 20]);
  });

  it("uses no AWS managed policy on the function roles", () => {
    // (CDK's own deploy-time handler for the web page keeps its managed role; see nagAcknowledgements.ts.)
    const resources = template.toJSON().Resources as Record<
      string,
      { Properties: { ManagedPolicyArns?: unknown } }
    >;
    for (const [name, fn] of Object.entries(stack.functions)) {
      const id = stack.getLogicalId(fn.role!.node.defaultChild as CfnElement);
      expect(JSON.stringify(resources[id]!.Properties.ManagedPolicyArns ?? []), name).not.toContain(
        "AWSLambdaBasicExecutionRole",
      );
    }
  });
});
