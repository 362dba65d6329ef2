/**
 * What an attack reports, and how it is made exact and verified.
 *
 * A flip of a labelled point (x, y) is a perturbation z with y·N(x + z) ≤ 0
 * (≤, not <: where no neuron is active N = 0, and N*'s dead zone counts, as
 * in `../flip_radius.ts`). Attacks search with float32 products
 * (`./batch.ts`); a perturbation they find only names a direction u. Here
 * it is settled in float64:
 *
 * 1. exact search along the ray: t* = the smallest t ≥ 0 with
 *    y·N(x + t·u/‖u‖) ≤ 0, exact on the piecewise-linear line of a ReLU
 *    network, so t* ≤ ‖z‖ whenever z flips (what `flipRadiusAlong`
 *    computes; here `flipRadius` on the batch's float64 pre-activations A⁰
 *    and the float64 slopes ⟨w_r, u⟩/‖u‖, which saves recomputing A⁰ for
 *    every direction). For the activation relu(z)^p with p ≠ 1 the search
 *    finds the first crossing up to `flipRadius`'s subdivision, bisected to
 *    its relative tolerance, and returns a t where y·N ≤ 0 was evaluated; a
 *    missed dip only lengthens the flip (or loses it), and step 2 checks
 *    every flip the same way;
 * 2. verification: z* = t*(1 + ν)·u/‖u‖ is checked with the float64 forward
 *    pass `networkOutput` for ν = 0, 10⁻¹², 10⁻¹⁰, 10⁻⁸, 10⁻⁶
 *    ({@linkcode VERIFY_NUDGES}) in turn, since the exact root can round to
 *    a value a few ulps above 0; the first z* that flips is reported, with
 *    its norm. If none does, the flip is discarded and counted in
 *    {@linkcode AttackRun.unverified}.
 *
 * A point already misclassified (y·N(x) ≤ 0) has the flip z = 0, radius 0.
 * Every radius an attack reports is therefore the norm of a perturbation
 * that was seen to flip the point in float64: an upper bound on its robust
 * radius.
 *
 * @module
 */

import { flipRadius } from "../flip_radius.ts";
import type { LabelledPoint } from "../../model/data.ts";
import { networkOutput, neuronSlopes } from "../../model/forward.ts";
import type { NetworkWeights } from "../../model/weights.ts";
import type { AttackBatch } from "./batch.ts";

/** Relative nudges ν past the exact root tried when verifying a flip (see the module doc). */
export const VERIFY_NUDGES: readonly number[] = [0, 1e-12, 1e-10, 1e-8, 1e-6];

/** A perturbation verified in float64 to flip its point, and its norm. */
export interface VerifiedFlip {
  /** z (length d) with y·N(x + z) ≤ 0 in float64. */
  perturbation: Float64Array;
  /** ‖z‖. */
  radius: number;
}

/** What an attack returns for the points of a batch. */
export interface AttackRun {
  /** Per point, its smallest verified flip, or null when none was found. */
  flips: (VerifiedFlip | null)[];
  /** Flips proposed but not verified in float64 (discarded). */
  unverified: number;
}

/**
 * Whether y·N(x + z) ≤ 0 in float64, for a labelled point and a
 * perturbation z.
 *
 * @example
 * ```ts
 * import { isFlip } from "./verify.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 1, m: 1, w: [1], b: [-1], v: [1] }; // relu(x - 1)
 * assert.equal(isFlip(net, { x: [3], label: 1, perturbation: [-2] }), true); // N = 0
 * assert.equal(isFlip(net, { x: [3], label: 1, perturbation: [-1.5] }), false);
 * ```
 */
export function isFlip(
  weights: NetworkWeights,
  probe: LabelledPoint & { perturbation: ArrayLike<number> },
): boolean {
  const { x, label, perturbation: z } = probe;
  // A plain loop: `Float64Array.from` with a map function is several times
  // slower, and this runs for every flip proposed.
  const moved = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) moved[i] = x[i] + z[i];
  return label * networkOutput(weights, moved) <= 0;
}

/** The outcome of {@linkcode settleAlong}. */
export interface Settled {
  /** The verified flip, or null. */
  flip: VerifiedFlip | null;
  /** True when a flip was found on the ray but failed verification. */
  unverified: boolean;
}

/**
 * Settle a direction found for point `index` of the batch: the exact
 * smallest flipping multiple of it, verified in float64 (see the module
 * doc), on that row's network ({@linkcode AttackBatch.network}). A null,
 * zero or non-finite direction gives no flip, unless the point is already
 * misclassified (radius 0).
 *
 * @example
 * ```ts
 * import { AttackBatch } from "./batch.ts";
 * import { settleAlong } from "./verify.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 2, m: 1, w: [1, 0], b: [-1], v: [1] }; // relu(x1 - 1)
 * const batch = new AttackBatch(net, { x: [3, 0], y: [1] });
 * const { flip } = settleAlong(batch, { index: 0, direction: [-5, 0] });
 * assert.equal(flip?.radius, 2);
 * ```
 */
export function settleAlong(
  batch: AttackBatch,
  probe: { index: number; direction: ArrayLike<number> | null },
): Settled {
  const { index, direction } = probe;
  const point = batch.labelled(index);
  const { d } = batch;
  // Row `index`'s own network (the batch's, unless the rows carry output
  // weights of their own).
  const weights = batch.network(index);
  if (batch.margins[index] <= 0) {
    const zero = new Float64Array(d);
    return isFlip(weights, { ...point, perturbation: zero })
      ? { flip: { perturbation: zero, radius: 0 }, unverified: false }
      : { flip: null, unverified: true };
  }
  if (direction === null) return { flip: null, unverified: false };
  let norm2 = 0;
  for (let t = 0; t < d; t++) norm2 += direction[t] * direction[t];
  const norm = Math.sqrt(norm2);
  if (!(norm > 0) || !Number.isFinite(norm)) {
    return { flip: null, unverified: false };
  }
  const { m } = batch;
  const slopes = neuronSlopes(weights, direction);
  for (let r = 0; r < m; r++) slopes[r] /= norm;
  const radius = flipRadius({
    offsets: batch.offsets.subarray(index * m, (index + 1) * m),
    slopes,
    outputWeights: batch.outputWeights(index),
    power: batch.power,
  }, point.label);
  if (!Number.isFinite(radius)) return { flip: null, unverified: false };
  for (const nudge of VERIFY_NUDGES) {
    const scale = (radius * (1 + nudge)) / norm;
    const z = new Float64Array(d);
    for (let t = 0; t < d; t++) z[t] = scale * direction[t];
    if (isFlip(weights, { ...point, perturbation: z })) {
      let zNorm = 0;
      for (let t = 0; t < d; t++) zNorm += z[t] * z[t];
      return {
        flip: { perturbation: z, radius: Math.sqrt(zNorm) },
        unverified: false,
      };
    }
  }
  return { flip: null, unverified: true };
}

/**
 * {@linkcode settleAlong} for every point of the batch, point i along
 * `directions[i]` (null: none), as one {@linkcode AttackRun}.
 *
 * @example
 * ```ts
 * import { AttackBatch } from "./batch.ts";
 * import { flipRadii, flipsAlong } from "./verify.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 1, m: 1, w: [1], b: [-1], v: [1] }; // relu(x - 1)
 * const batch = new AttackBatch(net, { x: [3, 0.5], y: [1, 1] });
 * const run = flipsAlong(batch, [[-1], null]); // point 1 is misclassified
 * assert.deepEqual(flipRadii(run), [2, 0]);
 * ```
 */
export function flipsAlong(
  batch: AttackBatch,
  directions: readonly (ArrayLike<number> | null)[],
): AttackRun {
  if (directions.length !== batch.n) {
    throw new RangeError(
      `flipsAlong: ${directions.length} directions for ${batch.n} points`,
    );
  }
  let unverified = 0;
  const flips = directions.map((direction, index) => {
    const settled = settleAlong(batch, { index, direction });
    if (settled.unverified) unverified++;
    return settled.flip;
  });
  return { flips, unverified };
}

/**
 * The radius of every point's flip in a run (`Infinity` where none).
 *
 * @example
 * ```ts
 * import { flipRadii } from "./verify.ts";
 * import assert from "node:assert/strict";
 * const run = { flips: [{ perturbation: new Float64Array([3, 4]), radius: 5 }, null], unverified: 0 };
 * assert.deepEqual(flipRadii(run), [5, Infinity]);
 * ```
 */
export function flipRadii(run: AttackRun): number[] {
  return run.flips.map((flip) => flip?.radius ?? Infinity);
}

/**
 * Per point, the smallest flip of several runs on the same batch (the
 * first on ties); the unverified counts add up.
 *
 * @example
 * ```ts
 * import { bestFlips, flipRadii } from "./verify.ts";
 * import assert from "node:assert/strict";
 * const flip = (radius: number) => ({ perturbation: new Float64Array([radius]), radius });
 * const a = { flips: [flip(2), null], unverified: 1 };
 * const b = { flips: [flip(3), flip(1)], unverified: 0 };
 * const best = bestFlips([a, b]);
 * assert.deepEqual(flipRadii(best), [2, 1]);
 * assert.equal(best.unverified, 1);
 * ```
 */
export function bestFlips(runs: readonly AttackRun[]): AttackRun {
  if (runs.length === 0) throw new RangeError("bestFlips: no runs");
  const flips = runs[0].flips.map((_, i) => {
    let best: VerifiedFlip | null = null;
    for (const run of runs) {
      const flip = run.flips[i];
      if (flip !== null && (best === null || flip.radius < best.radius)) {
        best = flip;
      }
    }
    return best;
  });
  return { flips, unverified: runs.reduce((s, r) => s + r.unverified, 0) };
}
