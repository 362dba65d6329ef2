/**
 * Time of one gradient-flow step (forward pass, loss weights, direction,
 * update: what `gradientFlow` does per step) for each backend and
 * engine × form, at (d, m, n) = (1000, 512, 200) and (2000, 100, 200); the
 * float64 engine with OpenBLAS `dgemm` (as on `blas`), with the WebAssembly
 * SIMD products (as on `wasm`) and with plain TypeScript products (as on
 * `cpu`).
 *
 * Run with `deno bench --allow-all bench/step_bench.ts`. Besides the
 * harness's table, a summary is printed when the run ends: ms per step, the
 * rate in GFLOP/s counted on the plain form's 4·n·d·m flops per step (the
 * two n×d by d×m products; so the span form can exceed the machine's peak),
 * and the speed-up of the span form over the plain form.
 *
 * @module
 */

import {
  backendAvailable,
  type BackendName,
  initBackend,
  loadOpenBlas,
} from "../src/backend/mod.ts";
import {
  createFloat64Engine,
  createFlowEngine,
  type EngineArray,
  type FlowData,
  type FlowEngineKind,
  type FlowForm,
  lossWeights,
  lossWeights64,
  type ProductKind,
  type StepEngine,
} from "../src/flow/mod.ts";
import { flowInstance } from "../fixtures/flow_instance.ts";
import { loadSimdGemm } from "../src/backend/simd_gemm.ts";
import { type NetworkWeights } from "../src/model/weights.ts";

/** Problem sizes (d, m, n). */
const SIZES: [number, number, number][] = [[1000, 512, 200], [2000, 100, 200]];
/** An engine to time: a float32 kind, or float64 with its products. */
type EngineChoice = FlowEngineKind | `float64·${ProductKind}`;

/** Backend and engine pairs, fastest first. */
const RUNS: { backend: BackendName; engine: EngineChoice }[] = [
  { backend: "blas", engine: "native" },
  { backend: "blas", engine: "float64·openblas" },
  { backend: "blas", engine: "tfjs" },
  { backend: "wasm", engine: "tfjs" },
  { backend: "wasm", engine: "simd" },
  { backend: "wasm", engine: "float64·simd" },
  { backend: "wasm", engine: "float64·typescript" },
  { backend: "cpu", engine: "tfjs" },
];
/** Steps an engine takes before it is rebuilt from the initialization. */
const RESTART = 400;
/** ε of the steps. */
const STEP_FRACTION = 0.01;

/** One problem instance: cluster data and a small initialization. */
interface Problem {
  /** The training data. */
  data: FlowData;
  /** The initialization. */
  init: NetworkWeights<Float32Array>;
}

/** An engine with its step count and ‖θ‖² (tracked as the flow does). */
interface Running {
  engine: StepEngine<EngineArray>;
  /** Loss weights in the engine's precision. */
  weigh: (outputs: ArrayLike<number>, y: ArrayLike<number>) => {
    coefficients: EngineArray;
    coefficientDotOutput: number;
  };
  steps: number;
  normSquared: number;
}

/** Start an engine on a problem. */
function start(
  { data, init }: Problem,
  options: { form: FlowForm; engine: EngineChoice },
): Running {
  const { form, engine } = options;
  const float64 = engine.startsWith("float64·");
  const e: StepEngine<EngineArray> = float64
    ? createFloat64Engine(data, {
      d: init.d,
      m: init.m,
      w: Float64Array.from(init.w),
      b: Float64Array.from(init.b),
      v: Float64Array.from(init.v),
    }, { form, products: engine.split("·")[1] as ProductKind })
    : createFlowEngine(data, init, {
      form,
      engine: engine as FlowEngineKind,
    }) as StepEngine<EngineArray>;
  const { wSquared, b, v } = e.neuronNorms();
  let normSquared = 0;
  for (let r = 0; r < init.m; r++) {
    normSquared += wSquared[r] + b[r] * b[r] + v[r] * v[r];
  }
  return {
    engine: e,
    weigh: float64 ? lossWeights64 : lossWeights,
    steps: 0,
    normSquared,
  };
}

/** One Euler step of the flow. */
function step(run: Running, y: Float32Array): void {
  const lw = run.weigh(run.engine.forward(), y);
  const dir = run.engine.direction(lw.coefficients);
  const h = STEP_FRACTION * Math.sqrt(run.normSquared / dir);
  run.engine.advance(h);
  run.normSquared += 4 * h * lw.coefficientDotOutput + h * h * dir;
  run.steps++;
}

/** Timed milliseconds and step counts per benchmark, for the summary. */
const timings = new Map<
  string,
  { ms: number; steps: number; flops: number; key: string; form: FlowForm }
>();

globalThis.addEventListener("unload", () => {
  if (timings.size === 0) return;
  console.log(
    "\nms per gradient-flow step; GFLOP/s on the plain form's 4·n·d·m flops:",
  );
  const width = Math.max(...[...timings.keys()].map((k) => k.length));
  for (const [name, t] of timings) {
    if (t.steps === 0) continue;
    const per = t.ms / t.steps;
    console.log(
      `  ${name.padEnd(width)} ${per.toFixed(3).padStart(9)} ms  ` +
        `${(t.flops / per / 1e6).toFixed(1).padStart(7)} GFLOP/s`,
    );
  }
  const perStep = (key: string, form: FlowForm) => {
    for (const t of timings.values()) {
      if (t.key === key && t.form === form && t.steps > 0) {
        return t.ms / t.steps;
      }
    }
    return NaN;
  };
  console.log("span form speed-up over the plain form:");
  const keys = new Set([...timings.values()].map((t) => t.key));
  for (const key of keys) {
    const ratio = perStep(key, "plain") / perStep(key, "span");
    if (Number.isFinite(ratio)) {
      console.log(`  ${key.padEnd(width - 8)} ${ratio.toFixed(1)}×`);
    }
  }
});

for (const [d, m, n] of SIZES) {
  const problem = flowInstance(2023, { d, k: 10, n, m });
  const { data } = problem;
  const flops = 4 * n * d * m;
  for (const { backend, engine } of RUNS) {
    const needs = engine === "tfjs" || engine === "float64·typescript"
      ? "nothing"
      : engine === "simd" || engine === "float64·simd"
      ? "simd"
      : "openblas";
    const available = backendAvailable(backend) &&
      (needs === "nothing" ||
        (needs === "simd" ? loadSimdGemm() !== null : loadOpenBlas() !== null));
    // Plain JavaScript kernels: a large step takes about a second.
    const slow = backend === "cpu" ||
      (backend === "blas" && engine === "tfjs") ||
      engine === "float64·typescript";
    for (const form of ["plain", "span"] as FlowForm[]) {
      const key = `${backend}·${engine} (d,m,n)=(${d},${m},${n})`;
      const name = `${key} ${form}`;
      let run: Running | null = null;
      Deno.bench({
        name,
        group: `(d,m,n)=(${d},${m},${n})`,
        ignore: !available,
        ...(slow ? { n: 5, warmup: 1 } : { n: 60, warmup: 5 }),
        async fn(b) {
          await initBackend(backend);
          if (run === null || run.steps >= RESTART) {
            run?.engine.dispose();
            run = start(problem, { form, engine });
          }
          b.start();
          const t0 = performance.now();
          step(run, data.y);
          const ms = performance.now() - t0;
          b.end();
          const t = timings.get(name) ??
            { ms: 0, steps: 0, flops, key, form };
          t.ms += ms;
          t.steps += 1;
          timings.set(name, t);
        },
      });
    }
  }
}
