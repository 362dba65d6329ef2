/**
 * Failure drill-down: for every check of a run, the trials that went
 * against its expectation — for a prediction (expect `holds`) the trials
 * that failed it; for a twin, control or sanity line (expect `fails`) the
 * trials that passed it, then those that did not finish — the first few
 * of each with their status and reason, the measured values behind the
 * decision (the check's `margin` columns when it declares them, else the
 * first measured values) and a ready-to-paste `deno task replay` command.
 *
 * As data ({@linkcode runFailures}, {@linkcode readRunFailures}), as
 * `failures.md` ({@linkcode failuresMarkdown}, {@linkcode writeFailures}),
 * and as a few lines naming the failing trials of one check for an
 * assertion message ({@linkcode failureNote}).
 *
 * @module
 */

import type { RunInfo } from "./run_info.ts";
import { writeTextFileAtomic } from "../runner/atomic_write.ts";
import { readManifest } from "../runner/manifest.ts";
import { type ClaimPlan, planRun } from "../runner/plan.ts";
import { sortRecords } from "../runner/trial_csv.ts";
import { readTrialFile } from "../runner/trial_csv_parse.ts";
import type {
  Cell,
  CheckMargin,
  ClaimSpec,
  Expectation,
  Profile,
  TrialRecord,
  TrialStatus,
  TrialTask,
} from "../claims/types.ts";
import { UsageError } from "../base/usage_error.ts";

/** Trials shown per check by default. */
export const FAILURES_SHOWN = 5;

/** Measured values shown for a check without a `margin`. */
const VALUES_SHOWN = 4;

/** The key of `RunInfo.extra` naming the claims module of a run, if not the registry. */
export const CLAIMS_MODULE_INFO = "claims module";

/** A check as the drill-down needs it (a `CheckSpec` is one). */
export interface FailureCheck {
  /** Check name. */
  name: string;
  /** Expected outcome. */
  expect: Expectation;
  /** What the check is for (`prediction`, `twin`, `control`, `sanity`). */
  role?: string;
  /** The prediction a twin, control or sanity line shadows. */
  twinOf?: string;
  /** The measured quantity behind the per-trial decision. */
  margin?: CheckMargin;
  /** The configurations running it (default: every configuration). */
  configs?: string[];
}

/** A claim as the drill-down needs it. */
export interface FailureClaim {
  /** Claim id. */
  id: string;
  /** Its checks. */
  checks: FailureCheck[];
  /** Value columns that are configuration parameters (left out of the values shown). */
  params?: string[];
}

/** What a replay command needs besides the trial. */
export interface ReplayContext {
  /** Run seed. */
  seed: number;
  /** Size profile (`--profile paper` is added for paper runs). */
  profile: Profile;
  /** The claims module of the run, when not the registry (`--claims-module`). */
  claimsModule?: string;
}

/** One trial that went against a check's expectation. */
export interface FailingTrial {
  /** The trial. */
  task: TrialTask;
  /** Its status. */
  status: TrialStatus;
  /** Why the status is not `ok` (empty when it is). */
  reason: string;
  /** The check's outcome (`false` when the trial did not report it). */
  passed: boolean;
  /** The measured values shown, by column (margin columns first). */
  values: Record<string, Cell>;
  /** The command that replays the trial alone. */
  replay: string;
}

/** The drill-down of one check. */
export interface CheckFailures {
  /** Claim id. */
  claim: string;
  /** The check. */
  check: FailureCheck;
  /** Trials running the check. */
  trials: number;
  /** Of those, the ones with status `ok` that passed it. */
  passed: number;
  /** Of those, the ones that did not finish (status not `ok`). */
  unfinished: number;
  /** How many went against the expectation. */
  against: number;
  /** The first of them, in plan order. */
  shown: FailingTrial[];
}

/** Quote a word for a POSIX shell inside double quotes. */
function shellQuote(text: string): string {
  return `"${text.replace(/["\\$`]/g, (c) => `\\${c}`)}"`;
}

/**
 * The `deno task replay` command that reruns one trial alone.
 *
 * @example
 * ```ts
 * import { replayCommand } from "./failures.ts";
 * import assert from "node:assert/strict";
 * const task = { claim: "C4", config: "d=500,k=10", trial: 3, seed: 99 };
 * assert.equal(
 *   replayCommand(task, { seed: 1, profile: "paper" }),
 *   'deno task replay --claim C4 --config "d=500,k=10" --trial 3 --seed 1 --profile paper',
 * );
 * ```
 */
export function replayCommand(task: TrialTask, context: ReplayContext): string {
  return [
    "deno task replay",
    ...(context.claimsModule === undefined
      ? []
      : [`--claims-module ${shellQuote(context.claimsModule)}`]),
    `--claim ${task.claim}`,
    `--config ${shellQuote(task.config)}`,
    `--trial ${task.trial}`,
    `--seed ${context.seed}`,
    ...(context.profile === "ci" ? [] : [`--profile ${context.profile}`]),
  ].join(" ");
}

/** The values shown for a trial: the margin's columns, else the first measured ones. */
function shownValues(
  record: TrialRecord,
  options: { check: FailureCheck; params: Set<string> },
): Record<string, Cell> {
  const { values } = record.result;
  const { margin } = options.check;
  const columns = margin !== undefined
    ? [
      margin.measured,
      ...(typeof margin.threshold === "string" ? [margin.threshold] : []),
    ]
    : Object.keys(values).filter((k) => !options.params.has(k)).slice(
      0,
      VALUES_SHOWN,
    );
  return Object.fromEntries(
    columns.filter((c) => c in values).map((c) => [c, values[c]]),
  );
}

/** Options of {@linkcode checkFailures}. */
export interface CheckFailuresOptions {
  /** The claim's id. */
  claim: string;
  /** The check. */
  check: FailureCheck;
  /** For the replay commands. */
  replay: ReplayContext;
  /** Value columns left out of the values shown without a margin. */
  params?: string[];
  /** Trials shown (default {@linkcode FAILURES_SHOWN}). */
  limit?: number;
}

/**
 * The drill-down of one check over a claim's records (in plan order): the
 * trials against its expectation, the first `limit` of them shown.
 *
 * @example
 * ```ts
 * import { checkFailures } from "./failures.ts";
 * import assert from "node:assert/strict";
 * const record = (trial: number, pass: boolean) => ({
 *   task: { claim: "C0", config: "x", trial, seed: trial },
 *   result: { status: "ok" as const, reason: "", checks: { a: pass }, values: { r: trial } },
 * });
 * const f = checkFailures([record(0, true), record(1, false)], {
 *   claim: "C0",
 *   check: { name: "a", expect: "holds" },
 *   replay: { seed: 1, profile: "ci" },
 * });
 * assert.deepEqual([f.trials, f.passed, f.against], [2, 1, 1]);
 * assert.equal(f.shown[0].task.trial, 1);
 * ```
 */
export function checkFailures(
  records: TrialRecord[],
  options: CheckFailuresOptions,
): CheckFailures {
  const { check } = options;
  const configs = check.configs === undefined ? null : new Set(check.configs);
  const own = records.filter((r) =>
    r.task.claim === options.claim &&
    (configs === null
      ? check.name in r.result.checks
      : configs.has(r.task.config))
  );
  const ok = (r: TrialRecord) => r.result.status === "ok";
  const passes = (r: TrialRecord) =>
    ok(r) && r.result.checks[check.name] === true;
  const against = check.expect === "holds"
    ? own.filter((r) => !passes(r))
    : [...own.filter(passes), ...own.filter((r) => !ok(r))];
  const params = new Set(options.params ?? []);
  return {
    claim: options.claim,
    check,
    trials: own.length,
    passed: own.filter(passes).length,
    unfinished: own.filter((r) => !ok(r)).length,
    against: against.length,
    shown: against.slice(0, options.limit ?? FAILURES_SHOWN).map((r) => ({
      task: r.task,
      status: r.result.status,
      reason: r.result.reason,
      passed: r.result.checks[check.name] === true,
      values: shownValues(r, { check, params }),
      replay: replayCommand(r.task, options.replay),
    })),
  };
}

/**
 * A claim of a plan as the drill-down needs it: its checks with the
 * configurations running each, and its parameter columns.
 */
export function failureClaimOf(plan: ClaimPlan): FailureClaim {
  return {
    id: plan.claim.id,
    checks: plan.checks.map((check) => ({
      ...check,
      configs: plan.configs.filter((c) =>
        c.checks.some((s) => s.name === check.name)
      ).map((c) => c.key),
    })),
    params: [...new Set(plan.configs.flatMap((c) => Object.keys(c.params)))],
  };
}

/**
 * The records of a run's claims in plan order: claim by claim, each sorted
 * by (configuration order, trial), as in the trial files.
 *
 * @example
 * ```ts
 * import { inPlanOrder } from "./failures.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(inPlanOrder([], []), []);
 * ```
 */
export function inPlanOrder(
  records: TrialRecord[],
  claims: ClaimPlan[],
): TrialRecord[] {
  return claims.flatMap((p) =>
    sortRecords(
      records.filter((r) => r.task.claim === p.claim.id),
      p.configs.map((c) => c.key),
    )
  );
}

/** Options of {@linkcode runFailures}. */
export interface RunFailuresOptions {
  /** The claims of the run, in report order. */
  claims: FailureClaim[];
  /** For the replay commands. */
  replay: ReplayContext;
  /** Trials shown per check (default {@linkcode FAILURES_SHOWN}). */
  limit?: number;
}

/**
 * The drill-down of every check of a run, claim by claim; the trials of a
 * check are shown in the order of `records` (plan order, as in the trial
 * files).
 */
export function runFailures(
  records: TrialRecord[],
  options: RunFailuresOptions,
): CheckFailures[] {
  return options.claims.flatMap((claim) =>
    claim.checks.map((check) =>
      checkFailures(records, {
        claim: claim.id,
        check,
        replay: options.replay,
        params: claim.params,
        limit: options.limit,
      })
    )
  );
}

/** Options of {@linkcode readRunFailures}. */
export interface ReadFailuresOptions {
  /** The claims of the run (with its parameter overrides applied). */
  claims: ClaimSpec[];
  /** The claims module of the run, when not the registry. */
  claimsModule?: string;
  /** Trials shown per check (default {@linkcode FAILURES_SHOWN}). */
  limit?: number;
}

/**
 * The drill-down of every check of the run in `dir`, from its `run.json`
 * and trial files (a trial file not written yet counts as empty); for the
 * `deno test` adapter, which has the claims but not the records. Throws a
 * {@linkcode UsageError} when `dir` holds no run or a claim of the run is
 * not among `claims`.
 *
 * @example
 * ```ts ignore
 * const failures = await readRunFailures(out, { claims: [claim] });
 * assert.ok(row.ok, `${message}\n${failureNote(failures, row)}`);
 * ```
 */
export async function readRunFailures(
  dir: string,
  options: ReadFailuresOptions,
): Promise<CheckFailures[]> {
  const manifest = await readManifest(dir);
  if (manifest === null) throw new UsageError(`${dir}/run.json not found`);
  const specs = manifest.claims.map(({ id }) => {
    const spec = options.claims.find((c) => c.id === id);
    if (spec === undefined) {
      throw new UsageError(`${dir}: claim ${id} of the run is not given`);
    }
    return spec;
  });
  const plan = planRun(specs, manifest);
  const records: TrialRecord[] = [];
  for (const p of plan.claims) {
    const path = `${dir}/trials/${p.claim.id}.csv`;
    try {
      const parsed = readTrialFile(path, { tolerateTruncation: true });
      records.push(...sortRecords(parsed.records, p.configs.map((c) => c.key)));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return runFailures(records, {
    claims: plan.claims.map(failureClaimOf),
    replay: {
      seed: manifest.seed,
      profile: manifest.profile,
      claimsModule: options.claimsModule,
    },
    limit: options.limit,
  });
}

/** What a check's trials did against its expectation, e.g. `3 of 40 trials failed`. */
function againstText(f: CheckFailures): string {
  if (f.check.expect === "holds") {
    return `${f.against} of ${f.trials} trials failed`;
  }
  const passed = `${f.passed} of ${f.trials} trials passed (expected to fail)`;
  return f.unfinished === 0
    ? passed
    : `${passed}, ${f.unfinished} did not finish`;
}

/** The margin's rule for one trial, e.g. `≤ 0.9` or `≥ radius_bound`. */
function marginRule(margin: CheckMargin): string {
  return `${margin.direction === "below" ? "≤" : "≥"} ${margin.threshold}`;
}

/** One trial's measured values, e.g. `ratio=1.2 (pass: ratio ≤ 2)`. */
function valuesText(trial: FailingTrial, check: FailureCheck): string {
  const cells = Object.entries(trial.values).map(([k, v]) => `${k}=${v}`);
  if (cells.length === 0 || check.margin === undefined) return cells.join(", ");
  return `${cells.join(", ")} (pass: ${check.margin.measured} ${
    marginRule(check.margin)
  })`;
}

/** One trial as a line: where it is, its status, its values. */
function trialText(trial: FailingTrial, check: FailureCheck): string {
  const { task } = trial;
  const status = trial.status === "ok"
    ? `ok, ${check.name} ${trial.passed ? "passed" : "failed"}`
    : `${trial.status}${trial.reason === "" ? "" : ` (${trial.reason})`}`;
  const values = valuesText(trial, check);
  return `${task.config} trial ${task.trial} (seed ${task.seed}): ${status}` +
    (values === "" ? "" : `; ${values}`);
}

/** The role of a check with its twin, e.g. `control of flips_within_C`. */
function roleText(check: FailureCheck): string {
  const role = check.role ??
    (check.expect === "holds" ? "prediction" : "control");
  return check.twinOf === undefined ? role : `${role} of ${check.twinOf}`;
}

/**
 * The failing trials of one check of a run, as lines for an assertion
 * message: what went against the expectation, then each shown trial with
 * its values and replay command; `""` when nothing did (or the check is
 * not in `failures`).
 *
 * @example
 * ```ts
 * import { checkFailures, failureNote } from "./failures.ts";
 * import assert from "node:assert/strict";
 * const f = checkFailures([{
 *   task: { claim: "C0", config: "x", trial: 0, seed: 5 },
 *   result: { status: "error" as const, reason: "boom", checks: {}, values: {} },
 * }], { claim: "C0", check: { name: "a", expect: "holds", configs: ["x"] }, replay: { seed: 1, profile: "ci" } });
 * const note = failureNote([f], { claim: "C0", check: "a" });
 * assert.match(note, /1 of 1 trials failed/);
 * assert.match(note, /x trial 0 \(seed 5\): error \(boom\)/);
 * assert.match(note, /deno task replay --claim C0 --config "x" --trial 0 --seed 1/);
 * ```
 */
export function failureNote(
  failures: CheckFailures[],
  row: { claim: string; check: string },
): string {
  const f = failures.find((x) =>
    x.claim === row.claim && x.check.name === row.check
  );
  if (f === undefined || f.against === 0) return "";
  const more = f.against > f.shown.length
    ? ` (the first ${f.shown.length} shown)`
    : "";
  return [
    `${row.claim} ${row.check}: ${againstText(f)}${more}:`,
    ...f.shown.flatMap((t) => [
      `  - ${trialText(t, f.check)}`,
      `    ${t.replay}`,
    ]),
  ].join("\n");
}

/**
 * `failures.md`: the drill-down of every check of a run, claim by claim.
 *
 * @example
 * ```ts
 * import { failuresMarkdown } from "./failures.ts";
 * import assert from "node:assert/strict";
 * assert.match(failuresMarkdown([], { seed: 1, profile: "ci" }), /^# Failing trials/);
 * ```
 */
export function failuresMarkdown(
  failures: CheckFailures[],
  replay: ReplayContext,
): string {
  const lines = [
    "# Failing trials",
    "",
    `Run: profile ${replay.profile}, seed ${replay.seed}` +
    (replay.claimsModule === undefined
      ? ""
      : `, claims module ${replay.claimsModule}`) +
    ". For every check, the trials that went against its expectation: for " +
    "a prediction (expect `holds`) the trials that failed it; for a twin, " +
    "control or sanity line (expect `fails`) the trials that passed it, then " +
    "those that did not finish. The first " +
    `${FAILURES_SHOWN} of each are listed, with the values behind the ` +
    "decision (the check's margin columns, else its first measured values) " +
    "and a command that replays the trial alone.",
  ];
  let claim = "";
  for (const f of failures) {
    if (f.claim !== claim) {
      claim = f.claim;
      lines.push("", `## ${claim}`);
    }
    lines.push(
      "",
      `### ${f.check.name} (expect ${f.check.expect}, ${roleText(f.check)})`,
      "",
    );
    if (f.against === 0) {
      lines.push(
        f.check.expect === "holds"
          ? `All ${f.trials} trials passed.`
          : `All ${f.trials} trials failed, as expected.`,
      );
      continue;
    }
    lines.push(
      `${againstText(f)}` +
        (f.against > f.shown.length ? `; the first ${f.shown.length}:` : ":"),
      "",
    );
    for (const t of f.shown) {
      lines.push(
        `- ${trialText(t, f.check)}`,
        "",
        "  ```sh",
        `  ${t.replay}`,
        "  ```",
        "",
      );
    }
    lines.pop();
  }
  return lines.join("\n") + "\n";
}

/**
 * Write `<out>/failures.md` atomically for a run's plan and records, and
 * return the drill-down. The replay commands use the run's seed and profile
 * and the claims module named in `info.extra` (key
 * {@linkcode CLAIMS_MODULE_INFO}), if any.
 */
export async function writeFailures(
  out: string,
  input: { claims: ClaimPlan[]; records: TrialRecord[]; info: RunInfo },
): Promise<CheckFailures[]> {
  const replay: ReplayContext = {
    seed: input.info.seed,
    profile: input.info.profile,
    claimsModule: input.info.extra?.[CLAIMS_MODULE_INFO],
  };
  const records = inPlanOrder(input.records, input.claims);
  const failures = runFailures(records, {
    claims: input.claims.map(failureClaimOf),
    replay,
  });
  await writeTextFileAtomic(
    `${out}/failures.md`,
    failuresMarkdown(failures, replay),
  );
  return failures;
}
