import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterAll, beforeAll } from "vitest";

/**
 * fauxqs (SQS and S3, served from this process) for one test file, and a client of it: started before the file's
 * tests, both stopped after them. `client()` and `endpoint()` answer once the file's tests run.
 */
export function fauxqsForTests<C extends { destroy(): void }>(
  makeClient: (endpoint: string) => C,
): { client(): C; endpoint(): string } {
  let server: FauxqsServer | undefined;
  let client: C | undefined;
  beforeAll(async () => {
    server = await startFauxqs({ port: 0, logger: false, host: "127.0.0.1" });
    client = makeClient(server.address);
  });
  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("fauxqs is started before the file's tests only");
    return value;
  };
  return { client: () => started(client), endpoint: () => started(server).address };
}
