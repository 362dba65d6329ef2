/**
 * Cost of one `bracketRobustRadii` call (DeepFool, FMN, the MALT-style
 * attack, the certified radii and the analytic direction) on the
 * polynomial ReLU network relu(z)^3 against the ReLU network, at CI size:
 * the gradient-flow network trained on the instance of seed 2023
 * (d = 500, k = 10, n = 100, m = 100), 64 attacked test points, and the
 * same hidden layer as a normalised cubic network
 * (`powerNetwork(weights, 3)`: v_r/‖w_r‖², the same signs of v).
 *
 * The two networks classify the points differently (a misclassified point
 * costs little), so the summary printed at the end gives, besides the
 * milliseconds per call, how many of the 64 points each classifies
 * correctly and the median bracket.
 *
 * Run with `deno bench --allow-read --allow-env --allow-ffi --allow-sys
 * bench/prelu_attack_bench.ts` (the `blas` backend when OpenBLAS loads,
 * else `wasm`).
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
import { defaultInstance, drawInstance } from "../src/model/instance.ts";
import { powerNetwork } from "../src/model/power_network.ts";
import type { NetworkWeights } from "../src/model/weights.ts";
import {
  ATTACK_POINTS,
  AttackBatch,
  attackSubset,
  type BracketReport,
  bracketRobustRadii,
  pickPoints,
} from "../src/measure/attacks/mod.ts";
import { median } from "../src/stats/mod.ts";

/** The backend the attacks' products run on. */
const BACKEND: BackendName = backendAvailable("blas") ? "blas" : "wasm";

/** The CI-size instance. */
const PARAMS = { ...defaultInstance, d: 500, k: 10, n: 100, m: 100 };

await initBackend(BACKEND);

const instance = drawInstance(2023, PARAMS);
const { weights } = trainInstance(instance);
const picked = attackSubset(instance.rng, {
  n: instance.test.n,
  count: ATTACK_POINTS.ci,
});
const points = pickPoints(instance.test, picked);
const direction = signedMeanSum(instance.model);
const networks: [string, NetworkWeights][] = [
  ["p = 1", weights],
  ["p = 3", powerNetwork(weights, 3)],
];

/** Per network: milliseconds of each timed call, and the last report. */
const runs = new Map<string, { ms: number[]; report?: BracketReport }>();

globalThis.addEventListener("unload", () => {
  if (runs.size === 0) return;
  console.log(`\nbracketRobustRadii, d=500 m=100, 64 points (${BACKEND}):`);
  for (const [name, run] of runs) {
    const brackets = run.report?.brackets ?? [];
    const correct = brackets.filter((b) => b.attack > 0);
    const scale = Math.sqrt(PARAMS.d / PARAMS.k);
    console.log(
      `  ${name}: median ${median(run.ms).toFixed(0)} ms per call ` +
        `(${run.ms.length} calls); ${correct.length} points correct; ` +
        `median attack/√(d/k) ${
          median(correct.map((b) => b.attack / scale)).toFixed(3)
        }, certified/attack ${
          median(correct.map((b) => b.certified / b.attack)).toFixed(3)
        }`,
    );
  }
});

for (const [name, net] of networks) {
  const batch = new AttackBatch(net, points);
  const run: { ms: number[]; report?: BracketReport } = { ms: [] };
  runs.set(name, run);
  let warm = false;
  Deno.bench({
    name: `bracketRobustRadii ${name}`,
    group: "bracket d=500 m=100 points=64",
    baseline: name === "p = 1",
    n: 5,
    warmup: 1,
    fn(b) {
      b.start();
      const t0 = performance.now();
      const report = bracketRobustRadii(batch, {
        targets: instance.train,
        direction,
      });
      const ms = performance.now() - t0;
      b.end();
      // The first call is the harness's warm-up: left out of the summary.
      if (!warm) {
        warm = true;
        return;
      }
      run.ms.push(ms);
      run.report = report;
    },
  });
}
