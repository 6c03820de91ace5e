import { type Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

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
  optionalMfa: {
    id: "AwsSolutions-COG2",
    reason: "MFA is optional TOTP by requirement; each user turns it on for their account",
  },
  cognitoPlus: {
    id: "AwsSolutions-COG8",
    reason:
      "Threat protection needs the Cognito Plus plan (paid per user); SRP only, no user-existence errors and TOTP instead",
  },
} as const;

/** Attaches the acknowledgements to the constructs they concern. */
export function acknowledgeNagFindings(stack: Stack): void {
  const find = (path: string): IConstruct | undefined => stack.node.tryFindChild(path);
  for (const name of ["Api", "ListCreated", "ListDeleted", "Sync", "Backfill"]) {
    const fn = find(name);
    if (fn) Validations.of(fn).acknowledge(nagAcknowledgements.functionRoleXray);
  }
  const only = (construct: IConstruct | undefined, ack: { id: string; reason: string }) => {
    if (construct) Validations.of(construct).acknowledge(ack);
  };
  only(find("TraktClientCredentials"), nagAcknowledgements.secretRotation);
  only(find("StreamFailuresQueue"), nagAcknowledgements.streamFailuresDlq);
  only(find("HttpApi")?.node.tryFindChild("GET--health"), nagAcknowledgements.publicHealth);
  const users = find("Users");
  only(users, nagAcknowledgements.optionalMfa);
  only(users, nagAcknowledgements.cognitoPlus);
}
