/**
 * Regression check between two runs. Each check's pass count in a baseline
 * summary is compared with the current one by a one-sided Fisher exact
 * test, and a significant drop is flagged; for a check expected to fail
 * (a twin, control or sanity line) the test is for a significant rise
 * instead: a control that starts passing is a regression too. Claim-level
 * assessments are compared by verdict (one that reached its expected
 * verdict in the baseline and no longer does is a regression). The named
 * constants of every claim and the verdict-rule constants must equal the
 * baseline's, so that no threshold moves silently after looking at data.
 * Key measurements (each claim's `highlights`: the median of a column over
 * the finished trials of a configuration) and the assessments' fitted
 * estimates are compared within a tolerance derived from the two runs'
 * spreads and trial counts (`regress_measurements.ts`); one that moved
 * beyond it is a regression. A different seed, profile, backend or trials
 * override is warned about.
 *
 * The baseline (and the current run) is a `summary.json` (format 3: it has
 * the constants, the rules, the run parameters, the key measurements and
 * the estimates; format 2 lacks the last two, which are then not compared,
 * with a warning; a format newer than this code reads is an error) or, for
 * older baselines, a `summary.csv` (pass counts and assessment verdicts
 * only: the constants, run parameters and measurements are then not
 * compared, and the report says so). The format is recognised from the
 * text.
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
import type { Expectation, Verdict } from "../claims/types.ts";
import { errorMessage } from "../base/errors.ts";
import { UsageError } from "../base/usage_error.ts";
import { SUMMARY_JSON_FORMAT } from "./summary_json.ts";
import {
  compareMeasurements,
  type MeasuredValue,
  type MeasurementComparison,
  measurementsMarkdown,
  readMeasuredValues,
} from "./regress_measurements.ts";

/** The first `summary.json` format with key measurements and estimates. */
const MEASUREMENTS_SINCE = 3;

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

/** Comparison of one claim-level assessment, by verdict. */
export interface AssessmentComparison {
  /** Claim id. */
  claim: string;
  /** Assessment name. */
  check: string;
  /** Expected verdict (the current one when both have it). */
  expect: Expectation;
  /** Baseline verdict (`null` for a new assessment). */
  baseline: Verdict | null;
  /** Current verdict (`null` for a missing assessment). */
  current: Verdict | null;
  /**
   * `worse`: expected in the baseline, not now (a regression); `changed`:
   * another change of verdict; `new`/`missing`: on one side only.
   */
  status: "ok" | "worse" | "changed" | "new" | "missing";
}

/** A named constant that differs from the baseline's. */
export interface ConstantChange {
  /** Claim id, or `rules` for a verdict-rule constant. */
  scope: string;
  /** Constant name. */
  name: string;
  /** Baseline value (`null`: not in the baseline). */
  baseline: number | null;
  /** Current value (`null`: not in the current run). */
  current: number | null;
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
      absentChecks.map((r) => `${r.claim}/${r.check}`).join(", ") + ".",
    ]),
  ];
}

/** Result of {@linkcode compareWithBaseline}. */
export interface RegressionReport {
  /** One row per check, current order first, then checks only in the baseline. */
  rows: RegressionRow[];
  /** One comparison per assessment, current order first. */
  assessments: AssessmentComparison[];
  /** Named constants (and verdict rules) that differ from the baseline's. */
  constantChanges: ConstantChange[];
  /**
   * Key measurements and fitted estimates against the baseline's
   * (`regress_measurements.ts`); empty when either summary has none.
   */
  measurements: MeasurementComparison[];
  /**
   * Warnings: run parameters (seed, profile, backend, trials) that differ,
   * and a summary too old to carry key measurements.
   */
  warnings: string[];
  /** The comparison in Markdown: tables and one-line conclusions. */
  markdown: string;
  /** Whether any check dropped significantly. */
  drop: boolean;
  /** Whether a check or assessment of the baseline is missing from the current run (a renamed or removed one must update the baseline). */
  missing: boolean;
  /** Whether an assessment that reached its expected verdict no longer does. */
  assessmentRegressed: boolean;
  /** Whether a named constant or verdict rule differs from the baseline's. */
  constantsChanged: boolean;
  /** Whether a key measurement or fitted estimate moved beyond its tolerance. */
  measurementsMoved: boolean;
  /** Whether the regression check fails (any of the five above). */
  failed: boolean;
}

/** A pass count read from a summary file. */
export interface SummaryCount {
  /** Claim id. */
  claim: string;
  /** Check name. */
  check: string;
  /** Expected verdict. */
  expect: Expectation;
  /** Passes. */
  passed: number;
  /** Trials. */
  trials: number;
}

/** An assessment's verdict read from a summary file. */
export interface SummaryAssessment {
  /** Claim id. */
  claim: string;
  /** Assessment name. */
  check: string;
  /** Expected verdict. */
  expect: Expectation;
  /** Verdict reached (raw). */
  verdict: Verdict;
}

/** The run parameters a summary records. */
export interface SummaryRunParams {
  /** Run seed. */
  seed: number;
  /** Size profile. */
  profile: string;
  /** Backend. */
  backend: string;
  /** Trials override, or `null`. */
  trials: number | null;
}

/** What {@linkcode readSummary} reads from a `summary.json` or `summary.csv`. */
export interface SummarySnapshot {
  /** The file's format. */
  format: "json" | "csv";
  /** Pass counts of the checks. */
  counts: SummaryCount[];
  /** Assessment verdicts. */
  assessments: SummaryAssessment[];
  /** Run parameters (`null` in a `summary.csv`). */
  run: SummaryRunParams | null;
  /** Named constants by claim id (`null` in a `summary.csv`). */
  constants: Record<string, Record<string, number>> | null;
  /** Verdict-rule constants (`null` in a `summary.csv` or an older `summary.json`). */
  rules: Record<string, number> | null;
  /** The `format` of a `summary.json` (`null`: a `summary.csv`, or none given). */
  version: number | null;
  /**
   * Key measurements and fitted estimates (`null` in a `summary.csv` or a
   * `summary.json` before format 3, which has none).
   */
  measured: MeasuredValue[] | null;
}

const REQUIRED = ["claim", "check", "expect", "trials", "passed"];
const VERDICTS: readonly string[] = ["holds", "fails", "inconclusive"];

/** Check one pass count (from either format); throws a `UsageError` at `where`. */
function checkedCount(
  cells: Record<"claim" | "check" | "expect", string> & {
    trials: unknown;
    passed: unknown;
  },
  where: string,
): SummaryCount {
  const { claim, check, expect } = cells;
  const counts: [string, unknown][] = [
    ["trials", cells.trials],
    ["passed", cells.passed],
  ];
  for (const [name, value] of counts) {
    const text = String(value);
    if (!/^\d+$/.test(text)) {
      throw new UsageError(
        `${where}: ${name} "${text}" is not a non-negative integer`,
      );
    }
  }
  const trials = Number(cells.trials);
  const passed = Number(cells.passed);
  if (passed > trials) {
    throw new UsageError(
      `${where}: passed (${passed}) exceeds trials (${trials})`,
    );
  }
  if (expect !== "holds" && expect !== "fails") {
    throw new UsageError(
      `${where}: expect "${expect}" is neither holds nor fails`,
    );
  }
  return { claim, check, expect, passed, trials };
}

/** Throw a `UsageError` when a claim/check appears twice. */
function checkUnique(
  items: { claim: string; check: string }[],
  where: (i: number) => string,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = `${item.claim}\u0000${item.check}`;
    if (seen.has(key)) {
      throw new UsageError(
        `${where(i)}: ${item.claim}/${item.check} appears twice`,
      );
    }
    seen.add(key);
  });
}

/** Parse a `summary.csv` text into its header and rows. */
function csvRows(text: string, source: string): string[][] {
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: false }) as string[][];
  } catch (error) {
    throw new UsageError(`${source}: not valid CSV: ${errorMessage(error)}`);
  }
  if (rows.length === 0) throw new UsageError(`${source}: empty file`);
  const missing = REQUIRED.filter((c) => !rows[0].includes(c));
  if (missing.length > 0) {
    throw new UsageError(
      `${source}: not a summary.csv: missing column(s) ${missing.join(", ")}`,
    );
  }
  return rows;
}

/**
 * Read the per-trial rows (not the assessment rows, which have no counts)
 * of a `summary.csv` text; throws a {@linkcode UsageError} naming `source`
 * on anything malformed.
 *
 * @example
 * ```ts
 * import { readSummaryCounts } from "./regress.ts";
 * import assert from "node:assert/strict";
 * const counts = readSummaryCounts("claim,check,expect,trials,passed\nC1,a,holds,4,3\n", "x");
 * assert.deepEqual(counts, [{ claim: "C1", check: "a", expect: "holds", passed: 3, trials: 4 }]);
 * ```
 */
export function readSummaryCounts(
  text: string,
  source: string,
): SummaryCount[] {
  return readCsvSummary(text, source).counts;
}

/** A `summary.csv` as a snapshot: counts and assessment verdicts. */
function readCsvSummary(text: string, source: string): SummarySnapshot {
  const rows = csvRows(text, source);
  const header = rows[0];
  const at = (c: string) => header.indexOf(c);
  const counts: SummaryCount[] = [];
  const assessments: SummaryAssessment[] = [];
  const lines: number[] = [];
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i];
    const get = (c: string) => at(c) < 0 ? "" : row[at(c)];
    const where = `${source}, line ${i + 1}`;
    const cells = {
      claim: get("claim"),
      check: get("check"),
      expect: get("expect"),
    };
    if (get("trials") === "" && get("passed") === "") {
      const verdict = get("verdict");
      if (
        VERDICTS.includes(verdict) &&
        (cells.expect === "holds" || cells.expect === "fails")
      ) {
        assessments.push({
          ...cells,
          expect: cells.expect,
          verdict: verdict as Verdict,
        });
      }
      continue;
    }
    counts.push(
      checkedCount(
        { ...cells, trials: get("trials"), passed: get("passed") },
        where,
      ),
    );
    lines.push(i + 1);
  }
  checkUnique(counts, (i) => `${source}, line ${lines[i]}`);
  return {
    format: "csv",
    counts,
    assessments,
    run: null,
    constants: null,
    rules: null,
    version: null,
    measured: null,
  };
}

/** Whether a value is a plain object. */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A map of names to numbers, or a `UsageError`. */
function numberMap(
  value: unknown,
  where: string,
): Record<string, number> {
  if (!isObject(value)) throw new UsageError(`${where} is not an object`);
  const out: Record<string, number> = {};
  for (const [name, v] of Object.entries(value)) {
    // A verdict rule is written as { value, reason }.
    const n = isObject(v) ? v.value : v;
    if (typeof n !== "number") {
      throw new UsageError(`${where}.${name} is not a number`);
    }
    out[name] = n;
  }
  return out;
}

/** A `summary.json` text as a snapshot. */
function readJsonSummary(text: string, source: string): SummarySnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source}: not valid JSON: ${errorMessage(error)}`);
  }
  const bad = (what: string) =>
    new UsageError(`${source}: not a summary.json: ${what}`);
  if (isObject(value) && value.kind === "regime-maps") {
    throw new UsageError(
      `${source}: the summary.json of a regime-map run (--profile map); regress compares runs of the ci or paper profile, whose checks have verdicts, and a map's cells have none`,
    );
  }
  if (!isObject(value) || !Array.isArray(value.rows) || !isObject(value.run)) {
    throw bad("no rows or run");
  }
  const asText = (x: unknown) => typeof x === "string" ? x : String(x);
  const counts = value.rows.map((row: unknown, i: number) => {
    if (!isObject(row)) throw bad(`rows[${i}] is not an object`);
    return checkedCount({
      claim: asText(row.claim),
      check: asText(row.check),
      expect: asText(row.expect),
      trials: row.trials,
      passed: row.passed,
    }, `${source}, rows[${i}]`);
  });
  checkUnique(counts, (i) => `${source}, rows[${i}]`);
  const assessments: SummaryAssessment[] = [];
  const rawAssessments = Array.isArray(value.assessments)
    ? value.assessments
    : [];
  rawAssessments.forEach((a: unknown, i: number) => {
    if (
      !isObject(a) || (a.expect !== "holds" && a.expect !== "fails") ||
      !VERDICTS.includes(asText(a.verdict))
    ) {
      throw bad(`assessments[${i}] has no expect or verdict`);
    }
    assessments.push({
      claim: asText(a.claim),
      check: asText(a.check),
      expect: a.expect,
      verdict: a.verdict as Verdict,
    });
  });
  const constants: Record<string, Record<string, number>> = {};
  const claims = Array.isArray(value.claims) ? value.claims : [];
  claims.forEach((c: unknown, i: number) => {
    if (!isObject(c) || typeof c.id !== "string") {
      throw bad(`claims[${i}] has no id`);
    }
    constants[c.id] = numberMap(
      c.constants,
      `${source}: claims[${i}].constants`,
    );
  });
  const run = value.run;
  const version = typeof value.format === "number" ? value.format : null;
  if (version !== null && version > SUMMARY_JSON_FORMAT) {
    throw new UsageError(
      `${source}: summary.json format ${version} is newer than this code ` +
        `reads (${SUMMARY_JSON_FORMAT}): update the code, or compare with a ` +
        "summary written by it",
    );
  }
  return {
    format: "json",
    version,
    measured: version !== null && version >= MEASUREMENTS_SINCE
      ? readMeasuredValues(value, source)
      : null,
    counts,
    assessments,
    run: {
      seed: Number(run.seed),
      profile: asText(run.profile),
      backend: asText(run.backend),
      trials: typeof run.trials === "number" ? run.trials : null,
    },
    constants,
    rules: value.rules === undefined
      ? null
      : numberMap(value.rules, `${source}: rules`),
  };
}

/**
 * Read a `summary.json` (recognised by its leading `{`) or a `summary.csv`
 * text: pass counts, assessment verdicts and, from a `summary.json`, the
 * run parameters, the claims' named constants and the verdict rules.
 * Throws a {@linkcode UsageError} naming `source` on anything malformed.
 *
 * @example
 * ```ts
 * import { readSummary } from "./regress.ts";
 * import assert from "node:assert/strict";
 * const json = JSON.stringify({
 *   run: { seed: 1, profile: "ci", backend: "blas", trials: null },
 *   claims: [{ id: "C4", constants: { radiusConstant: 2 } }],
 *   rows: [{ claim: "C4", check: "flips", expect: "holds", trials: 40, passed: 40 }],
 *   assessments: [],
 * });
 * const s = readSummary(json, "baseline");
 * assert.equal(s.format, "json");
 * assert.deepEqual(s.constants, { C4: { radiusConstant: 2 } });
 * ```
 */
export function readSummary(text: string, source: string): SummarySnapshot {
  return text.trimStart().startsWith("{")
    ? readJsonSummary(text, source)
    : readCsvSummary(text, source);
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

/** The key of a check or assessment. */
function keyOf(c: { claim: string; check: string }): string {
  return `${c.claim}\u0000${c.check}`;
}

/**
 * The items of two runs paired by claim and check: every current item with
 * its baseline one (if any), in current order, then the baseline's items
 * the current run lacks.
 */
function pairUp<T extends { claim: string; check: string }>(
  baseline: T[],
  current: T[],
): ({ b: T; c?: T } | { b?: T; c: T })[] {
  const baseBy = new Map(baseline.map((x) => [keyOf(x), x]));
  const currentKeys = new Set(current.map(keyOf));
  return [
    ...current.map((c) => ({ b: baseBy.get(keyOf(c)), c })),
    ...baseline.filter((b) => !currentKeys.has(keyOf(b))).map((b) => ({ b })),
  ];
}

/** Compare the pass counts, check by check. */
function compareCounts(
  baseline: SummaryCount[],
  current: SummaryCount[],
  alpha: number,
): RegressionRow[] {
  return pairUp(baseline, current).map(({ b, c }) => {
    const p = b === undefined || c === undefined
      ? null
      : worseningPValue(c.expect, { baseline: b, current: c });
    const either = (c ?? b)!;
    return {
      claim: either.claim,
      check: either.check,
      expect: either.expect,
      baselinePassed: b?.passed ?? null,
      baselineTrials: b?.trials ?? null,
      currentPassed: c?.passed ?? null,
      currentTrials: c?.trials ?? null,
      pValue: p,
      verdict: c === undefined
        ? "missing"
        : p === null
        ? "new"
        : p < alpha
        ? "drop"
        : "ok",
    };
  });
}

/** The status of an assessment's verdict against the baseline's. */
function assessmentStatus(
  b: SummaryAssessment | undefined,
  c: SummaryAssessment | undefined,
): AssessmentComparison["status"] {
  if (c === undefined) return "missing";
  if (b === undefined) return "new";
  if (b.verdict === c.verdict) return "ok";
  return b.verdict === b.expect && c.verdict !== c.expect ? "worse" : "changed";
}

/** Compare the assessments' verdicts. */
function compareAssessments(
  baseline: SummaryAssessment[],
  current: SummaryAssessment[],
): AssessmentComparison[] {
  return pairUp(baseline, current).map(({ b, c }) => {
    const either = (c ?? b)!;
    return {
      claim: either.claim,
      check: either.check,
      expect: either.expect,
      baseline: b?.verdict ?? null,
      current: c?.verdict ?? null,
      status: assessmentStatus(b, c),
    };
  });
}

/** The differences between two maps of named constants. */
function mapChanges(
  scope: string,
  maps: { baseline: Record<string, number>; current: Record<string, number> },
): ConstantChange[] {
  const { baseline, current } = maps;
  const names = [
    ...Object.keys(current),
    ...Object.keys(baseline).filter((n) => !(n in current)),
  ];
  return names.filter((n) => !Object.is(baseline[n], current[n])).map((
    name,
  ) => ({
    scope,
    name,
    baseline: name in baseline ? baseline[name] : null,
    current: name in current ? current[name] : null,
  }));
}

/**
 * The named constants of the claims in both runs, and the verdict rules,
 * that differ. A baseline with constants needs a current run with them.
 */
function compareConstants(
  baseline: SummarySnapshot,
  current: SummarySnapshot,
): ConstantChange[] {
  if (baseline.constants === null) return [];
  if (current.constants === null) {
    throw new UsageError(
      "current: a summary.csv has no named constants to compare with the " +
        "baseline's: compare the run's summary.json (write it with --format json)",
    );
  }
  const changes: ConstantChange[] = [];
  for (const [claim, constants] of Object.entries(current.constants)) {
    const base = baseline.constants[claim];
    if (base === undefined) continue;
    changes.push(...mapChanges(claim, { baseline: base, current: constants }));
  }
  if (baseline.rules !== null && current.rules !== null) {
    changes.push(
      ...mapChanges("rules", {
        baseline: baseline.rules,
        current: current.rules,
      }),
    );
  }
  return changes;
}

/** Warnings for run parameters that differ from the baseline's (issue 12). */
function runWarnings(
  baseline: SummarySnapshot,
  current: SummarySnapshot,
): string[] {
  if (baseline.run === null || current.run === null) return [];
  const b = baseline.run;
  const c = current.run;
  const differ = (["seed", "profile", "backend", "trials"] as const).filter((
    k,
  ) => b[k] !== c[k]).map((k) =>
    `${k} (${b[k] ?? "none"} → ${c[k] ?? "none"})`
  );
  if (differ.length === 0) return [];
  return [
    `the current run differs from the baseline in ${differ.join(", ")}: ` +
    "pass counts may differ for that reason alone (compare runs of the same " +
    "seed, profile, backend and --trials)",
  ];
}

/**
 * A warning for a summary too old to carry key measurements and fitted
 * estimates (they are then not compared).
 */
function measurementWarnings(
  baseline: SummarySnapshot,
  current: SummarySnapshot,
): string[] {
  // A summary.csv baseline is noted in the Markdown (constantsMarkdown).
  if (baseline.format === "csv") return [];
  const what = (s: SummarySnapshot) =>
    s.format === "csv"
      ? "a summary.csv"
      : `a summary.json of format ${s.version ?? "1 or 2"}`;
  if (baseline.measured === null) {
    return [
      `the baseline is ${what(baseline)}, which records no key measurements ` +
      `or fitted estimates (format ${MEASUREMENTS_SINCE} does), so they were ` +
      "not compared: regenerate the baseline (README, Regression tracking)",
    ];
  }
  if (current.measured === null) {
    return [
      `the current summary is ${what(current)}, which records no key ` +
      "measurements or fitted estimates, so they were not compared: compare " +
      "a summary.json written by this code",
    ];
  }
  return [];
}

/** `a`, `null` as a dash. */
function valueText(x: number | null): string {
  return x === null ? "—" : String(x);
}

/** The Markdown of the pass-count comparison. */
function countsMarkdown(rows: RegressionRow[], alpha: number): string[] {
  const drops = rows.filter((r) => r.verdict === "drop");
  const gone = rows.filter((r) => r.verdict === "missing");
  const resized = rows.filter((r) =>
    r.baselineTrials !== null && r.currentTrials !== null &&
    r.baselineTrials !== r.currentTrials
  );
  return [
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
        drops.map((r) => `${r.claim}/${r.check}`).join(", ") + ".",
    ...missingLines(rows, gone),
    ...(resized.length === 0 ? [] : [
      `Warning: trial counts differ from the baseline for ` +
      resized.map((r) => `${r.claim}/${r.check}`).join(", ") +
      ` (compare runs of the same profile and --trials).`,
    ]),
  ];
}

/** The Markdown of the assessment comparison. */
function assessmentsMarkdown(list: AssessmentComparison[]): string[] {
  if (list.length === 0) return [];
  const worse = list.filter((a) => a.status === "worse");
  return [
    "",
    "| claim | assessment | expect | baseline | current | status |",
    "|---|---|---|---|---|---|",
    ...list.map((a) =>
      `| ${a.claim} | ${a.check} | ${a.expect} | ${a.baseline ?? "—"} | ` +
      `${a.current ?? "—"} | ${a.status === "worse" ? "**worse**" : a.status} |`
    ),
    "",
    worse.length === 0
      ? "No assessment lost its expected verdict."
      : "Assessments that lost their expected verdict: " +
        worse.map((a) => `${a.claim}/${a.check}`).join(", ") + ".",
  ];
}

/** The Markdown of the constants comparison. */
function constantsMarkdown(
  baseline: SummarySnapshot,
  changes: ConstantChange[],
): string[] {
  if (baseline.constants === null) {
    return [
      "",
      "Note: the baseline is a summary.csv: it records no named constants, " +
      "verdict rules, run parameters, key measurements or fitted estimates, " +
      "so they were not compared. Make the baseline a summary.json (README, " +
      "Regression tracking).",
    ];
  }
  if (changes.length === 0) {
    return [
      "",
      "Named constants and verdict rules: as in the baseline.",
    ];
  }
  return [
    "",
    "**Named constants differ from the baseline** (a threshold must not move " +
    "after looking at the data; if the change was decided beforehand, " +
    "regenerate the baseline: README, Regression tracking):",
    "",
    "| claim | constant | baseline | current |",
    "|---|---|---|---|",
    ...changes.map((c) =>
      `| ${c.scope} | ${c.name} | ${valueText(c.baseline)} | ${
        valueText(c.current)
      } |`
    ),
  ];
}

/**
 * Compare a current summary with a baseline one (each a `summary.json` or
 * a `summary.csv`, see {@linkcode readSummary}): pass counts check by check
 * with a one-sided Fisher exact test at level `alpha` (default 0.05; see
 * {@linkcode worseningPValue}), assessment verdicts, the claims' named
 * constants and the verdict rules, the key measurements and fitted
 * estimates within their tolerances (family level `alpha`, see
 * `regress_measurements.ts`), and the run parameters (a warning). A
 * corrupt or mismatched file throws a {@linkcode UsageError}, as does a
 * baseline with constants against a current `summary.csv`.
 *
 * @example
 * ```ts
 * import { compareWithBaseline } from "./regress.ts";
 * import assert from "node:assert/strict";
 * const head = "claim,check,expect,trials,passed\n";
 * const report = compareWithBaseline(head + "C1,a,holds,40,39\n", head + "C1,a,holds,40,25\n");
 * assert.equal(report.drop, true);
 * assert.equal(report.failed, true);
 * assert.equal(report.rows[0].verdict, "drop");
 * ```
 */
export function compareWithBaseline(
  baselineText: string,
  currentText: string,
  options: { alpha?: number } = {},
): RegressionReport {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) {
    throw new UsageError(`alpha must be in (0, 1), got ${alpha}`);
  }
  const baseline = readSummary(baselineText, "baseline");
  const current = readSummary(currentText, "current");
  const rows = compareCounts(baseline.counts, current.counts, alpha);
  const assessments = compareAssessments(
    baseline.assessments,
    current.assessments,
  );
  const constantChanges = compareConstants(baseline, current);
  const measurements = baseline.measured === null || current.measured === null
    ? []
    : compareMeasurements(baseline.measured, current.measured, { alpha });
  const warnings = [
    ...runWarnings(baseline, current),
    ...measurementWarnings(baseline, current),
  ];
  const drop = rows.some((r) => r.verdict === "drop");
  const missing = rows.some((r) => r.verdict === "missing") ||
    assessments.some((a) => a.status === "missing");
  const assessmentRegressed = assessments.some((a) => a.status === "worse");
  const constantsChanged = constantChanges.length > 0;
  const measurementsMoved = measurements.some((m) => m.status === "moved");
  const markdown = [
    ...countsMarkdown(rows, alpha),
    ...assessmentsMarkdown(assessments),
    ...constantsMarkdown(baseline, constantChanges),
    ...(baseline.measured === null || current.measured === null
      ? []
      : measurementsMarkdown(measurements, { alpha })),
    ...warnings.map((w) => `Warning: ${w}.`),
  ];
  return {
    rows,
    assessments,
    constantChanges,
    measurements,
    warnings,
    markdown: markdown.join("\n") + "\n",
    drop,
    missing,
    assessmentRegressed,
    constantsChanged,
    measurementsMoved,
    failed: drop || missing || assessmentRegressed || constantsChanged ||
      measurementsMoved,
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
