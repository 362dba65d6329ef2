/**
 * Cost of the minimum-norm attacks (`src/measure/attacks/`) on a trained
 * gradient-flow network, at CI size (d = 500, k = 10, n = 100, m = 100, 64
 * attacked test points) and paper size (d = 2000, k = 20, n = 200, m = 256,
 * 256 points): preparing the batch, one batched evaluation of margins and
 * gradients (against `networkOutputs` plus `inputGradients` of
 * `src/model/network.ts`), DeepFool, FMN warm-started from DeepFool, the
 * MALT-style attack, and the whole bracket (all three, the certified radii
 * and the analytic direction).
 *
 * Run with `deno bench --allow-read --allow-env --allow-ffi --allow-sys
 * bench/attack_bench.ts` (the `blas` backend when OpenBLAS loads, else
 * `wasm`). Besides the harness's table, a summary in milliseconds per
 * attacked point is printed when the run ends.
 *
 * @module
 */

import {
  backendAvailable,
  type BackendName,
  initBackend,
} from "../src/backend/mod.ts";
import { trainInstance } from "../src/flow/train.ts";
import { signedMeanSum } from "../src/model/data.ts";
import {
  defaultInstance,
  drawInstance,
  type Instance,
} from "../src/model/instance.ts";
import { inputGradients, networkOutputs } from "../src/model/network.ts";
import type { NetworkWeights } from "../src/model/weights.ts";
import {
  ATTACK_POINTS,
  AttackBatch,
  attackSubset,
  bracketRobustRadii,
  deepFool,
  fastMinimumNorm,
  maltAttack,
  pickPoints,
} from "../src/measure/attacks/mod.ts";

/** The backend the attacks' products run on. */
const BACKEND: BackendName = backendAvailable("blas") ? "blas" : "wasm";

/** The two sizes: instance parameters and how many test points are attacked. */
const SIZES = [
  {
    label: "CI",
    params: { ...defaultInstance, d: 500, k: 10, n: 100, m: 100 },
    points: ATTACK_POINTS.ci,
  },
  {
    label: "paper",
    params: { ...defaultInstance, d: 2000, k: 20, n: 200, m: 256 },
    points: ATTACK_POINTS.paper,
  },
];

/** A trained network and its attacked points, prepared. */
interface Setup {
  instance: Instance;
  weights: NetworkWeights<Float32Array>;
  points: ReturnType<typeof pickPoints>;
  batch: AttackBatch;
}

/** Train the instance of seed 2023 and pick the attacked points. */
function setUp(size: (typeof SIZES)[number]): Setup {
  const instance = drawInstance(2023, size.params);
  const { weights } = trainInstance(instance);
  const picked = attackSubset(instance.rng, {
    n: instance.test.n,
    count: size.points,
  });
  const points = pickPoints(instance.test, picked);
  return { instance, weights, points, batch: new AttackBatch(weights, points) };
}

/** Milliseconds per call of each benchmark, and per how many points. */
const timings = new Map<string, { ms: number; calls: number; per: number }>();
/** The benchmarks whose warm-up call has run. */
const warmedUp = new Set<string>();

globalThis.addEventListener("unload", () => {
  if (timings.size === 0) return;
  console.log(`\nms per attacked point (backend ${BACKEND}):`);
  const width = Math.max(...[...timings.keys()].map((k) => k.length));
  for (const [name, t] of timings) {
    const ms = t.ms / t.calls;
    console.log(
      `  ${name.padEnd(width)} ${(ms / t.per).toFixed(3).padStart(9)} ms` +
        `  (${ms.toFixed(1)} ms per call, ${t.per} points)`,
    );
  }
});

await initBackend(BACKEND);

for (const size of SIZES) {
  const setup = setUp(size);
  const { instance, weights, points, batch } = setup;
  const n = size.points;
  const group = `${size.label} d=${size.params.d} m=${size.params.m} ` +
    `points=${n}`;
  const direction = signedMeanSum(instance.model);
  const rows = Array.from({ length: n }, (_, i) => i);
  const zero = new Float64Array(n * size.params.d);
  const x32 = Float32Array.from(points.x);
  const paper = size.label === "paper";
  const cases: [string, () => void, number][] = [
    ["prepare AttackBatch", () => new AttackBatch(weights, points), 5],
    [
      "linearize (one evaluation)",
      () => batch.linearize({ rows, z: zero }),
      20,
    ],
    [
      "networkOutputs + inputGradients (one evaluation)",
      () => {
        networkOutputs(weights, x32);
        inputGradients(weights, x32);
      },
      20,
    ],
    ["deepFool", () => deepFool(batch), paper ? 3 : 10],
    [
      "fastMinimumNorm (incl. its DeepFool warm start)",
      () => fastMinimumNorm(batch),
      paper ? 2 : 5,
    ],
    [
      "maltAttack",
      () => maltAttack(batch, { targets: instance.train }),
      paper ? 2 : 5,
    ],
    [
      "bracketRobustRadii (all, certified, analytic)",
      () => bracketRobustRadii(batch, { targets: instance.train, direction }),
      paper ? 2 : 5,
    ],
  ];
  for (const [what, run, times] of cases) {
    const name = `${size.label}: ${what}`;
    Deno.bench({
      name,
      group,
      n: times,
      warmup: 1,
      fn(b) {
        b.start();
        const t0 = performance.now();
        run();
        const ms = performance.now() - t0;
        b.end();
        // The first call is the harness's warm-up: left out of the summary.
        if (!warmedUp.has(name)) {
          warmedUp.add(name);
          return;
        }
        const t = timings.get(name) ?? { ms: 0, calls: 0, per: n };
        t.ms += ms;
        t.calls += 1;
        timings.set(name, t);
      },
    });
  }
}
