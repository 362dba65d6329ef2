import assert from "node:assert/strict";
import {
  inducedDecision,
  inducedGradients,
  multiclassVotes,
  pairNetwork,
  readoutNetwork,
  sampleClusterNetwork,
} from "./multiclass.ts";
import {
  labelledPoint,
  randomMulticlass,
} from "../../fixtures/multiclass_nets.ts";
import { inputGradientAt } from "./alignment.ts";
import { networkOutput } from "../model/forward.ts";
import { multiclassOutputs } from "../flow/multiclass.ts";
import { Rng } from "../model/rng.ts";
import { initBackend } from "../backend/backends.ts";

await initBackend("cpu");

Deno.test("pair, readout and votes", () => {
  const net = {
    d: 2,
    m: 2,
    k: 3,
    w: [1, 0, 0, 1],
    b: [0, 0],
    v: [1, 2, 3, -1, 0, 5],
  };
  const pair = pairNetwork(net, { from: 2, to: 0 });
  const x = [0.7, 1.3];
  const f = multiclassOutputs(net, x);
  assert.ok(Math.abs(networkOutput(pair, x) - (f[2] - f[0])) < 1e-15);
  assert.throws(() => pairNetwork(net, { from: 3, to: 0 }), /output 3/);
  const readout = readoutNetwork(net, [1, -1, 1]);
  assert.ok(
    Math.abs(networkOutput(readout, x) - (f[0] - f[1] + f[2])) < 1e-15,
  );
  const votes = multiclassVotes(net, [1, -1, 1]);
  assert.deepEqual(Array.from(votes.outputSquares), [1 + 9, 4 + 1 + 25]);
  // Neuron 0: largest V is output 1 (3), label −1; neuron 1: output 2 (5), label +1.
  assert.deepEqual(Array.from(votes.classes), [-1, 1]);
  assert.throws(() => readoutNetwork(net, [1, -1]), /labels/);
});

Deno.test("inducedDecision", () => {
  const labels = [1, -1, 1, -1];
  assert.deepEqual(inducedDecision([3, 1, 2, 2.5], { labels, label: 1 }), {
    same: 0,
    opposite: 3,
    margin: 0.5,
  });
  assert.deepEqual(inducedDecision([3, 1, 2, 2.5], { labels, label: -1 }), {
    same: 3,
    opposite: 0,
    margin: -0.5,
  });
  assert.throws(
    () => inducedDecision([1, 2], { labels: [1, 1], label: 1 }),
    /both labels/,
  );
});

Deno.test("inducedGradients: y·∇(f_same − f_opposite)", () => {
  const rng = new Rng(2);
  const labels = [1, -1, -1];
  const net = randomMulticlass(rng, { d: 3, m: 4, k: 3 });
  const { x, label } = labelledPoint(rng, net, labels);
  const g = inducedGradients(net, { x, y: [label] }, { labels });
  const { same, opposite } = inducedDecision(multiclassOutputs(net, x), {
    labels,
    label,
  });
  const pair = inputGradientAt(
    pairNetwork(net, { from: same, to: opposite }),
    x,
  );
  assert.deepEqual([...g], [...pair].map((p) => label * p));
});

Deno.test("sampleClusterNetwork: the per-cluster network on the sample's means", () => {
  const train = {
    n: 4,
    d: 2,
    x: new Float32Array([4, 0, 2, 0, 0, 6, 0, 2]),
    cluster: new Int32Array([0, 0, 1, 1]),
  };
  const net = sampleClusterNetwork(train, { k: 3, clusterLabels: [1, -1, 1] });
  assert.equal(net.m, 2); // cluster 2 is absent
  assert.deepEqual([...net.w], [3, 0, 0, 4]);
  assert.deepEqual([...net.v], [1, -1]);
  assert.ok(networkOutput(net, [3, 0]) > 0 && networkOutput(net, [0, 4]) < 0);
});
