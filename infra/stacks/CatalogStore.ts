import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { S3EventSourceV2 } from "aws-cdk-lib/aws-lambda-event-sources";
import { BlockPublicAccess, Bucket, BucketEncryption, EventType } from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { catalogStore } from "#config/resources.ts";

/** Where published catalog versions and their pointer live (`catalogStore.pointerKey`, `versionsPrefix`). */
const publishedPrefix = "catalog/";

/**
 * The catalog: source files dropped under incoming/ are ingested into immutable snapshot versions
 * under catalog/ (see README "Catalog"). Private, encrypted, versioned; old object versions expire.
 * Readers get catalog/ only; the ingestion reads everything and writes catalog/.
 *
 * The bucket is made in `scope` itself (id `CatalogBucket`), so its logical id stays that of the
 * deployed, retained bucket.
 */
export class CatalogStore {
  public readonly bucket: Bucket;

  public constructor(scope: Construct) {
    this.bucket = new Bucket(scope, "CatalogBucket", {
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
  }

  /** Lets `grantee` read the published versions (previews, searches, syncs, refreshes). */
  public grantRead(grantee: IGrantable): void {
    this.allow(grantee, "s3:GetObject", this.objects(publishedPrefix));
  }

  /** Lets `grantee` ingest: list, read anything, publish under catalog/ and delete old versions. */
  public grantIngest(grantee: IGrantable): void {
    this.allow(grantee, "s3:ListBucket", this.bucket.bucketArn);
    this.allow(grantee, "s3:GetObject", this.objects(""));
    this.allow(grantee, "s3:PutObject", this.objects(publishedPrefix));
    this.allow(grantee, "s3:DeleteObject", this.objects(catalogStore.versionsPrefix));
  }

  /**
   * A file in incoming/ starts an ingestion; the pointer written last by a publish starts a refresh.
   * Neither is retried blindly: a failed ingestion waits for a person, a refresh for its next tick.
   */
  public notify(ingest: IFunction, refresh: IFunction, refreshTickMinutes: number): void {
    ingest.configureAsyncInvoke({ retryAttempts: 0 });
    ingest.addEventSource(this.createdUnder(catalogStore.incomingPrefix));
    refresh.addEventSource(this.createdUnder(catalogStore.pointerKey));
    refresh.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(refreshTickMinutes) });
  }

  private createdUnder(prefix: string): S3EventSourceV2 {
    return new S3EventSourceV2(this.bucket, { events: [EventType.OBJECT_CREATED], filters: [{ prefix }] });
  }

  private objects(prefix: string): string {
    return `${this.bucket.bucketArn}/${prefix}*`;
  }

  private allow(grantee: IGrantable, action: string, resource: string): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [action], resources: [resource] }),
    );
  }
}
