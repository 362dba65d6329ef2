/**
 * Writing the reports of a run from its trial records: summarize every
 * claim, run its `assess`, and write `summary.csv`, `summary.md` (with the
 * figures under `figures/`) and `summary.json` atomically, in the formats
 * asked for.
 *
 * @module
 */

import {
  PASS_RATES_FIGURE,
  writeClaimFigures,
  writePassRates,
} from "./figures.ts";
import type { RunInfo } from "./run_info.ts";
import { summaryCsv } from "./summary_csv.ts";
import { summaryJson } from "./summary_json.ts";
import { type Deviation, deviationsOf } from "./deviations.ts";
import { type KeyMeasurements, keyMeasurements } from "./measurements.ts";
import {
  type ClaimReportExtras,
  type MarkdownExtras,
  summaryMarkdown,
} from "./summary_md.ts";
import {
  type AdjustedSummary,
  adjustFamily,
  allOk,
  type ClaimAssessment,
  summarize,
  type Summary,
} from "./verdict.ts";
import type { MapSummary } from "./maps.ts";
import { writeMapReports } from "./maps_write.ts";
import { writeTextFileAtomic } from "../runner/atomic_write.ts";
import type { ClaimPlan } from "../runner/plan.ts";
import { sortRecords } from "../runner/trial_csv.ts";
import type { ClaimConfig, ClaimSpec, TrialRecord } from "../claims/types.ts";
import { errorMessage } from "../base/errors.ts";
import { oneLine } from "../base/text.ts";

/** A report format. */
export type Format = "csv" | "md" | "json" | "html";

/** The report formats, in their default order. */
export const FORMATS: readonly Format[] = ["csv", "md", "json", "html"];

/** What {@linkcode writeReports} needs about the run besides the records. */
export interface ReportInput {
  /** The plan's claims. */
  claims: ClaimPlan[];
  /** Every trial record of the run. */
  records: TrialRecord[];
  /** Run parameters for the reports. */
  info: RunInfo;
  /** Summary formats to write. */
  formats: Format[];
  /** Where a figure that fails is logged (default: stderr). */
  warn?: (line: string) => void;
}

/** What a run gives back: its rows and assessments adjusted as one family. */
export interface RunOutcome extends AdjustedSummary {
  /**
   * Whether every row and assessment reached its expected verdict after
   * the Holm–Bonferroni adjustment.
   */
  allOk: boolean;
  /** The regime maps of a `map` run (which has no rows, and `allOk`). */
  maps?: MapSummary[];
}

/**
 * A claim's assessments from its sorted records; an `assess` that throws
 * gives an `inconclusive` assessment named `assess`.
 */
function assessClaim(
  claim: ClaimSpec,
  options: { records: TrialRecord[]; configs: ClaimConfig[] },
): ClaimAssessment[] {
  if (claim.assess === undefined) return [];
  try {
    return claim.assess(options.records, options.configs).map((a) => ({
      claim: claim.id,
      a,
    }));
  } catch (error) {
    return [{
      claim: claim.id,
      a: {
        check: "assess",
        expect: "holds",
        verdict: "inconclusive",
        detail: `assess threw: ${oneLine(errorMessage(error))}`,
      },
    }];
  }
}

/**
 * The reports of a `map` run (`maps_write.ts`): maps with pass rates per
 * cell and no verdicts, so no rows, no Holm family, and `allOk` true.
 */
async function writeMapRun(
  out: string,
  input: ReportInput,
): Promise<RunOutcome> {
  const maps = await writeMapReports(out, input);
  const empty: Summary = { rows: [], assessments: [] };
  return { ...adjustFamily(empty), allOk: true, maps };
}

/**
 * Summarize every claim of a plan, run its `assess` (an `assess` that
 * throws gives an `inconclusive` assessment named `assess`), adjust every
 * check and fitted assessment of the run as one Holm–Bonferroni family,
 * and write the summaries in the given formats to `out` atomically.
 *
 * Every claim's key measurements (its `highlights`: median [q10, q90] of
 * the column over the ok trials of each configuration) and the run's
 * deviations from the paper (each claim's `predictions` against the
 * measured values, `deviations.ts`) go to `summary.md` and `summary.json`.
 * With the `md` format, also write the figures under `<out>/figures/`
 * (`pass_rates.svg` and each claim's `figures`, drawn from its records in
 * sorted order) and add figure links to `summary.md`. A figure that fails
 * is logged and noted in `summary.md`; the run goes on.
 *
 * A `map` run writes its regime maps instead (`maps_write.ts`).
 */
export async function writeReports(
  out: string,
  input: ReportInput,
): Promise<RunOutcome> {
  if (input.info.profile === "map") return await writeMapRun(out, input);
  const warn = input.warn ?? ((line: string) => console.error(line));
  const summary: Summary = { rows: [], assessments: [] };
  const markdown = input.formats.includes("md");
  const claimExtras: Record<string, ClaimReportExtras> = {};
  const extras: MarkdownExtras = { claims: claimExtras };
  const taken = new Set([PASS_RATES_FIGURE]);
  const measurements: Record<string, KeyMeasurements> = {};
  for (const plan of input.claims) {
    const id = plan.claim.id;
    const records = sortRecords(
      input.records.filter((r) => r.task.claim === id),
      plan.configs.map((c) => c.key),
    );
    summary.rows.push(
      ...summarize(records, {
        claim: id,
        checks: plan.checks,
        configs: plan.configs,
      }),
    );
    measurements[id] = keyMeasurements(plan, records);
    if (markdown) {
      claimExtras[id] = {
        highlights: measurements[id],
        ...await writeClaimFigures(out, plan, { records, taken, warn }),
      };
    }
    summary.assessments.push(
      ...assessClaim(plan.claim, { records, configs: plan.configs }),
    );
  }
  const deviations: Deviation[] = deviationsOf(input.claims, {
    records: input.records,
    assessments: summary.assessments,
  });
  extras.deviations = deviations;
  if (input.formats.includes("csv")) {
    await writeTextFileAtomic(`${out}/summary.csv`, summaryCsv(summary));
  }
  if (markdown) {
    const overview = await writePassRates(out, { rows: summary.rows, warn });
    extras.overview = overview.link;
    extras.overviewError = overview.error;
    await writeTextFileAtomic(
      `${out}/summary.md`,
      summaryMarkdown(summary, input.info, extras),
    );
  }
  if (input.formats.includes("json")) {
    await writeTextFileAtomic(
      `${out}/summary.json`,
      summaryJson(summary, input.info, { measurements, deviations }),
    );
  }
  // failures.md always, index.html with "html" (html_write.ts).
  await (await import("./html_write.ts")).writeRunPages(out, {
    ...input,
    summary,
    measurements,
    deviations,
  });
  return { ...adjustFamily(summary), allOk: allOk(summary) };
}
