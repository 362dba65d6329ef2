import assert from "node:assert/strict";
import {
  certifiedRadius,
  certifiedRadiusAt,
  robustNetwork,
} from "./certified_radius.ts";
import {
  flipRadiusAlong,
  networkOutput,
  preActivations,
} from "./flip_radius.ts";
import { Rng } from "../model/rng.ts";
import { randomNetwork } from "../../fixtures/random_network.ts";
import { type NetworkWeights } from "../model/weights.ts";

function rowNorms(net: NetworkWeights): Float64Array {
  const out = new Float64Array(net.m);
  for (let r = 0; r < net.m; r++) {
    let s = 0;
    for (let i = 0; i < net.d; i++) s += net.w[r * net.d + i] ** 2;
    out[r] = Math.sqrt(s);
  }
  return out;
}

/** The interval lower bound g(ε), straight from its definition. */
function lowerBound(
  a: ArrayLike<number>,
  n: ArrayLike<number>,
  v: ArrayLike<number>,
  y: number,
  eps: number,
): number {
  let g = 0;
  for (let r = 0; r < a.length; r++) {
    const q = y * v[r];
    if (q > 0) g += q * Math.max(0, a[r] - n[r] * eps);
    else if (q < 0) g += q * Math.max(0, a[r] + n[r] * eps);
  }
  return g;
}

/** ∇N(x) = Σ_{active r} v_r w_r (zero if no neuron is active). */
function gradient(net: NetworkWeights, x: ArrayLike<number>): Float64Array {
  const a = preActivations(net, x);
  const g = new Float64Array(net.d);
  for (let r = 0; r < net.m; r++) {
    if (a[r] > 0) {
      for (let i = 0; i < net.d; i++) g[i] += net.v[r] * net.w[r * net.d + i];
    }
  }
  return g;
}

function unitRandom(rng: Rng, d: number): Float64Array {
  for (;;) {
    const u = rng.normalArray(d);
    const norm = Math.hypot(...u);
    if (norm > 1e-12) return u.map((ui) => ui / norm);
  }
}

/** Orthogonal means μ_j = √d e_j, row-major k×d. */
function orthogonalMeans(d: number, k: number): Float64Array {
  const means = new Float64Array(k * d);
  for (let j = 0; j < k; j++) means[j * d + j] = Math.sqrt(d);
  return means;
}

Deno.test("certifiedRadius is the exact first zero of g (grid scan plus bisection)", () => {
  const rng = new Rng(77n);
  let positive = 0;
  for (let trial = 0; trial < 800; trial++) {
    const m = 1 + rng.int(8), d = 1 + rng.int(4);
    const net = randomNetwork(rng, d, m);
    const x = rng.normalArray(d);
    const y = rng.uniform() < 0.5 ? 1 : -1;
    const a = preActivations(net, x), n = rowNorms(net);
    const eps = certifiedRadius(a, n, net.v, y);
    assert.equal(certifiedRadiusAt(net, x, y), eps);
    const g = (e: number) => lowerBound(a, n, net.v, y, e);
    let lastKink = 0;
    for (let r = 0; r < m; r++) {
      lastKink = Math.max(lastKink, Math.abs(a[r]) / n[r]);
    }
    const T = 1.5 * lastKink + 1;
    // Brute force: first grid point with g ≤ 0, bisected; past T g is linear.
    let brute = Infinity;
    if (g(0) <= 0) brute = 0;
    else {
      const steps = 4000;
      for (let i = 1; i <= steps && brute === Infinity; i++) {
        const t = (T * i) / steps;
        if (g(t) <= 0) {
          let lo = (T * (i - 1)) / steps, hi = t;
          for (let it = 0; it < 80; it++) {
            const mid = (lo + hi) / 2;
            if (g(mid) <= 0) hi = mid;
            else lo = mid;
          }
          brute = hi;
        }
      }
      const tailSlope = g(T + 1) - g(T);
      if (brute === Infinity && tailSlope < 0) brute = T + g(T) / -tailSlope;
    }
    if (brute === Infinity) assert.equal(eps, Infinity, `trial ${trial}`);
    else {
      assert.ok(
        Math.abs(eps - brute) <= 1e-6 * Math.max(1, brute),
        `trial ${trial}: certified ${eps} vs brute ${brute}`,
      );
    }
    if (eps > 0) positive++;
  }
  assert.ok(positive > 300, `only ${positive} positive radii`);
});

Deno.test("certified radius is sound against attacks on small random networks", () => {
  const rng = new Rng(2023n);
  let checked = 0, tightest = Infinity;
  for (let trial = 0; trial < 300; trial++) {
    const m = 1 + rng.int(8), d = 1 + rng.int(4);
    const net = randomNetwork(rng, d, m);
    const x = rng.normalArray(d);
    const out = networkOutput(net, x);
    if (out === 0) continue;
    const y = out > 0 ? 1 : -1;
    const eps = certifiedRadiusAt(net, x, y);
    assert.ok(eps > 0, `trial ${trial}: correctly classified but ε* = 0`);
    assert.equal(certifiedRadiusAt(net, x, -y), 0);
    checked++;
    const attack = (u: ArrayLike<number>, what: string) => {
      const r = flipRadiusAlong(net, x, u, y);
      assert.ok(
        r >= eps * (1 - 1e-9),
        `trial ${trial}: ${what} flips at ${r} < certified ${eps}`,
      );
      tightest = Math.min(tightest, r / eps);
    };
    for (let k = 0; k < 40; k++) attack(unitRandom(rng, d), "random direction");
    const grad = gradient(net, x);
    if (grad.some((gi) => gi !== 0)) {
      attack(grad.map((gi) => -y * gi), "-y∇N");
      attack(grad.map((gi) => -y * Math.sign(gi)), "-y sign(∇N)");
    }
    // Sampling inside the ball of radius 0.999 ε* (and on its sphere).
    const radius = 0.999 * Math.min(eps, 100);
    for (let k = 0; k < 200; k++) {
      const u = unitRandom(rng, d);
      const rho = k < 50 ? radius : radius * rng.uniform() ** (1 / d);
      const z = x.map((xi, i) => xi + rho * u[i]);
      assert.ok(
        y * networkOutput(net, z) > 0,
        `trial ${trial}: sign flipped at ‖z‖ = ${rho} < ε* = ${eps}`,
      );
    }
  }
  assert.ok(checked > 250, `only ${checked} points checked`);
  // The attacks come close to the bound somewhere (it is not vacuous).
  assert.ok(tightest < 1.05, `closest attack ${tightest}·ε*`);
});

Deno.test("robust network N* with orthogonal means: ε* = √d/2 at a mean", async (t) => {
  // N*(x) = Σ_j y_j relu(⟨μ_j, x⟩ - d/2), μ_j = √d e_j, at x = μ_j:
  // a_j = d - d/2 = d/2 and a_i = 0 - d/2 = -d/2 (i ≠ j), ‖w_r‖ = √d. With
  // y = y_j, g(ε) = relu(d/2 - √d ε) - Σ_{i≠j, y_i≠y_j} relu(-d/2 + √d ε)
  // (the same-label terms relu(-d/2 - √d ε) vanish). For ε ≤ √d/2 the
  // subtracted terms are 0, so g(ε) = d/2 - √d ε > 0 below √d/2 and
  // g(√d/2) = 0: ε* = √d/2. It is tight: z = -μ_j/2 gives ⟨μ_j, x+z⟩ = d/2,
  // so N*(x + z) = 0.
  const labels = [1, -1, 1, -1, -1];
  const k = labels.length;
  for (const d of [5, 16, 100, 400, 1000]) {
    await t.step(`d = ${d}`, () => {
      const net = robustNetwork(orthogonalMeans(d, k), labels, d, k);
      assert.equal(net.m, k);
      for (let j = 0; j < k; j++) {
        const x = net.w.slice(j * d, (j + 1) * d);
        const y = labels[j];
        assert.equal(Math.sign(networkOutput(net, x)), y);
        const eps = certifiedRadiusAt(net, x, y);
        assert.ok(
          Math.abs(eps - Math.sqrt(d) / 2) <= 1e-12 * Math.sqrt(d),
          `d=${d}, j=${j}: ε* = ${eps}, expected ${Math.sqrt(d) / 2}`,
        );
        assert.equal(certifiedRadiusAt(net, x, -y), 0);
        // Tight: moving towards the origin flips at exactly √d/2.
        const toOrigin = flipRadiusAlong(net, x, x.map((xi) => -xi), y);
        assert.ok(Math.abs(toOrigin - eps) <= 1e-12 * Math.sqrt(d));
        // Towards another mean, N* reaches 0 at the midpoint, √(d/2) away
        // (a sign change for the opposite label, a touch for the same label).
        for (let i = 0; i < k; i++) {
          if (i === j) continue;
          const u = x.map((xi, l) => net.w[i * d + l] - xi);
          const r = flipRadiusAlong(net, x, u, y);
          assert.ok(
            Math.abs(r - Math.sqrt(d / 2)) <= 1e-9 * Math.sqrt(d),
            `d=${d}, ${j}→${i}: flip at ${r}, expected ${Math.sqrt(d / 2)}`,
          );
          assert.ok(r >= eps);
        }
      }
    });
  }
});

Deno.test("robust network N* on noisy points, d = 400: ε*/√d ≈ 0.4–0.5", async (t) => {
  const d = 400, k = 10;
  const labels = Array.from({ length: k }, (_, j) => (j % 2 === 0 ? 1 : -1));
  const rng = new Rng(400n);
  const gaussianMeans = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    const g = rng.normalArray(d);
    const norm = Math.hypot(...g);
    for (let i = 0; i < d; i++) {
      gaussianMeans[j * d + i] = (Math.sqrt(d) * g[i]) / norm;
    }
  }
  for (
    const [name, means] of [
      ["orthogonal", orthogonalMeans(d, k)],
      ["gaussian", gaussianMeans],
    ] as const
  ) {
    await t.step(`${name} means`, () => {
      const net = robustNetwork(means, labels, d, k);
      const ratios: number[] = [];
      for (let trial = 0; trial < 60; trial++) {
        const j = trial % k;
        const xi = rng.normalArray(d);
        const x = xi.map((e, i) => means[j * d + i] + e);
        const y = labels[j];
        const eps = certifiedRadiusAt(net, x, y);
        ratios.push(eps / Math.sqrt(d));
        // Sound against the gradient attack and a few random directions.
        const grad = gradient(net, x);
        const gradFlip = flipRadiusAlong(net, x, grad.map((g) => -y * g), y);
        assert.ok(gradFlip >= eps * (1 - 1e-12), `${gradFlip} < ${eps}`);
        for (let s = 0; s < 5; s++) {
          assert.ok(flipRadiusAlong(net, x, unitRandom(rng, d), y) >= eps);
        }
      }
      ratios.sort((p, q) => p - q);
      const median = (ratios[29] + ratios[30]) / 2;
      assert.ok(median >= 0.4 && median <= 0.5, `${name}: median ${median}`);
      assert.ok(
        ratios[0] > 0.25 && ratios[59] < 0.65,
        `${name}: ${ratios[0]}..${ratios[59]}`,
      );
    });
  }
});

Deno.test("certifiedRadius input checks and robustNetwork shape", () => {
  assert.throws(() => certifiedRadius([1], [1, 1], [1], 1), RangeError);
  assert.throws(() => certifiedRadius([1], [-1], [1], 1), RangeError);
  assert.throws(
    () => robustNetwork(new Float64Array(5), [1, -1], 2, 2),
    RangeError,
  );
  // A neuron with w_r = 0 and no opposing neuron: g ≥ 1 forever.
  assert.equal(certifiedRadius([1, 2], [0, 1], [1, 0.5], 1), Infinity);
  // Two opposing neurons: g(ε) = relu(2 - ε) - relu(-1 + ε) hits 0 at 1.5.
  assert.equal(certifiedRadius([2, -1], [1, 1], [1, -1], 1), 1.5);
  // Label -1 with v = -1: y v = 1 > 0, so g(ε) = relu(1 - 2ε) → 0.5.
  assert.equal(certifiedRadius([1], [2], [-1], -1), 0.5);
  const net = robustNetwork(new Float64Array([1, 2, 3, 4]), [1, -1], 2, 2);
  assert.deepEqual(Array.from(net.b), [-1, -1]);
  assert.deepEqual(Array.from(net.v), [1, -1]);
});
