/**
 * Claim C7 (scaling): across a grid of (d, k) that varies d and k
 * independently, the gradient-flow network's robust radius grows like
 * √(d/k), the robust network N*'s like √d, their ratio like √k, and the
 * test error does not grow with d/k.
 *
 * Per trial, on a seeded subset of the test set (`measure/robustness.ts`):
 * the median best verified attack radius of the trained network (DeepFool,
 * FMN, MALT-style; an upper bound on its robust radius at each point), and
 * N*'s median certified radius (a lower bound on its own) and median
 * best-attack radius (upper bound), with the soundness check (a verified
 * flip below a certificate makes the trial an error and `attacks_sound`
 * fail the run).
 *
 * Claim level, the joint fit (`measure/power_law.ts`): for each quantity,
 * log r = c + a·log d + b·log k on the cell medians, with intervals from
 * the between-cell residuals (so lack of fit widens them), and each
 * candidate law (a₀, b₀) tested against the joint 95% region with the
 * tolerance τ: √(d/k) = (½, −½), √d = (½, 0), d/k = (1, −1), √(d·k) = (½,
 * ½). A slope against one combination cannot do this: on a symmetric grid
 * the slope against log(d·k) is 0 for any law in d/k, and the slope
 * against log(d/k) is (a − b)/2, ½ for r ∝ d as for √(d/k).
 *
 * - `law_*` (expect holds): the predicted law is in the region and every
 *   other candidate is out (the data select it); inconclusive when the
 *   region is too wide to tell laws ½ apart.
 * - `twin_*` (expect fails, with the law test's p-value in the run's Holm
 *   family): the nearest false law of the quantity is out of the region.
 *
 * N*'s certified radius is arithmetic on our own construction: at x = μ_j
 * + ξ its interval bound is about √d/2 − O(√log k), so its law (½, 0) is a
 * property of N*, not a finding about training; its attack radius
 * (d/2 + ⟨μ_j, ξ⟩)/√d is N*'s exact radius.
 *
 * Per trial: the median best-attack radius / √(d/k) is of order one
 * (prediction); twin, the identical check against the false law √(d·k).
 * The law √d cannot be a per-trial twin on this grid: √d/√(d/k) = √k ≤ 4
 * sits within the check's factor at small k, which is why the fit carries
 * the evidence.
 *
 * The claim's modules: `c7_configs.ts` (the constants and their reasons,
 * the grid, the checks, the configurations, the regime maps),
 * `c7_trial.ts` (the trial), `c7_assessments.ts` (the fitted quantities,
 * their law assessments and the claim-level assessments); this one holds
 * the predictions, the figures and the `ClaimSpec` {@linkcode c7}, and
 * re-exports the names the others export that were imported from here
 * before.
 *
 * @module
 */

import { logLogFit } from "../plot/mod.ts";
import { linearFit } from "../stats/mod.ts";
import {
  C7_FITS,
  c7Assess,
  lawCheckName,
  trialValue,
} from "./c7_assessments.ts";
import {
  c7Configs,
  c7ConstantReasons,
  c7Constants,
  c7Maps,
} from "./c7_configs.ts";
import { c7Trial } from "./c7_trial.ts";
import { okRecords, syncTrial } from "./kit.ts";
import type { ClaimSpec, Prediction, TrialRecord } from "./types.ts";

// The claim's names, importable from here as before the split.
export {
  C7_ASSESSMENTS,
  C7_FITS,
  c7Assess,
  lawAssessments,
  type LawFit,
} from "./c7_assessments.ts";
export {
  c7Configs,
  c7ConstantReasons,
  c7Constants,
  c7Grid,
  c7Maps,
  flipOrderCheck,
} from "./c7_configs.ts";
export { c7Trial } from "./c7_trial.ts";

/** Where each fitted quantity's predicted law comes from. */
const FIT_SOURCES: Record<string, { source: string; note: string }> = {
  gf_attack: {
    source: "[A/L, exponents R]",
    note: "the flip radius C·√(d/k) of C4 [A; rate L], read as a power law",
  },
  robust_certified: {
    source: "[R]",
    note:
      "N*'s certificate ≈ √d/2 − O(√log k) by construction: finite k bends the exponents",
  },
  robust_attack: {
    source: "[R]",
    note: "N*'s exact radius (d/2 + ⟨μ_j, ξ⟩)/√d by construction",
  },
  gap: {
    source: "[A/L, exponents R]",
    note: "robust (√d) over non-robust (√(d/k)) radius: a gap of order √k",
  },
};

/**
 * C7's predictions: for each fitted quantity, the exponents (a, b) of d and
 * k in its predicted law, read from the fit's `estimates`.
 */
export const c7Predictions: Prediction[] = C7_FITS.flatMap((spec) => {
  const law = spec.laws.find((l) => l.name === spec.predicted)!;
  const { source, note } = FIT_SOURCES[spec.id];
  return (["a", "b"] as const).map((exponent): Prediction => ({
    name: `${spec.id}_${exponent === "a" ? "d" : "k"}_exponent`,
    measured: {
      kind: "fit",
      assessment: lawCheckName(spec),
      estimate: exponent,
    },
    predicted: law[exponent],
    law: `${spec.what} ∝ ${spec.predicted}: exponent of ${
      exponent === "a" ? "d" : "k"
    } ${String(law[exponent]).replace("-", "−")}`,
    source,
    note,
  }));
});

/** The C7 claim. */
export const c7: ClaimSpec = {
  id: "C7",
  title: "Scaling",
  statement:
    "Across a grid of dimensions d and cluster counts k varied independently, the gradient-flow network's robust " +
    "radius (best verified attack) scales like √(d/k) = d^½·k^(−½), the robust network N*'s like √d (certified " +
    "and attacked; N*'s certified radius is arithmetic on our own construction), their ratio like √k, and the " +
    "test error does not grow as d/k grows; the joint fit of (a, b) in r ∝ d^a·k^b selects each law among " +
    "√(d/k), √d, d/k and √(d·k).",
  source: "[A/L, exponents R]",
  hypotheses: [
    "orthogonal means",
    "every cluster seen (n ≥ 3k log k)",
    "d/k ≥ 12",
  ],
  constants: { ...c7Constants },
  constantReasons: c7ConstantReasons,
  configs: c7Configs,
  maps: c7Maps(),
  runTrial: syncTrial(c7Trial),
  assess: (records) => c7Assess(records),
  predictions: c7Predictions,
  highlights: [
    "gf_attack_ratio",
    "gf_attack_median",
    "gf_analytic_over_attack",
    "robust_certified_median",
    "robust_attack_median",
    "robust_certified_over_attack",
    "test_error",
  ],
  budget: { blasSeconds: 20, wasmSeconds: 75 },
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
        y: trialValue(r, yKey),
        group: `k=${trialValue(r, "k")}`,
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
          referenceSlope: 0.5,
        }),
      };
    };
    return [
      await figure({
        file: "C7_flip_vs_d_over_k.svg",
        caption: "gradient-flow best-attack radius vs d/k",
        xKey: (r) => trialValue(r, "d") / trialValue(r, "k"),
        yKey: "gf_attack_median",
        xLabel: "d/k",
      }),
      await figure({
        file: "C7_robust_vs_d.svg",
        caption: "N* certified radius vs d",
        xKey: (r) => trialValue(r, "d"),
        yKey: "robust_certified_median",
        xLabel: "d",
      }),
    ];
  },
};
