import { S3Client } from "@aws-sdk/client-s3";
import { envNames } from "#config/env.ts";

/** S3_ENDPOINT points the client at the local emulator (fauxqs, path-style); unset, it talks to the region's S3. */
export function createS3Client(endpoint = process.env[envNames.s3Endpoint]): S3Client {
  return new S3Client(
    endpoint
      ? {
          endpoint,
          forcePathStyle: true,
          region: process.env.AWS_REGION ?? "us-east-1",
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
        }
      : {},
  );
}
