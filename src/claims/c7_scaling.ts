/**
 * Claim C7 (scaling): across a grid of (d, k), the gradient-flow network's
 * median flip radius grows like √(d/k) (log-log slope 1/2), the robust
 * network's certified radius like √d, their ratio like √k, and test error
 * does not grow with d/k. Per trial: the median flip ratio is of order one
 * at every grid point. Claim-level: the 95% confidence intervals of the
 * fitted slopes meet 1/2 ± a named tolerance. Control: the same slope test
 * for the wrong scaling √(d·k) must fail — the k-dependence is real.
 *
 * @module
 */

import { drawInstance } from "../model/instance.ts";
import { trainInstance } from "../flow/train.ts";
import { certifiedRadii } from "../measure/certified_radius.ts";
import { classificationError } from "../measure/classification.ts";
import { robustNetwork } from "../measure/constructions.ts";
import { flipsOnTestSet } from "../measure/flips.ts";
import { logLogFit } from "../plot/mod.ts";
import { linearFit, mean, median } from "../stats/mod.ts";
import { sharedCriteria } from "./criteria.ts";
import {
  flowColumns,
  flowStatus,
  instanceParams,
  MAX_UNFINISHED_ASSESSMENT_SHARE,
  okRecords,
  round,
  sizeKey,
  syncTrial,
  unfinishedShare,
  unlessDegenerate,
  withinFactor,
} from "./kit.ts";
import type {
  Assessment,
  ClaimConfig,
  ClaimSpec,
  Expectation,
  Profile,
  TrialRecord,
  TrialResult,
  Verdict,
} from "./types.ts";

/** Named constants of C7. */
export const c7Constants = {
  /** Predicted log-log slope. */
  slope: 0.5,
  /**
   * A slope check holds when its 95% CI meets [slope - slopeTolerance,
   * slope + slopeTolerance]: finite-d corrections (e.g. the certified radius is
   * ≈ √d/2 minus an O(√log k) noise term) bias finite-grid slopes slightly.
   */
  slopeTolerance: 0.05,
  /** Per trial: median flip radius / √(d/k) must lie in [1/orderFactor, orderFactor] (shared with N1). */
  orderFactor: sharedCriteria.flipOrderFactor,
  /** Test points per trial. */
  testPoints: 300,
  /** Target pass rate of the per-trial check. */
  target: 0.8,
};

/** The (d, k) grid of a profile. */
export function c7Grid(profile: Profile): { d: number; k: number }[] {
  const ds = profile === "ci" ? [200, 400, 800] : [500, 1000, 2000, 4000];
  const ks = profile === "ci" ? [4, 8, 16] : [5, 10, 20, 40];
  return ds.flatMap((d) => ks.map((k) => ({ d, k })));
}

/** Configurations of C7: one per grid point. */
export function c7Configs(profile: Profile): ClaimConfig[] {
  const { orderFactor, target, testPoints } = c7Constants;
  return c7Grid(profile).map(({ d, k }) => {
    const n = Math.max(60, Math.ceil(3 * k * Math.log(k)));
    return {
      key: sizeKey({ d, k, n, m: 100 }),
      params: { d, k, n, m: 100, nTest: testPoints, means: "orthogonal" },
      trials: profile === "ci" ? 5 : 10,
      checks: [{
        name: "flip_radius_order_sqrt_d_over_k",
        description:
          `median flip radius / √(d/k) within [1/${orderFactor}, ${orderFactor}]`,
        target,
        expect: "holds",
      }],
    };
  });
}

/** One C7 trial. */
export function c7Trial(seed: number, config: ClaimConfig): TrialResult {
  const params = instanceParams(config.params);
  const instance = drawInstance(seed, params);
  const { model, test } = instance;
  const { d, k } = params;
  const flow = trainInstance(instance);
  const flips = flipsOnTestSet(instance, flow.weights);
  const { scale } = flips;
  const robust = robustNetwork(model);
  const certified = certifiedRadii(robust, test);
  const ratio = median(flips.ratios);
  const base = unlessDegenerate(flowStatus(flow), {
    degenerate: !Number.isFinite(ratio),
    reason: "no finite flip radius to measure",
  });
  return {
    ...base,
    checks: {
      flip_radius_order_sqrt_d_over_k: base.status === "ok" &&
        withinFactor(ratio, c7Constants.orderFactor),
    },
    values: {
      d,
      k,
      ...flowColumns(instance, flow),
      flip_radius_median: round(ratio * scale, 6),
      flip_ratio_median: round(ratio, 5),
      robust_radius_median: round(median(certified), 6),
      test_error: round(classificationError(flow.weights, test), 6),
    },
  };
}

/** A slope check of C7: what is fitted and the slope it predicts. */
export interface SlopeCheck {
  /** Check name of the assessment. */
  check: string;
  /** The expected verdict. */
  expect: Expectation;
  /** The predicted slope. */
  target: number;
  /** What is fitted, for the detail (e.g. `log flip radius vs log(d/k)`). */
  what: string;
  /** Half-width of the accepted slope interval (default `c7Constants.slopeTolerance`). */
  tolerance?: number;
}

/**
 * Slope assessment of the least-squares fit of `y` on `x`: verdict `holds`
 * when the slope's 95% CI meets [target - tolerance, target + tolerance];
 * the detail also says whether the CI contains `target` itself. Non-finite
 * points are dropped; fewer than 3 points (or a constant x) is
 * `inconclusive`.
 */
export function slopeAssessment(
  points: { x: number[]; y: number[] },
  spec: SlopeCheck,
): Assessment {
  const { check, expect, target, what } = spec;
  const tolerance = spec.tolerance ?? c7Constants.slopeTolerance;
  let { x, y } = points;
  if (x.length < 3 || new Set(x).size < 2) {
    return {
      check,
      expect,
      verdict: "inconclusive",
      detail: `${what}: too few points (${x.length})`,
    };
  }
  const finite = x.map((_, i) => i).filter((i) =>
    Number.isFinite(x[i]) && Number.isFinite(y[i])
  );
  const dropped = x.length - finite.length;
  x = finite.map((i) => x[i]);
  y = finite.map((i) => y[i]);
  if (x.length < 3 || new Set(x).size < 2) {
    return {
      check,
      expect,
      verdict: "inconclusive",
      detail:
        `${what}: too few finite points (${x.length}, ${dropped} dropped)`,
    };
  }
  const fit = linearFit(x, y);
  const halfWidth = (fit.slopeCi.high - fit.slopeCi.low) / 2;
  const meets = fit.slopeCi.low <= target + tolerance &&
    target - tolerance <= fit.slopeCi.high;
  const contains = fit.slopeCi.low <= target && target <= fit.slopeCi.high;
  // A fit too noisy to resolve the tolerance says nothing either way.
  const verdict: Verdict = halfWidth > tolerance && meets
    ? "inconclusive"
    : meets
    ? "holds"
    : "fails";
  return {
    check,
    expect,
    verdict,
    detail:
      `${what}: slope ${fit.slope.toFixed(3)} [${fit.slopeCi.low.toFixed(3)}, ${
        fit.slopeCi.high.toFixed(3)
      }] ` +
      `(95% CI, n=${fit.n}, R²=${
        fit.rSquared.toFixed(3)
      }), predicted ${target} ± ${tolerance}; CI ${
        contains ? "contains" : "misses"
      } ${target} itself${
        dropped > 0 ? `; ${dropped} non-finite points dropped` : ""
      }`,
  };
}

/** A value of a finished trial's row, as a number. */
function num(record: TrialRecord, key: string): number {
  return Number(record.result.values[key]);
}

/** A slope check of C7 with the coordinates it fits, per finished trial. */
interface SlopeFit extends Omit<SlopeCheck, "target"> {
  /** The abscissa of a trial. */
  x: (record: TrialRecord) => number;
  /** The ordinate of a trial. */
  y: (record: TrialRecord) => number;
}

/** C7's slope checks, in report order; each predicts `c7Constants.slope`. */
const C7_SLOPES: SlopeFit[] = [
  {
    check: "slope_flip_vs_d_over_k",
    expect: "holds",
    what: "log flip radius vs log(d/k)",
    x: (r) => Math.log(num(r, "d") / num(r, "k")),
    y: (r) => Math.log(num(r, "flip_radius_median")),
  },
  {
    check: "slope_robust_vs_d",
    expect: "holds",
    what: "log robust radius vs log d",
    x: (r) => Math.log(num(r, "d")),
    y: (r) => Math.log(num(r, "robust_radius_median")),
  },
  {
    check: "slope_gap_vs_k",
    expect: "holds",
    what: "log(robust / flip radius) vs log k",
    x: (r) => Math.log(num(r, "k")),
    y: (r) =>
      Math.log(num(r, "robust_radius_median")) -
      Math.log(num(r, "flip_radius_median")),
  },
  {
    check: "control_slope_flip_vs_d_times_k",
    expect: "fails",
    what: "log flip radius vs log(d·k), a wrong scaling √(dk)",
    x: (r) => Math.log(num(r, "d") * num(r, "k")),
    y: (r) => Math.log(num(r, "flip_radius_median")),
  },
];

/** Names and expectations of C7's claim-level assessments, in order. */
const C7_ASSESSMENTS: [string, Expectation][] = [
  ...C7_SLOPES.map((s): [string, Expectation] => [s.check, s.expect]),
  ["test_error_falls_with_d_over_k", "holds"],
];

/** Claim-level assessments of C7 from its finished trials. */
export function c7Assess(records: TrialRecord[]): Assessment[] {
  const unfinished = unfinishedShare(records);
  if (unfinished > MAX_UNFINISHED_ASSESSMENT_SHARE) {
    const detail = `${
      (100 * unfinished).toFixed(0)
    }% of the grid's trials did not finish`;
    return C7_ASSESSMENTS.map(([check, expect]) => ({
      check,
      expect,
      verdict: "inconclusive",
      detail,
    }));
  }
  const ok = records.filter((r) => r.result.status === "ok");
  const byRatio = new Map<number, number[]>();
  ok.forEach((r) => {
    const key = num(r, "d") / num(r, "k");
    byRatio.set(key, [...(byRatio.get(key) ?? []), num(r, "test_error")]);
  });
  const ratios = [...byRatio.keys()].sort((a, b) => a - b);
  const errAt = (key: number) => mean(byRatio.get(key) ?? []);
  const lowest = ratios.length ? errAt(ratios[0]) : NaN;
  const highest = ratios.length ? errAt(ratios[ratios.length - 1]) : NaN;
  return [
    ...C7_SLOPES.map(({ x, y, ...spec }) =>
      slopeAssessment({ x: ok.map(x), y: ok.map(y) }, {
        ...spec,
        target: c7Constants.slope,
      })
    ),
    {
      check: "test_error_falls_with_d_over_k",
      expect: "holds",
      verdict: ratios.length < 2 || (lowest === 0 && highest === 0)
        ? "inconclusive"
        : lowest > highest
        ? "holds"
        : "fails",
      detail:
        `mean test error ${lowest.toFixed(4)} at d/k=${
          ratios[0]?.toFixed(1)
        } vs ${highest.toFixed(4)} at ` +
        `d/k=${
          ratios[ratios.length - 1]?.toFixed(1)
        } (a strict decrease required; both 0 is inconclusive)`,
    },
  ];
}

/** The C7 claim. */
export const c7: ClaimSpec = {
  id: "C7",
  title: "Scaling",
  statement:
    "Across a grid of dimensions d and cluster counts k, the gradient-flow network's flip radius grows like √(d/k), " +
    "the robust network's certified radius like √d, their ratio like √k, and the test error does not grow as d/k grows.",
  source: "[A/L, exponents R]",
  hypotheses: [
    "orthogonal means",
    "every cluster seen (n ≥ 3k log k)",
    "d/k ≥ 12",
  ],
  constants: { ...c7Constants },
  configs: c7Configs,
  runTrial: syncTrial(c7Trial),
  assess: (records) => c7Assess(records),
  highlights: [
    "flip_ratio_median",
    "flip_radius_median",
    "robust_radius_median",
    "test_error",
  ],
  figures: async (records) => {
    const ok = okRecords(records);
    const figure = async (
      { file, caption, xKey, yKey, xLabel }: {
        file: string;
        caption: string;
        xKey: (r: TrialRecord) => number;
        yKey: string;
        xLabel: string;
      },
    ) => {
      const points = ok.map((r) => ({
        x: xKey(r),
        y: num(r, yKey),
        group: `k=${num(r, "k")}`,
      }));
      const fit = points.length >= 3 && new Set(points.map((p) => p.x)).size > 1
        ? linearFit(
          points.map((p) => Math.log(p.x)),
          points.map((p) => Math.log(p.y)),
        )
        : { slope: NaN, intercept: NaN };
      return {
        file,
        caption,
        svg: await logLogFit({
          title: `C7: ${caption}`,
          xLabel,
          yLabel: yKey,
          points,
          slope: fit.slope,
          intercept: fit.intercept,
          referenceSlope: c7Constants.slope,
        }),
      };
    };
    return [
      await figure({
        file: "C7_flip_vs_d_over_k.svg",
        caption: "flip radius vs d/k",
        xKey: (r) => num(r, "d") / num(r, "k"),
        yKey: "flip_radius_median",
        xLabel: "d/k",
      }),
      await figure({
        file: "C7_robust_vs_d.svg",
        caption: "robust radius vs d",
        xKey: (r) => num(r, "d"),
        yKey: "robust_radius_median",
        xLabel: "d",
      }),
    ];
  },
};
