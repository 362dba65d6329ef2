import assert from "node:assert/strict";
import * as facade from "./mod.ts";

Deno.test("stats/mod.ts re-exports every value of the statistics modules", async () => {
  // checks.ts holds the argument checks the modules share; it stays internal.
  const modules = [
    "descriptive",
    "multiple_testing",
    "proportions",
    "quantiles",
    "regression",
    "sampling",
    "special",
    "verdict_rules",
  ];
  for (const name of modules) {
    const module = await import(`./${name}.ts`);
    for (const key of Object.keys(module)) {
      assert.ok(key in facade, `${name}.ts: ${key} missing from mod.ts`);
    }
  }
});
