/**
 * Running the claims: plan every trial (claim → configuration → trial),
 * keep the trials of this shard, skip those already on disk when resuming,
 * run the rest in-process or on Deno Workers, append each finished trial to
 * its claim's trial file at once, and at the end write the reports.
 *
 * Files under the output directory:
 *
 * - `run.json`: the run parameters (seed, profile, backend, trials override,
 *   claims with their constants and configurations, shard, plan size),
 *   written first; a directory holding a different run is never reused.
 * - `trials/<claim>.csv`: one row per trial (see `trial_log.ts`), sorted
 *   at the end so that the file does not depend on completion order.
 * - `summary.csv`, `summary.md`, `summary.json` (see `summary.ts`).
 * - `timing.csv`: wall time of every trial; the only file with wall times
 *   besides the Markdown summary's "Run" section.
 * - `figures/*.svg` (with the `md` format): `pass_rates.svg`, every check's
 *   pass rate with its 95% interval, and each claim's own figures; they
 *   depend only on the trial records, so they are byte-identical too.
 *
 * `summary.csv`, `summary.json`, `run.json` and the trial files are
 * byte-identical for any number of workers and for an interrupted and
 * resumed run.
 *
 * @module
 */

import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { writeTextFileAtomic } from "./atomic_write.ts";
import {
  errorMessage,
  findConfig,
  type InitMessage,
  type TrialMessage,
  type WorkerModule,
  type WorkerReply,
} from "./worker.ts";
import { trialSeed } from "../model/rng.ts";
import { inShard, type Shard } from "./shard.ts";
import { columnRange, okRecords } from "../claims/records.ts";
import {
  allOk,
  type ClaimAssessment,
  claimChecks,
  claimInfo,
  type ClaimReportExtras,
  type FigureLink,
  type MarkdownExtras,
  type RunInfo,
  summarize,
  summaryCsv,
  summaryJson,
  summaryMarkdown,
} from "../report/summary.ts";
import { sortRecords, TrialLog } from "./trial_log.ts";
import type {
  Cell,
  CheckSpec,
  ClaimConfig,
  ClaimSpec,
  Figure,
  Profile,
  SummaryRow,
  TrialRecord,
  TrialResult,
  TrialStatus,
  TrialTask,
} from "../claims/types.ts";
import { UsageError } from "../base/usage_error.ts";

/** A report format. */
export type Format = "csv" | "md" | "json";

/** Progress of a run, reported after every finished trial. */
export interface Progress {
  /** Trials of this run finished so far (including resumed ones). */
  done: number;
  /** Trials of this run (this shard), including resumed ones. */
  total: number;
  /**
   * Finished trials with status `ok` and every check as expected: `true`
   * for a prediction (`expect: "holds"`), `false` for a control.
   */
  passed: number;
  /** Estimated seconds left, from this session's pace (`NaN` before the first trial). */
  etaSeconds: number;
}

/** Options of {@linkcode runClaims}. */
export interface RunOptions {
  /** The claims to run, in run order (already filtered). */
  claims: ClaimSpec[];
  /** Size profile. */
  profile: Profile;
  /** Run seed. */
  seed: number;
  /** Overrides every configuration's number of trials. */
  trials?: number;
  /** Output directory. */
  out: string;
  /** Run only this shard of the plan. */
  shard?: Shard;
  /** Continue the run already in `out`. */
  resume: boolean;
  /** Number of Deno Workers; at most 1 runs in-process. */
  workers: number;
  /** Module exporting `claims` (and optionally `initWorker`), loaded by workers. */
  workerModule?: URL;
  /** Backend name (passed to `initWorker`, recorded in run.json). */
  backend: string;
  /** Summary formats to write. */
  formats: Format[];
  /** Called after every finished trial. */
  onProgress?: (p: Progress) => void;
  /** Extra lines for the Markdown "Run" section. */
  runInfoExtra?: Record<string, string>;
}

/** What a run gives back. */
export interface RunOutcome {
  /** Summary rows, claim by claim. */
  rows: SummaryRow[];
  /** Claim-level assessments. */
  assessments: ClaimAssessment[];
  /** Whether every row and assessment reached its expected verdict. */
  allOk: boolean;
}

/** One claim of a plan: its configurations (trials override applied) and checks. */
export interface ClaimPlan {
  /** The claim. */
  claim: ClaimSpec;
  /** Its configurations at the profile, with the effective trial counts. */
  configs: ClaimConfig[];
  /** Its distinct checks, in order. */
  checks: CheckSpec[];
}

/** One trial of a plan with its running index over the whole plan. */
export interface PlannedTrial {
  /** The trial. */
  task: TrialTask;
  /** Running index over all trials of the plan, from 0. */
  index: number;
}

/** Every trial of a run, in plan order. */
export interface RunPlan {
  /** The claims with their configurations. */
  claims: ClaimPlan[];
  /** All trials (every shard), in plan order. */
  trials: PlannedTrial[];
}

/** The content of `run.json`. */
export interface RunManifest {
  /** Version of this file's layout. */
  format: number;
  /** Run seed. */
  seed: number;
  /** Size profile. */
  profile: Profile;
  /** Backend name. */
  backend: string;
  /** Trials override, or `null`. */
  trials: number | null;
  /** Shard of this directory, or `null` for the whole plan. */
  shard: Shard | null;
  /** Claims with constants and configurations (key and trial count). */
  claims: {
    id: string;
    constants: Record<string, number>;
    configs: { key: string; trials: number }[];
  }[];
  /** Plan size: all trials, and the trials of this shard. */
  plan: { total: number; inShard: number };
}

const MANIFEST_FORMAT = 1;
/** The report formats, in their default order. */
export const FORMATS: readonly Format[] = ["csv", "md", "json"];

/**
 * Parse a `--format` value: a comma-separated list of csv, md and json
 * (duplicates dropped, order kept); anything else is a UsageError naming
 * the flag.
 *
 * @example
 * ```ts
 * import { parseFormats } from "./run.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseFormats("md, csv,md"), ["md", "csv"]);
 * assert.throws(() => parseFormats("csv,xml"), /unknown format "xml"/);
 * ```
 */
export function parseFormats(text: string): Format[] {
  const formats: Format[] = [];
  for (const part of text.split(",")) {
    const name = part.trim() as Format;
    if (!FORMATS.includes(name)) {
      throw new UsageError(
        `--format must be a comma-separated list of ${FORMATS.join(", ")}, ` +
          `got "${text}": unknown format "${part.trim()}"`,
      );
    }
    if (!formats.includes(name)) formats.push(name);
  }
  return formats;
}
const STATUSES: readonly TrialStatus[] = ["ok", "not-converged", "error"];

/**
 * Plan a run: every (claim, configuration, trial) in order, with its seed
 * from {@linkcode trialSeed} and its running index (the index shards split
 * on).
 *
 * @example
 * ```ts
 * import { planRun } from "./run.ts";
 * import assert from "node:assert/strict";
 * const claim = {
 *   id: "C0", title: "", statement: "", source: "", hypotheses: [], constants: {},
 *   configs: () => [{ key: "k", params: {}, checks: [], trials: 3 }],
 *   runTrial: () => Promise.reject(new Error("not run")),
 * };
 * const plan = planRun([claim], "ci", 1, 2);
 * assert.deepEqual(plan.trials.map((t) => t.task.trial), [0, 1]);
 * ```
 */
export function planRun(
  claims: ClaimSpec[],
  profile: Profile,
  seed: number,
  trials?: number,
): RunPlan {
  const ids = new Set<string>();
  const plans: ClaimPlan[] = [];
  const all: PlannedTrial[] = [];
  for (const claim of claims) {
    if (ids.has(claim.id)) throw new Error(`claim ${claim.id} is listed twice`);
    ids.add(claim.id);
    const configs = claim.configs(profile).map((c) => ({
      ...c,
      trials: trials ?? c.trials,
    }));
    const keys = new Set<string>();
    for (const config of configs) {
      if (keys.has(config.key)) {
        throw new Error(
          `claim ${claim.id}: configuration "${config.key}" is listed twice`,
        );
      }
      keys.add(config.key);
      if (!Number.isInteger(config.trials) || config.trials < 0) {
        throw new Error(
          `claim ${claim.id}, configuration "${config.key}": trials must be a ` +
            `non-negative integer, got ${config.trials}`,
        );
      }
      for (let trial = 0; trial < config.trials; trial++) {
        all.push({
          task: {
            claim: claim.id,
            config: config.key,
            trial,
            seed: trialSeed(seed, claim.id, config.key, trial),
          },
          index: all.length,
        });
      }
    }
    plans.push({ claim, configs, checks: claimChecks(configs) });
  }
  return { claims: plans, trials: all };
}

/** The `run.json` content of a plan. */
export function manifestOf(
  plan: RunPlan,
  params: {
    seed: number;
    profile: Profile;
    backend: string;
    trials: number | null;
    shard: Shard | null;
  },
): RunManifest {
  return {
    format: MANIFEST_FORMAT,
    seed: params.seed,
    profile: params.profile,
    backend: params.backend,
    trials: params.trials,
    shard: params.shard,
    claims: plan.claims.map((p) => ({
      id: p.claim.id,
      constants: p.claim.constants,
      configs: p.configs.map((c) => ({ key: c.key, trials: c.trials })),
    })),
    plan: {
      total: plan.trials.length,
      inShard:
        plan.trials.filter((t) => inShard(t.index, params.shard ?? undefined))
          .length,
    },
  };
}

/** `run.json` text of a manifest. */
export function manifestText(manifest: RunManifest): string {
  return JSON.stringify(manifest, null, 2) + "\n";
}

/**
 * Names of the top-level fields in which two manifests differ (`shard` and
 * `plan` are left out when `ignoreShard`).
 */
export function manifestDifferences(
  a: RunManifest,
  b: RunManifest,
  ignoreShard = false,
): string[] {
  const fields: (keyof RunManifest)[] = [
    "format",
    "seed",
    "profile",
    "backend",
    "trials",
    "claims",
    ...(ignoreShard ? [] : ["shard", "plan"] as (keyof RunManifest)[]),
  ];
  return fields.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
}

/**
 * Read and check `<dir>/run.json`; `null` when the file does not exist.
 * Throws a {@linkcode UsageError} when it is not a run manifest.
 */
export async function readManifest(dir: string): Promise<RunManifest | null> {
  const path = `${dir}/run.json`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${errorMessage(error)}`);
  }
  const m = value as Partial<RunManifest> | null;
  const isShard = (s: unknown): boolean =>
    s === null ||
    (typeof s === "object" && Number.isInteger((s as Shard).index) &&
      Number.isInteger((s as Shard).count) && (s as Shard).index >= 1 &&
      (s as Shard).index <= (s as Shard).count);
  const ok = m !== null && typeof m === "object" &&
    m.format === MANIFEST_FORMAT && typeof m.seed === "number" &&
    (m.profile === "ci" || m.profile === "paper") &&
    typeof m.backend === "string" &&
    (m.trials === null || typeof m.trials === "number") && isShard(m.shard) &&
    Array.isArray(m.claims) &&
    m.claims.every((c) =>
      c !== null && typeof c === "object" && typeof c.id === "string" &&
      Array.isArray(c.configs) &&
      c.configs.every((k) =>
        typeof k?.key === "string" && Number.isInteger(k?.trials)
      )
    ) &&
    typeof m.plan === "object" && m.plan !== null &&
    Number.isInteger(m.plan.total) && Number.isInteger(m.plan.inShard);
  if (!ok) {
    throw new UsageError(
      `${path} is not a run.json of this suite (format ${MANIFEST_FORMAT})`,
    );
  }
  return m as RunManifest;
}

/** Whether the trial files under `dir/trials` hold at least one data row. */
async function hasTrialRows(dir: string): Promise<boolean> {
  try {
    for await (const entry of Deno.readDir(`${dir}/trials`)) {
      if (!entry.isFile || !entry.name.endsWith(".csv")) continue;
      const text = await Deno.readTextFile(`${dir}/trials/${entry.name}`);
      if (text.split("\n").filter((line) => line.length > 0).length > 1) {
        return true;
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return false;
}

const RUN_FILES = [
  "run.json",
  "trials",
  "summary.csv",
  "summary.md",
  "summary.json",
  "timing.csv",
  "figures",
];

/** Move the files of an earlier run to `<out>/previous-<timestamp>/`. */
async function moveAside(out: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const target = `${out}/previous-${stamp}`;
  await Deno.mkdir(target, { recursive: true });
  for (const name of RUN_FILES) {
    try {
      await Deno.rename(`${out}/${name}`, `${target}/${name}`);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return target;
}

/** Replace line breaks (which trial files cannot hold) by spaces. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}

/** An `error` result for a trial. */
function errorResult(reason: string, config: ClaimConfig): TrialResult {
  return {
    status: "error",
    reason: oneLine(reason),
    checks: {},
    values: paramsOf(config),
  };
}

/** A configuration's parameters with one-line strings. */
function paramsOf(config: ClaimConfig): Record<string, Cell> {
  const values: Record<string, Cell> = {};
  for (const [name, value] of Object.entries(config.params)) {
    values[name] = typeof value === "string" ? oneLine(value) : value;
  }
  return values;
}

/**
 * Check what a claim's `runTrial` returned and put it in the form written to
 * the trial file: parameters first in `values`, line breaks replaced by
 * spaces. Anything malformed (unknown status, a check the configuration
 * does not declare, a missing check on an `ok` trial, a value that is not a
 * string, number or boolean) becomes an `error` result naming the problem.
 */
export function normalizeResult(
  raw: unknown,
  config: ClaimConfig,
): TrialResult {
  const bug = (why: string) => errorResult(`claim bug: ${why}`, config);
  if (raw === null || typeof raw !== "object") {
    return bug("runTrial did not return an object");
  }
  const r = raw as Partial<TrialResult>;
  if (!(STATUSES as readonly unknown[]).includes(r.status)) {
    return bug(`unknown status ${JSON.stringify(r.status)}`);
  }
  const status = r.status as TrialStatus;
  const declared = config.checks.map((c) => c.name);
  const checks: Record<string, boolean> = {};
  const rawChecks = r.checks ?? {};
  if (typeof rawChecks !== "object" || rawChecks === null) {
    return bug("checks is not an object");
  }
  for (const [name, value] of Object.entries(rawChecks)) {
    if (!declared.includes(name)) return bug(`undeclared check "${name}"`);
    if (typeof value !== "boolean") {
      return bug(`check "${name}" is not a boolean`);
    }
    checks[name] = value;
  }
  if (status === "ok") {
    const missing = declared.filter((name) => !(name in checks));
    if (missing.length > 0) {
      return bug(`ok trial without check(s) ${missing.join(", ")}`);
    }
  }
  const values = paramsOf(config);
  for (const [name, value] of Object.entries(r.values ?? {})) {
    if (typeof value === "string") values[name] = oneLine(value);
    else if (typeof value === "number" || typeof value === "boolean") {
      values[name] = value;
    } else return bug(`value "${name}" is not a string, number or boolean`);
  }
  const reason = typeof r.reason === "string" ? oneLine(r.reason) : "";
  return { status, reason, checks, values };
}

/**
 * Whether a trial ran to the end with every check of its configuration as
 * expected: a prediction `true`, a control `false` (for progress only).
 */
function asExpected(record: TrialRecord, config: ClaimConfig): boolean {
  return record.result.status === "ok" &&
    config.checks.every((c) =>
      record.result.checks[c.name] === (c.expect === "holds")
    );
}

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
}

/** File name of the pass-rate figure under `figures/`. */
export const PASS_RATES_FIGURE = "pass_rates.svg";

/** A figure file name: a plain `.svg` name, no directory. */
const FIGURE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.svg$/;

/**
 * Draw a claim's figures from its sorted records and write them to
 * `<out>/figures/` atomically. A `figures` that throws, or a figure with a
 * bad or duplicate file name or no SVG, is logged to stderr and listed in
 * `figureErrors`; the other figures are still written.
 */
async function writeClaimFigures(
  out: string,
  plan: ClaimPlan,
  records: TrialRecord[],
  taken: Set<string>,
): Promise<Pick<ClaimReportExtras, "figures" | "figureErrors">> {
  const id = plan.claim.id;
  const figures: FigureLink[] = [];
  const figureErrors: string[] = [];
  const fail = (message: string) => {
    console.error(`claim ${id}: ${message}`);
    figureErrors.push(message);
  };
  if (plan.claim.figures === undefined) return { figures, figureErrors };
  let drawn: unknown;
  try {
    drawn = await plan.claim.figures(records);
  } catch (error) {
    fail(`figures threw: ${oneLine(errorMessage(error))}`);
    return { figures, figureErrors };
  }
  if (!Array.isArray(drawn)) {
    fail("figures did not return an array");
    return { figures, figureErrors };
  }
  for (const figure of drawn as Partial<Figure>[]) {
    const file = figure?.file;
    if (typeof file !== "string" || !FIGURE_FILE.test(file)) {
      fail(`figure file name ${JSON.stringify(file)} is not a plain .svg name`);
    } else if (taken.has(file)) {
      fail(`figure file name "${file}" is used twice`);
    } else if (typeof figure.svg !== "string" || !figure.svg.includes("<svg")) {
      fail(`figure "${file}" has no SVG document`);
    } else {
      taken.add(file);
      await writeTextFileAtomic(`${out}/figures/${file}`, figure.svg);
      figures.push({
        file,
        caption: typeof figure.caption === "string" ? figure.caption : file,
      });
    }
  }
  return { figures, figureErrors };
}

/**
 * Write `<out>/figures/pass_rates.svg`: a bar per summary row (its pass
 * rate with the 95% interval), labelled `claim check`, claim by claim.
 * Returns its link, or the error message (also logged) when drawing failed.
 */
async function writePassRates(
  out: string,
  rows: SummaryRow[],
): Promise<{ link?: FigureLink; error?: string }> {
  try {
    const { barChart } = await import("../plot/plots.ts");
    const svg = await barChart({
      bars: rows.map((r) => ({
        label: `${r.claim} ${r.check}`,
        value: r.rate,
        low: r.ciLow,
        high: r.ciHigh,
      })),
      title: "Pass rate of every check, with its 95% Clopper–Pearson interval",
      yLabel: "pass rate",
    });
    await writeTextFileAtomic(`${out}/figures/${PASS_RATES_FIGURE}`, svg);
    return {
      link: {
        file: PASS_RATES_FIGURE,
        caption: "Pass rate of every check with its 95% confidence interval",
      },
    };
  } catch (error) {
    const message = oneLine(errorMessage(error));
    console.error(`pass-rate figure failed: ${message}`);
    return { error: message };
  }
}

/**
 * Summarize every claim of a plan, run its `assess` (an `assess` that
 * throws gives an `inconclusive` assessment named `assess`), and write the
 * summaries in the given formats to `out` atomically.
 *
 * With the `md` format, also write the figures under `<out>/figures/`
 * (`pass_rates.svg` and each claim's `figures`, drawn from its records in
 * sorted order) and add each claim's `highlights` (median [q10, q90] (n) of
 * the column over its ok trials) and figure links to `summary.md`. A figure
 * that fails is logged to stderr and noted in `summary.md`; the run goes on.
 */
export async function writeReports(
  out: string,
  input: ReportInput,
): Promise<RunOutcome> {
  const rows: SummaryRow[] = [];
  const assessments: ClaimAssessment[] = [];
  const markdown = input.formats.includes("md");
  const claimExtras: Record<string, ClaimReportExtras> = {};
  const extras: MarkdownExtras = { claims: claimExtras };
  const taken = new Set([PASS_RATES_FIGURE]);
  for (const plan of input.claims) {
    const id = plan.claim.id;
    const records = sortRecords(
      input.records.filter((r) => r.task.claim === id),
      plan.configs.map((c) => c.key),
    );
    rows.push(...summarize(id, plan.checks, records, plan.configs));
    if (markdown) {
      claimExtras[id] = {
        highlights: {
          columns: plan.claim.highlights ?? [],
          rows: plan.configs.map((config) => {
            const own = records.filter((r) => r.task.config === config.key);
            return {
              config: config.key,
              n: okRecords(own).length,
              cells: (plan.claim.highlights ?? []).map((column) =>
                columnRange(own, column)
              ),
            };
          }),
        },
        ...await writeClaimFigures(out, plan, records, taken),
      };
    }
    if (plan.claim.assess !== undefined) {
      try {
        for (const a of plan.claim.assess(records, plan.configs)) {
          assessments.push({ claim: id, a });
        }
      } catch (error) {
        assessments.push({
          claim: id,
          a: {
            check: "assess",
            expect: "holds",
            verdict: "inconclusive",
            detail: `assess threw: ${oneLine(errorMessage(error))}`,
          },
        });
      }
    }
  }
  if (input.formats.includes("csv")) {
    await writeTextFileAtomic(
      `${out}/summary.csv`,
      summaryCsv(rows, assessments),
    );
  }
  if (markdown) {
    const overview = await writePassRates(out, rows);
    extras.overview = overview.link;
    extras.overviewError = overview.error;
    await writeTextFileAtomic(
      `${out}/summary.md`,
      summaryMarkdown(rows, assessments, input.info, extras),
    );
  }
  if (input.formats.includes("json")) {
    await writeTextFileAtomic(
      `${out}/summary.json`,
      summaryJson(rows, assessments, input.info),
    );
  }
  return { rows, assessments, allOk: allOk(rows, assessments) };
}

/** One wall-time measurement. */
export interface Timing {
  /** The trial. */
  task: TrialTask;
  /** Milliseconds. */
  ms: number;
}

/** Read the timing rows of `timing.csv` (lenient: bad lines are skipped). */
export async function readTimings(path: string): Promise<Timing[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  if (!text.endsWith("\n")) text = text.slice(0, text.lastIndexOf("\n") + 1);
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true }) as string[][];
  } catch {
    return [];
  }
  const out: Timing[] = [];
  for (const row of rows.slice(1)) {
    const [claim, config, trial, ms] = row;
    if (
      row.length !== 4 || !/^\d+$/.test(trial) || !Number.isFinite(Number(ms))
    ) {
      continue;
    }
    out.push({
      task: { claim, config, trial: Number(trial), seed: 0 },
      ms: Number(ms),
    });
  }
  return out;
}

/** Key of a trial within a run. */
function taskKey(task: TrialTask): string {
  return `${task.claim}\u0000${task.config}\u0000${task.trial}`;
}

/** One `timing.csv` line. */
function timingLine(t: Timing): string {
  return stringify([[
    t.task.claim,
    t.task.config,
    String(t.task.trial),
    t.ms.toFixed(1),
  ]], {
    record_delimiter: "\n",
  });
}

/**
 * Write `timing.csv` (claim,config,trial,ms) with one line per planned
 * trial that has a measurement, in plan order.
 */
export async function writeTimings(
  path: string,
  plan: PlannedTrial[],
  timings: Timing[],
): Promise<void> {
  const byKey = new Map(timings.map((t) => [taskKey(t.task), t]));
  let text = "claim,config,trial,ms\n";
  for (const p of plan) {
    const t = byKey.get(taskKey(p.task));
    if (t !== undefined) text += timingLine({ task: p.task, ms: t.ms });
  }
  await writeTextFileAtomic(path, text);
}

/** Runs trials one at a time (in-process or on one worker). */
interface Runner {
  /** Run one trial; resolves with the raw result or a thrown message. */
  run(
    task: TrialTask,
  ): Promise<{ result?: unknown; threw?: string; ms: number }>;
  /** Release the runner. */
  close(): void;
}

/** A runner on one Deno Worker executing `claim_worker.ts`. */
class WorkerRunner implements Runner {
  #worker: Worker;
  #waiting: {
    resolve: (reply: WorkerReply) => void;
    reject: (error: Error) => void;
  } | null = null;
  #failure: Error | null = null;

  constructor() {
    this.#worker = new Worker(new URL("./worker.ts", import.meta.url), {
      type: "module",
    });
    this.#worker.onmessage = (event: MessageEvent) => {
      const waiting = this.#waiting;
      this.#waiting = null;
      waiting?.resolve(event.data as WorkerReply);
    };
    this.#worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      const error = new Error(`worker crashed: ${event.message}`);
      this.#failure = error;
      const waiting = this.#waiting;
      this.#waiting = null;
      waiting?.reject(error);
    };
  }

  #request(message: InitMessage | TrialMessage): Promise<WorkerReply> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#worker.postMessage(message);
    });
  }

  async init(message: InitMessage): Promise<void> {
    const reply = await this.#request(message);
    if (reply.type === "init-error") {
      throw new Error(`worker initialization failed: ${reply.message}`);
    }
    if (reply.type !== "ready") {
      throw new Error(`unexpected worker reply ${reply.type}`);
    }
  }

  async run(
    task: TrialTask,
  ): Promise<{ result?: unknown; threw?: string; ms: number }> {
    const start = performance.now();
    try {
      const reply = await this.#request({ type: "trial", task });
      if (reply.type === "result") {
        return { result: reply.result, ms: reply.ms };
      }
      if (reply.type === "threw") return { threw: reply.message, ms: reply.ms };
      return { threw: `unexpected worker reply ${reply.type}`, ms: 0 };
    } catch (error) {
      return { threw: errorMessage(error), ms: performance.now() - start };
    }
  }

  get failed(): boolean {
    return this.#failure !== null;
  }

  close(): void {
    this.#worker.terminate();
  }
}

/**
 * Run `tasks` with `count` runners pulling the next task as they finish
 * (dynamic scheduling); a worker that crashes is replaced.
 */
async function runAll(
  tasks: TrialTask[],
  count: number,
  makeRunner: () => Promise<Runner & { failed?: boolean }>,
  onDone: (
    task: TrialTask,
    outcome: { result?: unknown; threw?: string; ms: number },
  ) => void,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const runners: (Runner & { failed?: boolean })[] = [];
  const lane = async () => {
    try {
      let runner = await makeRunner();
      runners.push(runner);
      while (failure === null && next < tasks.length) {
        if (runner.failed) {
          // A crashed worker is replaced before it is given another task.
          runner.close();
          runner = await makeRunner();
          runners.push(runner);
          continue;
        }
        const task = tasks[next++];
        const outcome = await runner.run(task);
        if (failure !== null) break;
        onDone(task, outcome);
      }
    } catch (error) {
      failure ??= { error };
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(count, tasks.length) }, lane),
    );
  } finally {
    for (const runner of runners) runner.close();
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
}

/**
 * Run the claims and write the reports; see the module documentation.
 * Throws a {@linkcode UsageError} when `out` holds a different run (or trial
 * files without `run.json`), or when resumed trial files do not belong to
 * this run.
 */
export async function runClaims(options: RunOptions): Promise<RunOutcome> {
  const started = new Date();
  const startMs = performance.now();
  const { out, profile, seed, resume } = options;
  if (
    options.trials !== undefined &&
    (!Number.isInteger(options.trials) || options.trials < 1)
  ) {
    throw new UsageError(
      `--trials must be a positive integer, got ${options.trials}`,
    );
  }
  if (!Number.isSafeInteger(seed)) {
    throw new UsageError(`--seed must be an integer, got ${seed}`);
  }
  for (const f of options.formats) {
    if (!FORMATS.includes(f)) {
      throw new UsageError(
        `unknown format "${f}" (allowed: ${FORMATS.join(", ")})`,
      );
    }
  }
  const plan = planRun(options.claims, profile, seed, options.trials);
  const shard = options.shard ?? null;
  const manifest = manifestOf(plan, {
    seed,
    profile,
    backend: options.backend,
    trials: options.trials ?? null,
    shard,
  });

  await Deno.mkdir(out, { recursive: true });
  const existing = await readManifest(out);
  if (existing !== null) {
    const diff = manifestDifferences(existing, manifest);
    if (diff.length > 0) {
      throw new UsageError(
        `${out} holds a different run (it differs in: ${diff.join(", ")}); ` +
          `use another --out, or the same parameters with --resume to continue it`,
      );
    }
    if (!resume && await hasTrialRows(out)) {
      const moved = await moveAside(out);
      console.error(
        `${out} held trials of the same run; moved them to ${moved} and starting afresh ` +
          `(use --resume to continue a run instead)`,
      );
    }
  } else if (await hasTrialRows(out)) {
    throw new UsageError(
      `${out} holds trial files but no run.json; refusing to overwrite them ` +
        `(use another --out)`,
    );
  }
  await writeTextFileAtomic(`${out}/run.json`, manifestText(manifest));

  const mine = plan.trials.filter((t) => inShard(t.index, options.shard));
  const planned = new Map(mine.map((t) => [taskKey(t.task), t]));
  const logs = new Map<string, TrialLog>();
  const records: TrialRecord[] = [];
  let timings: Timing[] = [];
  try {
    for (const p of plan.claims) {
      const log = TrialLog.open(`${out}/trials/${p.claim.id}.csv`, {
        resume,
        checks: p.checks.map((c) => c.name),
        claim: p.claim.id,
      });
      logs.set(p.claim.id, log);
      if (log.truncated) {
        console.error(
          `${log.path}: dropped a partial last line (interrupted write)`,
        );
      }
      for (const r of log.records) {
        const want = planned.get(taskKey(r.task));
        if (want === undefined || want.task.seed !== r.task.seed) {
          throw new UsageError(
            `${log.path} holds trial ${r.task.config}/${r.task.trial} that is not ` +
              `part of this run; use another --out`,
          );
        }
        records.push(r);
      }
    }
  } catch (error) {
    for (const log of logs.values()) log.close();
    throw error;
  }

  const timingPath = `${out}/timing.csv`;
  if (resume) timings = await readTimings(timingPath);
  const done = new Set(records.map((r) => taskKey(r.task)));
  const pending = mine.filter((t) => !done.has(taskKey(t.task))).map((t) =>
    t.task
  );
  const configCache = new Map<string, ClaimConfig[]>();
  const configOf = (task: TrialTask) =>
    findConfig(
      options.claims,
      task,
      profile,
      options.trials ?? null,
      configCache,
    );
  await writeTimings(timingPath, mine, timings);

  let passed = records.filter((r) => asExpected(r, configOf(r.task).config))
    .length;
  let finished = 0;
  const sessionStart = performance.now();
  const onDone = (
    task: TrialTask,
    outcome: { result?: unknown; threw?: string; ms: number },
  ) => {
    const { config } = configOf(task);
    const result = outcome.threw !== undefined
      ? errorResult(outcome.threw, config)
      : normalizeResult(outcome.result, config);
    const record = { task, result };
    logs.get(task.claim)!.append(record);
    records.push(record);
    const timing = { task, ms: outcome.ms };
    timings.push(timing);
    Deno.writeTextFileSync(timingPath, timingLine(timing), { append: true });
    finished++;
    if (asExpected(record, config)) passed++;
    const elapsed = (performance.now() - sessionStart) / 1000;
    options.onProgress?.({
      done: records.length,
      total: mine.length,
      passed,
      etaSeconds: (elapsed / finished) * (mine.length - records.length),
    });
  };

  const initMessage: InitMessage = {
    type: "init",
    module: options.workerModule?.href ?? "",
    backend: options.backend,
    profile,
    trials: options.trials ?? null,
  };
  try {
    if (options.workers > 1) {
      if (options.workerModule === undefined) {
        throw new Error("runClaims: workers > 1 needs a workerModule");
      }
      await runAll(pending, options.workers, async () => {
        const runner = new WorkerRunner();
        try {
          await runner.init(initMessage);
        } catch (error) {
          runner.close();
          throw error;
        }
        return runner;
      }, onDone);
    } else if (pending.length > 0) {
      if (options.workerModule !== undefined) {
        const mod = await import(options.workerModule.href) as WorkerModule;
        if (typeof mod.initWorker === "function") {
          try {
            await mod.initWorker(options.backend);
          } catch (error) {
            throw new Error(
              `worker initialization failed: ${errorMessage(error)}`,
            );
          }
        }
      }
      await runAll(pending, 1, () =>
        Promise.resolve({
          async run(task: TrialTask) {
            const start = performance.now();
            try {
              const { claim, config } = configOf(task);
              const result = await claim.runTrial(task, config);
              return { result, ms: performance.now() - start };
            } catch (error) {
              return {
                threw: errorMessage(error),
                ms: performance.now() - start,
              };
            }
          },
          close() {},
        }), onDone);
    }
  } finally {
    for (const log of logs.values()) log.close();
  }

  for (const p of plan.claims) {
    await logs.get(p.claim.id)!.finalize(
      records.filter((r) => r.task.claim === p.claim.id),
      p.configs.map((c) => c.key),
    );
  }
  await writeTimings(timingPath, mine, timings);
  const extra: Record<string, string> = {
    "trials in this run": String(mine.length),
    ...(shard === null
      ? {}
      : { "trials in the whole plan": String(plan.trials.length) }),
    ...(options.runInfoExtra ?? {}),
  };
  return await writeReports(out, {
    claims: plan.claims,
    records,
    formats: options.formats,
    info: {
      seed,
      profile,
      backend: options.backend,
      workers: Math.max(1, options.workers),
      started: started.toISOString(),
      elapsedSeconds: (performance.now() - startMs) / 1000,
      trials: options.trials ?? null,
      shard,
      claims: options.claims.map((c) => claimInfo(c, profile)),
      extra,
    },
  });
}
