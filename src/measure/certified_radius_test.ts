import assert from "node:assert/strict";
import {
  CERTIFIED_BISECTION_TOLERANCE,
  certifiedRadii,
  certifiedRadius,
  certifiedRadiusAt,
  type IntervalBound,
} from "./certified_radius.ts";
import { flipRadiusAlong } from "./flip_radius.ts";
import { randomUnitVector } from "./flips.ts";
import {
  networkOutput,
  pointPreActivations,
  rowNorms,
} from "../model/forward.ts";
import { Rng } from "../model/rng.ts";
import {
  inputGradientAt,
  randomNetwork,
} from "../../fixtures/random_network.ts";

/** The interval lower bound g(ε), straight from its definition. */
function lowerBound(
  bound: IntervalBound,
  at: { label: number; eps: number },
): number {
  const { offsets: a, rowNorms: n, outputWeights: v } = bound;
  const { label: y, eps } = at;
  let g = 0;
  for (let r = 0; r < a.length; r++) {
    const q = y * v[r];
    if (q > 0) g += q * Math.max(0, a[r] - n[r] * eps);
    else if (q < 0) g += q * Math.max(0, a[r] + n[r] * eps);
  }
  return g;
}

Deno.test("certifiedRadius is the exact first zero of g (grid scan plus bisection)", () => {
  const rng = new Rng(77n);
  let positive = 0;
  for (let trial = 0; trial < 800; trial++) {
    const m = 1 + rng.int(8), d = 1 + rng.int(4);
    const net = randomNetwork(rng, { d, m });
    const x = rng.normalArray(d);
    const y = rng.uniform() < 0.5 ? 1 : -1;
    const a = pointPreActivations(net, x), n = rowNorms(net);
    const bound = { offsets: a, rowNorms: n, outputWeights: net.v };
    const eps = certifiedRadius(bound, y);
    assert.equal(certifiedRadiusAt(net, { x, label: y }), eps);
    const g = (e: number) => lowerBound(bound, { label: y, eps: e });
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
    const net = randomNetwork(rng, { d, m });
    const x = rng.normalArray(d);
    const out = networkOutput(net, x);
    if (out === 0) continue;
    const y = out > 0 ? 1 : -1;
    const eps = certifiedRadiusAt(net, { x, label: y });
    assert.ok(eps > 0, `trial ${trial}: correctly classified but ε* = 0`);
    assert.equal(certifiedRadiusAt(net, { x, label: -y }), 0);
    checked++;
    const attack = (u: ArrayLike<number>, what: string) => {
      const r = flipRadiusAlong(net, { x, direction: u, label: y });
      assert.ok(
        r >= eps * (1 - 1e-9),
        `trial ${trial}: ${what} flips at ${r} < certified ${eps}`,
      );
      tightest = Math.min(tightest, r / eps);
    };
    for (let k = 0; k < 40; k++) {
      attack(randomUnitVector(rng, d), "random direction");
    }
    const grad = inputGradientAt(net, x);
    if (grad.some((gi) => gi !== 0)) {
      attack(grad.map((gi) => -y * gi), "-y∇N");
      attack(grad.map((gi) => -y * Math.sign(gi)), "-y sign(∇N)");
    }
    // Sampling inside the ball of radius 0.999 ε* (and on its sphere).
    const radius = 0.999 * Math.min(eps, 100);
    for (let k = 0; k < 200; k++) {
      const u = randomUnitVector(rng, d);
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

Deno.test("certifiedRadius input checks and hand-made bounds", () => {
  // Neurons given as [a_r, n_r, v_r].
  const bound = (...terms: [number, number, number][]) => ({
    offsets: terms.map((t) => t[0]),
    rowNorms: terms.map((t) => t[1]),
    outputWeights: terms.map((t) => t[2]),
  });
  assert.throws(
    () =>
      certifiedRadius(
        { offsets: [1], rowNorms: [1, 1], outputWeights: [1] },
        1,
      ),
    RangeError,
  );
  assert.throws(() => certifiedRadius(bound([1, -1, 1]), 1), /row norm/);
  // A neuron with w_r = 0 and no opposing neuron: g ≥ 1 forever.
  assert.equal(certifiedRadius(bound([1, 0, 1], [2, 1, 0.5]), 1), Infinity);
  // Two opposing neurons: g(ε) = relu(2 - ε) - relu(-1 + ε) hits 0 at 1.5.
  assert.equal(certifiedRadius(bound([2, 1, 1], [-1, 1, -1]), 1), 1.5);
  // Label -1 with v = -1: y v = 1 > 0, so g(ε) = relu(1 - 2ε) → 0.5.
  assert.equal(certifiedRadius(bound([1, 2, -1]), -1), 0.5);
});

Deno.test("certifiedRadii is certifiedRadiusAt at every point", () => {
  const rng = new Rng(5n);
  const d = 3, n = 20;
  const net = randomNetwork(rng, { d, m: 6 });
  const x = rng.normalArray(n * d);
  const y = Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : -1));
  const radii = certifiedRadii(net, { x, y });
  assert.equal(radii.length, n);
  for (let i = 0; i < n; i++) {
    const point = x.subarray(i * d, (i + 1) * d);
    assert.equal(radii[i], certifiedRadiusAt(net, { x: point, label: y[i] }));
    if (radii[i] > 0) assert.ok(y[i] * networkOutput(net, point) > 0);
  }
});

/** g(ε) of the interval bound with the power p, straight from its definition. */
function powerLowerBound(
  bound: IntervalBound,
  at: { label: number; eps: number },
): number {
  const { offsets: a, rowNorms: n, outputWeights: v, power = 1 } = bound;
  const { label: y, eps } = at;
  let g = 0;
  for (let r = 0; r < a.length; r++) {
    const q = y * v[r];
    if (q > 0) g += q * Math.max(0, a[r] - n[r] * eps) ** power;
    else if (q < 0) g += q * Math.max(0, a[r] + n[r] * eps) ** power;
  }
  return g;
}

Deno.test("certifiedRadius with a power p ≠ 1: the zero of g from below, to the bisection tolerance", () => {
  const rng = new Rng(78n);
  let positive = 0;
  for (let trial = 0; trial < 900; trial++) {
    const power = [1.5, 2, 3][trial % 3];
    const m = 1 + rng.int(8), d = 1 + rng.int(4);
    const net = randomNetwork(rng, { d, m });
    const x = rng.normalArray(d);
    const y = rng.uniform() < 0.5 ? 1 : -1;
    const bound = {
      offsets: pointPreActivations(net, x),
      rowNorms: rowNorms(net),
      outputWeights: net.v,
      power,
    };
    const eps = certifiedRadius(bound, y);
    const pnet = { ...net, power };
    assert.equal(certifiedRadiusAt(pnet, { x, label: y }), eps);
    const g = (e: number) => powerLowerBound(bound, { label: y, eps: e });
    const context = `trial ${trial} (p=${power})`;
    if (g(0) <= 0) {
      assert.equal(eps, 0, context);
      continue;
    }
    if (eps === Infinity) {
      // g is non-increasing: positive far out means positive everywhere.
      assert.ok(g(1e12) > 0, context);
      continue;
    }
    positive++;
    // A lower bound (g > 0 there) within the tolerance of the zero.
    assert.ok(g(eps) > 0, `${context}: g(${eps}) = ${g(eps)}`);
    const above = eps * (1 + 2 * CERTIFIED_BISECTION_TOLERANCE) + 1e-300;
    assert.ok(g(above) <= 0, `${context}: g(${above}) = ${g(above)} > 0`);
  }
  assert.ok(positive > 250, `only ${positive} positive radii`);
});

Deno.test("certified radius with a power p ≠ 1 is sound against directions and sampling", () => {
  const rng = new Rng(2024n);
  let checked = 0, tightest = Infinity;
  for (let trial = 0; trial < 150; trial++) {
    const power = [2, 3, 1.5][trial % 3];
    const m = 1 + rng.int(8), d = 1 + rng.int(4);
    const net = { ...randomNetwork(rng, { d, m }), power };
    const x = rng.normalArray(d);
    const out = networkOutput(net, x);
    if (out === 0) continue;
    const y = out > 0 ? 1 : -1;
    const eps = certifiedRadiusAt(net, { x, label: y });
    assert.ok(eps > 0, `trial ${trial}: correctly classified but ε* = 0`);
    assert.equal(certifiedRadiusAt(net, { x, label: -y }), 0);
    checked++;
    const attack = (u: ArrayLike<number>, what: string) => {
      const r = flipRadiusAlong(net, { x, direction: u, label: y });
      assert.ok(r >= eps, `trial ${trial}: ${what} flips at ${r} < ${eps}`);
      tightest = Math.min(tightest, r / eps);
    };
    for (let k = 0; k < 40; k++) attack(randomUnitVector(rng, d), "random");
    const grad = inputGradientAt(net, x);
    if (grad.some((gi) => gi !== 0)) attack(grad.map((gi) => -y * gi), "-y∇N");
    const radius = 0.999 * Math.min(eps, 100);
    for (let k = 0; k < 200; k++) {
      const u = randomUnitVector(rng, d);
      const rho = k < 50 ? radius : radius * rng.uniform() ** (1 / d);
      const z = x.map((xi, i) => xi + rho * u[i]);
      assert.ok(
        y * networkOutput(net, z) > 0,
        `trial ${trial}: sign flipped at ‖z‖ = ${rho} < ε* = ${eps}`,
      );
    }
  }
  assert.ok(checked > 120, `only ${checked} points checked`);
  assert.ok(tightest < 1.05, `closest attack ${tightest}·ε*`);
});

Deno.test("certifiedRadius with a power: exact cases", async (t) => {
  await t.step("one neuron, p = 3: a/‖w‖ from below", () => {
    // 2 relu(3x1 + 4x2 − 5)³ at (3, 4): a = 20, ‖w‖ = 5.
    const net = { d: 2, m: 1, w: [3, 4], b: [-5], v: [2], power: 3 };
    const eps = certifiedRadiusAt(net, { x: [3, 4], label: 1 });
    assert.ok(eps <= 4 && eps >= 4 * (1 - 2 * CERTIFIED_BISECTION_TOLERANCE));
  });

  await t.step(
    "one cubic neuron per cluster at a mean: √d/(1 + q^(1/3))",
    () => {
      // Orthonormal u_j (coordinate vectors), means √d·u_j; at μ_0 of label +1
      // with q clusters of label −1: g(ε) = relu(√d − ε)³ − q·relu(ε)³.
      const d = 16;
      for (const q of [1, 2, 3, 7]) {
        const k = q + 2; // cluster 0 and 1 are +1, the q others −1
        const w = new Float64Array(k * d);
        for (let j = 0; j < k; j++) w[j * d + j] = 1;
        const v = Float64Array.from({ length: k }, (_, j) => j < 2 ? 1 : -1);
        const net = { d, m: k, w, b: new Float64Array(k), v, power: 3 };
        const mean = new Float64Array(d);
        mean[0] = Math.sqrt(d);
        const eps = certifiedRadiusAt(net, { x: mean, label: 1 });
        const exact = Math.sqrt(d) / (1 + Math.cbrt(q));
        assert.ok(
          eps <= exact * (1 + 1e-15) && eps >= exact * (1 - 1e-11),
          `q=${q}: ${eps} vs ${exact}`,
        );
      }
    },
  );

  await t.step("constant and silent neurons, Infinity and 0", () => {
    const bound = (power: number, ...terms: [number, number, number][]) => ({
      offsets: terms.map((t) => t[0]),
      rowNorms: terms.map((t) => t[1]),
      outputWeights: terms.map((t) => t[2]),
      power,
    });
    // relu(1)² constant and a vanishing positive neuron: g ≥ 1 for ever.
    assert.equal(
      certifiedRadius(bound(2, [1, 0, 1], [2, 1, 0.5]), 1),
      Infinity,
    );
    // relu(2 − ε)² − relu(−1 + ε)²: zero at ε = 1.5.
    const r = certifiedRadius(bound(2, [2, 1, 1], [-1, 1, -1]), 1);
    assert.ok(r <= 1.5 && r >= 1.5 * (1 - 2 * CERTIFIED_BISECTION_TOLERANCE));
    // A constant positive term against a growing negative one: relu(1)³
    // − relu(−3 + ε)³, zero at ε = 4 (past where no positive term moves).
    const c = certifiedRadius(bound(3, [1, 0, 1], [-3, 1, -1]), 1);
    assert.ok(
      c <= 4 && c >= 4 * (1 - 2 * CERTIFIED_BISECTION_TOLERANCE),
      `${c}`,
    );
    assert.equal(certifiedRadius(bound(2, [1, 1, -1]), 1), 0);
    assert.throws(() => certifiedRadius(bound(0.5, [1, 1, 1]), 1), RangeError);
  });
});
