/**
 * "Deviations from the paper": for every prediction a claim declares
 * (`predictions` of its `ClaimSpec`), the measured value beside the
 * predicted one, from the run itself — the median over the finished trials
 * of a value column with its 10%–90% range, or an assessment's fitted
 * estimate with its 95% interval — and the relative deviation. Written to
 * `summary.md`, `summary.json` (`deviations`) and `index.html`; the README
 * shows the committed paper report's (`deno task readme`).
 *
 * @module
 */

import type { ClaimAssessment } from "./verdict.ts";
import { columnStats } from "../claims/records.ts";
import type { Prediction, TrialRecord } from "../claims/types.ts";
import type { ClaimPlan } from "../runner/plan.ts";
import { UsageError } from "../base/usage_error.ts";

/** What the `[low, high]` of a measured value is. */
export type MeasuredRange = "trials 10–90%" | "95% CI";

/** One prediction against its measured value. */
export interface Deviation {
  /** Claim id. */
  claim: string;
  /** Prediction name. */
  name: string;
  /** The predicted law or value in words. */
  law: string;
  /** Source tag of the prediction. */
  source: string;
  /** One line on the comparison. */
  note: string;
  /** `value`: a predicted number; `order`: the scale only (its unit, 1). */
  form: "value" | "order";
  /** The predicted value (the unit 1 for an `order` prediction). */
  predicted: number;
  /** What was measured, in words. */
  from: string;
  /** The measured value (`null`: not measured in this run). */
  measured: number | null;
  /** Lower end of its range or interval (`null`: none). */
  low: number | null;
  /** Upper end of its range or interval (`null`: none). */
  high: number | null;
  /** What `[low, high]` is (`null`: none). */
  range: MeasuredRange | null;
  /** Finished trials behind a median (`null` for a fit). */
  trials: number | null;
  /** measured − predicted (`null`: not measured, or an `order` prediction). */
  deviation: number | null;
  /** (measured − predicted)/|predicted| (`null` also when predicted is 0). */
  relative: number | null;
  /** Whether the predicted value lies in `[low, high]` (`null`: no range, or `order`). */
  inside: boolean | null;
}

/** The measured part of a {@linkcode Deviation}. */
type Measured = Pick<
  Deviation,
  "from" | "measured" | "low" | "high" | "range" | "trials"
>;

/** A median prediction's measured value: pooled over the configurations running its check. */
function medianOf(
  plan: ClaimPlan,
  options: { records: TrialRecord[]; column: string; check?: string },
): Measured {
  const { records, column, check } = options;
  const keys = new Set(
    plan.configs.filter((c) =>
      check === undefined || c.checks.some((k) => k.name === check)
    ).map((c) => c.key),
  );
  const own = records.filter((r) =>
    r.task.claim === plan.claim.id && keys.has(r.task.config)
  );
  const stats = columnStats(own, column);
  const where = check === undefined
    ? ""
    : ` of the configurations running ${check}`;
  return {
    from: `median of ${column} over ${stats?.n ?? 0} finished trials${where}`,
    measured: stats?.median ?? null,
    low: stats?.q10 ?? null,
    high: stats?.q90 ?? null,
    range: stats === null ? null : "trials 10–90%",
    trials: stats?.n ?? 0,
  };
}

/** A fit prediction's measured value: the assessment's estimate. */
function fitOf(
  claim: string,
  options: {
    assessments: ClaimAssessment[];
    assessment: string;
    estimate: string;
  },
): Measured {
  const { assessments, assessment, estimate } = options;
  const found = assessments.find((x) =>
    x.claim === claim && x.a.check === assessment
  );
  const e = found?.a.estimates?.[estimate];
  const value = e !== undefined && Number.isFinite(e.value) ? e.value : null;
  const hasRange = value !== null && Number.isFinite(e?.low) &&
    Number.isFinite(e?.high);
  return {
    from: `${estimate} of the assessment ${assessment}` +
      (value === null ? " (not reported by this run)" : ""),
    measured: value,
    low: hasRange ? e!.low! : null,
    high: hasRange ? e!.high! : null,
    range: hasRange ? "95% CI" : null,
    trials: null,
  };
}

/** One prediction of a claim against the run. */
function deviationOf(
  plan: ClaimPlan,
  options: {
    prediction: Prediction;
    records: TrialRecord[];
    assessments: ClaimAssessment[];
  },
): Deviation {
  const { prediction: p, records, assessments } = options;
  const measured = p.measured.kind === "median"
    ? medianOf(plan, {
      records,
      column: p.measured.column,
      check: p.measured.check,
    })
    : fitOf(plan.claim.id, {
      assessments,
      assessment: p.measured.assessment,
      estimate: p.measured.estimate,
    });
  const form = p.form ?? "value";
  const m = measured.measured;
  const compared = m !== null && form === "value";
  return {
    claim: plan.claim.id,
    name: p.name,
    law: p.law,
    source: p.source,
    note: p.note,
    form,
    predicted: p.predicted,
    ...measured,
    deviation: compared ? m - p.predicted : null,
    relative: compared && p.predicted !== 0
      ? (m - p.predicted) / Math.abs(p.predicted)
      : null,
    inside: compared && measured.low !== null && measured.high !== null
      ? measured.low <= p.predicted && p.predicted <= measured.high
      : null,
  };
}

/**
 * The deviations of a run: for each prediction of each claim of the plan,
 * in order, the measured value (a value column's median over the finished
 * trials of the configurations running the prediction's check, with the
 * 10%–90% range of those trials; or an assessment's estimate with its 95%
 * interval), the deviation measured − predicted, the relative deviation
 * (not for a prediction of 0) and whether the predicted value lies in the
 * range or interval. An `order` prediction gets its measured value (the
 * constant the paper leaves open) and no deviation.
 *
 * @example
 * ```ts
 * import { deviationsOf } from "./deviations.ts";
 * import assert from "node:assert/strict";
 * const check = { name: "a", description: "d", target: 0.8, expect: "holds" as const };
 * const claim = {
 *   id: "C0", title: "t", statement: "s", source: "[R]", hypotheses: [], constants: {},
 *   configs: () => [], runTrial: () => Promise.reject(new Error("not run")),
 *   predictions: [{
 *     name: "radius", predicted: 0.5, law: "√d/2", source: "[R]", note: "n",
 *     measured: { kind: "median" as const, column: "r", check: "a" },
 *   }],
 * };
 * const records = [0.4, 0.6, 0.7].map((r, trial) => ({
 *   task: { claim: "C0", config: "x", trial, seed: trial },
 *   result: { status: "ok" as const, reason: "", checks: {}, values: { r } },
 * }));
 * const plan = { claim, configs: [{ key: "x", params: {}, checks: [check], trials: 3 }], checks: [check] };
 * const [d] = deviationsOf([plan], { records, assessments: [] });
 * assert.equal(d.measured, 0.6);
 * assert.ok(Math.abs(d.relative! - 0.2) < 1e-12);
 * assert.equal(d.inside, true);
 * ```
 */
export function deviationsOf(
  plans: ClaimPlan[],
  run: { records: TrialRecord[]; assessments: ClaimAssessment[] },
): Deviation[] {
  return plans.flatMap((plan) =>
    (plan.claim.predictions ?? []).map((prediction) =>
      deviationOf(plan, { prediction, ...run })
    )
  );
}

/** A number as the section prints it: 4 significant digits. */
function num(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** A signed number: `+0.1`, `−0.2`. */
function signed(text: string): string {
  return text.startsWith("-") ? `−${text.slice(1)}` : `+${text}`;
}

/** The deviation cell: relative in percent, absolute when predicted is 0. */
function deviationText(d: Deviation): string {
  if (d.measured === null) return "not measured";
  if (d.form === "order") return `order only: constant ${num(d.measured)}`;
  if (d.relative !== null) return signed(`${(100 * d.relative).toFixed(1)}%`);
  return d.deviation === null ? "—" : `${signed(num(d.deviation))} (absolute)`;
}

/** The measured cell: value and range. */
function measuredText(d: Deviation): string {
  if (d.measured === null) return "—";
  if (d.low === null || d.high === null) return num(d.measured);
  return `${num(d.measured)} [${num(d.low)}, ${num(d.high)}]`;
}

/** A Markdown table cell. */
function cell(text: string): string {
  return text.replaceAll("|", "\\|").replace(/\r?\n/g, " ");
}

/** How to read the deviations table (printed above it). */
export const DEVIATIONS_LEGEND =
  "Measured against predicted, for each quantity a claim measures and the " +
  "paper (or our reconstruction of it, tagged [R]) predicts a number for: " +
  "the claims' declared `predictions`, computed from this run. `measured`: " +
  "the median over the finished trials with the 10%–90% range of the " +
  "trials, or a fitted value with its 95% interval (`from` says which). " +
  "`deviation`: (measured − predicted)/|predicted|, or measured − predicted " +
  "when the prediction is 0. `inside`: whether the predicted value lies in " +
  "that range or interval. An `order` prediction gives the scale only: its " +
  "measured number is the constant the paper leaves open.";

/**
 * The deviations as Markdown lines: the legend, then one table row per
 * prediction (claim, prediction, predicted value, law, source, measured
 * with its range, deviation, inside, what was measured, note); "None." for
 * a run whose claims declare no prediction.
 *
 * @example
 * ```ts
 * import { deviationsMarkdown } from "./deviations.ts";
 * import assert from "node:assert/strict";
 * const lines = deviationsMarkdown([{
 *   claim: "C2", name: "rate", law: "−d/(2k)", source: "[R]", note: "n", form: "value",
 *   predicted: -0.5, from: "slope of the fit", measured: -0.424, low: -0.434, high: -0.413,
 *   range: "95% CI", trials: null, deviation: 0.076, relative: -0.152, inside: false,
 * }]);
 * assert.ok(lines.some((l) => l.startsWith("| C2 | rate | −0.5 | −d/(2k) | [R] | −0.424 [−0.434, −0.413] (95% CI) | −15.2% | no |")));
 * ```
 */
export function deviationsMarkdown(deviations: Deviation[]): string[] {
  if (deviations.length === 0) return [DEVIATIONS_LEGEND, "", "None."];
  const minus = (text: string) => text.replaceAll("-", "−");
  return [
    DEVIATIONS_LEGEND,
    "",
    "| claim | prediction | predicted | law | source | measured | deviation | inside | from | note |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...deviations.map((d) =>
      "| " + [
        d.claim,
        d.name,
        d.form === "order" ? "order (unit 1)" : minus(num(d.predicted)),
        d.law,
        d.source,
        minus(measuredText(d)) + (d.range === null ? "" : ` (${d.range})`),
        deviationText(d),
        d.inside === null ? "—" : d.inside ? "yes" : "no",
        d.from,
        d.note,
      ].map(cell).join(" | ") + " |"
    ),
  ];
}

/** The fields of a {@linkcode Deviation} that are text, number, or nullable. */
const TEXT_FIELDS = ["claim", "name", "law", "source", "note", "from"] as const;
const NULLABLE_NUMBERS = [
  "measured",
  "low",
  "high",
  "trials",
  "deviation",
  "relative",
] as const;

/**
 * The `deviations` of a parsed `summary.json`, checked field by field;
 * throws a {@linkcode UsageError} naming `source` and the first bad field
 * (a `summary.json` written before format 3 has none: an error saying so).
 *
 * @example
 * ```ts
 * import { readDeviations } from "./deviations.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(readDeviations({ format: 3, deviations: [] }, "s.json"), []);
 * assert.throws(() => readDeviations({ format: 2 }, "s.json"), /no deviations/);
 * ```
 */
export function readDeviations(summary: unknown, source: string): Deviation[] {
  const list = summary !== null && typeof summary === "object"
    ? (summary as Record<string, unknown>).deviations
    : undefined;
  if (!Array.isArray(list)) {
    throw new UsageError(
      `${source} has no deviations (a summary.json of format 3 or later ` +
        "has them: rewrite the report with the current code)",
    );
  }
  return list.map((value, i) => {
    const at = `${source}: deviations[${i}]`;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new UsageError(`${at} is not an object`);
    }
    const o = value as Record<string, unknown>;
    for (const field of TEXT_FIELDS) {
      if (typeof o[field] !== "string") {
        throw new UsageError(`${at}.${field} is not a string`);
      }
    }
    for (const field of NULLABLE_NUMBERS) {
      if (o[field] !== null && typeof o[field] !== "number") {
        throw new UsageError(`${at}.${field} is not a number or null`);
      }
    }
    if (typeof o.predicted !== "number") {
      throw new UsageError(`${at}.predicted is not a number`);
    }
    if (o.form !== "value" && o.form !== "order") {
      throw new UsageError(`${at}.form is not "value" or "order"`);
    }
    if (
      o.range !== null && o.range !== "trials 10–90%" && o.range !== "95% CI"
    ) {
      throw new UsageError(`${at}.range is not a known range`);
    }
    if (o.inside !== null && typeof o.inside !== "boolean") {
      throw new UsageError(`${at}.inside is not a boolean or null`);
    }
    return o as unknown as Deviation;
  });
}
