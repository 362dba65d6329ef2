import assert from "node:assert/strict";
import {
  clusterCoverage,
  cosine,
  initialAlignments,
  inputGradientAt,
  meanAlignments,
  neuronAlignments,
  neuronClassAlignments,
  neuronVotes,
  rowCosines,
  significantNeurons,
} from "./alignment.ts";
import { inputGradientAt as referenceGradient } from "../../fixtures/random_network.ts";
import { randomNetwork } from "../../fixtures/random_network.ts";
import { Rng } from "../model/rng.ts";

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

Deno.test("significance counts every output weight of a neuron", () => {
  // Two neurons with equal hidden weights; the second has a large output
  // norm spread over two outputs, so it alone is significant at 0.5.
  const votes = {
    d: 1,
    m: 2,
    w: [1, 1],
    b: [0, 0],
    outputSquares: [0, 9 + 16],
    classes: [1, -1],
  };
  assert.deepEqual(significantNeurons(votes, { significance: 0.5 }), [1]);
  const sums = { plus: [1], minus: [-1] };
  assert.deepEqual(
    neuronClassAlignments(votes, sums, { significance: 0.5 }),
    [-1],
  );
});

Deno.test("meanAlignments: averaging neurons score 1/√(k/2), per-cluster ones 1", () => {
  const d = 6, k = 6;
  const clusterMeans = new Float64Array(k * d);
  for (let j = 0; j < k; j++) clusterMeans[j * d + j] = Math.sqrt(d);
  const model = { d, k, clusterMeans };
  // Neuron 0 averages clusters 0, 2, 4; neuron 1 sits on cluster 1.
  const net = {
    d,
    m: 2,
    w: [1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0],
    b: [0, 0],
    v: [1, -1],
  };
  const cos = meanAlignments(neuronVotes(net), model, { significance: 0 });
  assert.ok(Math.abs(cos[0] - 1 / Math.sqrt(3)) < 1e-15);
  assert.equal(cos[1], 1);
  assert.throws(
    () =>
      meanAlignments(neuronVotes(net), { ...model, d: 5 }, { significance: 0 }),
    /d=5/,
  );
});

Deno.test("initialAlignments: cosine of each significant neuron with its start", () => {
  const net = { d: 2, m: 2, w: [1, 0, 0, 3], b: [0, 0], v: [1, 1] };
  assert.deepEqual(
    initialAlignments(neuronVotes(net), [2, 0, 3, 0], { significance: 0 }),
    [1, 0],
  );
  assert.throws(
    () => initialAlignments(neuronVotes(net), [1], { significance: 0 }),
    /m·d/,
  );
});

Deno.test("inputGradientAt and rowCosines", () => {
  const rng = new Rng(3);
  const net = randomNetwork(rng, { d: 5, m: 7 });
  const x = rng.normalArray(5);
  assert.deepEqual([...inputGradientAt(net, x)], [
    ...referenceGradient(net, x),
  ]);
  assert.throws(() => inputGradientAt(net, [1, 2]), /length 2/);
  const rows = new Float64Array([3, 0, 0, 4, 1, 1]);
  const cos = rowCosines(rows, [0, 1]);
  assert.equal(cos[0], 0);
  assert.equal(cos[1], 1);
  assert.ok(Math.abs(cos[2] - Math.SQRT1_2) < 1e-15);
  assert.deepEqual(rowCosines([3, 4], [3, 4]), [1]);
  assert.throws(() => rowCosines([1, 2, 3], [1, 0]), /multiple/);
});

Deno.test("clusterCoverage: per-cluster neurons cover every cluster, averaging ones none", () => {
  const d = 4;
  const model = {
    d,
    k: 4,
    clusterMeans: new Float64Array([
      ...[2, 0, 0, 0],
      ...[0, 2, 0, 0],
      ...[0, 0, 2, 0],
      ...[0, 0, 0, 2],
    ]),
    clusterLabels: new Int8Array([1, 1, -1, -1]),
  };
  const perCluster = {
    d,
    m: 4,
    w: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    b: [0, 0, 0, 0],
    v: [1, 1, -1, -1],
  };
  const options = { significance: 0.1, alignment: 0.9 };
  const one = clusterCoverage(neuronVotes(perCluster), model, options);
  assert.equal(one.covered, 4);
  assert.deepEqual(one.clusters, [0, 1, 2, 3]);
  // A neuron on the wrong side of its cluster's label covers nothing.
  const flipped = { ...perCluster, v: [-1, 1, -1, -1] };
  assert.equal(
    clusterCoverage(neuronVotes(flipped), model, options).covered,
    3,
  );
  const averaging = {
    d,
    m: 2,
    w: [1, 1, 0, 0, 0, 0, 1, 1],
    b: [0, 0],
    v: [1, -1],
  };
  const avg = clusterCoverage(neuronVotes(averaging), model, options);
  assert.equal(avg.covered, 0);
  avg.cosines.forEach((c) => assert.ok(Math.abs(c - Math.SQRT1_2) < 1e-12));
});

Deno.test("inputGradientAt honours the power (against the fixture's gradient)", () => {
  const rng = new Rng(44);
  for (const power of [2, 3, 1.5]) {
    const net = { ...randomNetwork(rng, { d: 5, m: 7 }), power };
    for (let trial = 0; trial < 10; trial++) {
      const x = rng.normalArray(5);
      const got = inputGradientAt(net, x), want = referenceGradient(net, x);
      for (let t = 0; t < 5; t++) {
        assert.ok(
          Math.abs(got[t] - want[t]) <= 1e-12 * (1 + Math.abs(want[t])),
        );
      }
    }
  }
});
