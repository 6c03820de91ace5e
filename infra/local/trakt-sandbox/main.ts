/** Starts the Trakt sandbox on its own: `npm run trakt-sandbox`. */
import { formatLatency } from "./latency.ts";
import { startTraktSandbox } from "./TraktSandbox.ts";

const port = Number(process.env.TRAKT_SANDBOX_PORT ?? 4010);
const sandbox = await startTraktSandbox({
  port,
  host: process.env.TRAKT_SANDBOX_HOST ?? "127.0.0.1",
  clientId: process.env.TRAKT_CLIENT_ID || "sandbox-client-id",
  clientSecret: process.env.TRAKT_CLIENT_SECRET || "sandbox-client-secret",
  latency: process.env.TRAKT_SANDBOX_LATENCY_MS || undefined,
});

console.log(
  `Trakt sandbox listening on ${sandbox.url} (control API: ${sandbox.url}/_sandbox), latency ${formatLatency(sandbox.config().latency)}`,
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`Trakt sandbox: ${signal}, stopping`);
  await sandbox.stop();
  process.exit(0);
}

process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
