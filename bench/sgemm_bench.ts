/**
 * Matrix-product throughput at the shape of one full-batch forward pass,
 * (200×1000)·(1000×512): raw `cblas_sgemm` through the FFI (the roofline)
 * and `tf.matMul` on each available backend.
 *
 * Run with `deno task bench` (or `deno bench --allow-read --allow-env
 * --allow-ffi --allow-sys bench/sgemm_bench.ts`). Besides the harness's
 * time per call, a GFLOP/s summary (2·m·n·k flops per call, from the timed
 * sections only) is printed when the run ends.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import {
  BACKEND_NAMES,
  backendAvailable,
  describeBackend,
  initBackend,
  loadOpenBlas,
} from "../src/backend/mod.ts";
import { Rng } from "../src/model/rng.ts";

const M = 200, K = 1000, N = 512;
const FLOPS = 2 * M * N * K;
const SHAPE = `(${M}x${K})·(${K}x${N})`;

const rng = new Rng(2023n);
const A = Float32Array.from(rng.normalArray(M * K));
const B = Float32Array.from(rng.normalArray(K * N));

/** Timed milliseconds and call counts per benchmark, for the summary. */
const timings = new Map<string, { ms: number; calls: number; seen: number }>();
/** Calls per benchmark left out of the summary as warm-up. */
const SKIP = 2;

/** Add one timed call to the summary (after the first {@linkcode SKIP}). */
function record(name: string, ms: number): void {
  const t = timings.get(name) ?? { ms: 0, calls: 0, seen: 0 };
  t.seen += 1;
  if (t.seen > SKIP) {
    t.ms += ms;
    t.calls += 1;
  }
  timings.set(name, t);
}

globalThis.addEventListener("unload", () => {
  if (timings.size === 0) return;
  console.log(`\nmatMul ${SHAPE}, ${FLOPS / 1e6} MFLOP per call:`);
  const width = Math.max(...[...timings.keys()].map((name) => name.length));
  for (const [name, { ms, calls }] of timings) {
    if (calls === 0) continue;
    const per = ms / calls;
    console.log(
      `  ${name.padEnd(width)} ${per.toFixed(3).padStart(9)} ms  ` +
        `${(FLOPS / per / 1e6).toFixed(1).padStart(7)} GFLOP/s`,
    );
  }
});

const blas = loadOpenBlas();
/** Output of the raw sgemm, reused so its pages are already mapped. */
const C = new Float32Array(M * N);

Deno.bench({
  name: `sgemm via FFI ${SHAPE}`,
  group: "matmul",
  baseline: true,
  ignore: blas === null,
  fn(b) {
    b.start();
    const t0 = performance.now();
    blas!.sgemm(A, B, { m: M, n: N, k: K, c: C });
    record(
      `sgemm via FFI [${describeBackend("blas")}]`,
      performance.now() - t0,
    );
    b.end();
  },
});

for (const name of BACKEND_NAMES) {
  Deno.bench({
    name: `tf.matMul ${SHAPE} on ${name}`,
    group: "matmul",
    ignore: !backendAvailable(name),
    // The plain JavaScript backend takes about a tenth of a second per call.
    ...(name === "cpu" ? { n: 10, warmup: 2 } : {}),
    async fn(b) {
      await initBackend(name);
      const a = tf.tensor(A, [M, K]), bt = tf.tensor(B, [K, N]);
      b.start();
      const t0 = performance.now();
      const c = tf.matMul(a, bt);
      c.dataSync();
      record(`tf.matMul on ${describeBackend(name)}`, performance.now() - t0);
      b.end();
      tf.dispose([a, bt, c]);
    },
  });
}
