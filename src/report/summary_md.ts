/**
 * `summary.md`: the human-readable report. A table of the summary rows with
 * a legend, the assessments, a "Run" section with the run parameters (and
 * wall times: the only report that has them), and each claim's statement,
 * checks and named constants; with the Markdown extras, also the pass-rate
 * figure and, per claim, its key measurements and figures.
 *
 * @module
 */

import { SUMMARY_COLUMNS } from "./summary_csv.ts";
import { allOk, leadingCells, rateText, type Summary } from "./verdict.ts";
import type { ClaimInfo, RunInfo } from "./run_info.ts";
import type { SummaryRow } from "../claims/types.ts";
import { oneLine } from "../base/text.ts";

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

/** A table followed by an empty line. */
function block(header: string[], rows: string[][]): string[] {
  return [...table(header, rows), ""];
}

/**
 * The columns of the summary table: those of `summary.csv`, with the
 * interval in one column and without `detail`.
 */
const TABLE_COLUMNS = SUMMARY_COLUMNS.flatMap((c) =>
  c === "ci_low" ? ["95% CI"] : c === "ci_high" || c === "detail" ? [] : [c]
);

/**
 * The Markdown table of the summary rows: claim, check, expect, trials,
 * passed, rate, 95% CI, target, verdict and ✓/✗ (no trailing newline).
 *
 * @example
 * ```ts
 * import { summaryTableMarkdown } from "./summary_md.ts";
 * import assert from "node:assert/strict";
 * assert.ok(summaryTableMarkdown([]).startsWith("| claim | check |"));
 * ```
 */
export function summaryTableMarkdown(rows: SummaryRow[]): string {
  return table(
    TABLE_COLUMNS,
    rows.map((r) => [
      ...leadingCells(r),
      `[${rateText(r.ciLow)}, ${rateText(r.ciHigh)}]`,
      String(r.target),
      r.verdict,
      r.ok ? "✓" : "✗",
    ]),
  ).join("\n");
}

/** Caption text safe inside `![...]`: one line, brackets escaped. */
function altText(text: string): string {
  return oneLine(text).replace(/([\\\[\]])/g, "\\$1");
}

/** A Markdown image of a figure under `figures/`. */
function figureImage(f: FigureLink): string {
  return `![${altText(f.caption)}](figures/${encodeURI(f.file)})`;
}

/** The "Assessments" section. */
function assessmentsSection(summary: Summary): string[] {
  if (summary.assessments.length === 0) {
    return ["## Assessments", "", "None.", ""];
  }
  return [
    "## Assessments",
    "",
    ...block(
      ["claim", "check", "expect", "verdict", "detail", "ok"],
      summary.assessments.map(({ claim, a }) => [
        claim,
        a.check,
        a.expect,
        a.verdict,
        a.detail,
        a.verdict === a.expect ? "✓" : "✗",
      ]),
    ),
  ];
}

/** The "Run" section: the run parameters, one `- name: value` line each. */
function runSection(info: RunInfo): string[] {
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
  return [
    "## Run",
    "",
    ...run.map(([name, value]) => `- ${name}: ${cell(value)}`),
    "",
  ];
}

/** A claim's statement, source, hypotheses, checks and constants. */
function claimSection(claim: ClaimInfo): string[] {
  const out = [`### ${claim.id}: ${claim.title}`, "", claim.statement, ""];
  if (claim.source !== undefined) out.push(`Source: ${claim.source}.`, "");
  if (claim.hypotheses !== undefined && claim.hypotheses.length > 0) {
    out.push(`Hypotheses: ${claim.hypotheses.join("; ")}.`, "");
  }
  if (claim.checks !== undefined && claim.checks.length > 0) {
    out.push(
      ...block(
        ["check", "expect", "target", "a trial passes when", "configurations"],
        claim.checks.map((c) => [
          c.name,
          c.expect,
          String(c.target),
          c.description,
          c.configs.join("; "),
        ]),
      ),
    );
  }
  const constants = Object.entries(claim.constants);
  if (constants.length === 0) {
    out.push("No named constants.", "");
  } else {
    out.push(
      ...block(
        ["constant", "value"],
        constants.map(([name, value]) => [name, String(value)]),
      ),
    );
  }
  return out;
}

/** A claim's "Key measurements" and "Figures" (from the Markdown extras). */
function claimExtrasSection(more: ClaimReportExtras): string[] {
  const out: string[] = [];
  if (more.highlights.columns.length > 0) {
    out.push(
      "#### Key measurements",
      "",
      "Median [10%, 90%] over the trials of each configuration that ran to " +
        "the end (`finished` of them).",
      "",
      ...block(
        ["configuration", "finished", ...more.highlights.columns],
        more.highlights.rows.map((r) => [r.config, String(r.n), ...r.cells]),
      ),
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
  return out;
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
 * import { summaryMarkdown } from "./summary_md.ts";
 * import assert from "node:assert/strict";
 * const md = summaryMarkdown({ rows: [], assessments: [] }, {
 *   seed: 1, profile: "ci", backend: "cpu", trials: null, shard: null, claims: [],
 * });
 * assert.ok(md.includes("## Run"));
 * ```
 */
export function summaryMarkdown(
  summary: Summary,
  info: RunInfo,
  extras: MarkdownExtras = {},
): string {
  const out: string[] = [
    "# Claim checks",
    "",
    allOk(summary)
      ? "All checks reached their expected verdict."
      : "Some checks did NOT reach their expected verdict (marked ✗).",
    "",
    summaryTableMarkdown(summary.rows),
    "",
    ...MARKDOWN_LEGEND,
    "",
  ];
  if (extras.overview !== undefined) {
    out.push(figureImage(extras.overview), "");
  }
  if (extras.overviewError !== undefined) {
    out.push(
      `The pass-rate figure failed: ${cell(extras.overviewError)}`,
      "",
    );
  }
  out.push(...assessmentsSection(summary), ...runSection(info));
  out.push("## Claims and constants", "");
  for (const claim of info.claims) {
    out.push(...claimSection(claim));
    const more = extras.claims?.[claim.id];
    if (more !== undefined) out.push(...claimExtrasSection(more));
  }
  return out.join("\n");
}
