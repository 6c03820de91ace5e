import { fileURLToPath } from "node:url";
import { type Duration, RemovalPolicy } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import type { HandlerName } from "#config/resources.ts";
import type { EncryptionKeys } from "./EncryptionKeys.ts";

/** Repository root: handler entries, package-lock.json and tsconfig.json live there. */
export const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

export const serviceName = "trakt-list-sync";
export const metricsNamespace = "TraktListSync";
export const logRetention = RetentionDays.ONE_MONTH;

/** The construct id of a handler's resources: `list-created` → `ListCreated`. */
export function constructIdOf(name: HandlerName): string {
  return name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
}

/**
 * ESM output cannot `require`; some CommonJS dependencies still do. This banner gives the bundle a
 * `require` of its own (named apart from anything esbuild emits).
 */
const requireBanner =
  "import { createRequire as __serviceCreateRequire } from 'node:module'; const require = __serviceCreateRequire(import.meta.url);";

/**
 * esbuild settings of every function. `externalModules: []` bundles the AWS SDK from
 * package-lock.json instead of using the one in the Lambda runtime: the functions run the SDK version
 * the tests ran (lib-dynamodb, the KMS and SQS clients and Powertools' X-Ray capture agree on it), and
 * a runtime SDK update cannot change them unseen. It costs a larger bundle (tree-shaken, minified).
 */
export const serviceBundling = {
  format: OutputFormat.ESM,
  mainFields: ["module", "main"],
  banner: requireBanner,
  minify: true,
  sourceMap: true,
  tsconfig: `${projectRoot}tsconfig.json`,
  forceDockerBundling: false,
  externalModules: [],
};

export type ServiceFunctionProps = {
  /** Handler name: the entry is `lambdas/<name>/handler.ts`, exporting `handler`. */
  readonly name: HandlerName;
  readonly description: string;
  readonly timeout: Duration;
  /** MB; default 256. */
  readonly memorySize?: number;
  /** The environment every function of the service gets (table, queue, Trakt settings). */
  readonly environment: Readonly<Record<string, string>>;
  /** Concurrency kept for this function alone (and its ceiling); 0 or absent: none. */
  readonly reservedConcurrentExecutions?: number;
};

export type TableBinding = {
  readonly table: ITable;
  /** The table's key (DynamoDB uses it on the function's behalf). */
  readonly keys: EncryptionKeys;
  /** The DynamoDB actions the function's code sends; none: no access at all. */
  readonly actions: readonly string[];
  /** Indexes the function queries. */
  readonly indexes?: readonly string[];
};

/**
 * One Lambda function of the service, with everything that must be the same for all of them set
 * once: Node.js 24 on ARM64, ESM bundle built by the local esbuild (no Docker), X-Ray tracing,
 * JSON logs into a log group with fixed retention, Powertools service name and metrics namespace.
 */
export class ServiceFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly logGroup: LogGroup;

  public constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, "LogGroup", {
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Its own role with only this log group (instead of the managed basic execution role on "*").
    const role = new Role(this, "Role", { assumedBy: new ServicePrincipal("lambda.amazonaws.com") });
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, "Function", {
      role,
      description: props.description,
      projectRoot,
      depsLockFilePath: `${projectRoot}package-lock.json`,
      entry: `${projectRoot}lambdas/${props.name}/handler.ts`,
      handler: "handler",
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize ?? 256,
      ...(props.reservedConcurrentExecutions
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      logGroup: this.logGroup,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
        NODE_OPTIONS: "--enable-source-maps",
      },
      bundling: serviceBundling,
    });
  }

  /** Lets the function send exactly `actions` to the table (and its `indexes`), through the table's key. */
  public bindTable({ table, keys, actions, indexes = [] }: TableBinding): void {
    if (actions.length === 0) return;
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [table.tableArn, ...indexes.map((index) => `${table.tableArn}/index/${index}`)],
      }),
    );
    keys.grantTableUse(this.function);
  }

  /** Lets the function open and store users' Trakt tokens and read the Trakt app credentials. */
  public bindTraktCredentials(keys: EncryptionKeys, credentials: ISecret): void {
    keys.grantTokenUse(this.function);
    credentials.grantRead(this.function);
  }
}
