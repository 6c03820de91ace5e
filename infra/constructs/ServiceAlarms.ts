import { Duration } from "aws-cdk-lib";
import type { IHttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { HandlerName } from "#config/resources.ts";
import { constructIdOf } from "./ServiceFunction.ts";

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
  readonly functions: Readonly<Record<HandlerName, IFunction>>;
  /** Functions whose every error matters (default `alarmThresholds.functionErrors`). */
  readonly errorThresholds?: Readonly<Partial<Record<HandlerName, number>>>;
  readonly syncQueue: IQueue;
};

/** Alarms on API 5xx, every function's errors and throttles, and the sync queue's oldest message age. */
export class ServiceAlarms extends Construct {
  public readonly alarms: Alarm[] = [];
  private readonly topic: ITopic;

  public constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    this.topic = props.topic;
    const fiveMinutes = { period: Duration.minutes(5), statistic: "Sum" };
    this.add(
      "Api5xx",
      "The HTTP API answered 5xx",
      props.httpApi.metricServerError(fiveMinutes),
      alarmThresholds.api5xx,
    );
    for (const [name, fn] of Object.entries(props.functions) as [HandlerName, IFunction][]) {
      const id = constructIdOf(name);
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
  }

  private add(id: string, description: string, metric: IMetric, threshold: number): void {
    this.alarms.push(topicAlarm(this, id, { description, metric, threshold, topic: this.topic }));
  }
}

export type TopicAlarmProps = {
  readonly description: string;
  readonly metric: IMetric;
  readonly threshold: number;
  readonly topic: ITopic;
};

/** An alarm at `threshold` or above in one period (no data: fine) that tells `topic` when it fires and when it clears. */
export function topicAlarm(scope: Construct, id: string, props: TopicAlarmProps): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmDescription: props.description,
    metric: props.metric,
    threshold: props.threshold,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(props.topic));
  alarm.addOkAction(new SnsAction(props.topic));
  return alarm;
}
