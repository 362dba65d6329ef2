import assert from "node:assert/strict";
import {
  classMeanSum,
  clusterLabels,
  clusterModel,
  clustersSeen,
  correlationBound,
  sampleClusters,
  signedMeanSum,
} from "./data.ts";
import { Rng } from "./rng.ts";

/** The norms of the rows of a row-major matrix with rows of length d. */
function norms(means: Float64Array, d: number): number[] {
  return Array.from({ length: means.length / d }, (_, j) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += means[j * d + t] ** 2;
    return Math.sqrt(s);
  });
}

Deno.test("clusterModel", async (t) => {
  await t.step("orthogonal means: norm √d, ρ = 0, both labels", () => {
    const m = clusterModel(new Rng(1), { d: 64, k: 7 });
    for (const n of norms(m.clusterMeans, 64)) {
      assert.ok(Math.abs(n - 8) < 1e-12);
    }
    assert.equal(m.rho, 0);
    assert.ok(m.clusterLabels.includes(1) && m.clusterLabels.includes(-1));
  });

  await t.step("gaussian means: norm √d, ρ of order √d", () => {
    const d = 2000, k = 10;
    const m = clusterModel(new Rng(2), { d, k, kind: "gaussian" });
    for (const n of norms(m.clusterMeans, d)) {
      assert.ok(Math.abs(n - Math.sqrt(d)) < 1e-9);
    }
    assert.ok(
      m.rho > 0.5 * Math.sqrt(d) && m.rho < 6 * Math.sqrt(d),
      `rho ${m.rho}`,
    );
    assert.equal(m.rho, correlationBound(m.clusterMeans, d));
    assert.throws(() => correlationBound(m.clusterMeans, d + 1), /multiple/);
  });

  await t.step("correlated means: ⟨μ_i, μ_j⟩ = c·d", () => {
    const d = 100;
    const m = clusterModel(new Rng(3), {
      d,
      k: 4,
      kind: "correlated",
      correlation: 0.9,
    });
    assert.ok(Math.abs(m.rho - 90) < 1e-9);
    for (const n of norms(m.clusterMeans, d)) {
      assert.ok(Math.abs(n - 10) < 1e-12);
    }
  });

  await t.step("bad input throws a clear RangeError", () => {
    assert.throws(
      () => clusterModel(new Rng(1), { d: 3, k: 5 }),
      /d must be an integer ≥ k/,
    );
    assert.throws(() => clusterModel(new Rng(1), { d: 10, k: 1 }), /k must be/);
    assert.throws(
      () =>
        clusterModel(new Rng(1), {
          d: 10,
          k: 2,
          kind: "correlated",
          correlation: 1,
        }),
      /correlation/,
    );
  });

  await t.step("labels are balanced", () => {
    const labels = clusterLabels(new Rng(5), 9);
    assert.equal(labels.filter((y) => y === 1).length, 5);
  });
});

Deno.test("sampleClusters", async (t) => {
  const d = 400, k = 5;
  const model = clusterModel(new Rng(6), { d, k });
  const sample = sampleClusters(new Rng(7), { model, n: 300 });

  await t.step(
    "x = μ_j + ξ with ξ ~ N(0, I): ‖x - μ_j‖² ≈ d, label y_j",
    () => {
      for (let i = 0; i < sample.n; i++) {
        const j = sample.cluster[i];
        assert.equal(sample.y[i], model.clusterLabels[j]);
        let s = 0;
        for (let t = 0; t < d; t++) {
          s += (sample.x[i * d + t] - model.clusterMeans[j * d + t]) ** 2;
        }
        assert.ok(Math.abs(s / d - 1) < 0.3, `noise norm² / d = ${s / d}`);
      }
      assert.equal(clustersSeen(sample, k), k);
    },
  );

  await t.step("same seed, same sample", () => {
    const again = sampleClusters(new Rng(7), { model, n: 300 });
    assert.deepEqual(again.x, sample.x);
  });

  await t.step("signed and class sums", () => {
    const s = signedMeanSum(model);
    const up = classMeanSum(model, 1), down = classMeanSum(model, -1);
    for (let t = 0; t < d; t++) {
      assert.ok(Math.abs(s[t] - (up[t] - down[t])) < 1e-12);
    }
  });

  await t.step("n must be a positive integer", () => {
    assert.throws(
      () => sampleClusters(new Rng(1), { model, n: 0 }),
      RangeError,
    );
  });
});
