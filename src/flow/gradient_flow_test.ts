import assert from "node:assert/strict";
import { backendAvailable, initBackend } from "../backend/backends.ts";
import {
  autoEngine,
  createFlowEngine,
  type FlowData,
  type FlowEngineKind,
  type FlowForm,
  type FlowOptions,
  type FlowResult,
  gradientFlow,
  marginAdaptiveStep,
} from "./gradient_flow.ts";
import { neuronBalance, parameterNormSquared } from "../model/network.ts";
import { loadOpenBlas } from "../backend/openblas.ts";
import { loadSimdGemm } from "../backend/simd_gemm.ts";
import { type NetworkWeights } from "../model/weights.ts";
import { flowInstance as instance } from "../../fixtures/flow_instance.ts";

// The tfjs engine runs on wasm (where `auto` is simd; on the cpu backend with
// OpenBLAS it would be native).
await initBackend(backendAvailable("wasm") ? "wasm" : "cpu");
const noBlas = loadOpenBlas() === null;
const noSimd = loadSimdGemm() === null;
/** The engines besides tfjs that run here: native with OpenBLAS, simd with WebAssembly SIMD. */
const FAST_ENGINES: FlowEngineKind[] = [
  ...(noBlas ? [] : ["native" as const]),
  ...(noSimd ? [] : ["simd" as const]),
];
/** Engines to run. */
const ENGINES: FlowEngineKind[] = ["tfjs", ...FAST_ENGINES];

/** All parameters of a network as one float64 vector (W, b, v). */
function flat(w: NetworkWeights<Float32Array>): Float64Array {
  const out = new Float64Array(w.w.length + 2 * w.m);
  out.set(w.w);
  out.set(w.b, w.w.length);
  out.set(w.v, w.w.length + w.m);
  return out;
}

/** ‖a - b‖ / ‖b‖. */
function relativeDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

/** |a - b| / |b|. */
function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

/**
 * Two whole runs that should end alike: both converged at the same step of
 * separation, with normalized margins within 1%.
 */
function assertSameOutcome(actual: FlowResult, expected: FlowResult): void {
  assert.equal(expected.status, "converged");
  assert.equal(actual.status, expected.status);
  assert.equal(actual.separatedAtStep, expected.separatedAtStep);
  assert.ok(
    relative(actual.normalizedMargin, expected.normalizedMargin) < 1e-2,
    `${actual.normalizedMargin} vs ${expected.normalizedMargin}`,
  );
}

/** The loss L(θ) in float64, θ flattened as (W, b, v) (so m = |θ|/(d + 2)). */
function lossAt(theta: Float64Array, data: FlowData): number {
  const d = data.d, m = theta.length / (d + 2);
  let total = 0;
  for (let i = 0; i < data.n; i++) {
    let out = 0;
    for (let r = 0; r < m; r++) {
      let z = theta[m * d + r];
      for (let t = 0; t < d; t++) z += theta[r * d + t] * data.x[i * d + t];
      out += theta[m * d + m + r] * Math.max(z, 0);
    }
    total += Math.log1p(Math.exp(-data.y[i] * out));
  }
  return total / data.n;
}

/** The balanced starting point used for the one-point problem. */
function onePoint(): { data: FlowData; init: NetworkWeights<Float32Array> } {
  return {
    data: {
      n: 1,
      d: 2,
      x: new Float32Array([1, 0.5]),
      y: new Float32Array([1]),
    },
    init: {
      d: 2,
      m: 1,
      w: new Float32Array([0.3, -0.2]),
      b: new Float32Array([0.1]),
      v: new Float32Array([0.5]),
    },
  };
}

for (const engine of ENGINES) {
  Deno.test(`one point, one neuron (${engine}): conserved balance, falling loss`, () => {
    const { data, init } = onePoint();
    const losses: number[] = [];
    const steps = Array.from({ length: 3001 }, (_, s) => s);
    const result = gradientFlow(data, init, {
      engine,
      stepFraction: 2e-3,
      maxSteps: 3000,
      checkpointSteps: steps,
      onCheckpoint: (p) => losses.push(p.log10Loss),
    });
    assert.equal(result.engine, engine);
    assert.equal(result.separatedAtStep, 0); // N(x) > 0 from the start
    assert.ok(result.status === "converged", result.status);
    assert.ok(result.steps > 100);
    for (let s = 1; s < losses.length; s++) {
      assert.ok(losses[s] < losses[s - 1], `loss rose at step ${s}`);
    }
    // v² - ‖w‖² - b² is conserved by the flow, up to the Euler error.
    const before = neuronBalance(init)[0],
      after = neuronBalance(result.weights)[0];
    const scale = parameterNormSquared(result.weights);
    assert.ok(Math.abs(after - before) / scale < 1e-3);
    assert.ok(result.conservedDrift < 1e-3, `${result.conservedDrift}`);
    assert.ok(relative(result.normSquared, scale) < 1e-6);
    // The limit direction maximizes q/‖θ‖², whose maximum is ‖(x, 1)‖/2.
    assert.ok(relative(result.normalizedMargin, Math.sqrt(2.25) / 2) < 1e-2);
  });

  for (const form of ["plain", "span"] as FlowForm[]) {
    Deno.test(`one Euler step (${engine}, ${form}) is -ε‖θ‖ ∇L/‖∇L‖ by finite differences`, () => {
      const { data, init } = instance(7, {
        d: 6,
        k: 2,
        n: 5,
        m: 4,
        initScale: 0.8,
      });
      const stepFraction = 0.01;
      const result = gradientFlow(data, init, {
        engine,
        form,
        stepFraction,
        maxSteps: 1,
      });
      assert.equal(result.steps, 1);
      assert.equal(result.form, form);
      const theta = flat(init);
      // Central differences of L in float64.
      const grad = new Float64Array(theta.length);
      const delta = 1e-6;
      for (let j = 0; j < theta.length; j++) {
        const plus = theta.slice(), minus = theta.slice();
        plus[j] += delta;
        minus[j] -= delta;
        grad[j] = (lossAt(plus, data) - lossAt(minus, data)) / (2 * delta);
      }
      const loss = lossAt(theta, data);
      let gradNorm = 0, thetaNorm = 0;
      for (let j = 0; j < theta.length; j++) {
        gradNorm += grad[j] ** 2;
        thetaNorm += theta[j] ** 2;
      }
      gradNorm = Math.sqrt(gradNorm);
      thetaNorm = Math.sqrt(thetaNorm);
      const after = flat(result.weights);
      const expected = theta.map((_, j) =>
        -stepFraction * thetaNorm * grad[j] / gradNorm
      );
      const actual = after.map((t, j) => t - theta[j]);
      assert.ok(
        relativeDistance(actual, expected) < 1e-4,
        `${relativeDistance(actual, expected)}`,
      );
      // Time change: t₁ = h / L with h‖∇L/L‖ = ε‖θ‖.
      const t1 = stepFraction * thetaNorm / (gradNorm / loss) / loss;
      assert.ok(Math.abs(result.log10Time - Math.log10(t1)) < 1e-5);
    });
  }
}

Deno.test("plain and span forms follow the same path", async (t) => {
  const { data, init } = instance(11, { d: 60, k: 4, n: 16, m: 8 });
  for (const engine of ENGINES) {
    await t.step(`first 50 steps agree (${engine})`, () => {
      const options: FlowOptions = { engine, maxSteps: 50, stepFraction: 0.01 };
      const plain = gradientFlow(data, init, { ...options, form: "plain" });
      const span = gradientFlow(data, init, { ...options, form: "span" });
      assert.equal(plain.form, "plain");
      assert.equal(span.form, "span");
      const gap = relativeDistance(flat(span.weights), flat(plain.weights));
      assert.ok(gap < 1e-4, `${gap}`);
      assert.ok(relative(span.normSquared, plain.normSquared) < 1e-4);
    });
    await t.step(`whole runs agree (${engine})`, () => {
      const options: FlowOptions = { engine, stepFraction: 0.01 };
      const plain = gradientFlow(data, init, { ...options, form: "plain" });
      const span = gradientFlow(data, init, { ...options, form: "span" });
      assertSameOutcome(span, plain);
    });
  }
});

for (const fast of FAST_ENGINES) {
  Deno.test({
    name: `${fast} and tfjs engines follow the same path`,
    fn: async (t) => {
      // d > n: span form and the plain form's Gram route; d ≤ n: plain direct.
      const cases: [string, { d: number; k: number; n: number; m: number }][] =
        [
          ["d > n", { d: 60, k: 4, n: 16, m: 8 }],
          ["d ≤ n", { d: 12, k: 3, n: 24, m: 6 }],
        ];
      for (const [label, size] of cases) {
        const { data, init } = instance(3, size);
        const forms: FlowForm[] = size.d > size.n
          ? ["plain", "span"]
          : ["plain"];
        for (const form of forms) {
          await t.step(`${label}, ${form}: first steps`, () => {
            const options: FlowOptions = {
              form,
              maxSteps: 30,
              stepFraction: 0.01,
            };
            const tfjs = gradientFlow(data, init, {
              ...options,
              engine: "tfjs",
            });
            const other = gradientFlow(data, init, {
              ...options,
              engine: fast,
            });
            assert.equal(other.engine, fast);
            const gap = relativeDistance(
              flat(other.weights),
              flat(tfjs.weights),
            );
            assert.ok(gap < 1e-4, `${gap}`);
            assert.ok(relative(other.log10Time, tfjs.log10Time) < 1e-4);
          });
          await t.step(`${label}, ${form}: whole runs`, () => {
            const options: FlowOptions = { form, stepFraction: 0.01 };
            const tfjs = gradientFlow(data, init, {
              ...options,
              engine: "tfjs",
            });
            const other = gradientFlow(data, init, {
              ...options,
              engine: fast,
            });
            assertSameOutcome(other, tfjs);
            assert.ok(other.conservedDrift < 0.05);
          });
        }
      }
    },
  });
}

Deno.test("engine choice: auto is simd on wasm, native on the cpu backend with OpenBLAS", async () => {
  // simd on wasm with WebAssembly SIMD; tfjs on wasm without, or on cpu
  // without OpenBLAS.
  const onWasm = backendAvailable("wasm");
  const expected = onWasm
    ? (noSimd ? "tfjs" : "simd")
    : (noBlas ? "tfjs" : "native");
  assert.equal(autoEngine(), expected);
  await initBackend("cpu");
  try {
    assert.equal(autoEngine(), noBlas ? "tfjs" : "native");
  } finally {
    await initBackend(backendAvailable("wasm") ? "wasm" : "cpu");
  }
});

Deno.test("createFlowEngine builds the engine and form asked for", () => {
  const { data, init } = instance(9, { d: 12, k: 3, n: 6, m: 4 });
  for (const kind of [...ENGINES, "auto"] as const) {
    for (const form of ["plain", "span", "auto"] as const) {
      const engine = createFlowEngine(data, init, { engine: kind, form });
      assert.equal(engine.kind, kind === "auto" ? autoEngine() : kind);
      assert.equal(engine.form, form === "plain" ? "plain" : "span");
      engine.dispose();
    }
  }
  if (noBlas) {
    assert.throws(
      () => createFlowEngine(data, init, { engine: "native" }),
      /needs OpenBLAS/,
    );
  }
  const bad = { ...data, d: 11 };
  assert.throws(() => createFlowEngine(bad, init), RangeError);
  // The engines train the ReLU network only.
  const cubic = { ...init, power: 3 };
  assert.throws(() => createFlowEngine(data, cubic), /createFlowEngine/);
  assert.throws(() => gradientFlow(data, cubic), /gradientFlow/);
});

Deno.test("statuses: not-separated, budget, margin-cap, diverged", async (t) => {
  const { data, init } = instance(5, { d: 40, k: 4, n: 16, m: 8 });
  for (const engine of ENGINES) {
    await t.step(`not-separated (${engine})`, () => {
      const r = gradientFlow(data, init, { engine, maxSteps: 3 });
      assert.equal(r.status, "not-separated");
      assert.equal(r.steps, 3);
      assert.equal(r.separatedAtStep, -1);
      assert.ok(Number.isNaN(r.log10TimeSeparated));
      assert.ok(Number.isFinite(r.log10Time));
    });
    await t.step(`budget and margin-cap (${engine})`, () => {
      const free = gradientFlow(data, init, { engine, stepFraction: 0.02 });
      assert.ok(free.separatedAtStep >= 0);
      const budget = gradientFlow(data, init, {
        engine,
        stepFraction: 0.02,
        maxSteps: free.separatedAtStep + 5,
      });
      assert.equal(budget.status, "budget");
      assert.equal(budget.steps, free.separatedAtStep + 5);
      const cap = gradientFlow(data, init, {
        engine,
        stepFraction: 0.02,
        maxMargin: 1e-6,
      });
      assert.equal(cap.status, "margin-cap");
      assert.equal(cap.steps, cap.separatedAtStep);
    });
    await t.step(`diverged (${engine})`, () => {
      const x = data.x.slice();
      x[3] = NaN;
      const nan = gradientFlow({ ...data, x }, init, { engine });
      assert.equal(nan.status, "diverged");
      assert.equal(nan.steps, 0);
      const huge = gradientFlow(data, init, {
        engine,
        stepFraction: 1e3,
        maxMargin: Infinity,
      });
      // A step of 1000‖θ‖ either overflows or kills every neuron, after
      // which the gradient is exactly zero (a stationary point).
      assert.ok(["diverged", "stuck"].includes(huge.status), huge.status);
    });
  }
});

Deno.test("time change: log10 t increases, separation is recorded", () => {
  const { data, init } = instance(13, { d: 40, k: 4, n: 16, m: 8 });
  const seen: { step: number; time: number; loss: number }[] = [];
  const result = gradientFlow(data, init, {
    stepFraction: 0.02,
    checkpointSteps: Array.from({ length: 4001 }, (_, s) => s),
    onCheckpoint: (p) =>
      seen.push({ step: p.step, time: p.log10Time, loss: p.log10Loss }),
  });
  assert.equal(seen[0].time, -Infinity);
  for (let s = 1; s < seen.length; s++) {
    assert.equal(seen[s].step, s);
    assert.ok(seen[s].time > seen[s - 1].time);
  }
  const k = result.separatedAtStep;
  assert.ok(k > 0);
  const threshold = Math.log10(Math.LN2 / data.n);
  assert.ok(seen[k].loss < threshold && seen[k - 1].loss >= threshold);
  assert.equal(result.log10TimeSeparated, seen[k].time);
  assert.ok(result.log10TimeSeparated < result.log10Time);
  assert.equal(result.log10Time, seen[seen.length - 1].time);
  assert.equal(seen.length, result.steps + 1);
});

Deno.test("float64: a whole run, and a continuation past the float32 cap", async (t) => {
  const { data, init } = instance(13, { d: 40, k: 4, n: 16, m: 8 });
  const options: FlowOptions = { stepFraction: 0.02 };
  const f32 = gradientFlow(data, init, options);
  const f64 = gradientFlow(data, init, { ...options, engine: "float64" });
  await t.step("a whole float64 run ends as the float32 one", () => {
    assert.equal(f64.engine, "float64");
    assert.equal(f64.precision, "float64");
    assert.ok(f64.weights64 !== undefined);
    assertSameOutcome(f64, f32);
  });
  await t.step(
    "the continuation takes over at the cap and runs to the stop rule",
    () => {
      const cap = 50;
      const capped = gradientFlow(data, init, { ...options, maxMargin: cap });
      assert.equal(capped.status, "margin-cap");
      assert.equal(capped.continuedAtStep, -1);
      const steps: number[] = [];
      const continued = gradientFlow(data, init, {
        ...options,
        maxMargin: cap,
        continuation: true,
        checkpointSteps: Array.from({ length: 5000 }, (_, s) => s),
        onCheckpoint: (p) => steps.push(p.step),
      });
      assert.equal(continued.continuedAtStep, capped.steps);
      assert.equal(continued.precision, "float64");
      assert.equal(continued.status, f32.status);
      // One checkpoint per step, none repeated at the hand-over.
      assert.deepEqual(
        steps,
        Array.from({ length: steps.length }, (_, s) => s),
      );
      assert.equal(steps.at(-1), continued.steps);
      // Past the cap the run is in float64: it ends as the float64 run
      // (float32 runs of the different engines stop up to 1.5% apart here).
      assert.ok(
        relative(continued.normalizedMargin, f64.normalizedMargin) < 1e-2,
        `${continued.normalizedMargin} vs ${f64.normalizedMargin}`,
      );
      const floatCap = gradientFlow(data, init, {
        ...options,
        maxMargin: cap,
        continuation: true,
        float64MaxMargin: 2 * cap,
      });
      assert.equal(floatCap.status, "margin-cap");
      assert.ok(floatCap.steps > capped.steps);
    },
  );
});

Deno.test("horizon and log-time checkpoints", () => {
  const { data, init } = instance(13, { d: 40, k: 4, n: 16, m: 8 });
  const times = [1, 10, 100];
  const seen: { time: number; reached: number[] }[] = [];
  const result = gradientFlow(data, init, {
    stepFraction: marginAdaptiveStep(0.02, 2),
    marginTolerance: 0,
    maxLog10Time: 100,
    checkpointLog10Times: times,
    onCheckpoint: (p) =>
      seen.push({ time: p.log10Time, reached: p.log10TimesReached }),
  });
  assert.equal(result.status, "horizon");
  assert.ok(result.log10Time >= 100);
  assert.deepEqual(seen.map((s) => s.reached), [[1], [10], [100]]);
  for (const [j, s] of seen.entries()) assert.ok(s.time >= times[j]);
  // The margin rule shrank the step once q_min > c/ε0 = 100.
  assert.ok(result.finalStepFraction! < 0.02);
});

Deno.test("marginAdaptiveStep: ε0 until separation and up to q = c/ε0, then c/q", () => {
  const rule = marginAdaptiveStep(0.01, 2);
  const at = (minMargin: number, separatedAtStep = 3) =>
    rule({ step: 5, separatedAtStep, minMargin, log10Time: 1 });
  assert.equal(at(1e3, -1), 0.01);
  assert.equal(at(-5), 0.01);
  assert.equal(at(200), 0.01);
  assert.equal(at(1e4), 2e-4);
});
