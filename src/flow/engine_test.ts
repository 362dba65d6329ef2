import assert from "node:assert/strict";
import {
  type FlowData,
  logAddExp,
  lossWeights,
  resolveForm,
  rowSquaredNorms,
} from "./engine.ts";
import { type NetworkWeights } from "../model/weights.ts";

/** Zero data and weights of the given sizes. */
function zeros(
  { n, d }: { n: number; d: number },
  m: number,
): { data: FlowData; init: NetworkWeights<Float32Array> } {
  return {
    data: { n, d, x: new Float32Array(n * d), y: new Float32Array(n) },
    init: {
      d,
      m,
      w: new Float32Array(m * d),
      b: new Float32Array(m),
      v: new Float32Array(m),
    },
  };
}

Deno.test("lossWeights stays finite when the loss underflows", () => {
  // q = (2000, 2003): L ≈ e^{-2000}/2, c = (1, -e^{-3}) / (1 + e^{-3}).
  const w = lossWeights(
    new Float64Array([2000, -2003]),
    new Float32Array([1, -1]),
  );
  const logLoss = -2000 + Math.log1p(Math.exp(-3)) - Math.log(2);
  assert.ok(Math.abs(w.logLoss - logLoss) < 1e-9);
  assert.ok(Math.abs(w.coefficients[0] - 1 / (1 + Math.exp(-3))) < 1e-6);
  assert.ok(Math.abs(w.coefficients[1] + 1 / (1 + Math.exp(3))) < 1e-6);
  assert.equal(w.minMargin, 2000);
});

Deno.test("lossWeights: Σ c_i N_i and the loss of misclassified points", () => {
  const outputs = new Float64Array([1.5, -0.5, 40]);
  const y = new Float32Array([1, 1, -1]);
  const w = lossWeights(outputs, y);
  const q = [1.5, -0.5, -40];
  const losses = q.map((qi) => Math.log1p(Math.exp(-qi)));
  const total = losses.reduce((s, l) => s + l, 0);
  assert.ok(Math.abs(w.logLoss - Math.log(total / 3)) < 1e-12);
  let dot = 0;
  for (let i = 0; i < 3; i++) dot += w.coefficients[i] * outputs[i];
  assert.ok(Math.abs(w.coefficientDotOutput - dot) < 1e-6 * Math.abs(dot));
  assert.equal(w.minMargin, -40);
});

Deno.test("resolveForm: auto is span when d > n, explicit forms pass", () => {
  const wide = zeros({ n: 3, d: 5 }, 2), tall = zeros({ n: 5, d: 3 }, 2);
  assert.equal(resolveForm(wide.data, wide.init), "span");
  assert.equal(resolveForm(tall.data, tall.init), "plain");
  assert.equal(resolveForm(tall.data, tall.init, { form: "auto" }), "plain");
  assert.equal(resolveForm(tall.data, tall.init, { form: "span" }), "span");
  assert.equal(resolveForm(wide.data, wide.init, { form: "plain" }), "plain");
});

Deno.test("resolveForm rejects data and weights that do not fit", () => {
  const { data, init } = zeros({ n: 3, d: 5 }, 2);
  const other = zeros({ n: 3, d: 4 }, 2);
  assert.throws(() => resolveForm(data, other.init), /d=5, network d=4/);
  assert.throws(
    () => resolveForm({ ...data, y: new Float32Array(2) }, init),
    /data arrays/,
  );
  assert.throws(
    () => resolveForm(data, { ...init, b: new Float32Array(3) }),
    /network arrays/,
  );
});

Deno.test("rowSquaredNorms and logAddExp", () => {
  const { init } = zeros({ n: 1, d: 3 }, 2);
  init.w.set([1, 2, 2, 0, -3, 4]);
  assert.deepEqual(Array.from(rowSquaredNorms(init)), [9, 25]);
  assert.equal(logAddExp(2, -Infinity), 2);
  assert.equal(logAddExp(-Infinity, -Infinity), -Infinity);
  assert.ok(Math.abs(logAddExp(1000, 1000) - (1000 + Math.LN2)) < 1e-12);
});
