import assert from "node:assert/strict";
import {
  c7Configs,
  c7ConstantReasons,
  c7Constants,
  c7Grid,
} from "./c7_configs.ts";

Deno.test("C7 configurations: grids vary d and k, a prediction and its twin", () => {
  for (const p of ["ci", "paper"] as const) {
    const g = c7Grid(p);
    assert.ok(
      new Set(g.map((q) => q.d)).size >= 3 &&
        new Set(g.map((q) => q.k)).size >= 3,
    );
    for (const config of c7Configs(p)) {
      assert.deepEqual(
        config.checks.map((c) => [c.name, c.expect, c.role, c.twinOf]),
        [
          ["flip_radius_order_sqrt_d_over_k", "holds", "prediction", undefined],
          [
            "twin_law_sqrt_dk",
            "fails",
            "twin",
            "flip_radius_order_sqrt_d_over_k",
          ],
        ],
      );
    }
  }
  assert.deepEqual(
    Object.keys(c7ConstantReasons).sort(),
    Object.keys(c7Constants).sort(),
  );
});
