/**
 * The layering of `src/`, checked: no import cycle between modules, and the
 * folders (layers) form a directed acyclic graph in the documented order
 * (docs/ARCHITECTURE.md): a module imports only from its own folder or from
 * folders before it in {@linkcode LAYERS}. Static imports, re-exports and
 * dynamic `import("...")` all count.
 */

import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The layers in data-flow order: a folder may import only from those before it. */
const LAYERS = [
  "base",
  "stats",
  "model",
  "backend",
  "flow",
  "measure",
  "plot",
  "claims",
  "runner",
  "report",
  "cli",
] as const;

const SRC = fileURLToPath(new URL(".", import.meta.url));

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...await sourceFiles(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
      out.push(path);
    }
  }
  return out.sort();
}

/** Relative module specifiers a source file imports (comments skipped). */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(
    /^\s*\/\/.*$/gm,
    "",
  );
  const found: string[] = [];
  const patterns = [
    /(?:import|export)\s[^"';]*?from\s*["'](\.{1,2}\/[^"']+)["']/g,
    /import\s*\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g,
    /import\s*["'](\.{1,2}\/[^"']+)["']/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) found.push(match[1]);
  }
  return found;
}

async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const file of await sourceFiles(SRC)) {
    const text = await Deno.readTextFile(file);
    const targets = importsOf(text).map((spec) =>
      relative(SRC, normalize(join(dirname(file), spec)))
    );
    graph.set(relative(SRC, file), targets.filter((t) => !t.startsWith("..")));
  }
  return graph;
}

/** A cycle of the graph (as a list of nodes, first repeated at the end), or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") {
        return [...stack.slice(stack.indexOf(next)), next];
      }
      if (state.get(next) === undefined) {
        const cycle = visit(next);
        if (cycle !== null) return cycle;
      }
    }
    stack.pop();
    state.set(node, "done");
    return null;
  };
  for (const node of graph.keys()) {
    if (state.get(node) === undefined) {
      const cycle = visit(node);
      if (cycle !== null) return cycle;
    }
  }
  return null;
}

function layerOf(path: string): string {
  return path.includes("/") ? path.slice(0, path.indexOf("/")) : "";
}

Deno.test("src/ has no import cycle", async () => {
  const cycle = findCycle(await importGraph());
  assert.equal(cycle, null, `import cycle: ${cycle?.join(" -> ")}`);
});

Deno.test("findCycle sees a planted cycle", () => {
  const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", []]]);
  assert.deepEqual(findCycle(graph), ["a", "b", "c", "a"]);
  assert.equal(findCycle(new Map([["a", ["b"]], ["b", []]])), null);
});

Deno.test("every folder of src/ is a known layer", async () => {
  for (const file of (await importGraph()).keys()) {
    const layer = layerOf(file);
    assert.ok(
      layer === "" || (LAYERS as readonly string[]).includes(layer),
      `${file} is in an unknown layer "${layer}"; add it to LAYERS and docs/ARCHITECTURE.md`,
    );
  }
});

Deno.test("layers import only from earlier layers", async () => {
  const violations: string[] = [];
  for (const [file, targets] of await importGraph()) {
    const from = (LAYERS as readonly string[]).indexOf(layerOf(file));
    for (const target of targets) {
      const to = (LAYERS as readonly string[]).indexOf(layerOf(target));
      if (from >= 0 && to > from) violations.push(`${file} -> ${target}`);
    }
  }
  assert.deepEqual(violations, []);
});

Deno.test("importsOf reads static, re-export and dynamic imports", () => {
  const text = [
    'import { a } from "./a.ts";',
    'import type {\n  B,\n} from "../b/b.ts";',
    'export { c } from "./c.ts";',
    'const d = await import("./d.ts");',
    '// import { e } from "./e.ts";',
    'import { f } from "npm:f";',
  ].join("\n");
  assert.deepEqual(importsOf(text).sort(), [
    "../b/b.ts",
    "./a.ts",
    "./c.ts",
    "./d.ts",
  ]);
});
