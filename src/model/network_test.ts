import assert from "node:assert/strict";
import { initBackend } from "../backend/backends.ts";
import {
  initialWeights,
  inputGradients,
  networkOutputs,
  neuronBalance,
  parameterGradients,
  parameterNormSquared,
  transposeRows,
} from "./network.ts";
import { networkOutput } from "./forward.ts";
import { Rng } from "./rng.ts";

await initBackend("cpu");

function output(w: ReturnType<typeof initialWeights>, x: Float32Array): number {
  let s = 0;
  for (let r = 0; r < w.m; r++) {
    let z = w.b[r];
    for (let t = 0; t < w.d; t++) z += w.w[r * w.d + t] * x[t];
    s += w.v[r] * Math.max(z, 0);
  }
  return s;
}

Deno.test("network", async (t) => {
  const rng = new Rng(11);
  const d = 5, m = 4, n = 3;
  const weights = initialWeights(rng, { d, m, initScale: 1 });
  const x = Float32Array.from(rng.normalArray(n * d));

  await t.step("outputs match a direct evaluation", () => {
    const out = networkOutputs(weights, x);
    for (let i = 0; i < n; i++) {
      assert.ok(
        Math.abs(out[i] - output(weights, x.subarray(i * d, (i + 1) * d))) <
          1e-5,
      );
    }
  });

  await t.step("θ-gradient and input gradient match finite differences", () => {
    const h = 1e-3;
    const grads = parameterGradients(weights, x);
    const p = m * d + 2 * m;
    const all = [weights.w, weights.b, weights.v];
    for (let i = 0; i < n; i++) {
      const xi = x.slice(i * d, (i + 1) * d);
      let offset = 0;
      for (const arr of all) {
        for (let j = 0; j < arr.length; j++) {
          const keep = arr[j];
          arr[j] = keep + h;
          const up = output(weights, xi);
          arr[j] = keep - h;
          const down = output(weights, xi);
          arr[j] = keep;
          assert.ok(
            Math.abs((up - down) / (2 * h) - grads[i * p + offset + j]) < 1e-2,
          );
        }
        offset += arr.length;
      }
    }
    const gx = inputGradients(weights, x);
    for (let i = 0; i < n; i++) {
      for (let t2 = 0; t2 < d; t2++) {
        const xi = x.slice(i * d, (i + 1) * d);
        xi[t2] += h;
        const up = output(weights, xi);
        xi[t2] -= 2 * h;
        const down = output(weights, xi);
        assert.ok(Math.abs((up - down) / (2 * h) - gx[i * d + t2]) < 1e-2);
      }
    }
  });

  await t.step("2-homogeneity: ⟨θ, ∇θN⟩ = 2N", () => {
    const grads = parameterGradients(weights, x);
    const out = networkOutputs(weights, x);
    const theta = [...weights.w, ...weights.b, ...weights.v];
    const p = theta.length;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += theta[j] * grads[i * p + j];
      assert.ok(Math.abs(s - 2 * out[i]) < 1e-4);
    }
  });

  await t.step("norms, balance and transpose", () => {
    const balance = neuronBalance(weights);
    let total = 0;
    for (let r = 0; r < m; r++) {
      let w2 = 0;
      for (let t2 = 0; t2 < d; t2++) w2 += weights.w[r * d + t2] ** 2;
      total += w2 + weights.b[r] ** 2 + weights.v[r] ** 2;
      assert.ok(
        Math.abs(balance[r] - (weights.v[r] ** 2 - w2 - weights.b[r] ** 2)) <
          1e-9,
      );
    }
    assert.ok(Math.abs(parameterNormSquared(weights) - total) < 1e-9);
    assert.deepEqual([...transposeRows([1, 2, 3, 4, 5, 6], 2)], [
      1,
      4,
      2,
      5,
      3,
      6,
    ]);
    assert.throws(
      () => initialWeights(rng, { d: 2, m: 2, initScale: 0 }),
      RangeError,
    );
    assert.throws(() => transposeRows([1, 2, 3], 2), RangeError);
    assert.throws(
      () => networkOutputs(weights, x.subarray(1)),
      /multiple of d/,
    );
  });
});

Deno.test("networkOutputs honours the power; the ReLU-only functions throw for p ≠ 1", () => {
  const rng = new Rng(12);
  const d = 6, m = 5, n = 4;
  const relu = initialWeights(rng, { d, m, initScale: 1 });
  const x = Float32Array.from(rng.normalArray(n * d));
  assert.deepEqual(
    networkOutputs({ ...relu, power: 1 }, x),
    networkOutputs(relu, x),
  );
  for (const power of [2, 3]) {
    const weights = { ...relu, power };
    const out = networkOutputs(weights, x);
    for (let i = 0; i < n; i++) {
      const xi = x.subarray(i * d, (i + 1) * d);
      const exact = networkOutput(weights, xi);
      // float32 pre-activations: relative error ~1e-7 of the terms.
      assert.ok(Math.abs(out[i] - exact) < 1e-5 * (1 + Math.abs(exact)));
    }
    assert.throws(() => inputGradients(weights, x), /inputGradients/);
    assert.throws(() => parameterGradients(weights, x), /parameterGradients/);
    assert.throws(() => neuronBalance(weights), /neuronBalance/);
  }
});
