import assert from "node:assert/strict";
import { c6Configs, neuronAlignments } from "./c6_mechanism.ts";

Deno.test("C6", async (t) => {
  await t.step(
    "neuronAlignments: cosine with u+ for v > 0, u- for v < 0, significant neurons only",
    () => {
      const weights = {
        d: 2,
        m: 3,
        w: new Float32Array([1, 0, 0, 2, 0.01, 0.01]),
        b: new Float32Array([0, 0, 0]),
        v: new Float32Array([1, -2, 0.01]),
      };
      const cos = neuronAlignments(weights, [1, 0], [1, 1], 0.1);
      assert.equal(cos.length, 2);
      assert.ok(Math.abs(cos[0] - 1) < 1e-12);
      assert.ok(Math.abs(cos[1] - Math.SQRT1_2) < 1e-7);
    },
  );
  await t.step("controls break a hypothesis", () => {
    const [, correlated, large] = c6Configs("ci");
    assert.equal(correlated.params.means, "correlated");
    assert.ok(Number(large.params.initScale) >= 1);
    assert.ok([correlated, large].every((c) => c.checks[0].expect === "fails"));
  });
});
