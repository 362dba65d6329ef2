import assert from "node:assert/strict";
import * as facade from "./mod.ts";

Deno.test("plot/mod.ts re-exports every figure", async () => {
  // render.ts is the shared frame of the figure modules; it stays internal.
  for (const name of ["charts", "heatmap", "radius_figures", "sword"]) {
    const module = await import(`./${name}.ts`);
    for (const key of Object.keys(module)) {
      assert.ok(key in facade, `${name}.ts: ${key} missing from mod.ts`);
    }
  }
});
