/**
 * DeepFool for a binary classifier (Moosavi-Dezfooli, Fawzi & Frossard,
 * CVPR 2016): iterated linearisation of the margin M(z) = y·N(x + z).
 *
 * At each iterate the margin is replaced by its first-order model
 * M(z) + ⟨∇M(z), z' − z⟩, whose zero set is a hyperplane at distance
 * M(z)/‖∇M(z)‖ from z; the step goes to it and a little beyond:
 *
 *   z ← z − (1 + η)·M(z)/‖∇M(z)‖²·∇M(z),   ∇M = y·∇N,
 *
 * with overshoot η ({@linkcode DEEPFOOL_OVERSHOOT}), until M(z) ≤ 0, ∇M = 0
 * or {@linkcode DEEPFOOL_MAX_ITERATIONS} steps. On a network that is linear
 * near x (one activation pattern between x and the boundary) one step lands
 * (1 + η) times the exact distance away along the exact normal. The found z
 * then only names a direction: the reported flip is the smallest flipping
 * multiple of z, found exactly along the ray and verified in float64
 * (`./verify.ts`), so the overshoot does not inflate the radius.
 *
 * All points of the batch step together: one evaluation is two matrix
 * products (`./batch.ts`); a point leaves the batch once it is flipped.
 *
 * Restarts ({@linkcode DEEPFOOL_RESTARTS} runs in all): the first run starts
 * at z = 0; run q ≥ 1 starts at a random z₀ of norm
 * {@linkcode DEEPFOOL_RESTART_SCALE} times the first-order distance
 * M(0)/‖∇M(0)‖ (a uniformly random direction from a seeded `Rng`), which
 * lets the linearisation start in another activation region. Each point
 * keeps its smallest verified flip over the runs.
 *
 * @module
 */

import { Rng } from "../../model/rng.ts";
import { randomUnitVector } from "../flips.ts";
import type { AttackBatch } from "./batch.ts";
import { type AttackRun, bestFlips, flipsAlong } from "./verify.ts";

/** Largest number of linearisation steps of one run. */
export const DEEPFOOL_MAX_ITERATIONS = 50;
/** Overshoot η of each step (the step goes (1 + η) times to the linear boundary). */
export const DEEPFOOL_OVERSHOOT = 0.02;
/** Number of runs: one from z = 0, the others from random starts. */
export const DEEPFOOL_RESTARTS = 1;
/** Norm of a random start, in units of the first-order distance M(0)/‖∇M(0)‖. */
export const DEEPFOOL_RESTART_SCALE = 0.5;

/** Options of {@linkcode deepFool}. */
export interface DeepFoolOptions {
  /** Steps per run (default {@linkcode DEEPFOOL_MAX_ITERATIONS}). */
  maxIterations?: number;
  /** Overshoot η (default {@linkcode DEEPFOOL_OVERSHOOT}). */
  overshoot?: number;
  /** Number of runs (default {@linkcode DEEPFOOL_RESTARTS}). */
  restarts?: number;
  /** Norm of a random start over the first-order distance (default {@linkcode DEEPFOOL_RESTART_SCALE}). */
  restartScale?: number;
  /** Seed of the random starts (default 0). */
  seed?: number | bigint;
}

/**
 * The iterates of one DeepFool run from the starts `z` (n×d, modified in
 * place): steps every point whose margin is still positive.
 */
function iterate(
  batch: AttackBatch,
  run: { z: Float64Array; maxIterations: number; overshoot: number },
): void {
  const { z, maxIterations, overshoot } = run;
  const { d, n } = batch;
  let active: number[] = [];
  for (let i = 0; i < n; i++) if (batch.margins[i] > 0) active.push(i);
  for (let it = 0; it < maxIterations && active.length > 0; it++) {
    const rows = new Float64Array(active.length * d);
    active.forEach((i, k) => rows.set(z.subarray(i * d, (i + 1) * d), k * d));
    const { margins, gradients } = batch.linearize({ rows: active, z: rows });
    const next: number[] = [];
    active.forEach((i, k) => {
      const margin = margins[k];
      if (margin <= 0) return;
      let g2 = 0;
      for (let t = 0; t < d; t++) g2 += gradients[k * d + t] ** 2;
      if (!(g2 > 0)) return;
      const step = ((1 + overshoot) * margin) / g2;
      for (let t = 0; t < d; t++) z[i * d + t] -= step * gradients[k * d + t];
      next.push(i);
    });
    active = next;
  }
}

/**
 * DeepFool on every point of the batch (see the module doc): per point the
 * smallest verified flip over the runs, or null.
 *
 * @example One neuron: the exact distance a/‖w‖
 * ```ts
 * import { AttackBatch } from "./batch.ts";
 * import { deepFool } from "./deepfool.ts";
 * import { flipRadii } from "./verify.ts";
 * import { initBackend } from "../../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const net = { d: 2, m: 1, w: [3, 4], b: [-5], v: [2] }; // 2 relu(3x1 + 4x2 - 5)
 * const run = deepFool(new AttackBatch(net, { x: [3, 4], y: [1] }));
 * assert.ok(Math.abs(flipRadii(run)[0] - 4) < 1e-9); // a = 20, ‖w‖ = 5
 * ```
 */
export function deepFool(
  batch: AttackBatch,
  options: DeepFoolOptions = {},
): AttackRun {
  const {
    maxIterations = DEEPFOOL_MAX_ITERATIONS,
    overshoot = DEEPFOOL_OVERSHOOT,
    restarts = DEEPFOOL_RESTARTS,
    restartScale = DEEPFOOL_RESTART_SCALE,
    seed = 0,
  } = options;
  const { d, n } = batch;
  const rng = new Rng(seed);
  const runs: AttackRun[] = [];
  let distances: Float64Array | null = null;
  for (let s = 0; s < Math.max(1, restarts); s++) {
    const z = new Float64Array(n * d);
    if (s > 0) {
      distances ??= firstOrderDistances(batch);
      for (let i = 0; i < n; i++) {
        const u = randomUnitVector(rng, d);
        const scale = restartScale * distances[i];
        if (Number.isFinite(scale)) {
          for (let t = 0; t < d; t++) z[i * d + t] = scale * u[t];
        }
      }
    }
    iterate(batch, { z, maxIterations, overshoot });
    runs.push(flipsAlong(
      batch,
      Array.from({ length: n }, (_, i) => z.subarray(i * d, (i + 1) * d)),
    ));
  }
  return bestFlips(runs);
}

/**
 * The first-order distance M(0)/‖∇M(0)‖ of every point of the batch to
 * its linearised boundary (0 for a misclassified point, `Infinity` where
 * the gradient vanishes).
 *
 * @example
 * ```ts
 * import { AttackBatch } from "./batch.ts";
 * import { firstOrderDistances } from "./deepfool.ts";
 * import { initBackend } from "../../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const net = { d: 2, m: 1, w: [3, 4], b: [-5], v: [2] };
 * const batch = new AttackBatch(net, { x: [3, 4, 0, 0], y: [1, 1] });
 * assert.deepEqual([...firstOrderDistances(batch)], [4, 0]);
 * ```
 */
export function firstOrderDistances(batch: AttackBatch): Float64Array {
  const { d, n } = batch;
  const rows = Array.from({ length: n }, (_, i) => i);
  const { margins, gradients } = batch.linearize({
    rows,
    z: new Float64Array(n * d),
  });
  return Float64Array.from(rows, (i) => {
    if (margins[i] <= 0) return 0;
    let g2 = 0;
    for (let t = 0; t < d; t++) g2 += gradients[i * d + t] ** 2;
    return g2 > 0 ? margins[i] / Math.sqrt(g2) : Infinity;
  });
}
