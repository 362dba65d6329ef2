import assert from "node:assert/strict";
import { networkOutput, rowNorms } from "./forward.ts";
import { powerNetwork } from "./power_network.ts";
import { Rng } from "./rng.ts";
import { checkWeights } from "./weights.ts";
import { randomNetwork } from "../../fixtures/random_network.ts";

Deno.test("powerNetwork: the normalised neuron v·relu(⟨w, x⟩ + b)^p/‖w‖^(p−1)", () => {
  const rng = new Rng(41n);
  for (const p of [1, 1.5, 2, 3, 4.25]) {
    const d = 7, m = 6;
    const net = randomNetwork(rng, { d, m });
    const norms = rowNorms(net);
    const pnet = powerNetwork(net, p);
    assert.equal(pnet.power, p);
    for (let trial = 0; trial < 20; trial++) {
      const x = rng.normalArray(d);
      let direct = 0;
      for (let r = 0; r < m; r++) {
        let z = net.b[r];
        for (let t = 0; t < d; t++) z += net.w[r * d + t] * x[t];
        direct += (net.v[r] * Math.max(0, z) ** p) / norms[r] ** (p - 1);
      }
      const out = networkOutput(pnet, x);
      assert.ok(
        Math.abs(out - direct) <= 1e-12 * (1 + Math.abs(direct)),
        `p=${p}: ${out} vs ${direct}`,
      );
    }
  }
});

Deno.test("powerNetwork: normalised and unnormalised agree when every ‖w_r‖ = 1", () => {
  const rng = new Rng(42n);
  const d = 9, m = 8;
  const net = randomNetwork(rng, { d, m });
  const norms = rowNorms(net);
  for (let r = 0; r < m; r++) {
    for (let t = 0; t < d; t++) net.w[r * d + t] /= norms[r];
  }
  for (const p of [2, 3, 2.5]) {
    const a = powerNetwork(net, p);
    const b = powerNetwork(net, p, { normalized: false });
    for (let r = 0; r < m; r++) {
      assert.ok(Math.abs(a.v[r] - b.v[r]) <= 1e-15 * Math.abs(b.v[r]));
    }
    for (let trial = 0; trial < 20; trial++) {
      const x = rng.normalArray(d);
      const ya = networkOutput(a, x), yb = networkOutput(b, x);
      assert.ok(Math.abs(ya - yb) <= 1e-13 * (1 + Math.abs(yb)));
    }
  }
});

Deno.test("powerNetwork: p = 1 keeps v, a zero row gets output weight 0, copies", () => {
  const net = { d: 2, m: 2, w: [0, 0, 3, 4], b: [1, 0], v: [5, 2] };
  assert.deepEqual([...powerNetwork(net, 1).v], [5, 2]);
  const cubic = powerNetwork(net, 3);
  assert.deepEqual([...cubic.v], [0, 2 / 25]);
  assert.deepEqual([...cubic.w], net.w);
  assert.deepEqual([...cubic.b], net.b);
  assert.deepEqual([...powerNetwork(net, 3, { normalized: false }).v], [5, 2]);
  cubic.w[0] = 9;
  assert.equal(net.w[0], 0);
});

Deno.test("powerNetwork and checkWeights reject a bad power", () => {
  const net = { d: 1, m: 1, w: [1], b: [0], v: [1] };
  for (const p of [0.5, 0, -1, NaN, Infinity]) {
    assert.throws(() => powerNetwork(net, p), RangeError, `${p}`);
    assert.throws(() => checkWeights({ ...net, power: p }), RangeError);
  }
  assert.throws(() => powerNetwork({ ...net, power: 2 }, 3), /already/);
  checkWeights({ ...net, power: 1 });
  checkWeights({ ...net, power: 1.0001 });
});
