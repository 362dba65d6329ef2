/**
 * Regression check between two runs: compare each check's pass count in a
 * baseline `summary.csv` with the current one by a one-sided Fisher exact
 * test, and flag a significant drop. For a control (a check expected to
 * fail) the test is for a significant rise instead: a control that starts
 * passing is a regression too.
 *
 * Also Monte Carlo estimates of the test's false-alarm rate (no change) and
 * power (a given drop).
 *
 * @module
 */

import { parse } from "csv-parse/sync";
import {
  binomialSample,
  fisherExactLowerTail,
  type PassCount,
} from "../stats/mod.ts";
import type { Expectation } from "../claims/types.ts";
import { errorMessage } from "../base/errors.ts";
import { UsageError } from "../base/usage_error.ts";

/** Comparison of one check. */
export interface RegressionRow {
  /** Claim id. */
  claim: string;
  /** Check name. */
  check: string;
  /** Expected outcome (from the current file when both have the check). */
  expect: Expectation;
  /** Baseline passes (`null` for a new check). */
  baselinePassed: number | null;
  /** Baseline trials (`null` for a new check). */
  baselineTrials: number | null;
  /** Current passes (`null` for a missing check). */
  currentPassed: number | null;
  /** Current trials (`null` for a missing check). */
  currentTrials: number | null;
  /** One-sided p-value (`null` when the check is on one side only). */
  pValue: number | null;
  /** `drop`: significant worsening; `new`/`missing`: on one side only. */
  verdict: "ok" | "drop" | "new" | "missing";
}

/**
 * Lines explaining missing checks: whole claims absent from the current run
 * (run them, or compare with a baseline of the same claims) apart from single
 * checks absent from a claim that ran (renamed or removed: update the
 * baseline if intended).
 */
function missingLines(rows: RegressionRow[], gone: RegressionRow[]): string[] {
  if (gone.length === 0) return [];
  const ran = new Set(
    rows.filter((r) => r.verdict !== "missing").map((r) => r.claim),
  );
  const absentClaims = [...new Set(gone.map((r) => r.claim))].filter((c) =>
    !ran.has(c)
  );
  const absentChecks = gone.filter((r) => ran.has(r.claim));
  return [
    ...(absentClaims.length === 0 ? [] : [
      `Claims of the baseline not in the current run: ${
        absentClaims.join(", ")
      } ` +
      `(run every claim of the baseline, or compare with a baseline of the same claims).`,
    ]),
    ...(absentChecks.length === 0 ? [] : [
      `Checks of the baseline missing from the current run (renamed or removed? ` +
      `update the baseline if intended): ` +
      absentChecks.map((r) => `${r.claim}/${r.check}`).join(", ") + "..",
    ]),
  ];
}

/** Result of {@linkcode compareWithBaseline}. */
export interface RegressionReport {
  /** One row per check, current order first, then checks only in the baseline. */
  rows: RegressionRow[];
  /** A Markdown table of the rows and a one-line conclusion. */
  markdown: string;
  /** Whether any check dropped significantly. */
  drop: boolean;
  /** Whether a check of the baseline is missing from the current run (a renamed or removed check must update the baseline). */
  missing: boolean;
}

/** A pass count read from a summary file. */
interface Count {
  claim: string;
  check: string;
  expect: Expectation;
  passed: number;
  trials: number;
}

const REQUIRED = ["claim", "check", "expect", "trials", "passed"];

/**
 * Read the per-trial rows (not the assessment rows, which have no counts)
 * of a `summary.csv` text; throws a {@linkcode UsageError} naming `source`
 * on anything malformed.
 */
export function readSummaryCounts(text: string, source: string): Count[] {
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: false }) as string[][];
  } catch (error) {
    throw new UsageError(`${source}: not valid CSV: ${errorMessage(error)}`);
  }
  if (rows.length === 0) throw new UsageError(`${source}: empty file`);
  const header = rows[0];
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new UsageError(
      `${source}: not a summary.csv: missing column(s) ${missing.join(", ")}`,
    );
  }
  const at = Object.fromEntries(REQUIRED.map((c) => [c, header.indexOf(c)]));
  const counts: Count[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i];
    const where = `${source}, line ${i + 1}`;
    const get = (c: string) => row[at[c]];
    const [trialsText, passedText] = [get("trials"), get("passed")];
    if (trialsText === "" && passedText === "") continue; // an assessment
    for (const [name, t] of [["trials", trialsText], ["passed", passedText]]) {
      if (!/^\d+$/.test(t)) {
        throw new UsageError(
          `${where}: ${name} "${t}" is not a non-negative integer`,
        );
      }
    }
    const trials = Number(trialsText);
    const passed = Number(passedText);
    if (passed > trials) {
      throw new UsageError(
        `${where}: passed (${passed}) exceeds trials (${trials})`,
      );
    }
    const expect = get("expect");
    if (expect !== "holds" && expect !== "fails") {
      throw new UsageError(
        `${where}: expect "${expect}" is neither holds nor fails`,
      );
    }
    const key = `${get("claim")}\u0000${get("check")}`;
    if (seen.has(key)) {
      throw new UsageError(
        `${where}: ${get("claim")}/${get("check")} appears twice`,
      );
    }
    seen.add(key);
    counts.push({
      claim: get("claim"),
      check: get("check"),
      expect,
      passed,
      trials,
    });
  }
  return counts;
}

/**
 * One-sided p-value for "worse than the baseline": a lower pass rate for a
 * check expected to hold, a higher one for a control (expected to fail).
 *
 * @example
 * ```ts
 * import { worseningPValue } from "./regress.ts";
 * import assert from "node:assert/strict";
 * const p = worseningPValue("holds", {
 *   baseline: { passed: 39, trials: 40 },
 *   current: { passed: 25, trials: 40 },
 * });
 * assert.ok(p < 0.05);
 * ```
 */
export function worseningPValue(
  expect: Expectation,
  counts: { baseline: PassCount; current: PassCount },
): number {
  const { baseline, current } = counts;
  if (expect === "holds") return fisherExactLowerTail(baseline, current);
  const failed = (c: PassCount): PassCount => ({
    passed: c.trials - c.passed,
    trials: c.trials,
  });
  return fisherExactLowerTail(failed(baseline), failed(current));
}

/** A p-value for display. */
function pText(p: number | null): string {
  if (p === null) return "—";
  return p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

/** `passed/trials (rate)` for display. */
function countText(passed: number | null, trials: number | null): string {
  if (passed === null || trials === null) return "—";
  const rate = trials === 0 ? "—" : (passed / trials).toFixed(3);
  return `${passed}/${trials} (${rate})`;
}

/**
 * Compare a current `summary.csv` with a baseline one, check by check,
 * with a one-sided Fisher exact test at level `alpha` (default 0.05; see
 * {@linkcode worseningPValue}). Assessment rows are ignored. A corrupt or
 * mismatched file throws a {@linkcode UsageError}.
 *
 * @example
 * ```ts
 * import { compareWithBaseline } from "./regress.ts";
 * import assert from "node:assert/strict";
 * const head = "claim,check,expect,trials,passed\n";
 * const report = compareWithBaseline(head + "C1,a,holds,40,39\n", head + "C1,a,holds,40,25\n");
 * assert.equal(report.drop, true);
 * assert.equal(report.rows[0].verdict, "drop");
 * ```
 */
export function compareWithBaseline(
  baselineCsv: string,
  currentCsv: string,
  options: { alpha?: number } = {},
): RegressionReport {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) {
    throw new UsageError(`alpha must be in (0, 1), got ${alpha}`);
  }
  const baseline = readSummaryCounts(baselineCsv, "baseline");
  const current = readSummaryCounts(currentCsv, "current");
  const key = (c: Count) => `${c.claim}\u0000${c.check}`;
  const baseBy = new Map(baseline.map((c) => [key(c), c]));
  const currentKeys = new Set(current.map(key));
  const rows: RegressionRow[] = [];
  for (const c of current) {
    const b = baseBy.get(key(c));
    if (b === undefined) {
      rows.push({
        claim: c.claim,
        check: c.check,
        expect: c.expect,
        baselinePassed: null,
        baselineTrials: null,
        currentPassed: c.passed,
        currentTrials: c.trials,
        pValue: null,
        verdict: "new",
      });
      continue;
    }
    const p = worseningPValue(c.expect, { baseline: b, current: c });
    rows.push({
      claim: c.claim,
      check: c.check,
      expect: c.expect,
      baselinePassed: b.passed,
      baselineTrials: b.trials,
      currentPassed: c.passed,
      currentTrials: c.trials,
      pValue: p,
      verdict: p < alpha ? "drop" : "ok",
    });
  }
  for (const b of baseline) {
    if (currentKeys.has(key(b))) continue;
    rows.push({
      claim: b.claim,
      check: b.check,
      expect: b.expect,
      baselinePassed: b.passed,
      baselineTrials: b.trials,
      currentPassed: null,
      currentTrials: null,
      pValue: null,
      verdict: "missing",
    });
  }
  const drops = rows.filter((r) => r.verdict === "drop");
  const gone = rows.filter((r) => r.verdict === "missing");
  const resized = rows.filter((r) =>
    r.baselineTrials !== null && r.currentTrials !== null &&
    r.baselineTrials !== r.currentTrials
  );
  const lines = [
    "| claim | check | expect | baseline | current | p (one-sided) | verdict |",
    "|---|---|---|---|---|---|---|",
    ...rows.map((r) =>
      `| ${r.claim} | ${r.check} | ${r.expect} | ` +
      `${countText(r.baselinePassed, r.baselineTrials)} | ` +
      `${countText(r.currentPassed, r.currentTrials)} | ${pText(r.pValue)} | ` +
      `${
        r.verdict === "drop"
          ? (r.expect === "holds" ? "**drop**" : "**drop** (control rose)")
          : r.verdict
      } |`
    ),
    "",
    drops.length === 0
      ? `No significant drop (one-sided Fisher exact test, alpha = ${alpha}).`
      : `Significant drop (one-sided Fisher exact test, alpha = ${alpha}) in: ` +
        drops.map((r) => `${r.claim}/${r.check}`).join(", ") + "..",
    ...missingLines(rows, gone),
    ...(resized.length === 0 ? [] : [
      `Warning: trial counts differ from the baseline for ` +
      resized.map((r) => `${r.claim}/${r.check}`).join(", ") +
      ` (compare runs of the same profile and --trials).`,
    ]),
  ];
  return {
    rows,
    markdown: lines.join("\n") + "\n",
    drop: drops.length > 0,
    missing: gone.length > 0,
  };
}

/** How {@linkcode simulatePower} and {@linkcode simulateFalseAlarm} simulate. */
export interface SimulationOptions {
  /** Trials of the baseline and of the current run. */
  trials: number;
  /** Number of simulated (baseline, current) pairs. */
  reps: number;
  /** Level of the drop test. */
  alpha: number;
  /** The random source. */
  rng: { uniform(): number };
}

/**
 * Monte Carlo false-alarm rate of the drop test under no change: the
 * fraction of `reps` pairs of Binomial(`trials`, `p`) counts (baseline,
 * current) whose one-sided Fisher p-value is below `alpha`.
 *
 * @example
 * ```ts
 * import { simulateFalseAlarm } from "./regress.ts";
 * import { Rng } from "../model/rng.ts";
 * import assert from "node:assert/strict";
 * const rate = simulateFalseAlarm(0.9, { trials: 40, reps: 200, alpha: 0.05, rng: new Rng(1) });
 * assert.ok(rate <= 0.1);
 * ```
 */
export function simulateFalseAlarm(
  p: number,
  options: SimulationOptions,
): number {
  return simulatePower(p, p, options);
}

/**
 * Monte Carlo power of the drop test: the fraction of `reps` pairs
 * (baseline ~ Binomial(`trials`, `p0`), current ~ Binomial(`trials`, `p1`))
 * flagged as a drop at level `alpha`.
 *
 * @example
 * ```ts
 * import { simulatePower } from "./regress.ts";
 * import { Rng } from "../model/rng.ts";
 * import assert from "node:assert/strict";
 * const power = simulatePower(0.95, 0.3, { trials: 40, reps: 100, alpha: 0.05, rng: new Rng(1) });
 * assert.ok(power > 0.9);
 * ```
 */
export function simulatePower(
  p0: number,
  p1: number,
  options: SimulationOptions,
): number {
  const { trials, reps, alpha, rng } = options;
  let flagged = 0;
  for (let i = 0; i < reps; i++) {
    const b = binomialSample(rng, { trials, p: p0 });
    const c = binomialSample(rng, { trials, p: p1 });
    const p = fisherExactLowerTail(
      { passed: b, trials },
      { passed: c, trials },
    );
    if (p < alpha) flagged++;
  }
  return flagged / reps;
}
