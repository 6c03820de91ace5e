import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import { Effect, type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { serviceName } from "./ServiceFunction.ts";

/**
 * Two customer-managed keys, rotated yearly:
 * - `table`: the table's encryption at rest (so its backups and stream are under a key we control);
 * - `tokens`: the envelope key of the Trakt tokens, field by field (shared/crypto). Only principals
 *   granted here can read a token, even with full read access to the table, its stream or a backup.
 */
export class EncryptionKeys extends Construct {
  public readonly table: Key;
  public readonly tokens: Key;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Key(this, "TableKey", {
      description: `${serviceName}: DynamoDB table encryption`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.tokens = new Key(this, "TokenKey", {
      description: `${serviceName}: envelope key of users' Trakt tokens`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
  }

  /** What DynamoDB needs of the table key on a caller's behalf, through DynamoDB only. */
  public grantTableUse(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        resources: [this.table.keyArn],
        conditions: { StringEquals: { "kms:ViaService": `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }

  /**
   * Lets `grantee` make and open token data keys, only with our encryption context (which names the
   * user; see shared/crypto/TokenCipher.ts).
   */
  public grantTokenUse(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: [this.tokens.keyArn],
        conditions: { StringEquals: { "kms:EncryptionContext:service": serviceName } },
      }),
    );
  }
}
