import assert from "node:assert/strict";
import * as facade from "./mod.ts";

Deno.test("measure/mod.ts re-exports every value of the measure modules", async () => {
  const modules = [
    "alignment",
    "approximate_kkt",
    "certified_radius",
    "classification",
    "constructions",
    "exact_error",
    "flip_radius",
    "flips",
    "kkt",
    "kkt_floor",
    "margin_networks",
    "power_law",
    "robustness",
  ];
  for (const name of modules) {
    const module = await import(`./${name}.ts`);
    for (const key of Object.keys(module)) {
      assert.ok(key in facade, `${name}.ts: ${key} missing from mod.ts`);
    }
  }
});
