/**
 * The constants of the verdict rules, named in one place with the reason
 * for each value (fixed before looking at data). The report layer decides
 * every verdict with them (`src/report/verdict.ts`) and writes them, with
 * their reasons, to `run.json`, `summary.json` and `summary.md`; `deno task
 * regress` fails when one of them differs from the baseline's.
 *
 * The rules, in short: a prediction `holds` when the lower end of its 95%
 * Clopper–Pearson interval reaches its target; a twin, control or sanity
 * line (a check expected to fail) reads `fails` only when the upper end is
 * below {@linkcode CONTROL_CEILING}; every check gets a one-sided exact
 * binomial p-value, and the adjusted verdicts (which decide the exit codes)
 * need the Holm–Bonferroni adjusted p-value below {@linkcode FAMILY_ALPHA}.
 *
 * @example
 * ```ts
 * import { CONTROL_CEILING, VERDICT_RULE_REASONS, VERDICT_RULES } from "./verdict_rules.ts";
 * import assert from "node:assert/strict";
 * assert.equal(CONTROL_CEILING, VERDICT_RULES.controlCeiling);
 * assert.ok(VERDICT_RULE_REASONS.controlCeiling.length > 0);
 * ```
 *
 * @module
 */

/** The verdict-rule constants, by name. */
export const VERDICT_RULES = {
  /** Two-sided level of every pass-rate interval. */
  confidence: 0.95,
  /** Target pass rate of a prediction unless its claim names another. */
  defaultTarget: 0.8,
  /** An expected-to-fail check reads `fails` only below this pass rate. */
  controlCeiling: 0.2,
  /** Family-wise error rate of the Holm–Bonferroni adjusted verdicts. */
  familyAlpha: 0.05,
  /** A trial is near its threshold when |measured/threshold − 1| ≤ this. */
  marginBand: 0.1,
  /** A check at 0% or 100% with fewer trials than this share near its threshold is saturated. */
  saturationShare: 0.05,
  /** A control with a larger share of unfinished trials is inconclusive. */
  maxUnfinishedControlShare: 0.2,
} as const;

/** The name of a verdict-rule constant. */
export type VerdictRuleName = keyof typeof VERDICT_RULES;

/** One line per verdict-rule constant: why it has its value. */
export const VERDICT_RULE_REASONS: Readonly<Record<VerdictRuleName, string>> = {
  confidence:
    "95% two-sided exact (Clopper–Pearson) intervals: the conventional level, with coverage guaranteed at any trial count",
  defaultTarget:
    '"with high probability" made concrete: a prediction must hold on at least 80% of trials, below 1 so that one unlucky draw does not sink a claim',
  controlCeiling:
    "a line expected to fail must be shown to pass rarely (< 20% of trials), not merely less often than the prediction's target",
  familyAlpha:
    "5% family-wise error over all checks and fitted assessments of a run (Holm–Bonferroni), so that many checks cannot pass by luck",
  marginBand:
    "within 10% of the threshold a small change of the threshold could change the trial's outcome: the share of such trials shows whether the threshold decides anything",
  saturationShare:
    "a check at 0% or 100% with under 5% of its trials near the threshold is saturated: its threshold is far from the data, so the verdict does not test the threshold",
  maxUnfinishedControlShare:
    "a control must fail for its intended reason: with more than 20% of its trials unfinished (error, not converged) it is inconclusive",
};

/** Named copy of `VERDICT_RULES.controlCeiling`. */
export const CONTROL_CEILING: number = VERDICT_RULES.controlCeiling;
/** Named copy of `VERDICT_RULES.familyAlpha`. */
export const FAMILY_ALPHA: number = VERDICT_RULES.familyAlpha;
/** Named copy of `VERDICT_RULES.marginBand`. */
export const MARGIN_BAND: number = VERDICT_RULES.marginBand;
/** Named copy of `VERDICT_RULES.saturationShare`. */
export const SATURATION_SHARE: number = VERDICT_RULES.saturationShare;
/** Named copy of `VERDICT_RULES.defaultTarget`. */
export const DEFAULT_TARGET: number = VERDICT_RULES.defaultTarget;
