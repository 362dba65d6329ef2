/**
 * `summary.md`: the human-readable report. A table of the summary rows
 * (raw and Holm-adjusted verdicts) with a legend; per claim, a table of
 * the evidence behind each check (role, twin and power, margin to the
 * threshold, a saturation flag, whether significance is reachable at its
 * trial count); the assessments; the verdict rules with their reasons; a
 * "Run" section with the run parameters (and wall times: the only report
 * that has them); and each claim's statement, checks and named constants
 * with their reasons. With the Markdown extras, also the pass-rate figure
 * and, per claim, its key measurements and figures, and the deviations
 * from the paper.
 *
 * @module
 */

import {
  type AdjustedSummary,
  adjustFamily,
  allOk,
  type CheckRow,
  checkRowOf,
  leadingCells,
  pValueText,
  rateText,
  type Summary,
} from "./verdict.ts";
import type { CheckInfo, ClaimInfo, RunInfo } from "./run_info.ts";
import type { SummaryRow } from "../claims/types.ts";
import {
  CONTROL_CEILING,
  FAMILY_ALPHA,
  MARGIN_BAND,
  SATURATION_SHARE,
  VERDICT_RULE_REASONS,
  VERDICT_RULES,
} from "../stats/mod.ts";
import { oneLine } from "../base/text.ts";
import { type Deviation, deviationsMarkdown } from "./deviations.ts";

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
 * The parts of the report drawn from the records beside the summary: the
 * pass-rate figure and, per claim id, its key measurements and figures
 * (Markdown only), and the deviations from the paper (also in
 * `summary.json`).
 */
export interface MarkdownExtras {
  /** The run's deviations from the paper (`deviations.ts`). */
  deviations?: Deviation[];
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
  "`expect` is `holds` for a prediction of the paper and `fails` for a twin, " +
  "control or sanity line (a nearest false alternative, a broken hypothesis " +
  "or a line that fails for almost any network). `passed`/`trials` is " +
  "the pass rate, with its exact 95% Clopper–Pearson interval. A prediction's " +
  "`verdict` is `holds` when the interval's lower end is ≥ `target` and " +
  "`fails` when its upper end is < `target`; a check expected to fail reads " +
  `\`fails\` only when the upper end is < the control ceiling ${CONTROL_CEILING} ` +
  "(or its target, if lower) and `holds` when the lower end is ≥ `target`; " +
  "anything else is `inconclusive`. `p` is the one-sided exact binomial " +
  "p-value of the expected verdict (P(X ≥ passed) at the target for a " +
  "prediction, P(X ≤ passed) at the ceiling otherwise), `Holm p` the same " +
  "after the Holm–Bonferroni adjustment over every check and fitted " +
  "assessment of the run, and `adjusted` the verdict after it: the expected " +
  `verdict when the raw one is expected and Holm p < ${FAMILY_ALPHA}, the raw ` +
  "verdict when it is the opposite, `inconclusive` otherwise. `ok` (✓/✗) says " +
  "whether the adjusted verdict is the expected one; it decides the exit " +
  "code. A trial that did not finish (`error`, `not-converged`) fails every " +
  "prediction; for a check expected to fail only finished trials are " +
  "counted. Source tags: [A] the paper's abstract, [L] restated by later " +
  "literature, [R] our reconstruction.",
];

/** How to read the per-claim evidence tables (printed above them). */
export const EVIDENCE_LEGEND: readonly string[] = [
  "Per claim, what stands behind each check. `twin`: for a prediction, " +
  "its twins (the nearest false alternative run through the identical " +
  "check); for other lines, the prediction they shadow. `twin rate`: the " +
  "twins' pass rate; `power`: the share of twin trials the prediction's " +
  "check rejects, with its 95% interval. `margin`: the median of " +
  "measured/threshold over finished trials (a trial passes when it is ≤ 1 " +
  `or ≥ 1, as shown), and \`near\`: the share of trials within ${
    100 * MARGIN_BAND
  }% of the ` +
  "threshold. A check at 0% or 100% with fewer than " +
  `${100 * SATURATION_SHARE}% of its trials near the threshold is ` +
  "**saturated**: its verdict does not test the threshold. `significance`: " +
  "whether the check's best outcome at its trial count (all pass, or none " +
  "for a line expected to fail) has a p-value below the strictest Holm " +
  "threshold alpha / family size (or 0.025, if smaller), with the passes it " +
  "needs, or the trials it would need.",
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

/** The columns of the summary table. */
const TABLE_COLUMNS = [
  "claim",
  "check",
  "expect",
  "trials",
  "passed",
  "rate",
  "95% CI",
  "target",
  "verdict",
  "p",
  "Holm p",
  "adjusted",
  "ok",
];

/**
 * The Markdown table of the summary rows: claim, check, expect, trials,
 * passed, rate, 95% CI, target, raw verdict, p, Holm p, adjusted verdict
 * and ✓/✗ of the adjusted verdict (no trailing newline). Check rows are
 * shown as they are (adjusted over their run by `adjustFamily`); plain
 * rows as a family of one each.
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
    rows.map(checkRowOf).map((r) => [
      ...leadingCells(r),
      `[${rateText(r.ciLow)}, ${rateText(r.ciHigh)}]`,
      String(r.target),
      r.verdict,
      pValueText(r.pValue),
      pValueText(r.pAdjusted),
      r.adjustedVerdict,
      r.okAdjusted ? "✓" : "✗",
    ]),
  ).join("\n");
}

/** A rate with its interval, or a dash. */
function powerText(r: CheckRow): string {
  const twin = r.twin;
  if (twin === null || twin.power === null || twin.powerCi === null) {
    return "—";
  }
  return `${rateText(twin.power)} [${rateText(twin.powerCi.low)}, ${
    rateText(twin.powerCi.high)
  }]`;
}

/** The twin cell: a prediction's twins, or the prediction a line shadows. */
function twinText(r: CheckRow): string {
  if (r.role === "prediction") {
    return r.twin === null ? "—" : r.twin.checks.join(", ");
  }
  return r.twinOf === null ? "—" : `shadows ${r.twinOf}`;
}

/** The margin cells: median measured/threshold, and the share near it. */
function marginCells(r: CheckRow): [string, string] {
  const m = r.margin;
  if (m === null) return ["not declared", "—"];
  if (m.median === null || m.nearShare === null) return ["no data", "—"];
  const side = m.direction === "below" ? "≤" : "≥";
  return [
    `${pValueText(m.median)} (pass ${side} 1; ${m.measured})`,
    `${(100 * m.nearShare).toFixed(0)}% of ${m.trials}`,
  ];
}

/** Whether and how a check can reach significance at its trial count. */
export function reachText(r: CheckRow): string {
  const { reach } = r;
  const needed = r.expect === "holds" ? "≥" : "≤";
  if (reach.reachable && reach.passesNeeded !== null) {
    return `yes: needs ${needed} ${reach.passesNeeded}/${r.trials} passes`;
  }
  const more = reach.trialsNeeded === null
    ? "no trial count would do"
    : `needs ≥ ${reach.trialsNeeded} trials`;
  return `no: best p ${pValueText(reach.bestP)} ≥ ${
    pValueText(reach.threshold)
  }; ${more}`;
}

/** The per-claim evidence tables. */
function evidenceSection(adjusted: AdjustedSummary): string[] {
  const claims = [...new Set(adjusted.rows.map((r) => r.claim))];
  if (claims.length === 0) return [];
  const out = ["## Evidence, claim by claim", "", ...EVIDENCE_LEGEND, ""];
  for (const claim of claims) {
    out.push(
      `### ${claim}`,
      "",
      ...block(
        [
          "check",
          "role",
          "twin",
          "twin rate",
          "power [95% CI]",
          "margin: median measured/threshold",
          `near (±${100 * MARGIN_BAND}%)`,
          "saturated",
          "significance",
        ],
        adjusted.rows.filter((r) => r.claim === claim).map((r) => [
          r.check,
          r.role,
          twinText(r),
          r.twin?.rate == null ? "—" : rateText(r.twin.rate),
          powerText(r),
          ...marginCells(r),
          r.saturated ? "**saturated**" : "",
          reachText(r),
        ]),
      ),
    );
  }
  return out;
}

/** The "Verdict rules" section: each constant with its reason, and the family. */
function rulesSection(adjusted: AdjustedSummary): string[] {
  const { family } = adjusted;
  const example = (0.8 ** 30).toFixed(4);
  return [
    "## Verdict rules",
    "",
    ...block(
      ["rule", "value", "why"],
      Object.entries(VERDICT_RULES).map(([name, value]) => [
        name,
        String(value),
        VERDICT_RULE_REASONS[name as keyof typeof VERDICT_RULES],
      ]),
    ),
    `Holm–Bonferroni family of this run: ${family.size} p-value(s) ` +
    `(${family.checks} check(s), ${family.assessments} fitted assessment(s)), ` +
    `alpha ${family.alpha}; the strictest threshold is alpha / ${family.size} ` +
    `= ${pValueText(family.strictest)} (a check's reach is judged at this ` +
    "or at 0.025, the raw verdict's one-sided level, whichever is smaller). " +
    "A check is significant whatever " +
    "the other p-values when its p-value is below that threshold, which " +
    "needs its best outcome (all trials pass, or none for a line expected " +
    `to fail) to beat it: e.g. a control passing 0/30 has p = 0.8^30 ≈ ${example} ` +
    "< 0.05/30, while a prediction passing 20/20 at target 0.8 has p ≈ " +
    "0.0115, which is not below 0.05/30. The `significance` column of each " +
    "claim's evidence table says which checks can, with the passes they " +
    "need or the trials they would need.",
    "",
  ];
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
function assessmentsSection(adjusted: AdjustedSummary): string[] {
  if (adjusted.assessments.length === 0) {
    return ["## Assessments", "", "None.", ""];
  }
  return [
    "## Assessments",
    "",
    ...block(
      [
        "claim",
        "check",
        "expect",
        "verdict",
        "detail",
        "p",
        "Holm p",
        "adjusted",
        "ok",
      ],
      adjusted.assessments.map(({ claim, a, pAdjusted, adjustedVerdict }) => [
        claim,
        a.check,
        a.expect,
        a.verdict,
        a.detail,
        a.pValue === undefined ? "—" : pValueText(a.pValue),
        pAdjusted === null ? "—" : pValueText(pAdjusted),
        adjustedVerdict,
        adjustedVerdict === a.expect ? "✓" : "✗",
      ]),
    ),
    "An assessment without a p-value keeps its raw verdict; one with a " +
    "p-value (from a fit) enters the Holm family.",
    "",
  ];
}

/**
 * The "Run" section: the run parameters, one `- name: value` line each
 * (shared with the `summary.md` of a `map` run, `maps_md.ts`).
 *
 * @example
 * ```ts
 * import { runSection } from "./summary_md.ts";
 * import assert from "node:assert/strict";
 * const lines = runSection({
 *   seed: 1, profile: "map", backend: "cpu", trials: null, shard: null, claims: [],
 * });
 * assert.ok(lines.includes("- profile: map"));
 * ```
 */
export function runSection(info: RunInfo): string[] {
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
        [
          "check",
          "role",
          "expect",
          "target",
          "a trial passes when",
          "configurations",
        ],
        claim.checks.map((c) => [
          c.name,
          roleText(c),
          c.expect,
          String(c.target),
          c.description,
          c.configs.join("; "),
        ]),
      ),
    );
  }
  const constants = Object.entries(claim.constants);
  const reasons = claim.constantReasons ?? {};
  if (constants.length === 0) {
    out.push("No named constants.", "");
  } else {
    out.push(
      ...block(
        ["constant", "value", "why"],
        constants.map(([name, value]) => [
          name,
          String(value),
          reasons[name] ?? "(no reason given)",
        ]),
      ),
    );
  }
  return out;
}

/** A check's role, with the prediction it shadows. */
function roleText(c: CheckInfo): string {
  const role = c.role ?? (c.expect === "holds" ? "prediction" : "control");
  return c.twinOf === undefined ? role : `${role} of ${c.twinOf}`;
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
 * expect, trials, passed, rate, 95% CI, target, verdict, p, Holm p,
 * adjusted verdict, ✓/✗), the per-claim evidence tables, the assessments,
 * the verdict rules with their reasons and the Holm family, a "Run"
 * section with the run parameters, and each claim's statement, checks and
 * named constants with their reasons. With `extras`, also the pass-rate
 * figure under the table, the "Deviations from the paper" (after the
 * assessments) and, per claim, a "Key measurements" table and a
 * "Figures" list (with a line for every figure that failed). The summary
 * is adjusted as one Holm family first (`adjustFamily`).
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
  const adjusted = adjustFamily(summary);
  const out: string[] = [
    "# Claim checks",
    "",
    allOk(summary)
      ? "All checks reached their expected verdict."
      : "Some checks did NOT reach their expected verdict after the " +
        "Holm–Bonferroni adjustment (marked ✗).",
    "",
    summaryTableMarkdown(adjusted.rows),
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
  out.push(
    ...evidenceSection(adjusted),
    ...assessmentsSection(adjusted),
    ...(extras.deviations === undefined ? [] : [
      "## Deviations from the paper",
      "",
      ...deviationsMarkdown(extras.deviations),
      "",
    ]),
    ...rulesSection(adjusted),
    ...runSection(info),
  );
  out.push("## Claims and constants", "");
  for (const claim of info.claims) {
    out.push(...claimSection(claim));
    const more = extras.claims?.[claim.id];
    if (more !== undefined) out.push(...claimExtrasSection(more));
  }
  return out.join("\n");
}
