import { RemovalPolicy, Stack } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin, S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { BlockPublicAccess, Bucket, BucketEncryption } from "aws-cdk-lib/aws-s3";
import { BucketDeployment, Source } from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import { traktDefaults } from "#config/env.ts";

/** The path prefix under which the distribution forwards to the HTTP API (stripped before it). */
export const apiPathPrefix = "/api";

export interface WebSiteProps {
  /** The built page (web/dist, `npm run build:web`). */
  readonly webDir: string;
  readonly httpApi: HttpApi;
  /** What the page's sign-in needs, written into config.json (auth.mode "cognito"). */
  readonly auth: (distributionUrl: string) => Record<string, unknown>;
}

/**
 * The web page in AWS: a private S3 bucket read by CloudFront through origin access control, the
 * HTTP API on the same distribution under `/api/*` (same origin, so no CORS), and a config.json
 * written at deploy time with the sign-in settings.
 */
export class WebSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebSiteProps) {
    super(scope, id);
    this.bucket = new Bucket(this, "Bucket", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Only built files live here (the deployment rewrites them); retained like the table, emptied by hand.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stripApiPrefix = new CloudFrontFunction(this, "StripApiPrefix", {
      comment: "Maps /api/lists to /lists for the HTTP API",
      code: FunctionCode.fromInline(
        `function handler(event) { var r = event.request; r.uri = r.uri.replace(/^\\${apiPathPrefix}(?=\\/|$)/, "") || "/"; return r; }`,
      ),
    });
    const apiDomain = `${props.httpApi.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
    this.distribution = new Distribution(this, "Distribution", {
      comment: "trakt-list-sync web page and API",
      defaultRootObject: "index.html",
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      },
      additionalBehaviors: {
        [`${apiPathPrefix}/*`]: {
          origin: new HttpOrigin(apiDomain, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          functionAssociations: [{ function: stripApiPrefix, eventType: FunctionEventType.VIEWER_REQUEST }],
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
    new BucketDeployment(this, "Deployment", {
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ["/index.html", "/config.json"],
      memoryLimit: 256,
      sources: [
        Source.asset(props.webDir),
        Source.jsonData("config.json", {
          auth: props.auth(this.url),
          apiBaseUrl: apiPathPrefix,
          traktListUrl: traktDefaults.listUrl,
        }),
      ],
    });
  }
}
