import { Duration, RemovalPolicy } from "aws-cdk-lib";
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from "aws-cdk-lib/aws-dynamodb";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { FilterCriteria, type IFunction, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import type { EventFilterPattern } from "#config/eventFilters.ts";
import { streamMapping, table as tableConfig } from "#config/resources.ts";

/**
 * The service's tables, both encrypted under our key, with point-in-time recovery, kept when the stack goes:
 * - `table` (lists, users, the pacer, the catalog's refresh state) with its stream and the sparse repair index
 *   the backfill reads;
 * - `itemsTable`, the lists' items, without a stream: a list's items are written in bulk, and on the main table
 *   each would be a stream record the list-created and list-deleted mappings read only to drop.
 *
 * Made in `scope` itself (ids `Table`, `ItemsTable`), so the main table's logical id stays that of the deployed,
 * retained table.
 */
export class ServiceTable {
  public readonly table: Table;
  public readonly itemsTable: Table;

  public constructor(scope: Construct, key: IKey) {
    const common = {
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      partitionKey: { name: tableConfig.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableConfig.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    } as const;
    this.table = new Table(scope, "Table", {
      ...common,
      timeToLiveAttribute: tableConfig.timeToLiveAttribute,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    this.itemsTable = new Table(scope, "ItemsTable", common);
    // Only lists carry `repairShard`; the backfill reads the entries already due. The projection holds
    // just what the backfill needs, so list updates that leave those attributes alone skip the index.
    this.table.addGlobalSecondaryIndex({
      indexName: tableConfig.repairIndex.name,
      partitionKey: { name: tableConfig.repairIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableConfig.repairIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...tableConfig.repairIndex.projectedAttributes],
    });
  }

  /**
   * Feeds `fn` the stream records `filter` lets through (the local stack applies the same filter),
   * bisecting failing batches; batches that keep failing go to `failures`.
   */
  public feedStream(fn: IFunction, filter: EventFilterPattern, failures: IQueue): void {
    fn.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: streamMapping.batchSize,
        parallelizationFactor: streamMapping.parallelizationFactor,
        retryAttempts: streamMapping.retryAttempts,
        maxRecordAge: Duration.seconds(streamMapping.maxRecordAgeSeconds),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(failures),
        filters: [FilterCriteria.filter(filter)],
      }),
    );
  }
}
