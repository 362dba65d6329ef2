import assert from "node:assert/strict";
import {
  networkOutput,
  neuronSlopes,
  outputFromPreActivations,
  pointPreActivations,
  reluPower,
  reluPowerSlope,
  rowNorms,
} from "./forward.ts";
import { Rng } from "./rng.ts";
import { randomNetwork } from "../../fixtures/random_network.ts";

Deno.test("forward pass on a small explicit network", () => {
  // N(x) = relu(x1 + x2 - 1) - relu(x1 - x2).
  const net = { w: [1, 1, 1, -1], b: [-1, 0], v: [1, -1], d: 2, m: 2 };
  assert.deepEqual([...pointPreActivations(net, [1, 1])], [1, 0]);
  assert.equal(networkOutput(net, [1, 1]), 1);
  assert.equal(networkOutput(net, [2, 0]), -1);
  assert.deepEqual([...neuronSlopes(net, [1, 0])], [1, 1]);
  assert.deepEqual([...rowNorms(net)], [Math.SQRT2, Math.SQRT2]);
  assert.throws(() => pointPreActivations(net, [1, 1, 1]), /expected d=2/);
  assert.throws(
    () => pointPreActivations({ ...net, m: 3 }, [1, 1]),
    /do not match/,
  );
});

Deno.test("pre-activations are the bias plus the slopes along x", () => {
  const rng = new Rng(8n);
  for (let trial = 0; trial < 50; trial++) {
    const d = 1 + rng.int(6), m = 1 + rng.int(6);
    const net = randomNetwork(rng, { d, m });
    const x = rng.normalArray(d);
    const a = pointPreActivations(net, x);
    const c = neuronSlopes(net, x);
    let out = 0;
    for (let r = 0; r < m; r++) {
      assert.ok(Math.abs(a[r] - (net.b[r] + c[r])) < 1e-12);
      out += net.v[r] * Math.max(0, a[r]);
    }
    assert.ok(Math.abs(networkOutput(net, x) - out) < 1e-12);
    const norms = rowNorms(net);
    for (let r = 0; r < m; r++) {
      const row = net.w.subarray(r * d, (r + 1) * d);
      assert.ok(Math.abs(norms[r] - Math.hypot(...row)) < 1e-12);
    }
  }
});

Deno.test("forward pass with a power p: Σ v_r relu(a_r)^p and its slopes", () => {
  const rng = new Rng(9n);
  for (const p of [1, 2, 3, 1.5]) {
    for (let trial = 0; trial < 20; trial++) {
      const d = 1 + rng.int(6), m = 1 + rng.int(6);
      const net = { ...randomNetwork(rng, { d, m }), power: p };
      const x = rng.normalArray(d);
      const a = pointPreActivations(net, x);
      let out = 0;
      for (let r = 0; r < m; r++) out += net.v[r] * Math.max(0, a[r]) ** p;
      const got = networkOutput(net, x);
      assert.ok(Math.abs(got - out) <= 1e-12 * (1 + Math.abs(out)));
      assert.equal(outputFromPreActivations(a, net), got);
      for (let r = 0; r < m; r++) {
        // The activation's slope against a central difference.
        const h = 1e-6;
        if (Math.abs(a[r]) < 10 * h) continue;
        const fd = (reluPower(a[r] + h, p) - reluPower(a[r] - h, p)) / (2 * h);
        const slope = reluPowerSlope(a[r], p);
        assert.ok(Math.abs(fd - slope) <= 1e-6 * (1 + Math.abs(slope)));
      }
    }
  }
});

Deno.test("p = 1 is the ReLU network: power absent or 1 give the same bits", () => {
  const rng = new Rng(10n);
  for (let trial = 0; trial < 50; trial++) {
    const d = 1 + rng.int(6), m = 1 + rng.int(6);
    const net = randomNetwork(rng, { d, m });
    const x = rng.normalArray(d);
    assert.equal(networkOutput({ ...net, power: 1 }, x), networkOutput(net, x));
  }
  assert.throws(
    () =>
      networkOutput({ d: 1, m: 1, w: [1], b: [0], v: [1], power: 0.5 }, [1]),
    RangeError,
  );
});
