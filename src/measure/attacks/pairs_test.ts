import assert from "node:assert/strict";
import { initBackend } from "../../backend/backends.ts";
import { clusterModel } from "../../model/data.ts";
import { Rng } from "../../model/rng.ts";
import { robustNetwork } from "../constructions.ts";
import { randomNetwork } from "../../../fixtures/random_network.ts";
import { AttackBatch } from "./batch.ts";
import { checkPairCeilings, coupledPairs } from "./pairs.ts";
import { flipRadii, flipsAlong } from "./verify.ts";

await initBackend("cpu");

Deno.test("coupledPairs: same noise, opposite labels, ceiling ‖μ_i − μ_j‖/2", () => {
  const rng = new Rng(8);
  const model = clusterModel(rng, { d: 60, k: 5, kind: "gaussian" });
  const pairs = coupledPairs(rng, { model, count: 20 });
  assert.equal(pairs.length, 20);
  for (const { first, second, clusters: [i, j], ceiling } of pairs) {
    assert.equal(first.label, model.clusterLabels[i]);
    assert.equal(second.label, model.clusterLabels[j]);
    assert.equal(first.label, -second.label);
    let gap = 0;
    for (let t = 0; t < 60; t++) {
      const noise = first.x[t] - model.clusterMeans[i * 60 + t];
      assert.ok(
        Math.abs(noise - (second.x[t] - model.clusterMeans[j * 60 + t])) <
          1e-12,
      );
      gap += (first.x[t] - second.x[t]) ** 2;
    }
    assert.ok(Math.abs(Math.sqrt(gap) / 2 - ceiling) < 1e-9);
  }
  const again = coupledPairs(new Rng(8), {
    model: clusterModel(new Rng(8), { d: 60, k: 5, kind: "gaussian" }),
    count: 1,
  });
  assert.equal(again.length, 1);
});

Deno.test("the ceiling holds for any classifier: the midpoint flips one of the pair", () => {
  const rng = new Rng(10);
  const d = 30;
  const model = clusterModel(rng, { d, k: 4 });
  const pairs = coupledPairs(rng, { model, count: 16 });
  for (const net of [robustNetwork(model), randomNetwork(rng, { d, m: 25 })]) {
    for (const { first, second, ceiling } of pairs) {
      const batch = new AttackBatch(net, {
        x: [...first.x, ...second.x],
        y: [first.label, second.label],
      });
      const towards = Float64Array.from(first.x, (a, t) => second.x[t] - a);
      const radii = flipRadii(
        flipsAlong(batch, [towards, towards.map((u) => -u)]),
      );
      assert.ok(Math.min(...radii) <= ceiling * (1 + 1e-6));
    }
  }
});

Deno.test("checkPairCeilings: sound certificates pass, a boastful one is caught", () => {
  const rng = new Rng(12);
  const model = clusterModel(rng, { d: 400, k: 6 });
  const pairs = coupledPairs(rng, { model, count: 12 });
  const net = robustNetwork(model);
  const checks = checkPairCeilings(net, { pairs });
  for (const c of checks) {
    assert.equal(c.broken, false);
    // N*'s certificate is about 0.44·√d to 0.5·√d, the ceiling √(d/2).
    assert.ok(Math.max(...c.certified) < c.ceiling);
  }
  const boast = checkPairCeilings(net, {
    pairs,
    certify: (p) => p.label > 0 ? 15 : 14.2, // both above √200 ≈ 14.14
  });
  assert.ok(boast.every((c) => c.broken));
  const oneSided = checkPairCeilings(net, {
    pairs,
    certify: (p) => p.label > 0 ? 100 : 1, // one point alone may exceed it
  });
  assert.ok(oneSided.every((c) => !c.broken));
});
