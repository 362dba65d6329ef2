import assert from "node:assert/strict";
import { inactivePoints } from "./multiclass.ts";
import { oneLabelPerClusterNetwork } from "./one_label_network.ts";
import { margin } from "../../fixtures/multiclass_nets.ts";
import { defaultInstance, drawInstance } from "../model/instance.ts";
import { initBackend } from "../backend/backends.ts";

await initBackend("cpu");

Deno.test("oneLabelPerClusterNetwork: trains on the clusters, the induced classifier fits, brackets are sound", () => {
  const params = { ...defaultInstance, d: 60, k: 4, n: 24, m: 12, nTest: 6 };
  const instance = drawInstance(3, params);
  const net = oneLabelPerClusterNetwork(instance, { points: instance.test });
  assert.ok(net.flow.separatedAtStep >= 0, net.flow.status);
  const labels = Array.from(instance.model.clusterLabels);
  const { train } = instance;
  for (let i = 0; i < train.n; i++) {
    const x = train.x.subarray(i * params.d, (i + 1) * params.d);
    assert.ok(margin(net.weights, { x, label: train.y[i], labels }) > 0);
  }
  assert.equal(inactivePoints(net.weights, train.x), 0);
  assert.equal(net.brackets.length, params.nTest);
  assert.equal(net.violations, 0);
  for (const b of net.brackets) assert.ok(b.certified <= b.attack);
  // Replayable: the same instance seed gives the same network.
  const again = oneLabelPerClusterNetwork(drawInstance(3, params), {
    points: instance.test,
  });
  assert.deepEqual([...again.weights.v], [...net.weights.v]);
  assert.deepEqual(again.brackets, net.brackets);
});
