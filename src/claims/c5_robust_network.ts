/**
 * Claim C5 (robust networks exist): N*(x) = Σ_j y_j relu(⟨μ_j, x⟩ - d/2), of
 * width k, fits the training set and has a sound certified l2 radius of order
 * √d at most test points, a factor of order √k above the gradient-flow
 * network's exact flip radius on the same points. Control: the same radius
 * check applied to the gradient-flow network's (attack) flip radius must fail.
 *
 * @module
 */

import { networkOutput } from "../model/forward.ts";
import { drawInstance } from "../model/instance.ts";
import { trainInstance } from "../flow/train.ts";
import { certifiedRadii } from "../measure/certified_radius.ts";
import { robustNetwork } from "../measure/constructions.ts";
import { flipsOnTestSet } from "../measure/flips.ts";
import { radiusScatter } from "../plot/mod.ts";
import { median } from "../stats/mod.ts";
import {
  flowColumns,
  flowStatus,
  instanceParams,
  okRecords,
  round,
  sizeKey,
  syncTrial,
  unlessDegenerate,
  withinFactor,
} from "./kit.ts";
import type { ClaimConfig, ClaimSpec, Profile, TrialResult } from "./types.ts";

/** Named constants of C5. */
export const c5Constants = {
  /** c: certified radius must be at least c·√d ... */
  radiusConstant: 0.25,
  /** ... on at least this fraction of test points. */
  pointFraction: 0.9,
  /** The median of (certified N* radius / GF flip radius) / √k must lie in [1/orderFactor, orderFactor]. */
  orderFactor: 4,
  /** Target pass rate. */
  target: 0.8,
};

/** Configurations of C5. */
export function c5Configs(profile: Profile): ClaimConfig[] {
  const p = profile === "ci"
    ? { d: 1000, k: 40, n: 200, m: 100 }
    : { d: 4000, k: 80, n: 400, m: 256 };
  const { radiusConstant: c, pointFraction, orderFactor, target } = c5Constants;
  const pct = Math.round(pointFraction * 100);
  return [{
    key: sizeKey(p),
    params: { ...p, nTest: 500, means: "orthogonal" },
    trials: profile === "ci" ? 40 : 80,
    checks: [
      {
        name: "robust_certified",
        description:
          `N* fits the training set and its certified radius is ≥ ${c}·√d on ≥ ${pct}% of test points`,
        target,
        expect: "holds",
      },
      {
        name: "gap_order_sqrt_k",
        description:
          `median(certified N* radius / GF flip radius) / √k within [1/${orderFactor}, ${orderFactor}]`,
        target,
        expect: "holds",
      },
      {
        name: "control_gradient_flow_robust",
        description:
          `the gradient-flow network's flip radius is ≥ ${c}·√d on ≥ ${pct}% of test points (must fail)`,
        target,
        expect: "fails",
      },
    ],
  }];
}

/** One C5 trial. */
export function c5Trial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const { model, train, test } = instance;
  const { d, k } = params;
  const robust = robustNetwork(model);
  let trainErrors = 0;
  for (let i = 0; i < train.n; i++) {
    if (
      train.y[i] *
          networkOutput(robust, train.x.subarray(i * d, (i + 1) * d)) <= 0
    ) trainErrors++;
  }
  const flow = trainInstance(instance);
  const flips = flipsOnTestSet(instance, flow.weights);
  const base = unlessDegenerate(flowStatus(flow), {
    degenerate: flips.ratios.length === 0,
    reason: "no test point correctly classified by the gradient-flow network",
  });
  const { scale } = flips;
  const certified = certifiedRadii(robust, test);
  const root = Math.sqrt(d);
  const { radiusConstant: c, pointFraction, orderFactor } = c5Constants;
  const fracCertified = certified.filter((r) => r >= c * root).length / test.n;
  const gfRadii = flips.ratios.map((ratio) => ratio * scale);
  const fracGf = gfRadii.length === 0
    ? 0
    : gfRadii.filter((r) => r >= c * root).length / gfRadii.length;
  const gaps = flips.indices.map((i, j) => certified[i] / gfRadii[j]);
  const gapOverRootK = median(gaps) / Math.sqrt(k);
  const ok = base.status === "ok";
  return {
    ...base,
    checks: {
      robust_certified: trainErrors === 0 && fracCertified >= pointFraction,
      gap_order_sqrt_k: ok && withinFactor(gapOverRootK, orderFactor),
      control_gradient_flow_robust: ok && fracGf >= pointFraction,
    },
    values: {
      ...flowColumns(instance, flow),
      robust_train_errors: trainErrors,
      certified_median_over_sqrt_d: round(median(certified) / root, 5),
      frac_certified: round(fracCertified, 6),
      gf_flip_median_over_sqrt_d: round(median(gfRadii) / root, 5),
      frac_gf_above: round(fracGf, 6),
      gap_median_over_sqrt_k: round(gapOverRootK, 5),
    },
  };
}

/** The C5 claim. */
export const c5: ClaimSpec = {
  id: "C5",
  title: "Robust networks exist",
  statement:
    "The width-k network N*(x) = Σ_j y_j relu(⟨μ_j, x⟩ - d/2) fits the same training data and is provably robust " +
    "at radius c·√d (sound certificate), a factor of order √k above the gradient-flow network's flip radius: " +
    "robustness is available in the class, but gradient flow does not pick it.",
  source: "[A, rate L, construction R]",
  hypotheses: ["orthogonal means (ρ ≪ d)", "σ = 1", "d large compared with k"],
  constants: { ...c5Constants },
  configs: c5Configs,
  runTrial: syncTrial(c5Trial),
  highlights: [
    "certified_median_over_sqrt_d",
    "frac_certified",
    "gf_flip_median_over_sqrt_d",
    "gap_median_over_sqrt_k",
    "robust_train_errors",
  ],
  figures: async (records) => [{
    file: "C5_robust_vs_gradient_flow.svg",
    caption:
      "Per trial: median certified radius of N* vs median exact flip radius of the gradient-flow network (units of √d)",
    svg: await radiusScatter({
      title: "C5: robust (certified) vs gradient-flow (flip) radius / √d",
      xLabel: "gradient-flow flip radius / √d",
      yLabel: "N* certified radius / √d",
      points: okRecords(records).map((r) => ({
        nonRobust: Number(r.result.values.gf_flip_median_over_sqrt_d),
        robust: Number(r.result.values.certified_median_over_sqrt_d),
      })),
    }),
  }],
};
