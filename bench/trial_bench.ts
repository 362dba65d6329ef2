/**
 * Whole-trial time of the standard C4 CI instance,
 * `c4Trial(seed, c4Configs("ci")[0])` ((d, k, n, m) = (1000, 40, 200, 100),
 * 500 test points, 64 attacked): drawing the instance, training it by
 * gradient flow (engine `auto`: `native` on the blas and cpu backends when
 * OpenBLAS loads, `simd` on wasm) and bracketing the robust radii of the
 * trained network and of N* with the attacks, on each backend.
 *
 * Run with `deno bench --allow-all bench/trial_bench.ts`. A summary (ms per
 * trial, flow steps per trial, the flow engine) is printed when the run
 * ends.
 *
 * @module
 */

import {
  backendAvailable,
  type BackendName,
  describeBackend,
  initBackend,
} from "../src/backend/backends.ts";
import { c4Configs, c4Trial } from "../src/claims/c4_non_robustness.ts";
import { autoEngine } from "../src/flow/gradient_flow.ts";

const config = c4Configs("ci")[0];

/** Per-backend totals for the summary. */
const timings = new Map<
  string,
  { ms: number; trials: number; steps: number; engine: string }
>();

globalThis.addEventListener("unload", () => {
  if (timings.size === 0) return;
  console.log(`\nC4 CI trial (${config.key}):`);
  const width = Math.max(...[...timings.keys()].map((k) => k.length));
  for (const [name, t] of timings) {
    if (t.trials === 0) continue;
    console.log(
      `  ${name.padEnd(width)} ${
        (t.ms / t.trials).toFixed(1).padStart(8)
      } ms/trial  ` +
        `${(t.steps / t.trials).toFixed(0).padStart(5)} flow steps  ` +
        `(flow engine ${t.engine})`,
    );
  }
});

for (const backend of ["blas", "wasm", "cpu"] as BackendName[]) {
  let seed = 0;
  Deno.bench({
    name: `c4Trial on ${backend}`,
    group: "c4-ci-trial",
    baseline: backend === "blas",
    ignore: !backendAvailable(backend),
    n: 6,
    warmup: 1,
    async fn(b) {
      await initBackend(backend);
      const s = seed++ % 3;
      b.start();
      const t0 = performance.now();
      const result = c4Trial(s, config);
      const ms = performance.now() - t0;
      b.end();
      const name = describeBackend(backend);
      const t = timings.get(name) ??
        { ms: 0, trials: 0, steps: 0, engine: autoEngine() };
      // The first call of each backend is the harness's warm-up.
      if (seed > 1) {
        t.ms += ms;
        t.trials += 1;
        t.steps += Number(result.values.steps);
      }
      timings.set(name, t);
    },
  });
}
