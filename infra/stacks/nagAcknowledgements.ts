import { type CfnElement, type Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { handlerNames } from "#config/resources.ts";
import { constructIdOf } from "#infra/constructs/ServiceFunction.ts";
import { catalogReaders } from "./functionAccess.ts";

/**
 * Every cdk-nag (AwsSolutions) finding we accept, each with its one-line reason. Anything not listed
 * here fails `cdk synth` and test/infra/nag.test.ts.
 */
export const nagAcknowledgements = {
  functionRoleXray: {
    id: "AwsSolutions-IAM5[Resource::*]",
    reason: "X-Ray PutTraceSegments/PutTelemetryRecords take no resource: AWS requires Resource *",
  },
  secretRotation: {
    id: "AwsSolutions-SMG4",
    reason: "The Trakt client secret is issued by Trakt; an operator rotates it by hand (README Security)",
  },
  streamFailuresDlq: {
    id: "AwsSolutions-SQS3",
    reason: "stream-failures is itself the dead-letter destination of the two stream mappings",
  },
  publicHealth: {
    id: "AwsSolutions-APIG4",
    reason: "GET /health is public on purpose: uptime checks call it and it reveals nothing",
  },
  publicDefaultRoute: {
    id: "AwsSolutions-APIG4",
    reason:
      "The $default route only answers 404 for unknown paths in the API's error shape; it reads no data",
  },
  optionalMfa: {
    id: "AwsSolutions-COG2",
    reason: "MFA is optional TOTP by requirement; each user turns it on for their account",
  },
  cognitoPlus: {
    id: "AwsSolutions-COG8",
    reason:
      "Threat protection needs the Cognito Plus plan (paid per user); SRP only, no user-existence errors and TOTP instead",
  },
  webBucketAccessLogs: {
    id: "AwsSolutions-S1",
    reason: "The web bucket holds only the public page's build; CloudFront (OAC) is its only reader",
  },
  webDistributionLogs: {
    id: "AwsSolutions-CFR3",
    reason:
      "The page is static and public; API requests through it are logged by the API stage's access logs",
  },
  webDistributionTls: {
    id: "AwsSolutions-CFR4",
    reason:
      "With the default *.cloudfront.net certificate CloudFront fixes the viewer TLS policy; a custom domain can pin TLS 1.2",
  },
  webDistributionGeo: {
    id: "AwsSolutions-CFR1",
    reason: "The service is offered worldwide; no country is excluded",
  },
  webDistributionWaf: {
    id: "AwsSolutions-CFR2",
    reason:
      "API abuse is bounded per user (rate limit, quotas) and by stage throttling; a WAF adds cost without a rule to hold",
  },
  catalogBucketAccessLogs: {
    id: "AwsSolutions-S1",
    reason:
      "The catalog bucket holds public IMDb/TMDB data; only the service's functions touch it and log every ingestion and refresh",
  },
} as const;

/** The catalog functions' object grants: whole prefixes of the catalog bucket, which S3 names only by wildcard. */
function catalogObjectAcknowledgements(bucketLogicalId: string) {
  const reason =
    "Catalog objects are addressed by prefix (versions are named at publish time): readers get catalog/*, the ingestion reads incoming/ and writes catalog/";
  return ["catalog/*", "*", "catalog/versions/*"].map((suffix) => ({
    id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${suffix}]`,
    reason,
  }));
}

/** CDK's handler that configures the bucket's S3 notifications at deploy time (its role and runtime are CDK's). */
const bucketNotificationsAcknowledgements = [
  "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
  "AwsSolutions-IAM5[Resource::*]",
  "AwsSolutions-L1",
].map((id) => ({
  id,
  reason:
    "CDK's BucketNotificationsHandler (runs only while deploying, to configure the catalog bucket's notifications)",
}));

/**
 * The CDK-owned Lambda that copies the web page into its bucket (BucketDeployment) at deploy time:
 * its role, wildcards and runtime are CDK's, and it runs only during deployments.
 */
function bucketDeploymentAcknowledgements(webBucketLogicalId: string) {
  const reason =
    "CDK's BucketDeployment handler (runs only while deploying the page); its role and runtime are CDK's";
  return [
    "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
    "AwsSolutions-IAM5[Action::s3:GetObject*]",
    "AwsSolutions-IAM5[Action::s3:GetBucket*]",
    "AwsSolutions-IAM5[Action::s3:List*]",
    "AwsSolutions-IAM5[Action::s3:DeleteObject*]",
    "AwsSolutions-IAM5[Action::s3:Abort*]",
    "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]",
    `AwsSolutions-IAM5[Resource::<${webBucketLogicalId}.Arn>/*]`,
    "AwsSolutions-IAM5[Resource::*]",
    "AwsSolutions-L1",
  ].map((id) => ({ id, reason }));
}

/** Attaches the acknowledgements to the constructs they concern. */
export function acknowledgeNagFindings(stack: Stack): void {
  const find = (path: string): IConstruct | undefined => stack.node.tryFindChild(path);
  for (const name of handlerNames) {
    const fn = find(constructIdOf(name));
    if (fn) Validations.of(fn).acknowledge(nagAcknowledgements.functionRoleXray);
  }
  const catalogBucket = find("CatalogBucket");
  if (catalogBucket) {
    Validations.of(catalogBucket).acknowledge(nagAcknowledgements.catalogBucketAccessLogs);
    const logicalId = stack.getLogicalId(catalogBucket.node.defaultChild as CfnElement);
    for (const name of [...catalogReaders, "catalog-ingest"] as const) {
      const fn = find(constructIdOf(name));
      if (fn) for (const ack of catalogObjectAcknowledgements(logicalId)) Validations.of(fn).acknowledge(ack);
    }
  }
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith("BucketNotificationsHandler")) continue;
    for (const ack of bucketNotificationsAcknowledgements) Validations.of(child).acknowledge(ack);
  }
  const only = (construct: IConstruct | undefined, ack: { id: string; reason: string }) => {
    if (construct) Validations.of(construct).acknowledge(ack);
  };
  only(find("TraktClientCredentials"), nagAcknowledgements.secretRotation);
  only(find("StreamFailuresQueue"), nagAcknowledgements.streamFailuresDlq);
  only(find("HttpApi")?.node.tryFindChild("GET--health"), nagAcknowledgements.publicHealth);
  only(find("DefaultRoute"), nagAcknowledgements.publicDefaultRoute);
  const users = find("Users");
  only(users, nagAcknowledgements.optionalMfa);
  only(users, nagAcknowledgements.cognitoPlus);
  const web = find("Web");
  const bucket = web?.node.tryFindChild("Bucket");
  only(bucket, nagAcknowledgements.webBucketAccessLogs);
  const distribution = web?.node.tryFindChild("Distribution");
  for (const ack of [
    nagAcknowledgements.webDistributionLogs,
    nagAcknowledgements.webDistributionTls,
    nagAcknowledgements.webDistributionGeo,
    nagAcknowledgements.webDistributionWaf,
  ]) {
    only(distribution, ack);
  }
  const bucketResource = bucket?.node.defaultChild;
  if (bucketResource) {
    const logicalId = stack.getLogicalId(bucketResource as CfnElement);
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith("Custom::CDKBucketDeployment")) continue;
      for (const ack of bucketDeploymentAcknowledgements(logicalId)) Validations.of(child).acknowledge(ack);
    }
  }
}
