import { RemovalPolicy } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpJwtAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { serviceName } from "#infra/constructs/ServiceFunction.ts";
import { type ApiRoute, type ApiRouteMethod, apiRoutes } from "./apiRoutes.ts";

/** One JSON line per API request (HTTP API `$context` variables). */
export const apiAccessLogFields = {
  requestId: "$context.requestId",
  sub: "$context.authorizer.claims.sub",
  routeKey: "$context.routeKey",
  status: "$context.status",
  latencyMs: "$context.responseLatency",
  integrationLatencyMs: "$context.integrationLatency",
  time: "$context.requestTime",
  ip: "$context.identity.sourceIp",
} as const;

/** Default throttling of the API's stage (per account and region, across all routes). */
export const apiThrottle = { rateLimit: 50, burstLimit: 100 } as const;

const httpMethods: Record<ApiRouteMethod, HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

export type ServiceApiProps = {
  /** The function every route reaches. */
  readonly handler: IFunction;
  /** The JWTs the default authorizer accepts (on the Authorization header). */
  readonly jwtIssuer: string;
  readonly jwtAudience: string[];
};

/**
 * The HTTP API: every route of `apiRoutes` (JWT-protected unless `auth: false`) and a public
 * `$default` route, all on one function, on a throttled stage whose access logs say who called what.
 *
 * Made in `scope` itself (ids `HttpApi`, `ApiAccessLogs`, `DefaultStage`, `DefaultRoute`), so the
 * logical ids stay those of the deployed API.
 */
export class ServiceApi {
  public readonly httpApi: HttpApi;
  public readonly stage: HttpStage;

  public constructor(scope: Construct, props: ServiceApiProps) {
    this.httpApi = new HttpApi(scope, "HttpApi", {
      description: `${serviceName} HTTP API`,
      createDefaultStage: false,
      defaultAuthorizer: new HttpJwtAuthorizer("JwtAuthorizer", props.jwtIssuer, {
        jwtAudience: props.jwtAudience,
        identitySource: ["$request.header.Authorization"],
      }),
    });
    this.stage = this.addLoggedStage(scope);
    this.addRoutes(scope, new HttpLambdaIntegration("ApiIntegration", props.handler));
  }

  /** Access logs: who (the token's sub), which route, the status and the latency of every request. */
  private addLoggedStage(scope: Construct): HttpStage {
    const accessLogs = new LogGroup(scope, "ApiAccessLogs", {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    return new HttpStage(scope, "DefaultStage", {
      httpApi: this.httpApi,
      stageName: "$default",
      autoDeploy: true,
      throttle: apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(apiAccessLogFields)),
      },
    });
  }

  private addRoutes(scope: Construct, integration: HttpLambdaIntegration): void {
    const noAuth = new HttpNoneAuthorizer();
    for (const route of apiRoutes) this.addRoute(route, integration, noAuth);
    // Unknown routes reach the function too, so they answer 404 in the API's own error shape.
    new HttpRoute(scope, "DefaultRoute", {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration,
      authorizer: noAuth,
    });
  }

  private addRoute(route: ApiRoute, integration: HttpLambdaIntegration, noAuth: HttpNoneAuthorizer): void {
    this.httpApi.addRoutes({
      path: route.path,
      methods: [httpMethods[route.method]],
      integration,
      ...(route.auth ? {} : { authorizer: noAuth }),
    });
  }
}
