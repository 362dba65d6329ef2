/**
 * The WebAssembly SIMD products (`src/backend/simd_gemm.ts`) against what
 * they replace on the `wasm` backend and against OpenBLAS, at the shapes
 * the claims multiply at CI size:
 *
 * - float32: K·G of a span step (n = m = 100: 100×100 by 100×100), X·Wᵀ of
 *   a plain step (192×192 by 192×100), and the attacks' P·Wᵀ (30 points,
 *   d = 1000, m = 100; W transposed) and C·W; each by the SIMD `sgemm`,
 *   by `tf.matMul` on the wasm backend with its own XNNPACK kernel and with
 *   the SIMD kernel installed, and by OpenBLAS `sgemm` where it loads;
 * - float64: the same K·G and the multiclass flow's C·V (100×10 by 10×100),
 *   by the SIMD `dgemm`, the TypeScript `gemm64` and OpenBLAS `dgemm`.
 *
 * Run with `deno bench --allow-read --allow-env --allow-ffi --allow-sys
 * bench/simd_gemm_bench.ts`. A summary of the median time per call and
 * its rate (m·n·k multiply-adds per call) is printed when the run ends:
 * on a shared machine the median is steadier than the harness's mean.
 * OpenBLAS runs single-threaded, as in the workers.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";
import {
  backendAvailable,
  initBackend,
  loadOpenBlas,
} from "../src/backend/mod.ts";
import { loadSimdGemm } from "../src/backend/simd_gemm.ts";
import {
  installSimdKernels,
  restoreWasmKernels,
} from "../src/backend/simd_kernels.ts";
import { gemm64 } from "../src/flow/float64_engine.ts";
import { Rng } from "../src/model/rng.ts";

/** One product shape: op(A) m×k, op(B) k×n, B stored transposed or not. */
interface Shape {
  label: string;
  m: number;
  n: number;
  k: number;
  transB: boolean;
}

const F32_SHAPES: Shape[] = [
  { label: "span K·G", m: 100, n: 100, k: 100, transB: false },
  { label: "plain X·Wᵀ", m: 192, n: 100, k: 192, transB: false },
  { label: "attack P·Wᵀ", m: 30, n: 100, k: 1000, transB: true },
  { label: "attack C·W", m: 30, n: 1000, k: 100, transB: false },
];
const F64_SHAPES: Shape[] = [
  { label: "span K·G", m: 100, n: 100, k: 100, transB: false },
  { label: "multiclass C·V", m: 100, n: 100, k: 10, transB: false },
];

const rng = new Rng(2024n);
const simd = loadSimdGemm();
const blas = loadOpenBlas();
const wasm = backendAvailable("wasm");

blas?.setThreads(1);

/** Timed milliseconds of every call, and multiply-adds per call, per benchmark. */
const timings = new Map<string, { ms: number[]; macs: number }>();

globalThis.addEventListener("unload", () => {
  if (timings.size === 0) return;
  console.log("\nmedian time per call, multiply-adds per second:");
  const width = Math.max(...[...timings.keys()].map((name) => name.length));
  for (const [name, { ms, macs }] of timings) {
    if (ms.length === 0) continue;
    const per = ms.sort((x, y) => x - y)[ms.length >> 1];
    console.log(
      `  ${name.padEnd(width)} ${per.toFixed(3).padStart(9)} ms  ` +
        `${(macs / per / 1e6).toFixed(2).padStart(7)} GMAC/s`,
    );
  }
});

/** A benchmark timing `f` (after `setup`) under `name`, in `group`. */
function bench(
  name: string,
  options: { group: string; macs: number; ignore: boolean; baseline?: boolean },
  f: () => void,
  setup: () => Promise<void> = () => Promise.resolve(),
): void {
  Deno.bench({
    name,
    group: options.group,
    ignore: options.ignore,
    baseline: options.baseline ?? false,
    async fn(b) {
      await setup();
      b.start();
      const t0 = performance.now();
      f();
      const ms = performance.now() - t0;
      b.end();
      const t = timings.get(name) ?? { ms: [], macs: options.macs };
      t.ms.push(ms);
      timings.set(name, t);
    },
  });
}

for (const s of F32_SHAPES) {
  const { m, n, k, transB } = s;
  const a = Float32Array.from(rng.normalArray(m * k));
  const b = Float32Array.from(rng.normalArray(k * n));
  const c = new Float32Array(m * n);
  const group = `float32 ${s.label} (${m}×${k})·(${k}×${n})`;
  const macs = m * n * k;
  const options = { m, n, k, c, transB };
  bench(
    `simd sgemm: ${s.label}`,
    { group, macs, ignore: simd === null, baseline: true },
    () => simd!.sgemm(a, b, options),
  );
  bench(
    `OpenBLAS sgemm: ${s.label}`,
    { group, macs, ignore: blas === null },
    () => blas!.sgemm(a, b, options),
  );
  for (const kernel of ["XNNPACK", "simd"] as const) {
    bench(
      `tf.matMul wasm (${kernel}): ${s.label}`,
      { group, macs, ignore: !wasm || (kernel === "simd" && simd === null) },
      () => {
        const out = tf.tidy(() =>
          tf.matMul(
            tf.tensor2d(a, [m, k]),
            tf.tensor2d(b, transB ? [n, k] : [k, n]),
            false,
            transB,
          )
        );
        out.dataSync();
        out.dispose();
      },
      async () => {
        await initBackend("wasm");
        if (kernel === "XNNPACK") restoreWasmKernels();
        else installSimdKernels();
      },
    );
  }
}

for (const s of F64_SHAPES) {
  const { m, n, k, transB } = s;
  const a = rng.normalArray(m * k);
  const b = rng.normalArray(k * n);
  const c = new Float64Array(m * n);
  const group = `float64 ${s.label} (${m}×${k})·(${k}×${n})`;
  const macs = m * n * k;
  const options = { m, n, k, c, transB };
  bench(
    `simd dgemm: ${s.label}`,
    { group, macs, ignore: simd === null, baseline: true },
    () => simd!.dgemm(a, b, options),
  );
  bench(
    `TypeScript gemm64: ${s.label}`,
    { group, macs, ignore: false },
    () => gemm64(a, b, options),
  );
  bench(
    `OpenBLAS dgemm: ${s.label}`,
    { group, macs, ignore: !blas?.hasDgemm() },
    () => blas!.dgemm(a, b, options),
  );
}
