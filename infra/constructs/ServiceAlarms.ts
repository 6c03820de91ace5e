import { Duration } from "aws-cdk-lib";
import type { IHttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

/** Thresholds of the service alarms (README "Security" / operations). */
export const alarmThresholds = {
  /** API answers with 5xx in 5 minutes. */
  api5xx: 5,
  /** Errors of one function in 5 minutes. */
  functionErrors: 5,
  /** Throttled invocations of one function in 5 minutes. */
  functionThrottles: 1,
  /** Seconds the oldest sync message waited (a sync is normally picked up within seconds). */
  syncQueueOldestMessageSeconds: 30 * 60,
} as const;

export type ServiceAlarmsProps = {
  readonly topic: ITopic;
  readonly httpApi: IHttpApi;
  readonly functions: Readonly<Record<string, IFunction>>;
  /** Functions whose every error matters (default `alarmThresholds.functionErrors`). */
  readonly errorThresholds?: Readonly<Record<string, number>>;
  readonly syncQueue: IQueue;
};

/** Alarms on API 5xx, every function's errors and throttles, and the sync queue's oldest message age. */
export class ServiceAlarms extends Construct {
  public readonly alarms: Alarm[] = [];

  public constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const fiveMinutes = { period: Duration.minutes(5), statistic: "Sum" };
    this.add(
      "Api5xx",
      "The HTTP API answered 5xx",
      props.httpApi.metricServerError(fiveMinutes),
      alarmThresholds.api5xx,
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      const id = name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
      this.add(
        `${id}Errors`,
        `Function ${name} fails`,
        fn.metricErrors(fiveMinutes),
        props.errorThresholds?.[name] ?? alarmThresholds.functionErrors,
      );
      this.add(
        `${id}Throttles`,
        `Function ${name} is throttled`,
        fn.metricThrottles(fiveMinutes),
        alarmThresholds.functionThrottles,
      );
    }
    this.add(
      "SyncQueueOldestMessage",
      "Sync requests wait too long: syncs are stuck or too slow",
      props.syncQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: "Maximum",
      }),
      alarmThresholds.syncQueueOldestMessageSeconds,
    );
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(new SnsAction(props.topic));
      alarm.addOkAction(new SnsAction(props.topic));
    }
  }

  private add(id: string, description: string, metric: IMetric, threshold: number): void {
    this.alarms.push(
      new Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
