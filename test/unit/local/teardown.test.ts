import { describe, expect, it } from "vitest";
import { Teardown } from "#infra/local/runtime/teardown.ts";

describe("Teardown", () => {
  it("undoes each step once, newest first, and keeps going past a step that fails", async () => {
    // Prepare
    const done: string[] = [];
    const logged: string[] = [];
    const teardown = new Teardown((message) => logged.push(message));
    teardown.add(async () => void done.push("database"));
    teardown.add(async () => {
      throw new Error("poller stuck");
    });
    teardown.add(async () => void done.push("api"));

    // Act
    await teardown.run();
    await teardown.run();

    // Assess
    expect(done).toEqual(["api", "database"]);
    expect(logged).toEqual(["stop failed: Error: poller stuck"]);
  });
});
