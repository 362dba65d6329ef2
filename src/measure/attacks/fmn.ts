/**
 * The fast minimum-norm attack, ℓ2 version (FMN: Pintor, Roli, Brendel &
 * Biggio, NeurIPS 2021), for a binary classifier, warm-started from a flip
 * already found (DeepFool's by default).
 *
 * FMN keeps a perturbation δ and a radius ε and alternates a normalised
 * gradient step on the margin M(δ) = y·N(x + δ) with a projection onto the
 * ball ‖δ‖ ≤ ε, adapting ε to what it sees. At step k = 0, …, K − 1, with
 * the cosine schedule c_k = (1 + cos(πk/K))/2,
 *
 *   α_k = s·(α_end + (α_start − α_end)·c_k),   γ_k = γ_end + (γ_start − γ_end)·c_k,
 *
 *   if M(δ) ≤ 0 (adversarial):  record δ if ‖δ‖ is the smallest so far,
 *                               ε ← min(ε·(1 − γ_k), ‖δ_best‖)   (shrink);
 *   else if a flip is known:    ε ← ε·(1 + γ_k)                   (grow a little);
 *   else:                       ε ← ‖δ‖ + M(δ)/‖∇M(δ)‖            (first-order estimate);
 *
 *   δ ← δ − α_k·∇M(δ)/‖∇M(δ)‖,   then δ ← δ·min(1, ε/‖δ‖).
 *
 * The step is a length, so it is scaled by s, the radius of the warm-start
 * flip (or, without one, the first-order distance M(0)/‖∇M(0)‖): the
 * schedule is the same for every point whatever its distance to the
 * boundary. Starting on the boundary (the warm start), the iterate slides
 * along it towards smaller norms while ε closes in.
 *
 * The best δ of a run only names a direction: the reported flip is the
 * smallest flipping multiple of it, exact along the ray and verified in
 * float64 (`./verify.ts`). A point keeps the warm start's flip when FMN
 * finds nothing smaller, so FMN never does worse than its warm start.
 *
 * Reach: ε shrinks by at most the factor 1 − γ_k per step, so K = 100
 * steps can bring it down by Π_k(1 − γ_k) ≈ e^(−Σγ_k) ≈ e^(−2.55) ≈ 1/13
 * at most: a warm start more than about ten times the minimum radius is
 * not fully recovered (pass more `steps`). On the suite's trained networks
 * DeepFool's flips are within 2.2 times of the best found (measured at CI
 * and paper size), well inside that reach.
 *
 * Restarts ({@linkcode FMN_RESTARTS} runs in all): run 0 starts at the warm
 * start; run q ≥ 1 at the warm start plus a random perturbation of norm
 * {@linkcode FMN_RESTART_NOISE}·s (seeded `Rng`). All points step
 * together: two matrix products per step (`./batch.ts`).
 *
 * @module
 */

import { Rng } from "../../model/rng.ts";
import { randomUnitVector } from "../flips.ts";
import type { AttackBatch } from "./batch.ts";
import {
  deepFool,
  type DeepFoolOptions,
  firstOrderDistances,
} from "./deepfool.ts";
import {
  type AttackRun,
  bestFlips,
  flipsAlong,
  type VerifiedFlip,
} from "./verify.ts";

/** Steps K of one FMN run. */
export const FMN_STEPS = 100;
/** Initial step length α_start, in units of the scale s of each point. */
export const FMN_ALPHA_START = 0.5;
/** Final step length α_end (cosine-annealed from α_start), in units of s. */
export const FMN_ALPHA_END = 0.005;
/** Initial relative change γ_start of the radius ε per step. */
export const FMN_GAMMA_START = 0.05;
/** Final relative change γ_end of ε (cosine-annealed from γ_start). */
export const FMN_GAMMA_END = 0.001;
/** Number of runs: one from the warm start, the others from noisy copies of it. */
export const FMN_RESTARTS = 1;
/** Norm of the random perturbation of a restart, in units of s. */
export const FMN_RESTART_NOISE = 0.5;

/** Options of {@linkcode fastMinimumNorm}. */
export interface FmnOptions {
  /** Steps per run (default {@linkcode FMN_STEPS}). */
  steps?: number;
  /** α_start (default {@linkcode FMN_ALPHA_START}). */
  alphaStart?: number;
  /** α_end (default {@linkcode FMN_ALPHA_END}). */
  alphaEnd?: number;
  /** γ_start (default {@linkcode FMN_GAMMA_START}). */
  gammaStart?: number;
  /** γ_end (default {@linkcode FMN_GAMMA_END}). */
  gammaEnd?: number;
  /** Number of runs (default {@linkcode FMN_RESTARTS}). */
  restarts?: number;
  /** Restart noise over s (default {@linkcode FMN_RESTART_NOISE}). */
  restartNoise?: number;
  /** Seed of the restarts (default 0). */
  seed?: number | bigint;
  /** The flips to start from (default: {@linkcode deepFool} on the batch). */
  warmStart?: AttackRun;
  /** Options of the default warm start. */
  deepFool?: DeepFoolOptions;
}

/** The annealed schedule of one run. */
interface Schedule {
  steps: number;
  alphaStart: number;
  alphaEnd: number;
  gammaStart: number;
  gammaEnd: number;
}

/** The state of one FMN run over the batch's points. */
interface RunState {
  /** Points that step (clean margin > 0 and a finite scale). */
  rows: number[];
  /** δ, n×d (rows of other points unused). */
  delta: Float64Array;
  /** The step scale s of each point. */
  scale: Float64Array;
  /** The radius ε of each point. */
  eps: Float64Array;
  /** Smallest adversarial ‖δ‖ seen (or the warm start's). */
  bestNorm: Float64Array;
  /** The δ of `bestNorm`, per point (null until one is known). */
  best: (Float64Array | null)[];
  /** The warm start's δ as first put in `best` (null where none). */
  start: (Float64Array | null)[];
}

/** Run the FMN iteration of the module doc on `state` in place. */
function iterate(batch: AttackBatch, state: RunState, at: Schedule): void {
  const { d } = batch;
  const { rows, delta, scale, eps, bestNorm, best } = state;
  const { steps, alphaStart, alphaEnd, gammaStart, gammaEnd } = at;
  const z = new Float64Array(rows.length * d);
  for (let k = 0; k < steps && rows.length > 0; k++) {
    const c = (1 + Math.cos((Math.PI * k) / steps)) / 2;
    const alpha = alphaEnd + (alphaStart - alphaEnd) * c;
    const gamma = gammaEnd + (gammaStart - gammaEnd) * c;
    rows.forEach((i, j) => z.set(delta.subarray(i * d, (i + 1) * d), j * d));
    const { margins, gradients } = batch.linearize({ rows, z });
    rows.forEach((i, j) => {
      const di = delta.subarray(i * d, (i + 1) * d);
      const g = gradients.subarray(j * d, (j + 1) * d);
      const margin = margins[j];
      const norm = Math.sqrt(squaredNorm64(di));
      const gNorm = Math.sqrt(squaredNorm32(g));
      if (margin <= 0) {
        if (norm < bestNorm[i]) {
          bestNorm[i] = norm;
          best[i] = Float64Array.from(di);
        }
        eps[i] = Math.min(eps[i] * (1 - gamma), bestNorm[i]);
      } else if (best[i] !== null) {
        eps[i] *= 1 + gamma;
      } else if (gNorm > 0) {
        eps[i] = norm + margin / gNorm;
      }
      if (gNorm > 0) {
        const step = (alpha * scale[i]) / gNorm;
        for (let t = 0; t < d; t++) di[t] -= step * g[t];
      }
      const moved = Math.sqrt(squaredNorm64(di));
      if (moved > eps[i]) {
        const shrink = eps[i] / moved;
        for (let t = 0; t < d; t++) di[t] *= shrink;
      }
    });
  }
}

// Two copies of one sum, so that each sees one array type: a single
// function fed both float64 iterates and float32 gradients runs its loop
// several times slower (polymorphic element loads). Same order, same bits.

/** Σ u_t² of a float64 vector. */
function squaredNorm64(u: Float64Array): number {
  let s = 0;
  for (let t = 0; t < u.length; t++) s += u[t] * u[t];
  return s;
}

/** Σ u_t² of a float32 vector, summed in float64. */
function squaredNorm32(u: Float32Array): number {
  let s = 0;
  for (let t = 0; t < u.length; t++) s += u[t] * u[t];
  return s;
}

/**
 * FMN (ℓ2) on every point of the batch, warm-started (see the module doc):
 * per point the smallest verified flip of the warm start and the runs. The
 * unverified count is FMN's own (the warm start's is not added).
 *
 * @example One neuron, from a poor warm start: FMN finds a/‖w‖ = 4
 * ```ts
 * import { AttackBatch } from "./batch.ts";
 * import { fastMinimumNorm } from "./fmn.ts";
 * import { flipRadii, flipsAlong } from "./verify.ts";
 * import { initBackend } from "../../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const net = { d: 2, m: 1, w: [3, 4], b: [-5], v: [2] }; // 2 relu(3x1 + 4x2 - 5)
 * const batch = new AttackBatch(net, { x: [3, 4], y: [1] });
 * const warmStart = flipsAlong(batch, [[-1, 0]]); // radius 20/3
 * const radius = flipRadii(fastMinimumNorm(batch, { warmStart }))[0];
 * assert.ok(radius >= 4 && radius < 4.001);
 * ```
 */
export function fastMinimumNorm(
  batch: AttackBatch,
  options: FmnOptions = {},
): AttackRun {
  const {
    steps = FMN_STEPS,
    alphaStart = FMN_ALPHA_START,
    alphaEnd = FMN_ALPHA_END,
    gammaStart = FMN_GAMMA_START,
    gammaEnd = FMN_GAMMA_END,
    restarts = FMN_RESTARTS,
    restartNoise = FMN_RESTART_NOISE,
    seed = 0,
  } = options;
  const warm = options.warmStart ?? deepFool(batch, options.deepFool);
  const { d, n } = batch;
  if (warm.flips.length !== n) {
    throw new RangeError(
      `fastMinimumNorm: warm start has ${warm.flips.length} points, batch ${n}`,
    );
  }
  const scale = warmScales(batch, warm.flips);
  const rng = new Rng(seed);
  const runs: AttackRun[] = [{ flips: warm.flips, unverified: 0 }];
  for (let s = 0; s < Math.max(1, restarts); s++) {
    const state = startState(batch, { warm: warm.flips, scale });
    if (s > 0) {
      for (const i of state.rows) {
        const u = randomUnitVector(rng, d);
        for (let t = 0; t < d; t++) {
          state.delta[i * d + t] += restartNoise * scale[i] * u[t];
        }
      }
    }
    iterate(batch, state, {
      steps,
      alphaStart,
      alphaEnd,
      gammaStart,
      gammaEnd,
    });
    // Settle only the directions FMN moved away from the warm start.
    runs.push(flipsAlong(
      batch,
      state.best.map((b, i) => b === state.start[i] ? null : b),
    ));
  }
  return bestFlips(runs);
}

/**
 * The step scale s of each point: its warm-start radius, or its first-order
 * distance where the warm start has no flip (computed only then).
 */
function warmScales(
  batch: AttackBatch,
  warm: readonly (VerifiedFlip | null)[],
): Float64Array {
  const distances = warm.some((f) => f === null)
    ? firstOrderDistances(batch)
    : null;
  return Float64Array.from(
    warm,
    (flip, i) => flip?.radius ?? distances?.[i] ?? Infinity,
  );
}

/** A fresh run state at the warm start (δ = its flip, ε = its radius). */
function startState(
  batch: AttackBatch,
  start: { warm: readonly (VerifiedFlip | null)[]; scale: Float64Array },
): RunState {
  const { d, n } = batch;
  const { warm, scale } = start;
  const state: RunState = {
    rows: [],
    delta: new Float64Array(n * d),
    scale,
    eps: new Float64Array(n).fill(Infinity),
    bestNorm: new Float64Array(n).fill(Infinity),
    best: new Array(n).fill(null),
    start: new Array(n).fill(null),
  };
  for (let i = 0; i < n; i++) {
    if (!(batch.margins[i] > 0) || !(scale[i] > 0 && scale[i] < Infinity)) {
      continue;
    }
    state.rows.push(i);
    const flip = warm[i];
    if (flip === null) continue;
    state.delta.set(flip.perturbation, i * d);
    state.eps[i] = state.bestNorm[i] = flip.radius;
    state.best[i] = state.start[i] = Float64Array.from(flip.perturbation);
  }
  return state;
}
