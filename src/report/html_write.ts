/**
 * Writing the pages of a run folder: `failures.md` (always) and
 * `index.html` (with the `html` format), from what `writeReports` has in
 * memory ({@linkcode writeRunPages}), or `index.html` from the files of a
 * finished run folder ({@linkcode readRunFolder}, {@linkcode writeHtmlReport}),
 * e.g. a committed report.
 *
 * @module
 */

import {
  type CheckFailures,
  type FailureCheck,
  type FailureClaim,
  failureClaimOf,
  inPlanOrder,
  runFailures,
  writeFailures,
} from "./failures.ts";
import {
  HTML_REPORT_FILE,
  type HtmlFigure,
  htmlReport,
  type HtmlReportInput,
  type Json,
  type JsonObject,
} from "./html.ts";
import { measuredHighlights } from "./history.ts";
import type { Deviation } from "./deviations.ts";
import type { KeyMeasurements } from "./measurements.ts";
import type { RunInfo } from "./run_info.ts";
import { summaryJson } from "./summary_json.ts";
import type { Summary } from "./verdict.ts";
import { writeTextFileAtomic } from "../runner/atomic_write.ts";
import { readJsonFile } from "../runner/json_file.ts";
import { type ClaimPlan, planRun } from "../runner/plan.ts";
import { sortRecords } from "../runner/trial_csv.ts";
import { readTrialFile } from "../runner/trial_csv_parse.ts";
import type {
  CheckMargin,
  ClaimSpec,
  Expectation,
  Profile,
  TrialRecord,
} from "../claims/types.ts";
import { UsageError } from "../base/usage_error.ts";

/** The run files the page links to, in this order, when present. */
const LINKED_FILES = [
  "summary.md",
  "summary.csv",
  "summary.json",
  "failures.md",
  "run.json",
  "provenance.json",
  "timing.csv",
];

/** A JSON file as an object, `null` when missing; a {@linkcode UsageError} when not one. */
async function readJsonObject(path: string): Promise<JsonObject | null> {
  const value = await readJsonFile(path);
  if (value === undefined) return null;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError(`${path} does not hold a JSON object`);
  }
  return value as JsonObject;
}

/** Whether a path exists. */
async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The figures under `<dir>/figures/`: `pass_rates.svg` first, then by name. */
async function readFigures(dir: string): Promise<HtmlFigure[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(`${dir}/figures`)) {
      if (entry.isFile && entry.name.endsWith(".svg")) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const rank = (n: string) => n === "pass_rates.svg" ? 0 : 1;
  names.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const figures: HtmlFigure[] = [];
  for (const file of names) {
    figures.push({
      file,
      svg: await Deno.readTextFile(`${dir}/figures/${file}`),
    });
  }
  return figures;
}

/** The run files present in `dir`, in link order, then the trial files of the claims. */
async function presentFiles(dir: string, ids: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const f of [...LINKED_FILES, ...ids.map((id) => `trials/${id}.csv`)]) {
    if (await exists(`${dir}/${f}`)) files.push(f);
  }
  return files;
}

/** A string field of a JSON object, or `undefined`. */
function text(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === "string" ? v : undefined;
}

/** A check's margin from `summary.json`, if it is one. */
function marginOf(value: Json | undefined): CheckMargin | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return undefined;
  }
  const { measured, threshold, direction } = value;
  if (
    typeof measured !== "string" ||
    (typeof threshold !== "number" && typeof threshold !== "string") ||
    (direction !== "below" && direction !== "above")
  ) return undefined;
  return { measured, threshold, direction };
}

/** The claims of `summary.json` as the failure drill-down needs them. */
function failureClaimsOfSummary(summary: JsonObject): FailureClaim[] {
  const claims = Array.isArray(summary.claims) ? summary.claims : [];
  return claims.flatMap((c) => {
    if (c === null || typeof c !== "object" || Array.isArray(c)) return [];
    const checks = (Array.isArray(c.checks) ? c.checks : []).flatMap((k) => {
      if (k === null || typeof k !== "object" || Array.isArray(k)) return [];
      const name = text(k, "name");
      const expect = text(k, "expect");
      if (name === undefined || (expect !== "holds" && expect !== "fails")) {
        return [];
      }
      const check: FailureCheck = { name, expect: expect as Expectation };
      const role = text(k, "role");
      const twinOf = text(k, "twinOf");
      const margin = marginOf(k.margin);
      if (role !== undefined) check.role = role;
      if (twinOf !== undefined) check.twinOf = twinOf;
      if (margin !== undefined) check.margin = margin;
      if (Array.isArray(k.configs)) check.configs = k.configs.map(String);
      return [check];
    });
    return [{ id: String(c.id), checks }];
  });
}

/** Options of {@linkcode readRunFolder}. */
export interface ReadRunFolderOptions {
  /**
   * The claims of the run (with its parameter overrides applied), for the
   * key measurements and the parameter columns; without them the checks of
   * `summary.json` are used and key measurements are shown only when
   * `summary.json` carries them.
   */
  claims?: ClaimSpec[];
  /** The claims module of the run, when not the registry (for replay commands). */
  claimsModule?: string;
}

/**
 * Everything {@linkcode htmlReport} needs, from the files of a run folder:
 * `summary.json` (required), `run.json`, the figures and the trial files.
 * Throws a {@linkcode UsageError} when `summary.json` is missing or not
 * JSON.
 */
export async function readRunFolder(
  dir: string,
  options: ReadRunFolderOptions = {},
): Promise<HtmlReportInput> {
  const summary = await readJsonObject(`${dir}/summary.json`);
  if (summary === null) {
    throw new UsageError(
      `${dir}/summary.json not found (write the run with --format json)`,
    );
  }
  const manifest = await readJsonObject(`${dir}/run.json`);
  const run = (summary.run ?? {}) as JsonObject;
  const seed = Number(run.seed ?? manifest?.seed);
  const profile = String(run.profile ?? manifest?.profile) as Profile;
  const ids = (Array.isArray(summary.claims) ? summary.claims : []).map((c) =>
    String((c as JsonObject)?.id)
  );
  const specs = (options.claims ?? []).filter((c) => ids.includes(c.id));
  const plans = specs.length === ids.length && ids.length > 0
    ? planRun(
      ids.map((id) => specs.find((c) => c.id === id)!),
      {
        profile,
        seed,
        trials: typeof run.trials === "number" ? run.trials : null,
      },
    ).claims
    : null;
  const records: TrialRecord[] = [];
  for (const id of ids) {
    const order = plans?.find((p) =>
      p.claim.id === id
    )?.configs.map((c) => c.key) ?? [];
    try {
      const parsed = readTrialFile(`${dir}/trials/${id}.csv`, {
        tolerateTruncation: true,
      });
      records.push(...sortRecords(parsed.records, order));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  const failures = runFailures(records, {
    claims: plans?.map(failureClaimOf) ?? failureClaimsOfSummary(summary),
    replay: { seed, profile, claimsModule: options.claimsModule },
  });
  return {
    summary,
    manifest,
    figures: await readFigures(dir),
    failures,
    highlights: plans === null ? undefined : Object.fromEntries(
      plans.map((p) => [p.claim.id, measuredHighlights(p, records)]),
    ),
    files: await presentFiles(dir, ids),
  };
}

/**
 * Write `<dir>/index.html` from the files of the run folder `dir` (see
 * {@linkcode readRunFolder}) atomically; returns its path.
 */
export async function writeHtmlReport(
  dir: string,
  options: ReadRunFolderOptions = {},
): Promise<string> {
  const path = `${dir}/${HTML_REPORT_FILE}`;
  await writeTextFileAtomic(
    path,
    htmlReport(await readRunFolder(dir, options)),
  );
  return path;
}

/** What {@linkcode writeRunPages} needs: what `writeReports` has in memory. */
export interface RunPagesInput {
  /** The plan's claims. */
  claims: ClaimPlan[];
  /** Every trial record of the run. */
  records: TrialRecord[];
  /** Run parameters for the reports. */
  info: RunInfo;
  /** The report formats asked for (`index.html` is written with `html`). */
  formats: readonly string[];
  /** The run's rows and assessments. */
  summary: Summary;
  /** Key measurements by claim id (computed from the records when absent). */
  measurements?: Record<string, KeyMeasurements>;
  /** The run's deviations from the paper (none when absent). */
  deviations?: Deviation[];
}

/**
 * Write `failures.md` and, with the `html` format, `index.html` into the
 * run folder `out` (after the summaries and figures, which the page inlines
 * and links to); returns the failure drill-down. The replay commands name
 * the claims module given in `info.extra` under `"claims module"`
 * (`CLAIMS_MODULE_INFO` of `failures.ts`).
 */
export async function writeRunPages(
  out: string,
  input: RunPagesInput,
): Promise<CheckFailures[]> {
  const failures = await writeFailures(out, input);
  if (!input.formats.includes("html")) return failures;
  const records = inPlanOrder(input.records, input.claims);
  const measurements = input.measurements ?? Object.fromEntries(
    input.claims.map((p) => [p.claim.id, measuredHighlights(p, records)]),
  );
  const summary = JSON.parse(
    summaryJson(input.summary, input.info, {
      measurements,
      deviations: input.deviations,
    }),
  );
  const page = htmlReport({
    summary,
    manifest: await readJsonObject(`${out}/run.json`),
    figures: await readFigures(out),
    failures,
    highlights: measurements,
    files: await presentFiles(out, input.claims.map((p) => p.claim.id)),
  });
  await writeTextFileAtomic(`${out}/${HTML_REPORT_FILE}`, page);
  return failures;
}
