import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serviceBundling } from "#infra/constructs/ServiceFunction.ts";

const root = new URL("../../", import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => readFileSync(join(root, dir, file), "utf8"));
}

describe("dependencies", () => {
  it("keeps infra and local-stack packages out of the runtime dependencies", () => {
    for (const name of ["aws-cdk-lib", "constructs", "jose", "@aws-sdk/client-dynamodb-streams", "cdk-nag"]) {
      expect(manifest.dependencies[name], name).toBeUndefined();
      expect(manifest.devDependencies[name], name).toBeDefined();
    }
  });

  it("lists only runtime dependencies that the Lambda code imports", () => {
    const code = [...sources("lambdas"), ...sources("shared")].join("\n");
    for (const name of Object.keys(manifest.dependencies)) {
      expect(code.includes(`from "${name}`), name).toBe(true);
    }
  });

  it("bundles the locked AWS SDK rather than the runtime's", () => {
    expect(serviceBundling.externalModules).toEqual([]);
  });
});
