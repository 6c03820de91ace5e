/**
 * CDK app: one stack, TraktListSyncStack. Context values it reads (`-c key=value`) are listed in
 * infra/stacks/stackSettings.ts: traktClientId, jwtIssuer + jwtAudience, traktApiUrl, traktAuthUrl,
 * alarmEmail.
 */
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { readStackSettings } from "#infra/stacks/stackSettings.ts";
import { TraktListSyncStack } from "#infra/stacks/TraktListSyncStack.ts";
import { buildWeb, webDist } from "#web/build.ts";

// The page is built first: the stack deploys web/dist to its bucket.
await buildWeb({ quiet: true });
const app = new App();
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;

new TraktListSyncStack(app, "TraktListSyncStack", {
  description: "Mirrors users' movie/TV lists to Trakt.tv and keeps them in sync",
  ...(account !== undefined || region !== undefined ? { env: { account, region } } : {}),
  settings: readStackSettings(app.node),
  webDir: webDist,
});

// cdk-nag's AwsSolutions pack: any finding not acknowledged in stacks/nagAcknowledgements.ts fails synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

app.synth();
