/**
 * From trial records to verdicts: one summary row per check of a claim
 * (pass count, Clopper–Pearson 95% interval, verdict against the target),
 * and whether every row and assessment reached its expected verdict. The
 * report writers (`summary_csv.ts`, `summary_md.ts`, `summary_json.ts`)
 * format what this module decides.
 *
 * @module
 */

import { clopperPearsonInterval } from "../stats/mod.ts";
import type {
  Assessment,
  CheckSpec,
  ClaimConfig,
  SummaryRow,
  TrialRecord,
  Verdict,
} from "../claims/types.ts";

/** An assessment together with the claim it belongs to. */
export interface ClaimAssessment {
  /** Claim id. */
  claim: string;
  /** The assessment. */
  a: Assessment;
}

/** What the summaries of a run report: its rows and assessments. */
export interface Summary {
  /** Summary rows, claim by claim. */
  rows: SummaryRow[];
  /** Claim-level assessments. */
  assessments: ClaimAssessment[];
}

/**
 * A control (expect `fails`) whose share of trials that did not run to the
 * end exceeds this is `inconclusive`.
 */
export const MAX_UNFINISHED_CONTROL_SHARE = 0.2;

/**
 * Verdict from a confidence interval: `holds` if its lower end reaches the
 * target, `fails` if its upper end is below the target, else `inconclusive`.
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

/**
 * One summary row per check of a claim, aggregating the claim's trials over
 * all configurations that have the check (all configurations when `configs`
 * is not given). A trial passes a check only if its status is `ok` and the
 * check is `true`; the interval is Clopper–Pearson 95%. For a control
 * (expect `fails`) only trials with status `ok` are counted, and the verdict
 * is `inconclusive` when more than {@linkcode MAX_UNFINISHED_CONTROL_SHARE}
 * of its trials did not finish.
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
 * ```
 */
export function summarize(
  records: TrialRecord[],
  options: SummarizeOptions,
): SummaryRow[] {
  const { claim, configs } = options;
  const own = records.filter((r) => r.task.claim === claim);
  const rows: SummaryRow[] = [];
  const done = new Set<string>();
  for (const check of options.checks) {
    if (done.has(check.name)) continue;
    done.add(check.name);
    let counted = own;
    if (configs !== undefined) {
      const having = new Set(
        configs.filter((c) => c.checks.some((s) => s.name === check.name))
          .map((c) => c.key),
      );
      counted = own.filter((r) => having.has(r.task.config));
    }
    // A control must fail for its intended reason: trials that did not run
    // to the end are left out of its rate (they would otherwise count as
    // "control failed"), and too many of them make it inconclusive.
    const unfinished = counted.filter((r) => r.result.status !== "ok").length;
    if (check.expect === "fails") {
      counted = counted.filter((r) => r.result.status === "ok");
    }
    const trials = counted.length;
    const passed = counted.filter((r) => passes(r, check.name)).length;
    const interval = clopperPearsonInterval(passed, trials, {
      confidence: 0.95,
    });
    const { low, high } = interval;
    const tooManyUnfinished = check.expect === "fails" &&
      unfinished > MAX_UNFINISHED_CONTROL_SHARE * (trials + unfinished);
    const verdict = tooManyUnfinished
      ? "inconclusive"
      : verdictOf(interval, check.target);
    rows.push({
      claim,
      check: check.name,
      expect: check.expect,
      trials,
      passed,
      rate: trials === 0 ? 0 : passed / trials,
      ciLow: low,
      ciHigh: high,
      target: check.target,
      verdict,
      ok: verdict === check.expect,
    });
  }
  return rows;
}

/**
 * Whether every row and every assessment reached its expected verdict.
 *
 * @example
 * ```ts
 * import { allOk } from "./verdict.ts";
 * import assert from "node:assert/strict";
 * assert.equal(allOk({ rows: [], assessments: [] }), true);
 * ```
 */
export function allOk(summary: Summary): boolean {
  return summary.rows.every((r) => r.ok) &&
    summary.assessments.every(({ a }) => a.verdict === a.expect);
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
