/**
 * `npm run bench [-- sync|backfill]`: the benchmark. Figures, not assertions: Trakt calls, items per
 * write, time to converge against the one-write-per-second lower bound, DynamoDB capacity and Lambda
 * invocations (sync case); the backfill's read capacity against the lists that need repair (backfill case).
 */
import { backfillBench } from "./backfillBench.ts";
import { syncBench } from "./syncBench.ts";

const which = process.argv[2] ?? "all";
const log = (line: string) => console.log(line);
if (which === "all" || which === "sync") await syncBench(log);
if (which === "all") log("");
if (which === "all" || which === "backfill") await backfillBench(log);
