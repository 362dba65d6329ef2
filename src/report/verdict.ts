/**
 * From trial records to verdicts: one row per check of a claim (pass
 * count, Clopper–Pearson 95% interval, raw verdict, one-sided exact
 * binomial p-value, role, twin and power, margin to the threshold), the
 * Holm–Bonferroni adjusted verdicts over every check and fitted assessment
 * of a run, and whether every one reached its expected verdict. The report
 * writers (`summary_csv.ts`, `summary_md.ts`, `summary_json.ts`) format
 * what this module decides; the constants of the rules are named in
 * `src/stats/verdict_rules.ts`.
 *
 * The rules:
 * - a prediction (expect `holds`) `holds` when the lower end of its 95%
 *   interval is ≥ its target, `fails` when the upper end is < the target;
 * - a twin, control or sanity line (expect `fails`) `fails` only when the
 *   upper end is below the control ceiling (or its target, if lower),
 *   `holds` when the lower end reaches the target, and is `inconclusive`
 *   in between or when too many of its trials did not finish;
 * - p-value: P(X ≥ passed | target) for a prediction, P(X ≤ passed |
 *   ceiling) for a check expected to fail (X binomial over the trials);
 * - adjusted verdict: the expected verdict when the raw verdict is the
 *   expected one and the Holm-adjusted p-value is below the family alpha;
 *   the raw verdict when it is the opposite of the expected one;
 *   `inconclusive` otherwise. It is never more favourable than the raw one.
 *
 * @module
 */

import {
  binomialLowerTail,
  binomialUpperTail,
  clopperPearsonInterval,
  CONTROL_CEILING,
  FAMILY_ALPHA,
  holmAdjust,
  type Interval,
  MARGIN_BAND,
  median,
  type PassCount,
  SATURATION_SHARE,
  VERDICT_RULES,
} from "../stats/mod.ts";
import type {
  Assessment,
  CheckMargin,
  CheckRole,
  CheckSpec,
  ClaimConfig,
  Expectation,
  SummaryRow,
  TrialRecord,
  Verdict,
} from "../claims/types.ts";

/**
 * An assessment together with the claim it belongs to, and (once the run's
 * family is adjusted) its Holm-adjusted p-value and verdict.
 */
export interface ClaimAssessment {
  /** Claim id. */
  claim: string;
  /** The assessment. */
  a: Assessment;
  /** Holm-adjusted p-value (`null`: the assessment has no p-value). */
  pAdjusted?: number | null;
  /** Verdict after the Holm–Bonferroni adjustment. */
  adjustedVerdict?: Verdict;
}

/** What the summaries of a run report: its rows and assessments. */
export interface Summary {
  /** Summary rows, claim by claim (plain rows are completed with defaults). */
  rows: SummaryRow[];
  /** Claim-level assessments. */
  assessments: ClaimAssessment[];
}

/**
 * A control (expect `fails`) whose share of trials that did not run to the
 * end exceeds this is `inconclusive` (`VERDICT_RULES.maxUnfinishedControlShare`).
 */
export const MAX_UNFINISHED_CONTROL_SHARE: number =
  VERDICT_RULES.maxUnfinishedControlShare;

/** A prediction's twins and the power of its check against them. */
export interface TwinEvidence {
  /** The twin checks (role `twin`, `twinOf` this check), in claim order. */
  checks: string[];
  /** Trials of the twins, pooled. */
  trials: number;
  /** Twin trials passing the check. */
  passed: number;
  /** The twins' pass rate (`null` without trials). */
  rate: number | null;
  /** Power: share of twin trials the check rejects (`null` without trials). */
  power: number | null;
  /** 95% Clopper–Pearson interval of the power (`null` without trials). */
  powerCi: Interval | null;
}

/** Where a check's measured quantity sits relative to its threshold. */
export interface MarginStats extends CheckMargin {
  /** Finished trials with a finite measured/threshold ratio. */
  trials: number;
  /** Median of measured/threshold over those trials (`null` without any). */
  median: number | null;
  /** Share of them with |measured/threshold − 1| ≤ the margin band. */
  nearShare: number | null;
}

/** Whether a check could reach significance at its trial count. */
export interface Reach {
  /**
   * The p-value a check must beat whatever the other p-values: the
   * strictest Holm threshold alpha / family size, or (1 − confidence)/2 =
   * 0.025 if smaller (the raw verdict's one-sided level).
   */
  threshold: number;
  /** The p-value of the best outcome (all pass, or none for a control). */
  bestP: number;
  /** Whether `bestP` is below `threshold`. */
  reachable: boolean;
  /**
   * For a prediction the fewest passes, for a check expected to fail the
   * most passes, whose p-value is below `threshold` (`null`: none).
   */
  passesNeeded: number | null;
  /** The fewest trials whose best outcome is below `threshold` (`null`: none). */
  trialsNeeded: number | null;
}

/** A summary row with everything the reports show about its check. */
export interface CheckRow extends SummaryRow {
  /** What the check is for (default from `expect`). */
  role: CheckRole;
  /** For a twin, control or sanity line: the prediction it shadows. */
  twinOf: string | null;
  /** For a prediction with twins: their pass rate and the check's power. */
  twin: TwinEvidence | null;
  /** The margin statistics, when the check declares its `margin`. */
  margin: MarginStats | null;
  /** Rate 0 or 1 with fewer than 5% of trials within 10% of the threshold. */
  saturated: boolean;
  /** One-sided exact binomial p-value of the expected verdict. */
  pValue: number;
  /** Holm-adjusted p-value over the run's family. */
  pAdjusted: number;
  /** Verdict after the adjustment. */
  adjustedVerdict: Verdict;
  /** Whether the adjusted verdict is the expected one. */
  okAdjusted: boolean;
  /** Whether the check could reach significance at its trial count. */
  reach: Reach;
}

/** The Holm–Bonferroni family of a run. */
export interface HolmFamily {
  /** Number of p-values: checks plus assessments with a p-value. */
  size: number;
  /** Checks in the family. */
  checks: number;
  /** Assessments in the family. */
  assessments: number;
  /** Family-wise level. */
  alpha: number;
  /** The strictest threshold, alpha / size. */
  strictest: number;
}

/** An assessment with its adjusted p-value and verdict. */
export interface AdjustedAssessment extends ClaimAssessment {
  /** Holm-adjusted p-value (`null`: the assessment has no p-value). */
  pAdjusted: number | null;
  /** Verdict after the adjustment (the raw one without a p-value). */
  adjustedVerdict: Verdict;
}

/** A summary with every row complete and the family adjusted. */
export interface AdjustedSummary {
  /** Complete rows. */
  rows: CheckRow[];
  /** Assessments with their adjusted verdicts. */
  assessments: AdjustedAssessment[];
  /** The Holm family. */
  family: HolmFamily;
}

/**
 * Verdict of a prediction from a confidence interval: `holds` if its lower
 * end reaches the target, `fails` if its upper end is below the target,
 * else `inconclusive`.
 *
 * @example
 * ```ts
 * import { verdictOf } from "./verdict.ts";
 * import assert from "node:assert/strict";
 * assert.equal(verdictOf({ low: 0.91, high: 0.99 }, 0.9), "holds");
 * assert.equal(verdictOf({ low: 0.5, high: 0.89 }, 0.9), "fails");
 * assert.equal(verdictOf({ low: 0.8, high: 0.95 }, 0.9), "inconclusive");
 * ```
 */
export function verdictOf(
  interval: { low: number; high: number },
  target: number,
): Verdict {
  if (interval.low >= target) return "holds";
  if (interval.high < target) return "fails";
  return "inconclusive";
}

/** The pass rate below which a check expected to fail reads `fails`. */
function failLine(target: number): number {
  return Math.min(CONTROL_CEILING, target);
}

/**
 * The raw verdict of a check from its interval: a prediction by
 * {@linkcode verdictOf}; a check expected to fail reads `fails` only when
 * the upper end is below the control ceiling (or its target, if lower),
 * `holds` when the lower end reaches its target, else `inconclusive`.
 *
 * @example
 * ```ts
 * import { checkVerdict } from "./verdict.ts";
 * import assert from "node:assert/strict";
 * const control = { target: 0.8, expect: "fails" as const };
 * assert.equal(checkVerdict({ low: 0, high: 0.116 }, control), "fails");
 * assert.equal(checkVerdict({ low: 0.41, high: 0.77 }, control), "inconclusive");
 * ```
 */
export function checkVerdict(
  interval: Interval,
  check: { target: number; expect: Expectation },
): Verdict {
  if (check.expect === "holds") return verdictOf(interval, check.target);
  if (interval.low >= check.target) return "holds";
  if (interval.high < failLine(check.target)) return "fails";
  return "inconclusive";
}

/**
 * The one-sided exact binomial p-value of a check's expected verdict:
 * `P(X ≥ passed)` at the target for a prediction, `P(X ≤ passed)` at the
 * control ceiling (or the target, if lower) for a check expected to fail.
 *
 * @example
 * ```ts
 * import { checkPValue } from "./verdict.ts";
 * import assert from "node:assert/strict";
 * const control = { target: 0.8, expect: "fails" as const };
 * assert.ok(Math.abs(checkPValue({ passed: 0, trials: 30 }, control) - 0.8 ** 30) < 1e-15);
 * ```
 */
export function checkPValue(
  count: PassCount,
  check: { target: number; expect: Expectation },
): number {
  return check.expect === "holds"
    ? binomialUpperTail(count, check.target)
    : binomialLowerTail(count, failLine(check.target));
}

/** The p-value of a check's best outcome at `trials` trials. */
function bestPValue(
  trials: number,
  check: { target: number; expect: Expectation },
): number {
  return checkPValue(
    { passed: check.expect === "holds" ? trials : 0, trials },
    check,
  );
}

/**
 * Whether a check with `trials` trials could reach a p-value below
 * `threshold` (the strictest Holm threshold, alpha / family size), with the
 * passes that would and the fewest trials that could.
 *
 * @example
 * ```ts
 * import { reachOf } from "./verdict.ts";
 * import assert from "node:assert/strict";
 * const prediction = { target: 0.8, expect: "holds" as const };
 * // 20/20 gives 0.8^20 ≈ 0.0115, not below 0.05/30; 29 trials would do.
 * const r = reachOf(20, prediction, 0.05 / 30);
 * assert.equal(r.reachable, false);
 * assert.equal(r.trialsNeeded, 29);
 * ```
 */
export function reachOf(
  trials: number,
  check: { target: number; expect: Expectation },
  threshold: number,
): Reach {
  const bestP = bestPValue(trials, check);
  let passesNeeded: number | null = null;
  if (check.expect === "holds") {
    for (let k = trials; k >= 0; k--) {
      if (checkPValue({ passed: k, trials }, check) >= threshold) break;
      passesNeeded = k;
    }
  } else {
    for (let k = 0; k <= trials; k++) {
      if (checkPValue({ passed: k, trials }, check) >= threshold) break;
      passesNeeded = k;
    }
  }
  // The best outcome's p-value is r^n with r the target (prediction) or
  // 1 − the fail line (control).
  const r = check.expect === "holds"
    ? check.target
    : 1 - failLine(check.target);
  let trialsNeeded: number | null = null;
  if (r <= 0) trialsNeeded = 1;
  else if (r < 1 && threshold > 0) {
    let n = Math.max(1, Math.ceil(Math.log(threshold) / Math.log(r)));
    while (bestPValue(n, check) >= threshold) n++;
    while (n > 1 && bestPValue(n - 1, check) < threshold) n--;
    trialsNeeded = n;
  }
  return {
    threshold,
    bestP,
    reachable: bestP < threshold,
    passesNeeded,
    trialsNeeded,
  };
}

/** A cell as a number (`NaN` for text, booleans and missing values). */
function numeric(cell: unknown): number {
  return typeof cell === "number" ? cell : NaN;
}

/**
 * Margin statistics of a check over the finished trials among `records`:
 * the median of measured/threshold and the share of trials within the
 * margin band (|ratio − 1| ≤ 0.1, up to rounding). Trials where the ratio
 * is not a finite number (a missing column, a zero threshold) are left out.
 *
 * @example
 * ```ts
 * import { marginStats } from "./verdict.ts";
 * import assert from "node:assert/strict";
 * const records = [0.5, 0.95, 1.3].map((x, trial) => ({
 *   task: { claim: "C0", config: "c", trial, seed: trial },
 *   result: { status: "ok" as const, reason: "", checks: {}, values: { x } },
 * }));
 * const m = marginStats(records, { measured: "x", threshold: 1, direction: "below" });
 * assert.equal(m.median, 0.95);
 * assert.equal(m.nearShare, 1 / 3);
 * ```
 */
export function marginStats(
  records: TrialRecord[],
  margin: CheckMargin,
): MarginStats {
  const ratios: number[] = [];
  for (const record of records) {
    if (record.result.status !== "ok") continue;
    const values = record.result.values;
    const threshold = typeof margin.threshold === "number"
      ? margin.threshold
      : numeric(values[margin.threshold]);
    const ratio = numeric(values[margin.measured]) / threshold;
    if (Number.isFinite(ratio)) ratios.push(ratio);
  }
  const near =
    ratios.filter((r) => Math.abs(r - 1) <= MARGIN_BAND + 1e-12).length;
  return {
    measured: margin.measured,
    threshold: margin.threshold,
    direction: margin.direction,
    trials: ratios.length,
    median: ratios.length === 0 ? null : median(ratios),
    nearShare: ratios.length === 0 ? null : near / ratios.length,
  };
}

/** Whether a trial record passes a check. */
function passes(record: TrialRecord, check: string): boolean {
  return record.result.status === "ok" && record.result.checks[check] === true;
}

/** What {@linkcode summarize} summarizes. */
export interface SummarizeOptions {
  /** The claim (records of other claims are ignored). */
  claim: string;
  /** The claim's checks, one row each (a repeated name is summarized once). */
  checks: CheckSpec[];
  /**
   * The claim's configurations: a check counts the trials of those that
   * have it (default: every trial of the claim counts for every check).
   */
  configs?: ClaimConfig[];
}

/** The role of a check: declared, or from its expectation. */
export function roleOf(check: Pick<CheckSpec, "role" | "expect">): CheckRole {
  return check.role ?? (check.expect === "holds" ? "prediction" : "control");
}

/** Whether a summary row already carries the fields of a {@linkcode CheckRow}. */
function isCheckRow(row: SummaryRow): row is CheckRow {
  return "pValue" in row && "reach" in row && "role" in row;
}

/**
 * A summary row as a {@linkcode CheckRow}: a check row is copied as it is;
 * a plain row gets its default role, no twin or margin, and its p-value as
 * a family of one (use {@linkcode adjustFamily} to adjust a whole run).
 *
 * @example
 * ```ts
 * import { checkRowOf } from "./verdict.ts";
 * import assert from "node:assert/strict";
 * const row = checkRowOf({
 *   claim: "C1", check: "c", expect: "fails", trials: 30, passed: 0, rate: 0,
 *   ciLow: 0, ciHigh: 0.116, target: 0.8, verdict: "fails", ok: true,
 * });
 * assert.equal(row.role, "control");
 * assert.ok(Math.abs(row.pValue - 0.8 ** 30) < 1e-15);
 * ```
 */
export function checkRowOf(row: SummaryRow): CheckRow {
  if (isCheckRow(row)) return { ...row };
  const pValue = checkPValue(row, row);
  return {
    ...row,
    role: roleOf(row),
    twinOf: null,
    twin: null,
    margin: null,
    saturated: false,
    pValue,
    pAdjusted: pValue,
    adjustedVerdict: row.verdict,
    okAdjusted: row.ok,
    reach: reachOf(row.trials, row, FAMILY_ALPHA),
  };
}

/** Whether a check at rate 0 or 1 has almost no trial near its threshold. */
function isSaturated(
  count: PassCount,
  margin: MarginStats | null,
): boolean {
  if (margin === null || margin.nearShare === null || count.trials === 0) {
    return false;
  }
  const extreme = count.passed === 0 || count.passed === count.trials;
  return extreme && margin.nearShare < SATURATION_SHARE;
}

/** The twins of a prediction among the claim's rows, and its power. */
function twinEvidence(
  row: CheckRow,
  rows: CheckRow[],
): TwinEvidence | null {
  if (row.role !== "prediction") return null;
  const twins = rows.filter((r) => r.role === "twin" && r.twinOf === row.check);
  if (twins.length === 0) return null;
  const trials = twins.reduce((s, r) => s + r.trials, 0);
  const passed = twins.reduce((s, r) => s + r.passed, 0);
  const rejected = trials - passed;
  return {
    checks: twins.map((r) => r.check),
    trials,
    passed,
    rate: trials === 0 ? null : passed / trials,
    power: trials === 0 ? null : rejected / trials,
    powerCi: trials === 0 ? null : clopperPearsonInterval(rejected, trials, {
      confidence: VERDICT_RULES.confidence,
    }),
  };
}

/** The records of a claim that count for one check. */
function countedRecords(
  own: TrialRecord[],
  options: { check: CheckSpec; configs?: ClaimConfig[] },
): { counted: TrialRecord[]; unfinished: number } {
  const { check, configs } = options;
  let counted = own;
  if (configs !== undefined) {
    const having = new Set(
      configs.filter((c) => c.checks.some((s) => s.name === check.name))
        .map((c) => c.key),
    );
    counted = own.filter((r) => having.has(r.task.config));
  }
  // A check expected to fail must fail for its intended reason: trials
  // that did not run to the end are left out of its rate (they would
  // otherwise count as "failed"), and too many of them make it
  // inconclusive.
  const unfinished = counted.filter((r) => r.result.status !== "ok").length;
  if (check.expect === "fails") {
    counted = counted.filter((r) => r.result.status === "ok");
  }
  return { counted, unfinished };
}

/**
 * One row per check of a claim, aggregating the claim's trials over all
 * configurations that have the check (all configurations when `configs` is
 * not given). A trial passes a check only if its status is `ok` and the
 * check is `true`; the interval is Clopper–Pearson 95%. For a check
 * expected to fail only trials with status `ok` are counted, and its
 * verdict is `inconclusive` when more than
 * {@linkcode MAX_UNFINISHED_CONTROL_SHARE} of its trials did not finish.
 * Each row carries its role, twins and power, margin statistics and
 * p-value; its adjusted verdict is over this claim's rows alone until
 * {@linkcode adjustFamily} adjusts the whole run.
 *
 * @example
 * ```ts
 * import { summarize } from "./verdict.ts";
 * import assert from "node:assert/strict";
 * const check = { name: "a", description: "", target: 0.5, expect: "holds" as const };
 * const records = Array.from({ length: 20 }, (_, trial) => ({
 *   task: { claim: "C1", config: "x", trial, seed: trial },
 *   result: { status: "ok" as const, reason: "", checks: { a: true }, values: {} },
 * }));
 * const [row] = summarize(records, { claim: "C1", checks: [check] });
 * assert.equal(row.passed, 20);
 * assert.equal(row.verdict, "holds");
 * assert.equal(row.ok, true);
 * assert.equal(row.pValue, 0.5 ** 20);
 * ```
 */
export function summarize(
  records: TrialRecord[],
  options: SummarizeOptions,
): CheckRow[] {
  const { claim } = options;
  const own = records.filter((r) => r.task.claim === claim);
  const rows: CheckRow[] = [];
  const done = new Set<string>();
  for (const check of options.checks) {
    if (done.has(check.name)) continue;
    done.add(check.name);
    const { counted, unfinished } = countedRecords(own, {
      check,
      configs: options.configs,
    });
    const trials = counted.length;
    const passed = counted.filter((r) => passes(r, check.name)).length;
    const interval = clopperPearsonInterval(passed, trials, {
      confidence: VERDICT_RULES.confidence,
    });
    const tooManyUnfinished = check.expect === "fails" &&
      unfinished > MAX_UNFINISHED_CONTROL_SHARE * (trials + unfinished);
    const verdict = tooManyUnfinished
      ? "inconclusive"
      : checkVerdict(interval, check);
    const margin = check.margin === undefined
      ? null
      : marginStats(counted, check.margin);
    const pValue = checkPValue({ passed, trials }, check);
    rows.push({
      claim,
      check: check.name,
      expect: check.expect,
      trials,
      passed,
      rate: trials === 0 ? 0 : passed / trials,
      ciLow: interval.low,
      ciHigh: interval.high,
      target: check.target,
      verdict,
      ok: verdict === check.expect,
      role: roleOf(check),
      twinOf: check.twinOf ?? null,
      twin: null,
      margin,
      saturated: isSaturated({ passed, trials }, margin),
      pValue,
      pAdjusted: pValue,
      adjustedVerdict: verdict,
      okAdjusted: verdict === check.expect,
      reach: reachOf(trials, check, FAMILY_ALPHA),
    });
  }
  const linked = rows.map((row) => ({ ...row, twin: twinEvidence(row, rows) }));
  return adjustFamily({ rows: linked, assessments: [] }).rows;
}

/**
 * The adjusted verdict: the expected verdict when the raw one is the
 * expected one and the adjusted p-value is below `alpha`; the raw verdict
 * when it is the opposite of the expected one; else `inconclusive`.
 *
 * @example
 * ```ts
 * import { adjustedVerdictOf } from "./verdict.ts";
 * import assert from "node:assert/strict";
 * assert.equal(adjustedVerdictOf("holds", { expect: "holds", pAdjusted: 0.01 }), "holds");
 * assert.equal(adjustedVerdictOf("holds", { expect: "holds", pAdjusted: 0.2 }), "inconclusive");
 * assert.equal(adjustedVerdictOf("holds", { expect: "fails", pAdjusted: 0.9 }), "holds");
 * ```
 */
export function adjustedVerdictOf(
  raw: Verdict,
  options: { expect: Expectation; pAdjusted: number; alpha?: number },
): Verdict {
  const { expect, pAdjusted, alpha = FAMILY_ALPHA } = options;
  if (raw !== expect && raw !== "inconclusive") return raw;
  return raw === expect && pAdjusted < alpha ? expect : "inconclusive";
}

/** An assessment's p-value when it is a number in [0, 1], else `null`. */
function assessmentPValue(a: Assessment): number | null {
  const p = a.pValue;
  return typeof p === "number" && p >= 0 && p <= 1 ? p : null;
}

/**
 * Complete every row (a plain {@linkcode SummaryRow} gets its default role,
 * no twin or margin, and its p-value) and adjust the p-values of all rows
 * and of the assessments that have one as one Holm–Bonferroni family at
 * `VERDICT_RULES.familyAlpha`: each gets its adjusted p-value and verdict
 * ({@linkcode adjustedVerdictOf}) and each row whether it could reach
 * significance (`reach`, at the strictest threshold alpha / family size,
 * or 0.025 if smaller: the raw verdict's one-sided level).
 * An assessment without a p-value keeps its raw verdict. Idempotent.
 *
 * @example
 * ```ts
 * import { adjustFamily, summarize } from "./verdict.ts";
 * import assert from "node:assert/strict";
 * const check = { name: "a", description: "", target: 0.8, expect: "holds" as const };
 * const records = Array.from({ length: 20 }, (_, trial) => ({
 *   task: { claim: "C1", config: "x", trial, seed: trial },
 *   result: { status: "ok" as const, reason: "", checks: { a: true }, values: {} },
 * }));
 * const rows = summarize(records, { claim: "C1", checks: [check] });
 * const slope = { check: "s", expect: "holds" as const, verdict: "holds" as const, detail: "", pValue: 0.001 };
 * const adjusted = adjustFamily({ rows, assessments: [{ claim: "C1", a: slope }] });
 * assert.equal(adjusted.family.size, 2);
 * assert.equal(adjusted.rows[0].adjustedVerdict, "holds"); // 0.8^20 ≈ 0.0115 < 0.05
 * ```
 */
export function adjustFamily(summary: Summary): AdjustedSummary {
  const alpha = FAMILY_ALPHA;
  const rows = summary.rows.map(checkRowOf);
  const assessmentPs = summary.assessments.map((x) => assessmentPValue(x.a));
  const inFamily = assessmentPs.filter((p): p is number => p !== null);
  const adjusted = holmAdjust([...rows.map((r) => r.pValue), ...inFamily]);
  const size = adjusted.length;
  const strictest = alpha / Math.max(1, size);
  // The raw verdict needs the 95% interval past the line, i.e. a one-sided
  // p-value ≤ (1 − confidence)/2: a check's reach is judged at the stricter.
  const reachLine = Math.min(strictest, (1 - VERDICT_RULES.confidence) / 2);
  const adjustedRows = rows.map((row, i): CheckRow => {
    const adjustedVerdict = adjustedVerdictOf(row.verdict, {
      expect: row.expect,
      pAdjusted: adjusted[i],
      alpha,
    });
    return {
      ...row,
      pAdjusted: adjusted[i],
      adjustedVerdict,
      okAdjusted: adjustedVerdict === row.expect,
      reach: reachOf(row.trials, row, reachLine),
    };
  });
  let next = rows.length;
  const assessments = summary.assessments.map((x, i): AdjustedAssessment => {
    if (assessmentPs[i] === null) {
      return { ...x, pAdjusted: null, adjustedVerdict: x.a.verdict };
    }
    const pAdjusted = adjusted[next++];
    return {
      ...x,
      pAdjusted,
      adjustedVerdict: adjustedVerdictOf(x.a.verdict, {
        expect: x.a.expect,
        pAdjusted,
        alpha,
      }),
    };
  });
  return {
    rows: adjustedRows,
    assessments,
    family: {
      size,
      checks: rows.length,
      assessments: inFamily.length,
      alpha,
      strictest,
    },
  };
}

/**
 * Whether every row and every assessment reached its expected verdict
 * after the Holm–Bonferroni adjustment of the whole summary (this decides
 * the exit codes of `deno task claims`, `merge` and the claim tests).
 *
 * @example
 * ```ts
 * import { allOk } from "./verdict.ts";
 * import assert from "node:assert/strict";
 * assert.equal(allOk({ rows: [], assessments: [] }), true);
 * ```
 */
export function allOk(summary: Summary): boolean {
  const adjusted = adjustFamily(summary);
  return adjusted.rows.every((r) => r.okAdjusted) &&
    adjusted.assessments.every((x) => x.adjustedVerdict === x.a.expect);
}

/**
 * The first cells of a summary row in every report: claim, check, expect,
 * trials, passed and rate.
 *
 * @example
 * ```ts
 * import { leadingCells } from "./verdict.ts";
 * import assert from "node:assert/strict";
 * const row = {
 *   claim: "C1", check: "a", expect: "holds" as const, trials: 4, passed: 3,
 *   rate: 0.75, ciLow: 0.2, ciHigh: 0.99, target: 0.5,
 *   verdict: "inconclusive" as const, ok: false,
 * };
 * assert.deepEqual(leadingCells(row), ["C1", "a", "holds", "4", "3", "0.7500"]);
 * ```
 */
export function leadingCells(r: SummaryRow): string[] {
  return [
    r.claim,
    r.check,
    r.expect,
    String(r.trials),
    String(r.passed),
    rateText(r.rate),
  ];
}

/**
 * A rate or interval end as every report prints it: 4 decimals.
 *
 * @example
 * ```ts
 * import { rateText } from "./verdict.ts";
 * import assert from "node:assert/strict";
 * assert.equal(rateText(11 / 12), "0.9167");
 * ```
 */
export function rateText(x: number): string {
  return x.toFixed(4);
}

/**
 * A p-value (or a ratio) as the reports print it: 4 significant digits,
 * in exponent form below 1e-3.
 *
 * @example
 * ```ts
 * import { pValueText } from "./verdict.ts";
 * import assert from "node:assert/strict";
 * assert.equal(pValueText(0.8 ** 20), "0.01153");
 * assert.equal(pValueText(0.8 ** 40), "1.329e-4");
 * assert.equal(pValueText(1), "1");
 * ```
 */
export function pValueText(p: number): string {
  if (p !== 0 && Math.abs(p) < 1e-3) {
    return p.toExponential(3).replace(/\.?0+e/, "e");
  }
  return String(Number(p.toPrecision(4)));
}
