import assert from "node:assert/strict";
import { approximateKkt } from "./approximate_kkt.ts";
import { gramMatrix, kktResidual } from "./kkt.ts";
import { Rng } from "../model/rng.ts";
import { type NetworkWeights } from "../model/weights.ts";
import { randomNetwork } from "../../fixtures/random_network.ts";

/**
 * A KKT point of (P) that needs a fractional activation: two points of label
 * +1 in d = 2, x0 = (2, 0) and x1 = (-1, 1) (⟨x̃0, x̃1⟩ = -1 with x̃ = (x, 1)).
 * Neuron A serves x1 alone (λ1 = 1/‖x̃1‖); neuron B is active on x0 and sits
 * exactly on the kink of x1, with (w_B, b_B) = v_B (λ0 x̃0 + λ1 s x̃1) and
 * s = λ0/(3λ1) ≈ 0.27 ∈ (0, 1): with s = 0 (the activation of the instant)
 * the stationarity equations fail.
 */
function kinkKkt(): {
  net: NetworkWeights<Float64Array>;
  points: { x: number[]; y: number[] };
  lambda: [number, number];
  s: number;
} {
  const x0 = [2, 0, 1], x1 = [-1, 1, 1];
  const lambda0 = Math.sqrt(3 / 14), lambda1 = 1 / Math.sqrt(3);
  const s = lambda0 / (3 * lambda1);
  const vB = Math.sqrt(lambda0), vA = Math.sqrt(lambda1);
  const wB = x0.map((a, j) => vB * (lambda0 * a + lambda1 * s * x1[j]));
  const wA = x1.map((a) => vA * lambda1 * a);
  return {
    net: {
      d: 2,
      m: 2,
      w: Float64Array.from([wA[0], wA[1], wB[0], wB[1]]),
      b: Float64Array.from([wA[2], wB[2]]),
      v: Float64Array.from([vA, vB]),
    },
    points: { x: [2, 0, -1, 1], y: [1, 1] },
    lambda: [lambda0, lambda1],
    s,
  };
}

Deno.test("a KKT point on a kink: exact with κ-Clarke activations, not with 1[z > 0]", () => {
  const { net, points, lambda } = kinkKkt();
  const relaxed = approximateKkt(net, points, { kinkRadius: 1e-9 });
  assert.equal(relaxed.kinkPairs, 1);
  assert.equal(relaxed.supportKinkPairs, 1);
  assert.ok(relaxed.residual < 1e-8, `${relaxed.residual}`);
  assert.ok(Math.abs(relaxed.lambda[0] - lambda[0]) < 1e-6);
  assert.ok(Math.abs(relaxed.lambda[1] - lambda[1]) < 1e-6);
  assert.ok(Math.abs(relaxed.normRatio - 1) < 1e-6);
  assert.ok(Math.abs(relaxed.slackness) < 1e-9);
  assert.ok(relaxed.converged);
  // Both neurons at their KKT scale: dual value 1 (B's kink pair has z = 0).
  for (const g of relaxed.neuronDuals) {
    assert.ok(Math.abs(g - 1) < 1e-6, `${g}`);
  }
  // Without the relaxation the instant's activation s = 0 (or 1) is wrong.
  const fixed = approximateKkt(net, points);
  assert.ok(fixed.residual > 0.05, `${fixed.residual}`);
  assert.ok(Math.abs(fixed.residual - fixed.residualFixed) < 1e-12);
  assert.ok(Math.abs(relaxed.residualFixed - fixed.residualFixed) < 1e-12);
});

Deno.test("the instant's residual is kktResidual's plain NNLS, and scale invariant", () => {
  const rng = new Rng(4);
  let checked = 0;
  for (let trial = 0; trial < 20 && checked < 5; trial++) {
    const net = randomNetwork(rng, { d: 6, m: 8 });
    const n = 10;
    const x = rng.normalArray(n * 6);
    // Labels that this network fits, so that the margins are positive.
    const y = Array.from({ length: n }, (_, i) => {
      let out = 0;
      for (let r = 0; r < 8; r++) {
        let z = net.b[r];
        for (let t = 0; t < 6; t++) z += net.w[r * 6 + t] * x[i * 6 + t];
        out += net.v[r] * Math.max(0, z);
      }
      return out >= 0 ? 1 : -1;
    });
    const report = approximateKkt(net, { x, y }, { kinkRadius: 0.05 });
    if (!Number.isFinite(report.residual)) continue;
    checked++;
    const plain = kktResidual(net, { x, y }, { penalty: 0 });
    assert.ok(
      Math.abs(report.residualFixed - plain.residual) < 1e-7,
      `${report.residualFixed} vs ${plain.residual}`,
    );
    // The joint fit can only do better than the instant's activations.
    assert.ok(report.residual <= report.residualFixed + 1e-12);
    assert.ok(report.flowResidual >= report.residualFixed - 1e-9);
    const c = 3.7;
    const scaled = {
      ...net,
      w: net.w.map((t) => c * t),
      b: net.b.map((t) => c * t),
      v: net.v.map((t) => c * t),
    };
    const again = approximateKkt(scaled, { x, y }, {
      kinkRadius: 0.05,
      gram: gramMatrix(x, 6),
    });
    assert.ok(Math.abs(again.residual - report.residual) < 1e-8);
  }
  assert.equal(checked, 5);
});

Deno.test("infeasible networks have an infinite residual", () => {
  const net = { d: 1, m: 1, w: [1], b: [0], v: [1] };
  const report = approximateKkt(net, { x: [1, 2], y: [1, -1] });
  assert.equal(report.residual, Infinity);
  assert.ok(report.minMargin < 0);
});
