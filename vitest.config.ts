import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites each start their own DynamoDB Local (a JVM); keep at most two at once on a 2-core machine.
    maxWorkers: 2,
    pool: "forks",
  },
});
