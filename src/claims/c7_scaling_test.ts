import assert from "node:assert/strict";
import { Rng } from "../model/rng.ts";
import { c7Grid, slopeAssessment } from "./c7_scaling.ts";

Deno.test("C7 slope assessment", async (t) => {
  const rng = new Rng(3);
  const x = Array.from({ length: 30 }, (_, i) => Math.log(10 + i * 5));
  await t.step("a √ law holds, a linear law fails", () => {
    const sqrt = x.map((v) => 0.5 * v + 0.01 * rng.normal());
    const linear = x.map((v) => v + 0.01 * rng.normal());
    assert.equal(
      slopeAssessment("s", x, sqrt, 0.5, "holds", "sqrt").verdict,
      "holds",
    );
    assert.equal(
      slopeAssessment("s", x, linear, 0.5, "holds", "linear").verdict,
      "fails",
    );
  });
  await t.step("too few points is inconclusive", () => {
    assert.equal(
      slopeAssessment("s", [1, 2], [1, 2], 0.5, "holds", "few").verdict,
      "inconclusive",
    );
  });
  await t.step("grids have at least 3 values of d and of k", () => {
    for (const p of ["ci", "paper"] as const) {
      const g = c7Grid(p);
      assert.ok(
        new Set(g.map((q) => q.d)).size >= 3 &&
          new Set(g.map((q) => q.k)).size >= 3,
      );
    }
  });
});
