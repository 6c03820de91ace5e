/**
 * `npm run bench [-- sync|backfill|catalog]`: the benchmark. Figures, not assertions: Trakt calls, items per
 * write, time to converge against the one-write-per-second lower bound, DynamoDB capacity and Lambda
 * invocations (sync case); the backfill's read capacity against the lists that need repair (backfill case);
 * catalog ingestion, selection, preview, search and refresh next to the DynamoDB read it replaced (catalog case).
 */
import "./quietLogs.ts";
import { backfillBench } from "./backfillBench.ts";
import { catalogBench } from "./catalogBench.ts";
import { syncBench } from "./syncBench.ts";

const which = process.argv[2] ?? "all";
const log = (line: string) => console.log(line);
if (which === "all" || which === "sync") await syncBench(log);
if (which === "all") log("");
if (which === "all" || which === "backfill") await backfillBench(log);
if (which === "all") log("");
if (which === "all" || which === "catalog") await catalogBench(log);
