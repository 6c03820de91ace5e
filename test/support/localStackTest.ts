import { randomUUID } from "node:crypto";
import { expect, inject } from "vitest";
import { type LocalStack, type LocalStackOptions, startLocalStack } from "#infra/local/runtime/localStack.ts";
import type { TraktSandbox } from "#infra/local/trakt-sandbox/TraktSandbox.ts";
import type { ApiClient } from "./apiClient.ts";
import { eventually } from "./eventually.ts";

/**
 * The whole local stack on the run's DynamoDB Local, in a fresh table named after the suite, on a free port,
 * logging errors only; `options` add to that (their `env` to the log level).
 */
export function startTestStack(name: string, options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({
    port: 0,
    dynamoEndpoint: inject("dynamoEndpoint"),
    tableName: `${name}-${randomUUID()}`,
    ...options,
    env: { POWERTOOLS_LOG_LEVEL: "ERROR", ...options.env },
  });
}

/**
 * Trakt's device flow through our API up to the user's approval on `sandbox`: the code is handed out, a poll
 * before the approval answers 202, and the poll interval has passed when this returns.
 */
export async function approveDeviceLink(client: ApiClient, sandbox: TraktSandbox, traktSlug: string) {
  const code = await client.post("/trakt/device-code");
  expect(code.status).toBe(200);
  expect((await client.post("/trakt/device-token")).status).toBe(202);
  sandbox.approveDevice(code.body.userCode, traktSlug);
  await new Promise((resolve) => setTimeout(resolve, code.body.interval * 1000 + 100));
}

/** The whole device flow: afterwards the user is linked to the sandbox's user `traktSlug`. */
export async function linkTrakt(client: ApiClient, sandbox: TraktSandbox, traktSlug: string) {
  await approveDeviceLink(client, sandbox, traktSlug);
  const linked = await client.post("/trakt/device-token");
  expect(linked.status).toBe(200);
  expect(linked.body).toMatchObject({ linked: true, traktUsername: traktSlug });
  return linked;
}

/** The list (as `GET /lists/{id}` answers) once its sync state is `state`. */
export function listInState(
  client: ApiClient,
  listId: string,
  state: string,
  options: { timeoutMs?: number; what?: string } = {},
) {
  return eventually(
    async () => {
      const list = (await client.get(`/lists/${listId}`)).body;
      return list.sync.state === state ? list : undefined;
    },
    options.timeoutMs ?? 60_000,
    options.what ?? `list ${listId} to reach ${state}`,
  );
}
