import assert from "node:assert/strict";
import { kktFloor } from "./kkt_floor.ts";
import { approximateKkt } from "./approximate_kkt.ts";
import { Rng } from "../model/rng.ts";
import { randomNetwork } from "../../fixtures/random_network.ts";

Deno.test("kktFloor: a KKT point has no losing neuron and no radial residual", () => {
  // x = (1, 0), y = +1: (w, b) ∝ (x, 1) and v² = ‖(w, b)‖² (approximate_kkt's example).
  const v = 2 ** -0.25, c = v / Math.SQRT2;
  const weights = { w: [c, 0], b: [c], v: [v], d: 2, m: 1 };
  const kkt = approximateKkt(weights, { x: [1, 0], y: [1] });
  assert.ok(Math.abs(kkt.neuronDuals[0] - 1) < 1e-9);
  const floor = kktFloor(weights, { neuronDuals: kkt.neuronDuals, gap: 0.01 });
  assert.ok(floor.radial < 1e-9);
  assert.equal(floor.losingNeurons, 0);
  assert.equal(floor.losingShare, 0);
  assert.ok(Number.isNaN(floor.losingGap));
  assert.equal(floor.floor, 0);
});

Deno.test("kktFloor: the radial part never exceeds the residual, and a weak neuron is losing", () => {
  const rng = new Rng(11);
  const d = 6, n = 8, m = 5;
  const net = randomNetwork(rng, { d, m });
  const x = Array.from({ length: n * d }, () => rng.normal());
  // Labels from the network itself, so that every margin is positive.
  const y = Array.from({ length: n }, (_, i) => {
    let out = 0;
    for (let r = 0; r < m; r++) {
      let z = net.b[r];
      for (let k = 0; k < d; k++) z += net.w[r * d + k] * x[i * d + k];
      out += net.v[r] * Math.max(z, 0);
    }
    return out >= 0 ? 1 : -1;
  });
  const kkt = approximateKkt(net, { x, y }, { kinkRadius: 1e-3 });
  assert.ok(Number.isFinite(kkt.residual));
  const floor = kktFloor(net, { neuronDuals: kkt.neuronDuals, gap: 0.01 });
  assert.ok(
    floor.radial <= kkt.residual + 1e-12,
    `${floor.radial} > ${kkt.residual}`,
  );
  assert.ok(floor.floor <= floor.radial + 1e-15);
  assert.ok(floor.losingShare >= 0 && floor.losingShare <= 1 + 1e-12);
  // Every neuron whose γ_r ≤ 0.99 counts, and none other.
  const losing = [...kkt.neuronDuals].filter((g) => 1 - g >= 0.01).length;
  assert.equal(floor.losingNeurons, losing);
});

Deno.test("kktFloor: a wrong number of duals is a RangeError", () => {
  const weights = { w: [1, 0], b: [0, 0], v: [1, 1], d: 1, m: 2 };
  assert.throws(
    () => kktFloor(weights, { neuronDuals: [1], gap: 0.01 }),
    RangeError,
  );
});
