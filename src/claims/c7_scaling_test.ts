import assert from "node:assert/strict";
import { Rng } from "../model/rng.ts";
import { c7Grid, slopeAssessment } from "./c7_scaling.ts";

Deno.test("C7 slope assessment", async (t) => {
  const rng = new Rng(3);
  const x = Array.from({ length: 30 }, (_, i) => Math.log(10 + i * 5));
  await t.step("a √ law holds, a linear law fails", () => {
    const sqrt = x.map((v) => 0.5 * v + 0.01 * rng.normal());
    const linear = x.map((v) => v + 0.01 * rng.normal());
    const spec = { check: "s", expect: "holds" as const, target: 0.5 };
    assert.equal(
      slopeAssessment({ x, y: sqrt }, { ...spec, what: "sqrt" }).verdict,
      "holds",
    );
    assert.equal(
      slopeAssessment({ x, y: linear }, { ...spec, what: "linear" }).verdict,
      "fails",
    );
    // A tolerance wide enough to take in slope 1 makes the linear law pass.
    assert.equal(
      slopeAssessment({ x, y: linear }, {
        ...spec,
        what: "linear",
        tolerance: 0.6,
      }).verdict,
      "holds",
    );
  });
  await t.step("too few points is inconclusive", () => {
    const few = slopeAssessment({ x: [1, 2], y: [1, 2] }, {
      check: "s",
      expect: "holds",
      target: 0.5,
      what: "few",
    });
    assert.equal(few.verdict, "inconclusive");
    assert.match(few.detail, /too few points/);
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
