import assert from "node:assert/strict";
import {
  batchPreActivations,
  buildQ,
  gradientGram,
  gramMatrix,
  kktResidual,
  solveNonNegative,
} from "./kkt.ts";
import { approximateKkt } from "./approximate_kkt.ts";
import { Rng } from "../model/rng.ts";
import { type NetworkWeights } from "../model/weights.ts";
import { randomNetwork } from "../../fixtures/random_network.ts";

/** Explicit ∇_θ N(x_i; θ) rows (n × (m·d + 2m)), ordered (W, b, v). */
function gradientRows(p: NetworkWeights, x: ArrayLike<number>): Float64Array[] {
  const { w, b, v, m, d } = p;
  const n = x.length / d;
  const rows: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const g = new Float64Array(m * d + 2 * m);
    for (let r = 0; r < m; r++) {
      let z = b[r];
      for (let k = 0; k < d; k++) z += w[r * d + k] * x[i * d + k];
      const s = z > 0 ? 1 : 0;
      for (let k = 0; k < d; k++) g[r * d + k] = v[r] * s * x[i * d + k];
      g[m * d + r] = v[r] * s;
      g[m * d + m + r] = Math.max(0, z);
    }
    rows.push(g);
  }
  return rows;
}

/** N(x_i; θ) for every i. */
function outputs(p: NetworkWeights, x: ArrayLike<number>): number[] {
  const n = x.length / p.d;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let r = 0; r < p.m; r++) {
      let z = p.b[r];
      for (let k = 0; k < p.d; k++) z += p.w[r * p.d + k] * x[i * p.d + k];
      s += p.v[r] * Math.max(0, z);
    }
    out.push(s);
  }
  return out;
}

/** θ flattened as (W, b, v). */
function flatten(p: NetworkWeights): Float64Array {
  return Float64Array.from([
    ...Array.from(p.w),
    ...Array.from(p.b),
    ...Array.from(p.v),
  ]);
}

/** c·θ. */
function scaled(p: NetworkWeights, c: number): NetworkWeights {
  return {
    w: Array.from(p.w, (t) => c * t),
    b: Array.from(p.b, (t) => c * t),
    v: Array.from(p.v, (t) => c * t),
    d: p.d,
    m: p.m,
  };
}

/**
 * A hand-made KKT point of (P) in d = 2. Point i ∈ {0, 1} has its own neuron
 * aligned with x̃_i = (x_i, 1): (w, b) = |v| x̃_i/‖x̃_i‖, v = ±‖x̃_i‖^{-1/2}, so
 * y_i N(x_i) = 1 and λ_i = 1/‖x̃_i‖; each neuron is inactive on the other
 * point (⟨x̃_0, x̃_1⟩ < 0). Point 2 has margin 1.5 (λ_2 = 0) and neuron 2 is
 * dead (θ_r = 0 satisfies the KKT equations trivially).
 */
function handMadeKkt() {
  const x = [2, 1, -2, 0.5, 4, 0];
  const y = [1, -1, 1];
  const w: number[] = [], b: number[] = [], v: number[] = [];
  const lambda: number[] = [];
  for (let i = 0; i < 2; i++) {
    const tilde = [x[2 * i], x[2 * i + 1], 1];
    const norm = Math.hypot(...tilde);
    const a = norm ** -0.5;
    w.push(a * tilde[0] / norm, a * tilde[1] / norm);
    b.push(a / norm);
    v.push(y[i] * a);
    lambda.push(1 / norm);
  }
  w.push(0, 0);
  b.push(0);
  v.push(0);
  lambda.push(0);
  return { params: { w, b, v, d: 2, m: 3 }, x, y, n: 3, lambda };
}

Deno.test("gramMatrix equals X·Xᵀ", () => {
  const rng = new Rng(1);
  const n = 4, d = 7;
  const x = rng.normalArray(n * d);
  const g = gramMatrix(x, d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += x[i * d + k] * x[j * d + k];
      assert.ok(Math.abs(g[i * n + j] - s) < 1e-12);
    }
  }
  assert.throws(() => gramMatrix(x.subarray(1), d), RangeError);
});

Deno.test("a hand-made KKT point has residual 0", async (t) => {
  const { params, x, y, n, lambda } = handMadeKkt();
  const margins = outputs(params, x).map((o, i) => y[i] * o);
  assert.ok(
    Math.abs(margins[0] - 1) < 1e-14 && Math.abs(margins[1] - 1) < 1e-14,
  );
  assert.ok(Math.abs(margins[2] - 1.5) < 1e-14);

  for (const penalty of [0, 1, Infinity]) {
    await t.step(`penalty ${penalty}`, () => {
      const report = kktResidual(params, { x, y }, { penalty });
      assert.ok(report.residual < 1e-8, `residual ${report.residual}`);
      assert.ok(Math.abs(report.normRatio - 1) < 1e-10);
      assert.ok(report.neuronImbalance < 1e-12);
      assert.ok(Math.abs(report.minMargin - 1) < 1e-14);
      assert.equal(report.supportSize, 2);
      assert.ok(report.converged);
      for (let i = 0; i < n; i++) {
        assert.ok(Math.abs(report.lambda[i] - lambda[i]) < 1e-10);
      }
    });
  }

  await t.step("also after scaling by 3 (margins 9)", () => {
    const report = kktResidual(scaled(params, 3), { x, y });
    assert.ok(report.residual < 1e-8);
    assert.ok(Math.abs(report.minMargin - 9) < 1e-12);
    assert.ok(Math.abs(report.normRatio - 1) < 1e-10);
  });

  await t.step(
    "a duplicated support point (singular Q) changes nothing",
    () => {
      const report = kktResidual(params, {
        x: [...x, x[0], x[1]],
        y: [...y, y[0]],
      });
      assert.ok(report.residual < 1e-8 && report.converged);
      assert.ok(Math.abs(report.normRatio - 1) < 1e-10);
      assert.ok(
        Math.abs(report.lambda[0] + report.lambda[3] - lambda[0]) < 1e-10,
      );
    },
  );

  await t.step(
    "a perturbed KKT point has a small but non-zero residual",
    () => {
      const bent = {
        ...params,
        w: params.w.map((t, k) => (k === 1 ? t + 1e-3 : t)),
      };
      const report = kktResidual(bent, { x, y });
      assert.ok(
        report.residual > 1e-5 && report.residual < 1e-2,
        `residual ${report.residual}`,
      );
    },
  );
});

Deno.test("gradientGram matches explicit gradients and finite differences", () => {
  const rng = new Rng(7);
  const n = 5, m = 3, d = 4;
  const params = randomNetwork(rng, { d, m });
  const x = rng.normalArray(n * d);
  const y = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1));
  const rows = gradientRows(params, x);
  const q = gradientGram(params, { x, y });
  const qWithGram = gradientGram(params, { x, y }, { gram: gramMatrix(x, d) });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < rows[i].length; k++) s += rows[i][k] * rows[j][k];
      const expected = y[i] * y[j] * s;
      assert.ok(
        Math.abs(q[i * n + j] - expected) < 1e-10 * (1 + Math.abs(expected)),
      );
      assert.equal(q[i * n + j], qWithGram[i * n + j]);
    }
  }
  // The explicit gradient against central finite differences of N.
  const theta = flatten(params);
  const unflatten = (t: Float64Array): NetworkWeights => ({
    w: t.subarray(0, m * d),
    b: t.subarray(m * d, m * d + m),
    v: t.subarray(m * d + m),
    d,
    m,
  });
  const h = 1e-6;
  for (let k = 0; k < theta.length; k++) {
    const plus = Float64Array.from(theta), minus = Float64Array.from(theta);
    plus[k] += h;
    minus[k] -= h;
    const op = outputs(unflatten(plus), x),
      om = outputs(unflatten(minus), x);
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs((op[i] - om[i]) / (2 * h) - rows[i][k]) < 1e-6);
    }
  }
});

Deno.test("residual and λ are correct on a random separating network", async (t) => {
  const rng = new Rng(11);
  const n = 12, m = 6, d = 5;
  const params = randomNetwork(rng, { d, m });
  const x = rng.normalArray(n * d);
  const y = outputs(params, x).map((o) => (o > 0 ? 1 : -1)); // θ separates its own labels
  const report = kktResidual(params, { x, y });

  await t.step("not a KKT point: residual > 0.1", () => {
    assert.ok(report.minMargin > 0);
    assert.ok(report.residual > 0.1, `residual ${report.residual}`);
    assert.ok(report.converged);
  });

  await t.step("residual equals the explicit ‖θ̂ - Σλ y ∇N‖/‖θ̂‖", () => {
    const hat = scaled(params, 1 / Math.sqrt(report.minMargin));
    const theta = flatten(hat);
    const rows = gradientRows(hat, x);
    const diff = Float64Array.from(theta);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < diff.length; k++) {
        diff[k] -= report.lambda[i] * y[i] * rows[i][k];
      }
    }
    const norm = Math.hypot(...theta);
    assert.ok(Math.abs(Math.hypot(...diff) / norm - report.residual) < 1e-10);
    assert.ok(
      Math.abs(norm * norm - report.normSquared) < 1e-10 * report.normSquared,
    );
  });

  await t.step("λ satisfies the optimality conditions of its NNLS", () => {
    for (const penalty of [0, 1]) {
      const r = kktResidual(params, { x, y }, { penalty });
      const hat = scaled(params, 1 / Math.sqrt(r.minMargin));
      const q = gradientGram(hat, { x, y });
      const qHat = outputs(hat, x).map((o, i) => y[i] * o);
      let tau = 0;
      for (let i = 0; i < n; i++) tau += q[i * n + i] / n;
      for (let i = 0; i < n; i++) {
        let g = 0;
        for (let j = 0; j < n; j++) g += q[i * n + j] * r.lambda[j];
        if (qHat[i] > 1.1) g += penalty * tau * r.lambda[i];
        const gradient = 2 * g - 4 * qHat[i]; // ∂/∂λ_i of the objective
        assert.ok(r.lambda[i] >= 0);
        if (r.lambda[i] > 0) {
          assert.ok(Math.abs(gradient) < 1e-7, `∂_${i} = ${gradient}`);
        } else assert.ok(gradient > -1e-7, `∂_${i} = ${gradient}`);
      }
    }
  });

  await t.step("solver stages and a precomputed gram agree", () => {
    // Long coordinate descent, and the active-set stage from λ = 0 alone.
    for (
      const options of [{ iterations: 100000, tolerance: 1e-13 }, {
        iterations: 0,
      }]
    ) {
      const other = kktResidual(params, { x, y }, options);
      assert.ok(other.converged);
      assert.ok(Math.abs(other.residual - report.residual) < 1e-8);
      for (let i = 0; i < n; i++) {
        assert.ok(Math.abs(other.lambda[i] - report.lambda[i]) < 1e-8);
      }
    }
    const withGram = kktResidual(params, { x, y }, {
      gram: gramMatrix(x, d),
    });
    assert.deepEqual(withGram, report);
  });
});

Deno.test("negative minimum margin gives residual Infinity", () => {
  const rng = new Rng(3);
  const n = 6, m = 4, d = 3;
  const params = randomNetwork(rng, { d, m });
  const x = rng.normalArray(n * d);
  const y = outputs(params, x).map((o): number => (o > 0 ? 1 : -1));
  y[0] = -y[0];
  const report = kktResidual(params, { x, y });
  assert.equal(report.residual, Infinity);
  assert.ok(report.minMargin < 0);
  assert.ok(Number.isNaN(report.normRatio) && Number.isNaN(report.normSquared));
  assert.ok(
    Number.isNaN(report.twiceLambdaSum) && Number.isNaN(report.supportSize),
  );
  assert.ok(report.lambda.every(Number.isNaN));
  assert.equal(report.converged, false);
  assert.ok(Number.isFinite(report.neuronImbalance));
});

Deno.test("kktResidual is invariant under θ → cθ", () => {
  const rng = new Rng(5);
  const n = 10, m = 8, d = 6;
  const params = randomNetwork(rng, { d, m });
  const x = rng.normalArray(n * d);
  const y = outputs(params, x).map((o) => (o > 0 ? 1 : -1));
  const base = kktResidual(params, { x, y });
  for (const c of [0.01, 3.7, 250]) {
    const other = kktResidual(scaled(params, c), { x, y });
    const close = (a: number, b: number) =>
      Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
    assert.ok(close(other.residual, base.residual));
    assert.ok(close(other.normSquared, base.normSquared));
    assert.ok(close(other.normRatio, base.normRatio));
    assert.ok(close(other.neuronImbalance, base.neuronImbalance));
    assert.ok(close(other.minMargin, c * c * base.minMargin));
    assert.equal(other.supportSize, base.supportSize);
    for (let i = 0; i < n; i++) {
      assert.ok(close(other.lambda[i], base.lambda[i]));
    }
  }
});

Deno.test("shape errors are reported", () => {
  const params = { w: [1, 2], b: [0], v: [1], d: 2, m: 1 };
  assert.throws(
    () => kktResidual(params, { x: [1, 2, 3], y: [1] }),
    RangeError,
  );
  assert.throws(
    () => kktResidual(params, { x: [1, 2], y: [1, 1] }),
    RangeError,
  );
  assert.throws(
    () => kktResidual({ ...params, m: 2 }, { x: [1, 2], y: [1] }),
    RangeError,
  );
});

Deno.test("solveNonNegative: a warm start reaches the same multipliers", () => {
  const rng = new Rng(21);
  const n = 12;
  const g = rng.normalArray(n * 30);
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < 30; t++) s += g[i * 30 + t] * g[j * 30 + t];
      h[i * n + j] = s;
    }
  }
  const rhs = rng.normalArray(n);
  const cold = solveNonNegative(h, rhs, { iterations: 500, tolerance: 1e-12 });
  const start = cold.lambda.map((l, i) => l + (i % 3 === 0 ? 0.3 : 0));
  const warm = solveNonNegative(h, rhs, {
    iterations: 500,
    tolerance: 1e-12,
    start,
  });
  assert.ok(cold.converged && warm.converged);
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(warm.lambda[i] - cold.lambda[i]) < 1e-9);
  }
});

Deno.test("buildQ: explicit activations 1[z > 0] give the default Q", () => {
  const rng = new Rng(22);
  const net = randomNetwork(rng, { d: 4, m: 5 });
  const x = rng.normalArray(6 * 4);
  const y = [1, -1, 1, 1, -1, -1];
  const z = batchPreActivations(net, x);
  const gram = gramMatrix(x, 4);
  const inputs = { v: net.v, y, gram, scale: 1.3 };
  const activations = z.map((t) => (t > 0 ? 1 : 0));
  assert.deepEqual(buildQ(z, { ...inputs, activations }), buildQ(z, inputs));
  assert.deepEqual(
    buildQ(z, { ...inputs, scale: 1 }),
    gradientGram(net, { x, y }),
  );
});

Deno.test("the KKT measurements refuse a power p ≠ 1", () => {
  const net = { ...randomNetwork(new Rng(6), { d: 3, m: 2 }), power: 2 };
  const points = { x: [1, 0, 0, 0, 1, 0], y: [1, -1] };
  assert.throws(() => kktResidual(net, points), /kktResidual/);
  assert.throws(() => gradientGram(net, points), /gradientGram/);
  assert.throws(() => approximateKkt(net, points), /approximateKkt/);
});
