/**
 * Flip radii over a whole test set: for every correctly classified point,
 * the exact distance to a sign flip of the network along a fixed attack
 * direction (C4's -y·Σ_j y_j μ_j), and optionally whether a random unit
 * direction flips it within a given radius (C4's control). Used by C4, C5,
 * C7 and N1. A network with a power p ≠ 1 (activation relu(z)^p) is
 * measured with `flipRadius`'s p ≠ 1 search (the first crossing up to its
 * subdivision, see `flip_radius.ts`).
 *
 * The attack line of point i with label y is x_i + t·(-y·u) for the unit
 * direction u, so its slopes are -y·⟨w_r, u⟩, computed once for the network;
 * the offsets are the pre-activations at x_i from the tensor backend (the
 * same float32 evaluation as the network's outputs).
 *
 * @module
 */

import type { Instance } from "../model/instance.ts";
import type { LabelledPoints } from "../model/data.ts";
import { signedMeanSum } from "../model/data.ts";
import { neuronSlopes, outputFromPreActivations } from "../model/forward.ts";
import { tensorPreActivations } from "../model/network.ts";
import type { Rng } from "../model/rng.ts";
import { networkPower, type NetworkWeights } from "../model/weights.ts";
import { flipRadius } from "./flip_radius.ts";

/**
 * A uniformly random unit vector of dimension d (d normal draws from `rng`).
 *
 * @example
 * ```ts
 * import { randomUnitVector } from "./flips.ts";
 * import { Rng } from "../model/rng.ts";
 * import assert from "node:assert/strict";
 * const u = randomUnitVector(new Rng(2), 50);
 * assert.ok(Math.abs(Math.hypot(...u) - 1) < 1e-12);
 * ```
 */
export function randomUnitVector(rng: Rng, d: number): Float64Array {
  const u = rng.normalArray(d);
  let norm = 0;
  for (const x of u) norm += x * x;
  norm = Math.sqrt(norm);
  return u.map((x) => x / norm);
}

/** The random-direction control of {@linkcode measureFlips}. */
export interface RandomDirections {
  /** Where the directions are drawn from (d normal draws each, in order). */
  rng: Rng;
  /** How many random unit directions; point i uses direction i mod count. */
  count: number;
  /** A random direction "flips" a point when its flip radius is at most this (in units of `scale`). */
  maxRatio: number;
}

/** Options of {@linkcode measureFlips}. */
export interface FlipOptions {
  /** The attack direction u (length d, not necessarily normalised); point i moves along -y_i·u. */
  direction: ArrayLike<number>;
  /** The unit of the reported ratios: ratio = flip radius / scale. */
  scale: number;
  /** The random-direction control; without it `randomFlips` is empty and nothing is drawn. */
  random?: RandomDirections;
}

/** Per-point flip measurements on one network and a set of labelled points. */
export interface FlipMeasurements {
  /** Flip radius / scale along the attack direction, per correctly classified point. */
  ratios: number[];
  /** Flip radius / ‖x‖, per correctly classified point. */
  normRatios: number[];
  /** Whether the random direction of each such point flips within `maxRatio·scale` (empty without the control). */
  randomFlips: boolean[];
  /** Index in the sample of each such point. */
  indices: number[];
}

/**
 * Exact flip radii of a network at every correctly classified point of
 * `points` along -y·u (see the module doc), and the random-direction control
 * when asked for. Misclassified points (y·N(x) ≤ 0) are skipped.
 *
 * @example N(x) = x_1: along -y·e_1 the flip radius of x is |x_1|
 * ```ts
 * import { measureFlips } from "./flips.ts";
 * import { initBackend } from "../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const weights = {
 *   d: 2, m: 2,
 *   w: new Float32Array([1, 0, -1, 0]), b: new Float32Array([0, 0]), v: new Float32Array([1, -1]),
 * };
 * const points = { x: new Float32Array([2, 5, -0.5, 1]), y: new Float32Array([1, -1]) };
 * const flips = measureFlips(weights, points, { direction: [3, 0], scale: 1 });
 * assert.deepEqual(flips.ratios, [2, 0.5]);
 * ```
 */
export function measureFlips(
  weights: NetworkWeights<Float32Array>,
  points: LabelledPoints<Float32Array>,
  options: FlipOptions,
): FlipMeasurements {
  const { d, m, v } = weights;
  const power = networkPower(weights);
  const { x, y } = points;
  const { direction, scale, random } = options;
  const n = y.length;
  let norm = 0;
  for (let t = 0; t < d; t++) norm += direction[t] * direction[t];
  norm = Math.sqrt(norm);
  const unit = Float64Array.from(direction, (s) => s / norm);
  const slopes = neuronSlopes(weights, unit);
  const randomSlopes = random === undefined ? [] : Array.from(
    { length: random.count },
    () => neuronSlopes(weights, randomUnitVector(random.rng, d)),
  );
  const z = tensorPreActivations(weights, x);
  const out: FlipMeasurements = {
    ratios: [],
    normRatios: [],
    randomFlips: [],
    indices: [],
  };
  const offsets = new Float64Array(m);
  const along = new Float64Array(m);
  const line = { offsets, slopes: along, outputWeights: v, power };
  const maxRandom = random === undefined ? 0 : random.maxRatio * scale;
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) offsets[r] = z[i * m + r];
    const output = outputFromPreActivations(offsets, weights);
    const label = y[i];
    if (label * output <= 0) continue;
    for (let r = 0; r < m; r++) along[r] = -label * slopes[r];
    const radius = flipRadius(line, label);
    let xNorm = 0;
    for (let t = 0; t < d; t++) xNorm += x[i * d + t] * x[i * d + t];
    out.indices.push(i);
    out.ratios.push(radius / scale);
    out.normRatios.push(radius / Math.sqrt(xNorm));
    if (randomSlopes.length === 0) continue;
    const slopesOfRandom = randomSlopes[i % randomSlopes.length];
    out.randomFlips.push(
      Number.isFinite(
        flipRadius(
          { offsets, slopes: slopesOfRandom, outputWeights: v, power },
          label,
          {
            maxRadius: maxRandom,
          },
        ),
      ),
    );
  }
  return out;
}

/** Options of {@linkcode flipsOnTestSet}. */
export interface TestSetFlipOptions {
  /**
   * The random-direction control: `count` unit directions drawn from the
   * instance's generator, a flip counted within `maxRatio`·√(d/k).
   */
  random?: { count: number; maxRatio: number };
}

/**
 * {@linkcode measureFlips} of a trained network on an instance's test set,
 * along C4's direction -y·Σ_j y_j μ_j, in units of √(d/k) (also returned as
 * `scale`). The random-direction control, when asked for, draws from the
 * instance's generator.
 */
export function flipsOnTestSet(
  instance: Instance,
  weights: NetworkWeights<Float32Array>,
  options: TestSetFlipOptions = {},
): FlipMeasurements & { scale: number } {
  const { model, test, params } = instance;
  const scale = Math.sqrt(params.d / params.k);
  const random = options.random === undefined
    ? undefined
    : { rng: instance.rng, ...options.random };
  const flips = measureFlips(weights, test, {
    direction: signedMeanSum(model),
    scale,
    random,
  });
  return { ...flips, scale };
}
