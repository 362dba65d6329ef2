/**
 * From trial records to the suite's verdicts: one summary row per check of a
 * claim (pass count, Clopper–Pearson 95% interval, verdict against the
 * target) and the three report formats `summary.csv`, `summary.md` and
 * `summary.json`.
 *
 * The CSV and JSON reports depend only on the trial records and the run
 * parameters (never on wall-clock time or the number of workers), so two
 * runs of the same plan give byte-identical files.
 *
 * @module
 */

import { stringify } from "csv-stringify/sync";
import { clopperPearsonInterval } from "../stats/stats.ts";
import type { Shard } from "../runner/shard.ts";
import type {
  Assessment,
  CheckSpec,
  ClaimConfig,
  ClaimSpec,
  Profile,
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

/** What the reports say about one claim besides its rows. */
export interface ClaimInfo {
  /** Claim id. */
  id: string;
  /** Short title. */
  title: string;
  /** One-paragraph statement. */
  statement: string;
  /** Named constants and their values. */
  constants: Record<string, number>;
  /** Source tag as in PAPER.md. */
  source?: string;
  /** Hypotheses the claim needs. */
  hypotheses?: string[];
  /** The claim's checks with what a trial must do, and the configurations running each. */
  checks?: {
    name: string;
    expect: string;
    target: number;
    description: string;
    configs: string[];
  }[];
}

/** The {@linkcode ClaimInfo} of a claim at a profile (for the Markdown report). */
export function claimInfo(claim: ClaimSpec, profile: Profile): ClaimInfo {
  const configs = claim.configs(profile);
  const checks = new Map<string, NonNullable<ClaimInfo["checks"]>[number]>();
  for (const config of configs) {
    for (const check of config.checks) {
      const entry = checks.get(check.name) ?? {
        name: check.name,
        expect: check.expect,
        target: check.target,
        description: check.description,
        configs: [],
      };
      entry.configs.push(config.key);
      checks.set(check.name, entry);
    }
  }
  return {
    id: claim.id,
    title: claim.title,
    statement: claim.statement,
    constants: claim.constants,
    source: claim.source,
    hypotheses: claim.hypotheses,
    checks: [...checks.values()],
  };
}

/** Parameters of a run, shown in the "Run" section of the reports. */
export interface RunInfo {
  /** Run seed. */
  seed: number;
  /** Size profile. */
  profile: Profile;
  /** Tensor backend name. */
  backend: string;
  /** Number of workers (Markdown only: it never changes the results). */
  workers?: number;
  /** Start time as an ISO string (Markdown only). */
  started?: string;
  /** Wall time of the run in seconds (Markdown only). */
  elapsedSeconds?: number;
  /** Trials override (`--trials`), or `null` for each configuration's own count. */
  trials: number | null;
  /** The shard this run covers, or `null` for the whole plan. */
  shard: Shard | null;
  /** The claims of the run, in run order. */
  claims: ClaimInfo[];
  /** Further lines for the Markdown "Run" section (name → value). */
  extra?: Record<string, string>;
}

/** A figure of a report, as linked from `summary.md`. */
export interface FigureLink {
  /** File name under `figures/`, e.g. `C4_flip_radius.svg`. */
  file: string;
  /** Caption (the image's alternative text). */
  caption: string;
}

/** What `summary.md` shows about one claim besides its rows. */
export interface ClaimReportExtras {
  /**
   * Key measurements per configuration: `columns` are value columns, and each
   * row gives a configuration, its number of finished trials and, per
   * column, "median [q10, q90]" over those trials.
   */
  highlights: {
    columns: string[];
    rows: { config: string; n: number; cells: string[] }[];
  };
  /** The claim's figures written under `figures/`. */
  figures: FigureLink[];
  /** Why figures could not be drawn (one message each). */
  figureErrors: string[];
}

/**
 * Markdown-only parts of the report (never in `summary.csv` or
 * `summary.json`): the pass-rate figure and, per claim id, its key
 * measurements and figures.
 */
export interface MarkdownExtras {
  /** The figure of every check's pass rate, if drawn. */
  overview?: FigureLink;
  /** Why the pass-rate figure could not be drawn. */
  overviewError?: string;
  /** Per claim id. */
  claims?: Record<string, ClaimReportExtras>;
}

/** How to read the table of `summary.md` (printed under it). */
export const MARKDOWN_LEGEND: readonly string[] = [
  "How to read this table: each row is one per-trial check of a claim. " +
  "`expect` is `holds` for a prediction of the paper and `fails` for a control " +
  "(a broken hypothesis that must make the check fail). `passed`/`trials` is " +
  "the pass rate, with its exact 95% Clopper–Pearson interval; the verdict is " +
  "`holds` when the interval's lower end is ≥ `target`, `fails` when its upper " +
  "end is < `target`, `inconclusive` otherwise, and `ok` says whether the " +
  "verdict is the expected one. A trial that did not finish (`error`, " +
  "`not-converged`) fails every prediction; for a control only finished trials " +
  "are counted. Source tags: [A] the paper's abstract, [L] restated by later " +
  "literature, [R] our reconstruction.",
];

/** Column names of `summary.csv`, in order. */
export const SUMMARY_COLUMNS: readonly string[] = [
  "claim",
  "check",
  "expect",
  "trials",
  "passed",
  "rate",
  "ci_low",
  "ci_high",
  "target",
  "verdict",
  "ok",
  "detail",
];

/**
 * The distinct checks of a claim's configurations, by name, in order of
 * first appearance. A check name declared twice with a different target or
 * expectation is a bug in the claim and throws.
 *
 * @example
 * ```ts
 * import { claimChecks } from "./summary.ts";
 * import assert from "node:assert/strict";
 * const c = { name: "a", description: "", target: 0.9, expect: "holds" as const };
 * const configs = [
 *   { key: "x", params: {}, checks: [c], trials: 1 },
 *   { key: "y", params: {}, checks: [c], trials: 1 },
 * ];
 * assert.deepEqual(claimChecks(configs).map((s) => s.name), ["a"]);
 * ```
 */
export function claimChecks(configs: ClaimConfig[]): CheckSpec[] {
  const byName = new Map<string, CheckSpec>();
  for (const config of configs) {
    for (const check of config.checks) {
      const seen = byName.get(check.name);
      if (seen === undefined) {
        byName.set(check.name, check);
      } else if (
        seen.target !== check.target || seen.expect !== check.expect
      ) {
        throw new Error(
          `check "${check.name}" is declared with different target or expect ` +
            `in different configurations (config "${config.key}")`,
        );
      }
    }
  }
  return [...byName.values()];
}

/**
 * Verdict from a confidence interval: `holds` if its lower end reaches the
 * target, `fails` if its upper end is below the target, else `inconclusive`.
 *
 * @example
 * ```ts
 * import { verdictOf } from "./summary.ts";
 * import assert from "node:assert/strict";
 * assert.equal(verdictOf(0.91, 0.99, 0.9), "holds");
 * assert.equal(verdictOf(0.5, 0.89, 0.9), "fails");
 * assert.equal(verdictOf(0.8, 0.95, 0.9), "inconclusive");
 * ```
 */
export function verdictOf(
  ciLow: number,
  ciHigh: number,
  target: number,
): Verdict {
  if (ciLow >= target) return "holds";
  if (ciHigh < target) return "fails";
  return "inconclusive";
}

/** Whether a trial record passes a check. */
function passes(record: TrialRecord, check: string): boolean {
  return record.result.status === "ok" && record.result.checks[check] === true;
}

/**
 * A control (expect `fails`) whose share of trials that did not run to the
 * end exceeds this is `inconclusive`.
 */
export const MAX_UNFINISHED_CONTROL_SHARE = 0.2;

/**
 * One summary row per check of `claim`, aggregating the claim's trials over
 * all configurations that have the check (all configurations when `configs`
 * is not given). A trial passes a check only if its status is `ok` and the
 * check is `true`; the interval is Clopper–Pearson 95%. For a control
 * (expect `fails`) only trials with status `ok` are counted, and the verdict
 * is `inconclusive` when more than {@linkcode MAX_UNFINISHED_CONTROL_SHARE}
 * of its trials did not finish. Records of other claims are ignored.
 *
 * @example
 * ```ts
 * import { summarize } from "./summary.ts";
 * import assert from "node:assert/strict";
 * const check = { name: "a", description: "", target: 0.5, expect: "holds" as const };
 * const records = Array.from({ length: 20 }, (_, trial) => ({
 *   task: { claim: "C1", config: "x", trial, seed: trial },
 *   result: { status: "ok" as const, reason: "", checks: { a: true }, values: {} },
 * }));
 * const [row] = summarize("C1", [check], records);
 * assert.equal(row.passed, 20);
 * assert.equal(row.verdict, "holds");
 * assert.equal(row.ok, true);
 * ```
 */
export function summarize(
  claim: string,
  checks: CheckSpec[],
  records: TrialRecord[],
  configs?: ClaimConfig[],
): SummaryRow[] {
  const own = records.filter((r) => r.task.claim === claim);
  const rows: SummaryRow[] = [];
  const done = new Set<string>();
  for (const check of checks) {
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
    const { low, high } = clopperPearsonInterval(passed, trials, 0.95);
    const tooManyUnfinished = check.expect === "fails" &&
      unfinished > MAX_UNFINISHED_CONTROL_SHARE * (trials + unfinished);
    const verdict = tooManyUnfinished
      ? "inconclusive"
      : verdictOf(low, high, check.target);
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
 * import { allOk } from "./summary.ts";
 * import assert from "node:assert/strict";
 * assert.equal(allOk([], []), true);
 * ```
 */
export function allOk(
  rows: SummaryRow[],
  assessments: ClaimAssessment[],
): boolean {
  return rows.every((r) => r.ok) &&
    assessments.every(({ a }) => a.verdict === a.expect);
}

/** A rate or interval end with 4 decimals. */
function fixed4(x: number): string {
  return x.toFixed(4);
}

/** Claims in order of first appearance in the rows, then the assessments. */
function claimOrder(
  rows: SummaryRow[],
  assessments: ClaimAssessment[],
): string[] {
  const order: string[] = [];
  for (
    const id of [
      ...rows.map((r) => r.claim),
      ...assessments.map((x) => x.claim),
    ]
  ) {
    if (!order.includes(id)) order.push(id);
  }
  return order;
}

/**
 * The text of `summary.csv`: columns
 * `claim,check,expect,trials,passed,rate,ci_low,ci_high,target,verdict,ok,detail`,
 * one line per summary row (empty `detail`), each claim's assessments right
 * after its rows (empty counts, rate, interval and target; the assessment's
 * text in `detail`). Rates and interval ends have 4 decimals.
 *
 * @example
 * ```ts
 * import { summaryCsv } from "./summary.ts";
 * import assert from "node:assert/strict";
 * const text = summaryCsv([], [{
 *   claim: "C7",
 *   a: { check: "slope", expect: "holds", verdict: "holds", detail: "0.5" },
 * }]);
 * assert.equal(
 *   text,
 *   "claim,check,expect,trials,passed,rate,ci_low,ci_high,target,verdict,ok,detail\n" +
 *     "C7,slope,holds,,,,,,,holds,true,0.5\n",
 * );
 * ```
 */
export function summaryCsv(
  rows: SummaryRow[],
  assessments: ClaimAssessment[],
): string {
  const lines: string[][] = [];
  for (const claim of claimOrder(rows, assessments)) {
    for (const r of rows.filter((x) => x.claim === claim)) {
      lines.push([
        r.claim,
        r.check,
        r.expect,
        String(r.trials),
        String(r.passed),
        fixed4(r.rate),
        fixed4(r.ciLow),
        fixed4(r.ciHigh),
        String(r.target),
        r.verdict,
        String(r.ok),
        "",
      ]);
    }
    for (const { a } of assessments.filter((x) => x.claim === claim)) {
      lines.push([
        claim,
        a.check,
        a.expect,
        "",
        "",
        "",
        "",
        "",
        "",
        a.verdict,
        String(a.verdict === a.expect),
        a.detail,
      ]);
    }
  }
  return stringify([[...SUMMARY_COLUMNS], ...lines], {
    record_delimiter: "\n",
  });
}

/** Escape a Markdown table cell. */
function cell(text: string): string {
  return text.replaceAll("|", "\\|").replace(/\r?\n/g, " ");
}

/** A Markdown table from a header and rows. */
function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
}

/**
 * The Markdown table of the summary rows: claim, check, expect, trials,
 * passed, rate, 95% CI, target, verdict and ✓/✗ (no trailing newline).
 *
 * @example
 * ```ts
 * import { summaryTableMarkdown } from "./summary.ts";
 * import assert from "node:assert/strict";
 * assert.ok(summaryTableMarkdown([]).startsWith("| claim | check |"));
 * ```
 */
export function summaryTableMarkdown(rows: SummaryRow[]): string {
  return table(
    [
      "claim",
      "check",
      "expect",
      "trials",
      "passed",
      "rate",
      "95% CI",
      "target",
      "verdict",
      "ok",
    ],
    rows.map((r) => [
      r.claim,
      r.check,
      r.expect,
      String(r.trials),
      String(r.passed),
      fixed4(r.rate),
      `[${fixed4(r.ciLow)}, ${fixed4(r.ciHigh)}]`,
      String(r.target),
      r.verdict,
      r.ok ? "✓" : "✗",
    ]),
  ).join("\n");
}

/** Caption text safe inside `![...]`: one line, brackets escaped. */
function altText(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").replace(/([\\\[\]])/g, "\\$1");
}

/** A Markdown image of a figure under `figures/`. */
function figureImage(f: FigureLink): string {
  return `![${altText(f.caption)}](figures/${encodeURI(f.file)})`;
}

/**
 * The text of `summary.md`: a table of the summary rows (claim, check,
 * expect, trials, passed, rate, 95% CI, target, verdict, ✓/✗), the
 * assessments, a "Run" section with the run parameters, and each claim's
 * statement and named constants. With `extras`, also the pass-rate figure
 * under the table and, per claim, a "Key measurements" table and a
 * "Figures" list (with a line for every figure that failed).
 *
 * @example
 * ```ts
 * import { summaryMarkdown } from "./summary.ts";
 * import assert from "node:assert/strict";
 * const md = summaryMarkdown([], [], {
 *   seed: 1, profile: "ci", backend: "cpu", trials: null, shard: null, claims: [],
 * });
 * assert.ok(md.includes("## Run"));
 * ```
 */
export function summaryMarkdown(
  rows: SummaryRow[],
  assessments: ClaimAssessment[],
  info: RunInfo,
  extras: MarkdownExtras = {},
): string {
  const ok = allOk(rows, assessments);
  const out: string[] = ["# Claim checks", ""];
  out.push(
    ok
      ? "All checks reached their expected verdict."
      : "Some checks did NOT reach their expected verdict (marked ✗).",
    "",
  );
  out.push(summaryTableMarkdown(rows), "");
  out.push(...MARKDOWN_LEGEND, "");
  if (extras.overview !== undefined) {
    out.push(figureImage(extras.overview), "");
  }
  if (extras.overviewError !== undefined) {
    out.push(
      `The pass-rate figure failed: ${cell(extras.overviewError)}`,
      "",
    );
  }
  out.push("## Assessments", "");
  if (assessments.length === 0) {
    out.push("None.", "");
  } else {
    out.push(
      ...table(
        ["claim", "check", "expect", "verdict", "detail", "ok"],
        assessments.map(({ claim, a }) => [
          claim,
          a.check,
          a.expect,
          a.verdict,
          a.detail,
          a.verdict === a.expect ? "✓" : "✗",
        ]),
      ),
      "",
    );
  }
  out.push("## Run", "");
  const run: [string, string][] = [
    ["seed", String(info.seed)],
    ["profile", info.profile],
    ["backend", info.backend],
    [
      "trials",
      info.trials === null
        ? "per configuration"
        : `${info.trials} per configuration (override)`,
    ],
    [
      "shard",
      info.shard === null
        ? "whole plan"
        : `${info.shard.index}/${info.shard.count}`,
    ],
  ];
  if (info.workers !== undefined) run.push(["workers", String(info.workers)]);
  if (info.started !== undefined) run.push(["started", info.started]);
  if (info.elapsedSeconds !== undefined) {
    run.push(["elapsed", `${info.elapsedSeconds.toFixed(1)} s`]);
  }
  for (const [name, value] of Object.entries(info.extra ?? {})) {
    run.push([name, value]);
  }
  out.push(...run.map(([name, value]) => `- ${name}: ${cell(value)}`), "");
  out.push("## Claims and constants", "");
  for (const claim of info.claims) {
    out.push(`### ${claim.id}: ${claim.title}`, "", claim.statement, "");
    if (claim.source !== undefined) out.push(`Source: ${claim.source}.`, "");
    if (claim.hypotheses !== undefined && claim.hypotheses.length > 0) {
      out.push(`Hypotheses: ${claim.hypotheses.join("; ")}.`, "");
    }
    if (claim.checks !== undefined && claim.checks.length > 0) {
      out.push(
        ...table(
          [
            "check",
            "expect",
            "target",
            "a trial passes when",
            "configurations",
          ],
          claim.checks.map((c) => [
            c.name,
            c.expect,
            String(c.target),
            c.description,
            c.configs.join("; "),
          ]),
        ),
        "",
      );
    }
    const constants = Object.entries(claim.constants);
    if (constants.length === 0) {
      out.push("No named constants.", "");
    } else {
      out.push(
        ...table(
          ["constant", "value"],
          constants.map(([name, value]) => [name, String(value)]),
        ),
        "",
      );
    }
    const more = extras.claims?.[claim.id];
    if (more === undefined) continue;
    if (more.highlights.columns.length > 0) {
      out.push(
        "#### Key measurements",
        "",
        "Median [10%, 90%] over the trials of each configuration that ran to " +
          "the end (`finished` of them).",
        "",
        ...table(
          ["configuration", "finished", ...more.highlights.columns],
          more.highlights.rows.map((r) => [r.config, String(r.n), ...r.cells]),
        ),
        "",
      );
    }
    if (more.figures.length > 0 || more.figureErrors.length > 0) {
      out.push(
        "#### Figures",
        "",
        ...more.figures.map((f) => `- ${figureImage(f)}`),
        ...more.figureErrors.map((e) => `- Figure failed: ${cell(e)}`),
        "",
      );
    }
  }
  return out.join("\n");
}

/**
 * The text of `summary.json`: the deterministic run parameters (seed,
 * profile, backend, trials override, shard, claims), the rows, the
 * assessments (with `ok`) and `allOk`. Wall-clock fields of `info` are left
 * out so that the file is reproducible.
 *
 * @example
 * ```ts
 * import { summaryJson } from "./summary.ts";
 * import assert from "node:assert/strict";
 * const text = summaryJson([], [], {
 *   seed: 1, profile: "ci", backend: "cpu", trials: null, shard: null, claims: [],
 * });
 * assert.equal(JSON.parse(text).allOk, true);
 * ```
 */
export function summaryJson(
  rows: SummaryRow[],
  assessments: ClaimAssessment[],
  info: RunInfo,
): string {
  const value = {
    run: {
      seed: info.seed,
      profile: info.profile,
      backend: info.backend,
      trials: info.trials,
      shard: info.shard,
    },
    claims: info.claims,
    rows,
    assessments: assessments.map(({ claim, a }) => ({
      claim,
      check: a.check,
      expect: a.expect,
      verdict: a.verdict,
      ok: a.verdict === a.expect,
      detail: a.detail,
    })),
    allOk: allOk(rows, assessments),
  };
  return JSON.stringify(value, null, 2) + "\n";
}
