/**
 * Reads the project's own source with the TypeScript compiler: which folder imports which, and how long each
 * function is. The architecture test holds the house to its rules with it; `node test/support/codebase.ts` prints
 * the figures (lines per folder, folder cycles, the longest functions).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

export const root = resolve(import.meta.dirname, "../..");
const sourceFolders = ["lambdas", "infra", "shared", "web"];

/** Every TypeScript file below the given top-level folders, relative to the root. */
export function sourceFiles(folders = sourceFolders): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir))) {
      if (name === "node_modules" || name.startsWith(".") || name === "dist") continue;
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) found.push(path);
    }
  };
  for (const folder of folders) walk(folder);
  return found.sort();
}

const packageImports: Record<string, string> =
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")).imports ?? {};

/** The file an import specifier names, relative to the root; undefined for packages. */
export function resolveImport(fromFile: string, specifier: string): string | undefined {
  if (specifier.startsWith(".")) return relative(root, resolve(root, dirname(fromFile), specifier));
  if (!specifier.startsWith("#")) return undefined;
  for (const [pattern, target] of Object.entries(packageImports)) {
    const prefix = pattern.replace("*", "");
    if (pattern.endsWith("*") ? specifier.startsWith(prefix) : specifier === pattern)
      return relative(root, resolve(root, target.replace("*", specifier.slice(prefix.length))));
  }
  return undefined;
}

/** The folder a file belongs to in the dependency graph: `shared/sync`, `lambdas/api`, `infra/local`… */
export function folderOf(file: string): string {
  return file
    .split("/")
    .slice(0, 2)
    .join("/")
    .replace(/\.tsx?$/, "");
}

/** Folder → the folders its files import (type-only imports included: they are dependencies too). */
export function folderGraph(files = sourceFiles()): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    const info = ts.preProcessFile(readFileSync(join(root, file), "utf8"), true, true);
    for (const { fileName } of info.importedFiles) {
      const target = resolveImport(file, fileName);
      if (target === undefined) continue;
      const to = folderOf(target);
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Every folder cycle, each as the path that closes it (`a → b → a`), once per cycle. */
export function folderCycles(graph = folderGraph()): string[] {
  const cycles = new Set<string>();
  const visit = (node: string, path: string[]) => {
    for (const next of graph.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const cycle = path.slice(at);
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.add([...rotated, rotated[0]].join(" → "));
      } else if (path.length < 12) visit(next, [...path, next]);
    }
  };
  for (const node of graph.keys()) visit(node, [node]);
  return [...cycles].sort();
}

export interface FunctionLength {
  file: string;
  name: string;
  line: number;
  lines: number;
}

/** The length in lines of every function, method, constructor and arrow function in the files. */
export function functionLengths(files = sourceFiles()): FunctionLength[] {
  const found: FunctionLength[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isFunctionLike(node) && "body" in node && node.body) {
        const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        found.push({ file, name: functionName(node), line: start + 1, lines: end - start + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found.sort((a, b) => b.lines - a.lines);
}

function functionName(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return "(anonymous)";
}

/** Lines (all of them, blank and comment lines included) per folder. */
export function linesPerFolder(files = sourceFiles([...sourceFolders, "test"])): Map<string, number> {
  const lines = new Map<string, number>();
  for (const file of files) {
    const count = readFileSync(join(root, file), "utf8").split("\n").length;
    const folder = folderOf(file);
    lines.set(folder, (lines.get(folder) ?? 0) + count);
  }
  return new Map([...lines].sort(([a], [b]) => a.localeCompare(b)));
}

if (import.meta.main) {
  console.log("Lines per folder");
  for (const [folder, count] of linesPerFolder()) console.log(`  ${folder.padEnd(28)} ${count}`);
  const cycles = folderCycles();
  console.log(`\nFolder cycles: ${cycles.length}`);
  for (const cycle of cycles) console.log(`  ${cycle}`);
  console.log("\nLongest functions outside tests");
  for (const f of functionLengths().slice(0, 15))
    console.log(`  ${String(f.lines).padStart(4)}  ${f.name} (${f.file}:${f.line})`);
}
