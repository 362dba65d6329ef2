/**
 * The verdict table the README shows for the committed paper report: one
 * row per check of a `summary.json` (claim, check, expected verdict, pass
 * count with its 95% interval, raw and Holm–Bonferroni-adjusted verdicts),
 * read back from the JSON so that the README is written by `deno task
 * readme` and never typed by hand.
 *
 * @module
 */

import { UsageError } from "../base/usage_error.ts";
import { pValueText, rateText } from "./verdict.ts";

/** One check's line of the README table, as read from `summary.json`. */
export interface VerdictLine {
  /** Claim id. */
  claim: string;
  /** Check name. */
  check: string;
  /** `holds` or `fails`. */
  expect: string;
  /** Trials counted. */
  trials: number;
  /** Trials that passed. */
  passed: number;
  /** Lower end of the 95% interval of the pass rate. */
  ciLow: number;
  /** Upper end of the 95% interval of the pass rate. */
  ciHigh: number;
  /** The verdict before adjustment. */
  verdict: string;
  /** The Holm–Bonferroni-adjusted p-value. */
  pAdjusted: number;
  /** The verdict after adjustment. */
  adjustedVerdict: string;
  /** Whether the adjusted verdict is the expected one. */
  okAdjusted: boolean;
}

/** The run a table describes: the family the adjustment ran over. */
export interface VerdictTable {
  /** One line per check, in the summary's order. */
  lines: VerdictLine[];
  /** Checks in the Holm–Bonferroni family. */
  checks: number;
  /** Fitted assessments in the family. */
  assessments: number;
}

const TEXT = ["claim", "check", "expect", "verdict", "adjustedVerdict"];
const NUMBERS = ["trials", "passed", "ciLow", "ciHigh", "pAdjusted"];

/** An object's fields, or a `UsageError` naming `where`. */
function fieldsOf(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError(`${where} is not an object`);
  }
  return value as Record<string, unknown>;
}

/**
 * The verdict table of a parsed `summary.json` (`rows` and `family`);
 * throws a {@linkcode UsageError} naming `source` when a field is missing
 * or of the wrong type.
 *
 * @example
 * ```ts
 * import { readVerdictTable } from "./readme_verdicts.ts";
 * import assert from "node:assert/strict";
 * const table = readVerdictTable({ rows: [], family: { checks: 0, assessments: 0 } }, "s.json");
 * assert.deepEqual(table, { lines: [], checks: 0, assessments: 0 });
 * assert.throws(() => readVerdictTable({}, "s.json"), /s\.json has no rows/);
 * ```
 */
export function readVerdictTable(
  summary: unknown,
  source: string,
): VerdictTable {
  const o = fieldsOf(summary, source);
  if (!Array.isArray(o.rows)) throw new UsageError(`${source} has no rows`);
  const family = fieldsOf(o.family, `${source}: family`);
  if (
    typeof family.checks !== "number" || typeof family.assessments !== "number"
  ) {
    throw new UsageError(
      `${source}: family has no checks or assessments count`,
    );
  }
  const lines = o.rows.map((value: unknown, i: number): VerdictLine => {
    const where = `${source}: rows[${i}]`;
    const row = fieldsOf(value, where);
    for (const field of TEXT) {
      if (typeof row[field] !== "string") {
        throw new UsageError(`${where}.${field} is not a string`);
      }
    }
    for (const field of NUMBERS) {
      if (typeof row[field] !== "number") {
        throw new UsageError(`${where}.${field} is not a number`);
      }
    }
    if (typeof row.okAdjusted !== "boolean") {
      throw new UsageError(`${where}.okAdjusted is not a boolean`);
    }
    return {
      claim: row.claim as string,
      check: row.check as string,
      expect: row.expect as string,
      trials: row.trials as number,
      passed: row.passed as number,
      ciLow: row.ciLow as number,
      ciHigh: row.ciHigh as number,
      verdict: row.verdict as string,
      pAdjusted: row.pAdjusted as number,
      adjustedVerdict: row.adjustedVerdict as string,
      okAdjusted: row.okAdjusted,
    };
  });
  return { lines, checks: family.checks, assessments: family.assessments };
}

const HEADER = [
  "claim",
  "check",
  "expect",
  "trials",
  "passed",
  "95% CI",
  "verdict",
  "Holm p",
  "adjusted",
  "ok",
];

/**
 * The README's verdict paragraph and table: a sentence naming the family
 * of the adjustment and whether every check reached its expected verdict,
 * then one Markdown row per check.
 *
 * @example
 * ```ts
 * import { verdictsMarkdown } from "./readme_verdicts.ts";
 * import assert from "node:assert/strict";
 * const lines = verdictsMarkdown({
 *   checks: 1,
 *   assessments: 0,
 *   lines: [{
 *     claim: "C4", check: "flips_within_C", expect: "holds", trials: 32,
 *     passed: 32, ciLow: 0.8911, ciHigh: 1, verdict: "holds",
 *     pAdjusted: 7.9e-4, adjustedVerdict: "holds", okAdjusted: true,
 *   }],
 * });
 * assert.ok(lines[0].includes("over the run's 1 checks and 0 fitted assessments"));
 * assert.equal(
 *   lines.at(-1),
 *   "| C4 | flips_within_C | holds | 32 | 32 | [0.8911, 1.0000] | holds | 7.9e-4 | holds | ✓ |",
 * );
 * ```
 */
export function verdictsMarkdown(table: VerdictTable): string[] {
  const missed = table.lines.filter((l) => !l.okAdjusted).length;
  const outcome = missed === 0
    ? "every check reached its expected verdict."
    : `${missed} of ${table.lines.length} checks did not reach their expected verdict (✗).`;
  return [
    `Verdicts after the Holm–Bonferroni adjustment over the run's ${table.checks} checks ` +
    `and ${table.assessments} fitted assessments (the claim-level assessments are in ` +
    `\`summary.md\`): ${outcome}`,
    "",
    `| ${HEADER.join(" | ")} |`,
    `|${HEADER.map(() => "---").join("|")}|`,
    ...table.lines.map((l) =>
      `| ${
        [
          l.claim,
          l.check,
          l.expect,
          String(l.trials),
          String(l.passed),
          `[${rateText(l.ciLow)}, ${rateText(l.ciHigh)}]`,
          l.verdict,
          pValueText(l.pAdjusted),
          l.adjustedVerdict,
          l.okAdjusted ? "✓" : "✗",
        ].join(" | ")
      } |`
    ),
  ];
}
