import assert from "node:assert/strict";
import { cosine, neuronAlignments } from "./alignment.ts";

Deno.test("cosine", () => {
  assert.equal(cosine([2, 0], [5, 0]), 1);
  assert.ok(Math.abs(cosine([1, 1], [1, 0]) - Math.SQRT1_2) < 1e-15);
  assert.equal(cosine([1, 0], [-3, 0]), -1);
  assert.ok(Number.isNaN(cosine([0, 0], [1, 0])));
  assert.throws(() => cosine([1], [1, 2]), /lengths differ/);
});

Deno.test(
  "neuronAlignments: cosine with u+ for v > 0, u- for v < 0, significant neurons only",
  () => {
    const weights = {
      d: 2,
      m: 3,
      w: new Float32Array([1, 0, 0, 2, 0.01, 0.01]),
      b: new Float32Array([0, 0, 0]),
      v: new Float32Array([1, -2, 0.01]),
    };
    const sums = { plus: [1, 0], minus: [1, 1] };
    const cos = neuronAlignments(weights, sums, { significance: 0.1 });
    assert.equal(cos.length, 2);
    assert.ok(Math.abs(cos[0] - 1) < 1e-12);
    assert.ok(Math.abs(cos[1] - Math.SQRT1_2) < 1e-7);
    // With no threshold every neuron counts.
    assert.equal(
      neuronAlignments(weights, sums, { significance: 0 }).length,
      3,
    );
  },
);
