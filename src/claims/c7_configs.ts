/**
 * C7's design, fixed before any run: the named constants with their
 * reasons, the (d, k) grid of each profile, the per-trial prediction (the
 * median best-attack radius is of order √(d/k)) and its twin √(d·k), the
 * configurations (one per grid point) and the regime maps. The claim is in
 * `c7_scaling.ts`.
 *
 * @example
 * ```ts
 * import { c7Configs, c7Grid } from "./c7_configs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(c7Configs("ci").length, c7Grid("ci").length);
 * ```
 *
 * @module
 */

import { ATTACK_POINTS } from "../measure/attacks/mod.ts";
import { sharedCriteria } from "./criteria.ts";
import {
  correlationGrid,
  initializationGrid,
  mapConstants,
} from "./map_grids.ts";
import { sizeKey } from "./kit.ts";
import type { CheckSpec, ClaimConfig, Profile, RegimeMap } from "./types.ts";

/** Named constants of C7. */
export const c7Constants = {
  /**
   * τ: a law (a₀, b₀) is in the joint region when the region meets the disc
   * of this radius around it (finite-size corrections).
   */
  lawTolerance: 0.1,
  /** A fit whose joint region has a larger semi-axis than this cannot tell the laws apart. */
  maxResolution: 0.25,
  /** Confidence of the joint region. */
  confidence: 0.95,
  /** Per trial: median best-attack radius / √(d/k) must lie in [1/orderFactor, orderFactor] (shared with N1). */
  orderFactor: sharedCriteria.flipOrderFactor,
  /** Test points per trial. */
  testPoints: 300,
  /** Attacked test points per trial at paper size (CI size: `ATTACK_POINTS.ci`). */
  paperAttackPoints: 48,
  /** Target pass rate of the per-trial check. */
  target: 0.8,
};

/** Why each constant of C7 has its value (fixed before looking at data). */
export const c7ConstantReasons: Record<keyof typeof c7Constants, string> = {
  lawTolerance:
    "finite sizes bend the laws: N*'s certificate √d/2 − O(√log k) has (a, b) ≈ (0.53, −0.04) on the CI grid by its closed form; the candidate laws are ≥ 0.5 apart, 5τ",
  maxResolution:
    "half the smallest distance between two candidate laws (0.5): a wider region could hold two of them",
  confidence: "the suite's 95% level",
  orderFactor: "the order of √(d/k), not its constant: a factor 2 either way",
  testPoints:
    "enough points that the attacked subset and the test error are drawn from a sizeable test set",
  paperAttackPoints:
    "the paper grid has 128 trials with two brackets each (up to d = 4000); 48 points per trial keep C7 near 2.5 min, and the fit uses cell medians over 8 trials",
  target:
    '"with high probability" made concrete: the suite\'s default target 0.8',
};

/** The (d, k) grid of a profile. */
export function c7Grid(profile: Profile): { d: number; k: number }[] {
  const ds = profile === "ci" ? [200, 400, 800] : [500, 1000, 2000, 4000];
  const ks = profile === "ci" ? [4, 8, 16] : [5, 10, 20, 40];
  return ds.flatMap((d) => ks.map((k) => ({ d, k })));
}

/** "median best verified attack radius / `law` within [1/f, f]". */
function orderText(law: string): string {
  const { orderFactor } = c7Constants;
  return `median best verified attack radius / ${law} within [1/${orderFactor}, ${orderFactor}]`;
}

/**
 * C7's per-trial prediction: the median best-attack radius is of order √(d/k).
 *
 * @example
 * ```ts
 * import { flipOrderCheck } from "./c7_configs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(flipOrderCheck().name, "flip_radius_order_sqrt_d_over_k");
 * ```
 */
export function flipOrderCheck(): CheckSpec {
  const { orderFactor, target } = c7Constants;
  return {
    name: "flip_radius_order_sqrt_d_over_k",
    description: orderText("√(d/k)"),
    target,
    expect: "holds",
    role: "prediction",
    margin: {
      measured: "gf_attack_ratio",
      threshold: 1 / orderFactor,
      direction: "above",
    },
  };
}

/** The n of a C7 configuration at k clusters: max(60, ⌈3k·ln k⌉). */
function c7Points(k: number): number {
  return Math.max(60, Math.ceil(3 * k * Math.log(k)));
}

/** Configurations of C7: one per grid point. */
export function c7Configs(profile: Profile): ClaimConfig[] {
  const { orderFactor, target, testPoints } = c7Constants;
  const attackPoints = profile === "ci"
    ? ATTACK_POINTS.ci
    : c7Constants.paperAttackPoints;
  return c7Grid(profile).map(({ d, k }) => {
    const n = c7Points(k);
    return {
      key: sizeKey({ d, k, n, m: 100 }),
      params: {
        d,
        k,
        n,
        m: 100,
        nTest: testPoints,
        means: "orthogonal",
        attackPoints,
      },
      trials: profile === "ci" ? 5 : 8,
      checks: [
        flipOrderCheck(),
        {
          name: "twin_law_sqrt_dk",
          description: `${
            orderText("√(d·k)")
          }: the identical check against the false law √(d·k) (must fail)`,
          target,
          expect: "fails",
          role: "twin",
          twinOf: "flip_radius_order_sqrt_d_over_k",
          margin: {
            measured: "gf_attack_over_sqrt_dk",
            threshold: 1 / orderFactor,
            direction: "above",
          },
        },
      ],
    };
  });
}

/**
 * C7's regime maps (the `map` profile): its per-trial prediction
 * `flip_radius_order_sqrt_d_over_k` per cell, with the median best-attack
 * radius / √(d/k) drawn, as the means correlate (× d/k, at k =
 * `mapConstants.clusters`) and as the initialization grows (× width, at d =
 * 500, k = 10, C6's CI sizes). n and the test and attacked points are C7's
 * CI choices.
 *
 * @example
 * ```ts
 * import { c7Maps } from "./c7_configs.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(c7Maps().map((m) => m.name), ["C7_correlation_d_over_k", "C7_init_width"]);
 * ```
 */
export function c7Maps(): RegimeMap[] {
  const k = mapConstants.clusters;
  const base = {
    n: c7Points(k),
    nTest: c7Constants.testPoints,
    attackPoints: ATTACK_POINTS.ci,
  };
  const quantities = [{
    column: "gf_attack_ratio",
    label: "flip radius / √(d/k)",
  }];
  const trials = mapConstants.trialsPerCell;
  return [
    {
      name: "C7_correlation_d_over_k",
      title: "C7: flip radius as the cluster means correlate",
      relaxes:
        "ρ ≪ d: the means share a direction, ⟨μ_i, μ_j⟩ = c·d for every pair",
      ...correlationGrid(k),
      params: { ...base, m: 100 },
      check: flipOrderCheck(),
      quantities,
      trials,
    },
    {
      name: "C7_init_width",
      title: "C7: flip radius as the initialization grows",
      relaxes:
        "small initialization: the scale α of the initial weights grows from 1e-3 to 10",
      ...initializationGrid(),
      params: { ...base, d: 500, k, means: "orthogonal" },
      check: flipOrderCheck(),
      quantities,
      trials,
    },
  ];
}
