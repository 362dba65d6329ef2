import assert from "node:assert/strict";
import { defaultInstance, drawInstance, MEANS_KINDS } from "./instance.ts";
import { clusterModel, sampleClusters } from "./data.ts";
import { initialWeights } from "./network.ts";
import { Rng } from "./rng.ts";

const params = { ...defaultInstance, d: 40, k: 4, n: 20, m: 8, nTest: 10 };

Deno.test("drawInstance", async (t) => {
  await t.step("the same seed replays the same instance", () => {
    const a = drawInstance(9, params), b = drawInstance(9, params);
    assert.deepEqual(a.train.x, b.train.x);
    assert.deepEqual(a.test.y, b.test.y);
    assert.deepEqual(a.init.w, b.init.w);
    assert.equal(a.rng.uniform(), b.rng.uniform());
    assert.notDeepEqual(drawInstance(10, params).train.x, a.train.x);
  });

  await t.step(
    "draws means, training set, test set, initialization in order",
    () => {
      const rng = new Rng(9);
      const model = clusterModel(rng, { d: 40, k: 4 });
      const train = sampleClusters(rng, { model, n: 20 });
      const test = sampleClusters(rng, { model, n: 10 });
      const init = initialWeights(rng, params);
      const instance = drawInstance(9, params);
      assert.deepEqual(instance.model.clusterMeans, model.clusterMeans);
      assert.deepEqual(instance.train.x, train.x);
      assert.deepEqual(instance.test.x, test.x);
      assert.deepEqual(instance.init.v, init.v);
      assert.equal(instance.rng.uniform(), rng.uniform());
    },
  );

  await t.step("the defaults are a valid instance", () => {
    assert.ok(MEANS_KINDS.includes(defaultInstance.means));
    assert.ok(defaultInstance.d >= defaultInstance.k);
  });
});
