import { defineConfig } from "vitest/config";

/** Tests that work against the run's DynamoDB Local (test/support/dynamo.ts) or start a local stack. */
const withDynamo = ["test/integration", "test/e2e", "test/chaos", "test/browser"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // Before any test file imports the handlers: Powertools' Logger reads its level once, when it is built, and
    // Metrics whether it is disabled (no EMF lines from in-process invocations in the test output).
    env: { POWERTOOLS_LOG_LEVEL: "ERROR", POWERTOOLS_METRICS_DISABLED: "true" },
    hookTimeout: 120_000,
    // Integration suites each start their own DynamoDB Local (a JVM); keep at most two at once on a 2-core machine.
    maxWorkers: 2,
    pool: "forks",
    // Each project inherits the settings above. Only the one that needs DynamoDB Local starts it (its global
    // setup runs only when one of its files is queued), so `vitest run test/unit` never starts the JVM.
    projects: [
      // Unit tests start fastest in threads; the CDK tests bundle with esbuild in a child process, which needs forks.
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], pool: "threads" } },
      { test: { name: "infra", include: ["test/infra/**/*.test.ts"] } },
      {
        test: {
          name: "dynamo",
          include: withDynamo.map((folder) => `${folder}/**/*.test.ts`),
          globalSetup: ["test/support/globalSetup.ts"],
        },
      },
    ],
  },
});
