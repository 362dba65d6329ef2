/**
 * One C7 trial: draw an instance, train it by gradient flow, and bracket
 * on a seeded subset of the test set the robust radius of the trained
 * network and of the robust network N* (`measure/robustness.ts`: N*'s
 * certified radius below, the best verified attack above), with the
 * soundness check; the per-trial checks compare the median best-attack
 * radius with √(d/k) and with the false law √(d·k).
 *
 * @module
 */

import { drawInstance } from "../model/instance.ts";
import { signedMeanSum } from "../model/data.ts";
import { trainInstance } from "../flow/train.ts";
import { classificationError } from "../measure/classification.ts";
import { robustNetwork } from "../measure/constructions.ts";
import {
  attackedPoints,
  ratios,
  robustnessOf,
  unsoundOr,
} from "../measure/robustness.ts";
import { median } from "../stats/mod.ts";
import { c7Constants } from "./c7_configs.ts";
import {
  flowColumns,
  flowStatus,
  instanceParams,
  round,
  selectChecks,
  unlessDegenerate,
  withinFactor,
} from "./kit.ts";
import type { ClaimConfig, TrialResult } from "./types.ts";

/** One C7 trial. */
export function c7Trial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const { model, test, train } = instance;
  const { d, k } = params;
  const flow = trainInstance(instance);
  const points = attackedPoints(instance, Number(config.params.attackPoints));
  const direction = signedMeanSum(model);
  const gf = robustnessOf(flow.weights, points, { targets: train, direction });
  const robust = robustnessOf(robustNetwork(model), points, {
    targets: train,
    direction,
  });
  const attack = median(gf.attack);
  const base = unlessDegenerate(
    flowStatus(flow),
    unsoundOr({ "the gradient-flow network": gf, "N*": robust }, {
      degenerate: !Number.isFinite(attack),
      reason: "no finite best-attack radius to measure",
    }),
  );
  const ratio = attack / Math.sqrt(d / k);
  const overDk = attack / Math.sqrt(d * k);
  const ok = base.status === "ok";
  const { orderFactor } = c7Constants;
  return {
    ...base,
    // The configuration's checks only: a map cell declares the prediction alone.
    checks: selectChecks(config, {
      flip_radius_order_sqrt_d_over_k: ok && withinFactor(ratio, orderFactor),
      twin_law_sqrt_dk: ok && withinFactor(overDk, orderFactor),
    }),
    values: {
      d,
      k,
      ...flowColumns(instance, flow),
      gf_attack_median: round(attack, 6),
      gf_attack_ratio: round(ratio, 5),
      gf_attack_over_sqrt_dk: round(overDk, 5),
      gf_certified_median: round(median(gf.certified), 6),
      gf_analytic_over_attack: round(median(ratios(gf.analytic, gf.attack)), 5),
      robust_certified_median: round(median(robust.certified), 6),
      robust_attack_median: round(median(robust.attack), 6),
      robust_certified_over_attack: round(
        median(ratios(robust.certified, robust.attack)),
        5,
      ),
      soundness_violations: gf.violations.length,
      robust_soundness_violations: robust.violations.length,
      test_error: round(classificationError(flow.weights, test), 6),
    },
  };
}
