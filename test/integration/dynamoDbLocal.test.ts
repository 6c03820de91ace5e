import { spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
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

/**
 * The processes listening on the endpoint's port. Other test files start servers on ports the system picks, so
 * the port may be taken again as soon as it is free: the check is whose it is, not whether it answers.
 */
function listenersOn(endpoint: string): number[] {
  const port = Number(new URL(endpoint).port).toString(16).toUpperCase().padStart(4, "0");
  const listening = "0A";
  const inodes = new Set(
    ["/proc/net/tcp", "/proc/net/tcp6"]
      .flatMap((table) => readFileSync(table, "utf8").trim().split("\n").slice(1))
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[1]?.endsWith(`:${port}`) && fields[3] === listening)
      .map((fields) => fields[9]),
  );
  const owners: number[] = [];
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    const sockets = readSafely(() => readdirSync(`/proc/${entry}/fd`)) ?? [];
    const holds = sockets.some((fd) => {
      const inode = /^socket:\[(\d+)\]$/.exec(
        readSafely(() => readlinkSync(`/proc/${entry}/fd/${fd}`)) ?? "",
      );
      return inode !== null && inodes.has(inode[1]);
    });
    if (holds) owners.push(Number(entry));
  }
  return owners;
}

/** What `read` gives, or undefined when the process or descriptor went meanwhile (or is not ours to read). */
function readSafely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
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

    // Assess: the JVM went with it, and no longer holds its port
    expect(code).not.toBe(0);
    expect(pid).toBeGreaterThan(0);
    await eventually(async () => (running(pid) ? undefined : true), 10_000, "the JVM to end");
    expect(listenersOn(endpoint)).not.toContain(pid);
  });
});
