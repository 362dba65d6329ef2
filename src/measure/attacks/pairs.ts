/**
 * The pair ceiling: a limit every classifier obeys, used to catch broken
 * certificates.
 *
 * Take two clusters i, j with y_i ≠ y_j and one noise draw ξ, and the
 * coupled pair x = μ_i + ξ, x′ = μ_j + ξ. Their midpoint c = (x + x′)/2
 * lies at distance ‖μ_i − μ_j‖/2 from both. Whatever the classifier N,
 * y_i·N(c) and y_j·N(c) = −y_i·N(c) cannot both be positive, so c flips x
 * or x′ (a flip being y·N ≤ 0), and
 *
 *   min(r(x), r(x′)) ≤ ‖μ_i − μ_j‖/2        (≈ √(d/2) for orthogonal means).
 *
 * A certificate is a lower bound on r, so certified radii above the ceiling
 * on both points of a pair prove the certificate wrong (one point alone may
 * exceed it). {@linkcode coupledPairs} draws such pairs from a cluster
 * model; {@linkcode checkPairCeilings} checks certificates on them.
 *
 * @module
 */

import type { ClusterModel, LabelledPoint } from "../../model/data.ts";
import type { Rng } from "../../model/rng.ts";
import type { NetworkWeights } from "../../model/weights.ts";
import { certifiedRadiusAt } from "../certified_radius.ts";
import { SOUNDNESS_MARGIN } from "./ensemble.ts";

/** Two points with the same noise in clusters of opposite labels. */
export interface CoupledPair {
  /** x = μ_i + ξ with its label y_i. */
  first: LabelledPoint & { x: Float64Array };
  /** x′ = μ_j + ξ with its label y_j = −y_i. */
  second: LabelledPoint & { x: Float64Array };
  /** The clusters (i, j). */
  clusters: [number, number];
  /** ‖μ_i − μ_j‖/2: min(r(x), r(x′)) is at most this for any classifier. */
  ceiling: number;
}

/**
 * `count` coupled pairs from a cluster model: for each, a uniform cluster
 * i, a uniform cluster j among those of the other label, and ξ ~ N(0, σ²I_d),
 * drawn from `rng` in that order.
 *
 * @example
 * ```ts
 * import { coupledPairs } from "./pairs.ts";
 * import { clusterModel } from "../../model/data.ts";
 * import { Rng } from "../../model/rng.ts";
 * import assert from "node:assert/strict";
 * const rng = new Rng(1);
 * const model = clusterModel(rng, { d: 50, k: 4 });
 * const [pair] = coupledPairs(rng, { model, count: 1 });
 * assert.equal(pair.first.label, -pair.second.label);
 * assert.ok(Math.abs(pair.ceiling - Math.sqrt(50 / 2)) < 1e-12); // orthogonal means
 * ```
 */
export function coupledPairs(
  rng: Rng,
  spec: { model: ClusterModel; count: number },
): CoupledPair[] {
  const { model, count } = spec;
  const { d, k, clusterMeans, clusterLabels, sigma } = model;
  return Array.from({ length: count }, (): CoupledPair => {
    const i = rng.int(k);
    const others: number[] = [];
    for (let j = 0; j < k; j++) {
      if (clusterLabels[j] !== clusterLabels[i]) others.push(j);
    }
    const j = others[rng.int(others.length)];
    const xi = rng.normalArray(d, sigma);
    const x = new Float64Array(d), xPrime = new Float64Array(d);
    let gap = 0;
    for (let t = 0; t < d; t++) {
      const mi = clusterMeans[i * d + t], mj = clusterMeans[j * d + t];
      x[t] = mi + xi[t];
      xPrime[t] = mj + xi[t];
      gap += (mi - mj) ** 2;
    }
    return {
      first: { x, label: clusterLabels[i] },
      second: { x: xPrime, label: clusterLabels[j] },
      clusters: [i, j],
      ceiling: Math.sqrt(gap) / 2,
    };
  });
}

/** A certificate checked against the ceiling of one pair. */
export interface PairCeilingCheck {
  /** The certified radii of the pair's two points. */
  certified: [number, number];
  /** The pair's ceiling ‖μ_i − μ_j‖/2. */
  ceiling: number;
  /** Both certified radii above ceiling·(1 + margin): the certificate is wrong. */
  broken: boolean;
}

/** Options of {@linkcode checkPairCeilings}. */
export interface PairCeilingOptions {
  /** The pairs (from {@linkcode coupledPairs}). */
  pairs: readonly CoupledPair[];
  /** The certificate to check (default: the sound `certifiedRadiusAt` of the network). */
  certify?: (point: LabelledPoint) => number;
  /** Relative rounding margin (default `SOUNDNESS_MARGIN`, 1e−4). */
  margin?: number;
}

/**
 * The certified radii of both points of every pair, and whether they break
 * the ceiling (see the module doc); the caller fails the run on any broken
 * pair.
 *
 * @example A certificate that claims too much is caught
 * ```ts
 * import { checkPairCeilings, coupledPairs } from "./pairs.ts";
 * import { robustNetwork } from "../constructions.ts";
 * import { clusterModel } from "../../model/data.ts";
 * import { Rng } from "../../model/rng.ts";
 * import assert from "node:assert/strict";
 * const rng = new Rng(1);
 * const model = clusterModel(rng, { d: 100, k: 4 });
 * const pairs = coupledPairs(rng, { model, count: 3 });
 * const net = robustNetwork(model);
 * assert.ok(checkPairCeilings(net, { pairs }).every((c) => !c.broken));
 * const boast = checkPairCeilings(net, { pairs, certify: () => 8 }); // > √50
 * assert.ok(boast.every((c) => c.broken));
 * ```
 */
export function checkPairCeilings(
  weights: NetworkWeights,
  options: PairCeilingOptions,
): PairCeilingCheck[] {
  const {
    pairs,
    certify = (point) => certifiedRadiusAt(weights, point),
    margin = SOUNDNESS_MARGIN,
  } = options;
  return pairs.map(({ first, second, ceiling }) => {
    const certified: [number, number] = [certify(first), certify(second)];
    return {
      certified,
      ceiling,
      broken: Math.min(...certified) > ceiling * (1 + margin),
    };
  });
}
