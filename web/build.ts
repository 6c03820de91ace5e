/**
 * `npm run build:web`: bundles the page (web/src, Preact + TypeScript) with esbuild into web/dist,
 * prints the gzipped JavaScript size, and fails when it is over the 100 KB budget. `npm start` runs it.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export const webRoot = dirname(fileURLToPath(import.meta.url));
export const webDist = join(webRoot, "dist");
/** The page's budget of gzipped JavaScript. */
export const jsBudgetBytes = 100 * 1024;

export async function buildWeb(options: { quiet?: boolean } = {}): Promise<{ jsGzipBytes: number }> {
  rmSync(webDist, { recursive: true, force: true });
  mkdirSync(join(webDist, "assets"), { recursive: true });
  await build({
    entryPoints: [join(webRoot, "src/main.tsx")],
    outfile: join(webDist, "assets/app.js"),
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    legalComments: "none",
    logLevel: "warning",
  });
  copyFileSync(join(webRoot, "index.html"), join(webDist, "index.html"));
  copyFileSync(join(webRoot, "src/styles.css"), join(webDist, "assets/styles.css"));
  const js = readFileSync(join(webDist, "assets/app.js"));
  const jsGzipBytes = gzipSync(js, { level: 9 }).length;
  const line = `web page: ${(js.length / 1024).toFixed(1)} KB JavaScript, ${(jsGzipBytes / 1024).toFixed(1)} KB gzipped (budget ${jsBudgetBytes / 1024} KB)`;
  if (jsGzipBytes > jsBudgetBytes) throw new Error(`${line}: over budget`);
  if (!options.quiet) console.log(line);
  return { jsGzipBytes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await buildWeb();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
