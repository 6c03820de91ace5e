/**
 * The fault schedule: what Trakt (the sandbox) injects during the chaos phase, the malformed message,
 * the invocations killed at random, and quiet time, when all of it stops.
 */
import { randomUUID } from "node:crypto";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { FaultRule } from "#infra/local/trakt-sandbox/TraktSandbox.ts";
import { type ChaosRun, sleep } from "./run.ts";

/** The faults Trakt (the sandbox) injects during the chaos phase; probabilities per request. */
export function chaosFaults(rate: number): FaultRule[] {
  const api = "/users/**";
  return [
    // 5xx before anything is applied, and 5xx after a write was applied (the client must not double it).
    { kind: "error_before_apply", status: 503, probability: 0.08 * rate, match: { pathPattern: api } },
    { kind: "error_after_apply", status: 502, probability: 0.08 * rate, match: { pathPattern: api } },
    // Cloudflare-style 429 without Retry-After.
    { kind: "headerless_429", probability: 0.06 * rate, match: { pathPattern: api } },
    // Slow answers: reads slowed before, anything slowed after being handled.
    { kind: "slow", delayMs: 1_500, probability: 0.1 * rate, match: { method: "GET", pathPattern: api } },
    { kind: "slow", delayMs: 1_200, afterApply: true, probability: 0.06 * rate, match: { pathPattern: api } },
    // Connections reset before and after the write was applied.
    { kind: "reset_connection", probability: 0.03 * rate, match: { pathPattern: api } },
    { kind: "reset_connection", afterApply: true, probability: 0.03 * rate, match: { pathPattern: api } },
    // Token refreshes that fail before anything happens.
    {
      kind: "error_before_apply",
      status: 503,
      probability: 0.08 * rate,
      match: { pathPattern: "/oauth/token" },
    },
  ];
}

export interface ChaosPhase {
  started: number;
  ends: number;
  /** Ends the chaos: no more kills, duplicates or faults. */
  quiet(): Promise<void>;
}

/**
 * Starts the chaos: Trakt's faults, one message no sync can read (it must end in the DLQ without
 * holding up any list), and a random in-flight invocation killed every `killEveryMs`.
 */
export async function startChaos(run: ChaosRun): Promise<ChaosPhase> {
  const { settings, stack, sandbox } = run;
  sandbox.setFaults({
    rules: chaosFaults(settings.faultRate),
    accessTokenTtlSeconds: settings.tokenTtlSeconds,
    seed: settings.seed,
  });
  await stack.sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.queues.sync,
      MessageBody: '{"userId":"chaos-user-1","listId":',
      MessageGroupId: "malformed",
      MessageDeduplicationId: randomUUID(),
    }),
  );
  const started = Date.now();
  const ends = started + settings.chaosSeconds * 1000;
  const on = { chaos: true };
  const killer = killAtRandom(run, on);
  return {
    started,
    ends,
    quiet: async () => {
      on.chaos = false;
      await killer;
      stack.chaos.configure({ duplicateDeliveryProbability: 0, duplicateSendProbability: 0 });
      sandbox.clearFaults();
    },
  };
}

async function killAtRandom({ settings, stack, dice }: ChaosRun, on: { chaos: boolean }): Promise<void> {
  while (on.chaos && settings.killEveryMs[1] > 0) {
    await sleep(dice.between(settings.killEveryMs));
    if (!on.chaos) break;
    const victim = stack.chaos.killRandomInvocation();
    if (victim && settings.logLevel !== "ERROR")
      settings.log(
        `  ${new Date().toISOString()} killed ${victim.functionName} #${victim.slot} after ${Date.now() - victim.startedAt} ms`,
      );
  }
}
