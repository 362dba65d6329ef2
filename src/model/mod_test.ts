import assert from "node:assert/strict";
import * as facade from "./mod.ts";

Deno.test("model/mod.ts re-exports every value of the model modules", async () => {
  for (
    const name of [
      "data",
      "forward",
      "instance",
      "network",
      "power_network",
      "rng",
      "weights",
    ]
  ) {
    const module = await import(`./${name}.ts`);
    for (const key of Object.keys(module)) {
      assert.ok(key in facade, `${name}.ts: ${key} missing from mod.ts`);
    }
  }
});
