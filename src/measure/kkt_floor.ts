/**
 * Where a KKT residual's floor comes from: the neurons that gradient flow is
 * removing, but only slowly. With the multipliers λ and activations s fitted
 * by `approximateKkt` (`./approximate_kkt.ts`), each neuron has a dual value
 * γ_r = ⟨θ̂_r, Σ_i λ_i h_i⟩/‖θ̂_r‖² (1 for every neuron of a KKT point), and
 * the residual's component along its own parameters θ_r = (w_r, b_r, v_r)
 * is (1 - γ_r)‖θ̂_r‖. Under the flow neuron r's share of ‖θ‖² changes like
 * (‖θ‖²)^{γ_r - 1}, and ‖θ‖² grows like log t: a neuron with γ_r < 1 is on
 * its way out of the limit, but its share falls only as (log t)^{-(1 - γ_r)},
 * and while it lasts it leaves a residual of at least
 *
 *   floor = √(Σ_{r losing} share_r (1 - γ_r)²),   share_r = ‖θ_r‖²/‖θ‖²,
 *
 * which falls like (log t)^{-(1 - γ)/2}: with 1 - γ ≈ 0.05, by about 6% per
 * decade of log t. {@linkcode kktFloor} reports that floor, the share of
 * ‖θ‖² the losing neurons hold, their mean gap 1 - γ, and the radial
 * residual √(Σ_r share_r (1 - γ_r)²) over all neurons (≤ the residual).
 *
 * @example Two neurons: one at its KKT scale (γ = 1), one losing (γ = 0.9)
 * ```ts
 * import { kktFloor } from "./kkt_floor.ts";
 * import assert from "node:assert/strict";
 * // ‖θ_0‖² = 0.5 + 0.25 + 2.25 = 3 and ‖θ_1‖² = 1: shares 3/4 and 1/4.
 * const weights = { w: [Math.SQRT1_2, 0], b: [0.5, 0], v: [1.5, 1], d: 1, m: 2 };
 * const floor = kktFloor(weights, { neuronDuals: [1, 0.9], gap: 0.01 });
 * assert.ok(Math.abs(floor.losingShare - 0.25) < 1e-12);
 * assert.ok(Math.abs(floor.losingGap - 0.1) < 1e-12);
 * assert.ok(Math.abs(floor.floor - 0.05) < 1e-12);
 * assert.equal(floor.radial, floor.floor);
 * ```
 *
 * @module
 */

import type { NetworkWeights } from "../model/weights.ts";

/** Inputs of {@linkcode kktFloor} besides the weights. */
export interface KktFloorInputs {
  /** γ_r of each neuron (`ApproximateKktReport.neuronDuals`). */
  neuronDuals: ArrayLike<number>;
  /** A neuron is losing when 1 - γ_r ≥ this. */
  gap: number;
}

/** Result of {@linkcode kktFloor}. */
export interface KktFloor {
  /** √(Σ_r share_r (1 - γ_r)²) over all neurons: the residual's radial part. */
  radial: number;
  /** Share of ‖θ‖² in the losing neurons (1 - γ_r ≥ gap). */
  losingShare: number;
  /** Their share-weighted mean of 1 - γ_r (NaN when there is none). */
  losingGap: number;
  /** √(Σ_{r losing} share_r (1 - γ_r)²): the residual they leave alone. */
  floor: number;
  /** Number of losing neurons. */
  losingNeurons: number;
}

/** The floor of a KKT residual (see the module doc). */
export function kktFloor(
  weights: NetworkWeights,
  inputs: KktFloorInputs,
): KktFloor {
  const { w, b, v, d, m } = weights;
  const { neuronDuals, gap } = inputs;
  if (neuronDuals.length !== m) {
    throw new RangeError(
      `kktFloor: neuronDuals has length ${neuronDuals.length}, expected m = ${m}`,
    );
  }
  const norms = new Float64Array(m);
  let total = 0;
  for (let r = 0; r < m; r++) {
    let s = b[r] * b[r] + v[r] * v[r];
    for (let k = 0; k < d; k++) s += w[r * d + k] ** 2;
    norms[r] = s;
    total += s;
  }
  let radial = 0, share = 0, weightedGap = 0, floor = 0, count = 0;
  for (let r = 0; r < m; r++) {
    const missing = 1 - neuronDuals[r];
    if (!(norms[r] > 0) || !Number.isFinite(missing)) continue;
    const part = norms[r] / total;
    radial += part * missing * missing;
    if (missing >= gap) {
      share += part;
      weightedGap += part * missing;
      floor += part * missing * missing;
      count++;
    }
  }
  return {
    radial: Math.sqrt(radial),
    losingShare: share,
    losingGap: count > 0 ? weightedGap / share : NaN,
    floor: Math.sqrt(floor),
    losingNeurons: count,
  };
}
