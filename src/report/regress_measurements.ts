/**
 * The measurement part of the regression check (`regress.ts`): every key
 * measurement of the baseline (a claim's `highlights` column: its median
 * over the finished trials of one configuration) and every fitted estimate
 * of an assessment (e.g. C2's slope, C7's exponents) is compared with the
 * current run's, and one that moved by more than its tolerance is a
 * regression.
 *
 * The tolerance, fixed before looking at data (`MEASUREMENT_RULES`):
 *
 *   tolerance = max(relativeFloor · |baseline|, t · SE)
 *
 * - A median: SE = √(π/2) · √(σ_b²/n_b + σ_c²/n_c), the standard error of
 *   the difference of two medians of n_b and n_c trials (√(π/2)·σ/√n is a
 *   median's standard error for normal data), each run's per-trial spread
 *   read from its own 10%–90% range, σ = (q90 − q10)/(2·z₀.₉), z₀.₉ =
 *   1.2816 (the range of a normal is 2.5631 σ), as Welch's test does with
 *   two variances. t is Student's quantile with min(n_b, n_c) − 1 degrees
 *   of freedom (the spreads rest on few trials: a median of few trials
 *   gets a wide band; one trial cannot be compared at all). Why both
 *   spreads: in a simulation made when choosing the rule, the baseline's
 *   spread alone raised a false alarm in about half of the fresh-seed
 *   reruns of 100 skewed (log-normal) quantities of 8–16 trials (a small
 *   sample's range is often far below the population's); with both they
 *   stay below alpha for normal and log-normal quantities alike, which
 *   `regress_measurements_test.ts` checks.
 * - A fitted estimate: SE = √(SE_b² + SE_c²), each from its 95% interval
 *   read as a normal one, SE = (high − low)/(2 · 1.96) (the baseline's
 *   when the current one has none); t is the normal quantile. An estimate
 *   without a baseline interval gets the floor alone.
 * - t is taken at the two-sided level alpha/m (Bonferroni): alpha is the
 *   regression check's level (`--alpha`, default 0.05) and m the number of
 *   quantities compared, so that a rerun with a fresh seed and no change of
 *   code moves none of them with probability about 1 − alpha.
 * - relativeFloor = 1%: a quantity with no spread between trials (a
 *   threshold, a construction's radius) may still move by float rounding
 *   across machines and backends; 1% is far below anything a check decides
 *   on (every margin band and target is ≥ 10% away).
 *
 * @module
 */

import { normalQuantile, studentTQuantile } from "../stats/mod.ts";
import { UsageError } from "../base/usage_error.ts";

/** The named constants of the measurement comparison, with their reasons. */
export const MEASUREMENT_RULES = {
  /** The smallest tolerance, as a share of the baseline value. */
  relativeFloor: 0.01,
  /** The fewest baseline trials behind a median that can be compared. */
  minTrials: 2,
} as const;

/** Why each constant of {@linkcode MEASUREMENT_RULES} has its value. */
export const MEASUREMENT_RULE_REASONS: Record<
  keyof typeof MEASUREMENT_RULES,
  string
> = {
  relativeFloor:
    "a quantity with no spread between trials may still move by float rounding across machines and backends; 1% is far below anything a check decides on (its margin band and targets are ≥ 10% away)",
  minTrials:
    "the spread of one trial is unknown, so its median cannot be told from noise (in either run)",
};

/** z₀.₉: a normal's 10%–90% range is 2·z₀.₉·σ. */
const Z90 = normalQuantile(0.9);
/** The half-width of a normal 95% interval, in standard errors. */
const Z975 = normalQuantile(0.975);

/** One compared quantity of a summary: a key measurement or a fitted estimate. */
export interface MeasuredValue {
  /** `median`: a key measurement; `estimate`: an assessment's fitted value. */
  kind: "median" | "estimate";
  /** Claim id. */
  claim: string;
  /** The configuration key (a median) or the assessment name (an estimate). */
  scope: string;
  /** The value column (a median) or the estimate name. */
  name: string;
  /** The median or the fitted value. */
  value: number;
  /** The 10% quantile, or the interval's lower end (`null`: none). */
  low: number | null;
  /** The 90% quantile, or the interval's upper end (`null`: none). */
  high: number | null;
  /** Finished trials behind a median (`null` for an estimate). */
  n: number | null;
}

/** Comparison of one quantity with the baseline's. */
export interface MeasurementComparison {
  /** What is compared. */
  kind: "median" | "estimate";
  /** Claim id. */
  claim: string;
  /** Configuration key or assessment name. */
  scope: string;
  /** Value column or estimate name. */
  name: string;
  /** The baseline's value (`null`: new). */
  baseline: number | null;
  /** The current value (`null`: missing). */
  current: number | null;
  /** The largest |current − baseline| allowed (`null`: not compared). */
  tolerance: number | null;
  /**
   * `moved`: beyond its tolerance (a regression); `few`: a median of too
   * few trials (in either run) to compare; `new`/`missing`: on one side
   * only.
   */
  status: "ok" | "moved" | "few" | "new" | "missing";
}

/** Whether a value is a plain object. */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A finite number, or a `UsageError` at `where`. */
function finite(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new UsageError(`${where} is not a finite number`);
  }
  return value;
}

/** The key measurements of one claim of `summary.json` (its `highlights`). */
function claimMedians(
  claim: Record<string, unknown>,
  where: string,
): MeasuredValue[] {
  const h = claim.highlights;
  if (h === undefined) return [];
  if (!isObject(h) || !Array.isArray(h.columns) || !Array.isArray(h.rows)) {
    throw new UsageError(`${where}.highlights has no columns or rows`);
  }
  const columns = h.columns.map((c, i) => {
    if (typeof c !== "string") {
      throw new UsageError(`${where}.highlights.columns[${i}] is not a name`);
    }
    return c;
  });
  const out: MeasuredValue[] = [];
  h.rows.forEach((row, i) => {
    const at = `${where}.highlights.rows[${i}]`;
    if (!isObject(row) || typeof row.config !== "string") {
      throw new UsageError(`${at} has no config`);
    }
    if (!Array.isArray(row.stats) || row.stats.length !== columns.length) {
      throw new UsageError(`${at}.stats must have one entry per column`);
    }
    row.stats.forEach((s, j) => {
      if (s === null) return;
      const sat = `${at}.stats[${j}]`;
      if (!isObject(s)) throw new UsageError(`${sat} is not an object`);
      const n = finite(s.n, `${sat}.n`);
      if (!Number.isInteger(n) || n < 1) {
        throw new UsageError(`${sat}.n is not a positive integer`);
      }
      out.push({
        kind: "median",
        claim: String(claim.id),
        scope: row.config as string,
        name: columns[j],
        value: finite(s.median, `${sat}.median`),
        low: finite(s.q10, `${sat}.q10`),
        high: finite(s.q90, `${sat}.q90`),
        n,
      });
    });
  });
  return out;
}

/** The fitted estimates of one assessment of `summary.json`. */
function assessmentEstimates(
  a: Record<string, unknown>,
  where: string,
): MeasuredValue[] {
  const e = a.estimates;
  if (e === undefined || e === null) return [];
  if (!isObject(e)) throw new UsageError(`${where}.estimates is not an object`);
  return Object.entries(e).map(([name, x]) => {
    const at = `${where}.estimates.${name}`;
    if (!isObject(x)) throw new UsageError(`${at} is not an object`);
    const bound = (v: unknown, end: string) =>
      v === undefined || v === null ? null : finite(v, `${at}.${end}`);
    return {
      kind: "estimate" as const,
      claim: String(a.claim),
      scope: String(a.check),
      name,
      value: finite(x.value, `${at}.value`),
      low: bound(x.low, "low"),
      high: bound(x.high, "high"),
      n: null,
    };
  });
}

/**
 * The compared quantities of a parsed `summary.json` of format 3 or later:
 * each claim's key measurements (`claims[].highlights`, one per
 * configuration and column with a value) and each assessment's
 * `estimates`. Throws a {@linkcode UsageError} naming `source` and the
 * field on anything malformed.
 *
 * @example
 * ```ts
 * import { readMeasuredValues } from "./regress_measurements.ts";
 * import assert from "node:assert/strict";
 * const values = readMeasuredValues({
 *   claims: [{ id: "C4", highlights: { columns: ["r"], rows: [
 *     { config: "d=10", n: 4, cells: ["1 [0.9, 1.1]"], stats: [{ median: 1, q10: 0.9, q90: 1.1, n: 4 }] },
 *   ] } }],
 *   assessments: [{ claim: "C7", check: "law", estimates: { a: { value: 0.5, low: 0.4, high: 0.6 } } }],
 * }, "baseline");
 * assert.deepEqual(values.map((v) => `${v.claim}/${v.scope}/${v.name}`), ["C4/d=10/r", "C7/law/a"]);
 * ```
 */
export function readMeasuredValues(
  summary: Record<string, unknown>,
  source: string,
): MeasuredValue[] {
  const claims = Array.isArray(summary.claims) ? summary.claims : [];
  const assessments = Array.isArray(summary.assessments)
    ? summary.assessments
    : [];
  return [
    ...claims.flatMap((c, i) =>
      isObject(c) ? claimMedians(c, `${source}: claims[${i}]`) : []
    ),
    ...assessments.flatMap((a, i) =>
      isObject(a) ? assessmentEstimates(a, `${source}: assessments[${i}]`) : []
    ),
  ];
}

/** The key of a compared quantity. */
function keyOf(v: MeasuredValue): string {
  return [v.kind, v.claim, v.scope, v.name].join("\u0000");
}

/** Whether two values can be compared (a median needs `minTrials` trials on both sides). */
function comparable(b: MeasuredValue, c: MeasuredValue): boolean {
  const { minTrials } = MEASUREMENT_RULES;
  return b.kind === "estimate" ||
    ((b.n ?? 0) >= minTrials && (c.n ?? 0) >= minTrials);
}

/** The width of a value's range or interval (`null`: none). */
function widthOf(v: MeasuredValue): number | null {
  return v.low === null || v.high === null ? null : v.high - v.low;
}

/**
 * The tolerance of one quantity (see the module documentation): the
 * largest |current − baseline| allowed, at the two-sided level `level`
 * (alpha/m for a family of m).
 *
 * @example
 * ```ts
 * import { measurementTolerance } from "./regress_measurements.ts";
 * import assert from "node:assert/strict";
 * // No spread: the 1% floor.
 * const flat = { kind: "median" as const, claim: "C1", scope: "x", name: "t", value: 2, low: 2, high: 2, n: 8 };
 * assert.equal(measurementTolerance(flat, flat, { level: 0.05 }), 0.02);
 * // Two estimates with 95% intervals of half-width 1.96·0.1.
 * const fit = { kind: "estimate" as const, claim: "C7", scope: "law", name: "a", value: 0.5, low: 0.5 - 0.196, high: 0.5 + 0.196, n: null };
 * const t = measurementTolerance(fit, fit, { level: 0.05 });
 * assert.ok(Math.abs(t - 1.96 * Math.SQRT2 * 0.1) < 1e-3);
 * ```
 */
export function measurementTolerance(
  baseline: MeasuredValue,
  current: MeasuredValue,
  options: { level: number },
): number {
  const { level } = options;
  const floor = MEASUREMENT_RULES.relativeFloor * Math.abs(baseline.value);
  const wb = widthOf(baseline);
  if (wb === null) return floor;
  const wc = widthOf(current) ?? wb;
  let band: number;
  if (baseline.kind === "estimate") {
    const se = Math.hypot(wb, wc) / (2 * Z975);
    band = normalQuantile(1 - level / 2) * se;
  } else {
    const nb = baseline.n ?? 0;
    const nc = current.n ?? nb;
    const [sb, sc] = [wb / (2 * Z90), wc / (2 * Z90)];
    const se = Math.sqrt(Math.PI / 2) * Math.sqrt(sb * sb / nb + sc * sc / nc);
    band = studentTQuantile(1 - level / 2, Math.min(nb, nc) - 1) * se;
  }
  return Math.max(floor, band);
}

/**
 * Compare the quantities of two runs (see the module documentation): each
 * baseline quantity with the current one of the same claim, configuration
 * (or assessment) and name, `moved` when |current − baseline| exceeds its
 * tolerance at level alpha/m, m the number compared. Current order first,
 * then those only in the baseline (`missing`).
 *
 * @example
 * ```ts
 * import { compareMeasurements } from "./regress_measurements.ts";
 * import assert from "node:assert/strict";
 * const v = (value: number) => ({ kind: "median" as const, claim: "C4", scope: "x", name: "r", value, low: 0.9, high: 1.1, n: 30 });
 * assert.equal(compareMeasurements([v(1)], [v(1.01)], { alpha: 0.05 })[0].status, "ok");
 * assert.equal(compareMeasurements([v(1)], [v(1.5)], { alpha: 0.05 })[0].status, "moved");
 * ```
 */
export function compareMeasurements(
  baseline: MeasuredValue[],
  current: MeasuredValue[],
  options: { alpha: number },
): MeasurementComparison[] {
  const baseBy = new Map(baseline.map((b) => [keyOf(b), b]));
  const currentKeys = new Set(current.map(keyOf));
  const m = current.filter((c) => {
    const b = baseBy.get(keyOf(c));
    return b !== undefined && comparable(b, c);
  }).length;
  const level = options.alpha / Math.max(1, m);
  const of = (v: MeasuredValue) => ({
    kind: v.kind,
    claim: v.claim,
    scope: v.scope,
    name: v.name,
  });
  return [
    ...current.map((c): MeasurementComparison => {
      const b = baseBy.get(keyOf(c));
      if (b === undefined) {
        return {
          ...of(c),
          baseline: null,
          current: c.value,
          tolerance: null,
          status: "new",
        };
      }
      if (!comparable(b, c)) {
        return {
          ...of(c),
          baseline: b.value,
          current: c.value,
          tolerance: null,
          status: "few",
        };
      }
      const tolerance = measurementTolerance(b, c, { level });
      return {
        ...of(c),
        baseline: b.value,
        current: c.value,
        tolerance,
        status: Math.abs(c.value - b.value) > tolerance ? "moved" : "ok",
      };
    }),
    ...baseline.filter((b) => !currentKeys.has(keyOf(b))).map((
      b,
    ): MeasurementComparison => ({
      ...of(b),
      baseline: b.value,
      current: null,
      tolerance: null,
      status: "missing",
    })),
  ];
}

/** A number for the tables: 4 significant digits. */
function num(x: number | null): string {
  return x === null ? "—" : String(Number(x.toPrecision(4)));
}

/** The names of some comparisons, the first `limit` of them. */
function names(list: MeasurementComparison[], limit = 10): string {
  const shown = list.slice(0, limit).map((c) =>
    `${c.claim}/${c.scope}/${c.name}`
  );
  return shown.join(", ") +
    (list.length > limit ? `, … (${list.length - limit} more)` : "");
}

/**
 * The Markdown of the measurement comparison: one line saying how many
 * medians and estimates were compared and under which rule, a table of
 * those that moved (with baseline, current, change and tolerance), and a
 * line for those only on one side or with too few trials.
 *
 * @example
 * ```ts
 * import { measurementsMarkdown } from "./regress_measurements.ts";
 * import assert from "node:assert/strict";
 * const lines = measurementsMarkdown([{
 *   kind: "median", claim: "C4", scope: "x", name: "r", baseline: 1, current: 1.5, tolerance: 0.1, status: "moved",
 * }], { alpha: 0.05 });
 * assert.ok(lines.some((l) => l.startsWith("| C4 | x | r | 1 | 1.5 | +50.0% | 0.1 |")));
 * ```
 */
export function measurementsMarkdown(
  list: MeasurementComparison[],
  options: { alpha: number },
): string[] {
  const compared = list.filter((c) => c.tolerance !== null);
  const medians = compared.filter((c) => c.kind === "median").length;
  const moved = list.filter((c) => c.status === "moved");
  const missing = list.filter((c) => c.status === "missing");
  const added = list.filter((c) => c.status === "new");
  const few = list.filter((c) => c.status === "few");
  const { relativeFloor, minTrials } = MEASUREMENT_RULES;
  const change = (c: MeasurementComparison) => {
    if (c.baseline === null || c.current === null) return "—";
    if (c.baseline === 0) return `${num(c.current - c.baseline)} (absolute)`;
    const r = 100 * (c.current - c.baseline) / Math.abs(c.baseline);
    return `${r >= 0 ? "+" : ""}${r.toFixed(1)}%`;
  };
  return [
    "",
    `Key measurements and fitted values: ${medians} medians and ` +
    `${compared.length - medians} estimates compared with the baseline's; ` +
    `tolerance max(${100 * relativeFloor}% of the baseline, t·SE), SE from ` +
    "both runs' 10%–90% spreads and trial counts (an estimate: from its 95% " +
    `intervals), t at the two-sided level ${options.alpha}/` +
    `${compared.length} (Bonferroni).`,
    ...(moved.length === 0 ? ["No measurement moved beyond its tolerance."] : [
      "",
      "| claim | configuration or assessment | quantity | baseline | current | change | tolerance |",
      "|---|---|---|---|---|---|---|",
      ...moved.map((c) =>
        `| ${c.claim} | ${c.scope} | ${c.name} | ${num(c.baseline)} | ` +
        `${num(c.current)} | ${change(c)} | ${num(c.tolerance)} |`
      ),
      "",
      `Measurements that moved beyond their tolerance: ${names(moved)}.`,
    ]),
    ...(few.length === 0 ? [] : [
      `Not compared (fewer than ${minTrials} finished trials in a run): ` +
      `${names(few)}.`,
    ]),
    ...(missing.length === 0 ? [] : [
      `Measurements of the baseline absent from the current run (not ` +
      `compared; a renamed column or configuration needs a new baseline): ` +
      `${names(missing)}.`,
    ]),
    ...(added.length === 0 ? [] : [
      `New measurements (not in the baseline): ${names(added)}.`,
    ]),
  ];
}
