/**
 * The suite's regime-map grids: the axes over which a hypothesis of the
 * paper is relaxed, and where each hypothesis stops holding. A claim
 * declares a map by spreading one grid (`x`, `y`, `hypothesis`) into a
 * {@linkcode RegimeMap} with its own parameters, check and quantities:
 *
 * - {@linkcode correlationGrid}: mean correlation c (⟨μ_i, μ_j⟩ = c·d) ×
 *   d/k; the hypothesis ρ ≪ d, made concrete as ρ ≤ d/(k−1).
 * - {@linkcode initializationGrid}: initialization scale α × width m; the
 *   small-initialization hypothesis, made concrete as "the initial outputs
 *   are below the loss's unit scale": α²·√(1.5m) ≤ 1.
 * - {@linkcode samplesGrid}: n/(k·ln k) × d/k; the hypothesis that every
 *   cluster is seen in training, n ≳ k·ln k.
 *
 * The boundaries are ours [R]: the paper's exact conditions and constants
 * are not available to us (docs/paper.md), so each states its argument.
 *
 * @example
 * ```ts
 * import { correlationGrid, mapConstants } from "./map_grids.ts";
 * import assert from "node:assert/strict";
 * const grid = correlationGrid(mapConstants.clusters);
 * assert.deepEqual(grid.y.params(8), { d: 80, k: 10 });
 * assert.ok(Math.abs(grid.hypothesis.at(8) - 1 / 9) < 1e-12);
 * ```
 *
 * @module
 */

import type { HypothesisBoundary, MapAxis } from "./types.ts";

/** Named constants of the regime maps. */
export const mapConstants = {
  /** Trials per cell of every map. */
  trialsPerCell: 10,
  /** k of every map: the d/k and n/(k·ln k) axes move d and n at this k. */
  clusters: 10,
  /** Variance factor of an initial output: Var N(x; θ₀) = 1.5·m·α⁴ (see `initialOutputScale`). */
  initialOutputVariance: 1.5,
};

/** Why each map constant has its value (fixed before looking at data). */
export const mapConstantReasons: Record<keyof typeof mapConstants, string> = {
  trialsPerCell:
    "the fewest the issue allows: 10 trials put a pass rate's 95% Clopper–Pearson interval within ±0.3, enough to see a check go from passing to failing across a grid",
  clusters:
    "the k of C6's and N1's CI configurations: large enough that √(d/k) and √d differ (√10 ≈ 3.2), small enough that d/k = 128 stays at d = 1280",
  initialOutputVariance:
    "arithmetic of the initialization: ⟨w_r, x⟩ + b_r ~ N(0, 3α²) at ‖x‖² ≈ 2d, E relu(z)² = 3α²/2, v_r ~ N(0, α²), summed over m neurons",
};

/** Values of the d/k axis: doublings from where errors are common to where they are 1e-20. */
export const D_OVER_K_VALUES: readonly number[] = [4, 8, 16, 32, 64, 128];

/** Values of the mean-correlation axis: 0 (orthogonal) to 0.9 (N1's control), evenly. */
export const CORRELATION_VALUES: readonly number[] = [
  0,
  0.15,
  0.3,
  0.45,
  0.6,
  0.75,
  0.9,
];

/** Values of the initialization-scale axis: the suite's 1e-3 up to C6's large 10. */
export const INIT_SCALE_VALUES: readonly number[] = [
  0.001,
  0.01,
  0.1,
  0.3,
  1,
  3,
  10,
];

/** Values of the width axis, at most 200. */
export const WIDTH_VALUES: readonly number[] = [5, 10, 20, 50, 100, 200];

/** Values of the n/(k·ln k) axis: half the coupon-collector count up to four times it. */
export const SAMPLE_RATIO_VALUES: readonly number[] = [0.5, 1, 1.5, 2, 3, 4];

/** The three parts of a map that a grid fixes. */
export interface MapGrid {
  /** Horizontal axis: the relaxed hypothesis's parameter. */
  x: MapAxis;
  /** Vertical axis. */
  y: MapAxis;
  /** Where the relaxed hypothesis stops holding. */
  hypothesis: HypothesisBoundary;
}

/**
 * The d/k axis at k clusters: d = (d/k)·k.
 *
 * @example
 * ```ts
 * import { dOverKAxis } from "./map_grids.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(dOverKAxis(10).params(32), { d: 320, k: 10 });
 * ```
 */
export function dOverKAxis(k: number): MapAxis {
  return {
    name: "d_over_k",
    label: `d/k (k = ${k})`,
    values: D_OVER_K_VALUES,
    params: (ratio) => ({ d: ratio * k, k }),
    log: true,
  };
}

/**
 * The standard deviation of the initial network's output at a data point,
 * α²·√(1.5·m): with w_r ~ N(0, α²/d·I), b_r, v_r ~ N(0, α²) and ‖x‖² ≈ 2d
 * (σ = 1), z_r = ⟨w_r, x⟩ + b_r ~ N(0, 3α²), E relu(z_r)² = 3α²/2, so
 * Var N(x) = m·α²·3α²/2.
 *
 * @example
 * ```ts
 * import { initialOutputScale } from "./map_grids.ts";
 * import assert from "node:assert/strict";
 * assert.ok(Math.abs(initialOutputScale(1, 150) - 15) < 1e-12);
 * ```
 */
export function initialOutputScale(alpha: number, m: number): number {
  return alpha * alpha * Math.sqrt(mapConstants.initialOutputVariance * m);
}

/**
 * The mean-correlation grid: c = ⟨μ_i, μ_j⟩/d (means of norm √d sharing
 * one direction) × d/k at k clusters. Hypothesis ρ ≪ d made concrete [R]:
 * the averaging direction s = Σ_j y_j μ_j has y_j⟨s, μ_j⟩ ≥ d − (k−1)ρ at
 * every cluster whatever the signs of the correlations, so it separates
 * every cluster from the other class when ρ < d/(k−1); beyond, some sign
 * pattern of correlations defeats it. The boundary is c = 1/(k−1).
 *
 * @example
 * ```ts
 * import { correlationGrid } from "./map_grids.ts";
 * import assert from "node:assert/strict";
 * const grid = correlationGrid(10);
 * assert.deepEqual(grid.x.params(0.3), { means: "correlated", correlation: 0.3 });
 * assert.equal(grid.hypothesis.relaxed, "up");
 * ```
 */
export function correlationGrid(k: number): MapGrid {
  return {
    x: {
      name: "correlation",
      label: "mean correlation c = ⟨μ_i, μ_j⟩/d",
      values: CORRELATION_VALUES,
      params: (c) => ({ means: "correlated", correlation: c }),
    },
    y: dOverKAxis(k),
    hypothesis: {
      axis: "x",
      relaxed: "up",
      at: () => 1 / (k - 1),
      statement: `nearly orthogonal means, ρ ≤ d/(k−1): c ≤ 1/(k−1) = ${
        (1 / (k - 1)).toFixed(3)
      } at k = ${k}`,
      source:
        "[R] ours: docs/paper.md states ρ ≪ d without a constant; ρ < d/(k−1) is where the averaging direction " +
        "Σ_j y_j μ_j is guaranteed to put every cluster on its label's side (y_j⟨s, μ_j⟩ ≥ d − (k−1)ρ) whatever " +
        "the signs of the correlations",
    },
  };
}

/**
 * The initialization grid: scale α (w_r ~ N(0, α²/d·I), b_r, v_r ~
 * N(0, α²)) × width m. The small-initialization hypothesis made concrete
 * [R]: the initial outputs are small, {@linkcode initialOutputScale} ≤ 1,
 * i.e. α ≤ (1.5m)^(−1/4); beyond, the initial network's outputs are
 * already of the logistic loss's unit scale (the lazy regime, where
 * neurons barely move from their random start).
 *
 * @example
 * ```ts
 * import { initializationGrid } from "./map_grids.ts";
 * import assert from "node:assert/strict";
 * const grid = initializationGrid();
 * assert.ok(Math.abs(grid.hypothesis.at(150) - 15 ** -0.5) < 1e-12);
 * assert.deepEqual(grid.y.params(50), { m: 50 });
 * ```
 */
export function initializationGrid(): MapGrid {
  const { initialOutputVariance } = mapConstants;
  return {
    x: {
      name: "initScale",
      label: "initialization scale α",
      values: INIT_SCALE_VALUES,
      params: (alpha) => ({ initScale: alpha }),
      log: true,
    },
    y: {
      name: "m",
      label: "width m",
      values: WIDTH_VALUES,
      params: (m) => ({ m }),
      log: true,
    },
    hypothesis: {
      axis: "x",
      relaxed: "up",
      at: (m) => (initialOutputVariance * m) ** -0.25,
      statement:
        "small initialization: initial outputs below the loss's unit scale, α²·√(1.5m) ≤ 1, i.e. α ≤ (1.5m)^(−1/4) " +
        "(0.29 at m = 100)",
      source:
        "[R] ours: feature averaging is proved for small-initialization dynamics (Li, Pan, Lyu & Li 2025, [L]) as " +
        "α → 0, a condition whose constant is not available to us; we draw the line where the initial outputs stop " +
        "being small, the edge of the lazy regime",
    },
  };
}

/**
 * The training-set-size grid: n/(k·ln k) × d/k at k clusters, n =
 * round(ratio·k·ln k). The hypothesis that every cluster is seen in
 * training, n ≳ k·ln k (docs/paper.md, [R]: the coupon collector needs
 * about k·H_k ≈ k·ln k + 0.58k draws to see all k clusters): boundary at
 * n/(k·ln k) = 1.
 *
 * @example
 * ```ts
 * import { samplesGrid } from "./map_grids.ts";
 * import assert from "node:assert/strict";
 * const grid = samplesGrid(10);
 * assert.deepEqual(grid.x.params(2), { n: 46 });
 * assert.equal(grid.hypothesis.relaxed, "down");
 * ```
 */
export function samplesGrid(k: number): MapGrid {
  return {
    x: {
      name: "n_over_k_ln_k",
      label: `n/(k·ln k) (k = ${k})`,
      values: SAMPLE_RATIO_VALUES,
      params: (ratio) => ({
        n: Math.max(1, Math.round(ratio * k * Math.log(k))),
      }),
    },
    y: dOverKAxis(k),
    hypothesis: {
      axis: "x",
      relaxed: "down",
      at: () => 1,
      statement: `every cluster seen in training, n ≥ k·ln k (n ≥ ${
        Math.round(k * Math.log(k))
      } at k = ${k})`,
      source:
        "[R] docs/paper.md ('every cluster is seen in training, n of order k log k'): the coupon collector's " +
        "count k·H_k ≈ k·ln k",
    },
  };
}
