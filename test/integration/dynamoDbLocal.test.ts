import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { eventually } from "#test/support/eventually.ts";

const crashingScript = fileURLToPath(new URL("../support/crashWithDynamoDbLocal.ts", import.meta.url));

/** Whether the process runs (a zombie waiting to be reaped does not). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Whether something accepts connections on the endpoint's port. */
function answers(endpoint: string): Promise<boolean> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("DynamoDB Local started by the local tooling", () => {
  it("goes when the process that started it dies without stopping it", async () => {
    // Act: a process starts DynamoDB Local, then dies of an unhandled error
    const child = spawn(process.execPath, [crashingScript], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    const { endpoint, pid } = JSON.parse(output.trim().split("\n")[0] ?? "{}") as {
      endpoint: string;
      pid: number;
    };

    // Assess: the JVM went with it, and its port is free
    expect(code).not.toBe(0);
    expect(pid).toBeGreaterThan(0);
    await eventually(async () => (running(pid) ? undefined : true), 10_000, "the JVM to end");
    expect(await answers(endpoint)).toBe(false);
  });
});
