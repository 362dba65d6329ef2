/**
 * The two ways to a report: run the claims ({@linkcode runClaims}: the
 * trials, then the reports) or merge the shards of a run
 * ({@linkcode mergeShards}: their trial files, then the reports). Either
 * way the output directory ends up with the same files:
 *
 * - `run.json`, `trials/<claim>.csv` and `timing.csv` (`src/runner/`);
 * - `summary.csv`, `summary.md`, `summary.json` and, with `md`,
 *   `figures/*.svg` (`write.ts`).
 *
 * `summary.csv`, `summary.json`, `run.json`, the trial files and the
 * figures are byte-identical for any number of workers, for an interrupted
 * and resumed run, and for a sharded and merged one.
 *
 * @module
 */

import { claimInfo } from "./run_info.ts";
import {
  type Format,
  FORMATS,
  type RunOutcome,
  writeReports,
} from "./write.ts";
import { RunOptionError } from "../runner/errors.ts";
import { mergeShardTrials } from "../runner/merge.ts";
import {
  checkRunOptions,
  runTrials,
  type RunTrialsOptions,
} from "../runner/run.ts";
import type { ClaimSpec } from "../claims/types.ts";

/** Options of {@linkcode runClaims}. */
export interface RunOptions extends RunTrialsOptions {
  /** Summary formats to write. */
  formats: Format[];
  /** Extra lines for the Markdown "Run" section. */
  runInfoExtra?: Record<string, string>;
  /** Where a figure that fails is logged (default: stderr). */
  warn?: (line: string) => void;
}

/** Throw a {@linkcode RunOptionError} for a format that is not one. */
function checkFormats(formats: Format[]): void {
  for (const f of formats) {
    if (!FORMATS.includes(f)) {
      throw new RunOptionError("formats", {
        requirement: `one of ${FORMATS.join(", ")}`,
        got: `"${f}"`,
      });
    }
  }
}

/**
 * Run the claims (see `src/runner/run.ts`) and write the reports. Throws a
 * {@linkcode RunOptionError} for a bad trials override, seed or format, and
 * a `RunConflictError` when `out` holds a different run (or trial files
 * without `run.json`), or when resumed trial files do not belong to this
 * run; nothing is written then.
 */
export async function runClaims(options: RunOptions): Promise<RunOutcome> {
  checkRunOptions(options);
  checkFormats(options.formats);
  const run = await runTrials(options);
  const { profile } = options;
  const shard = options.shard ?? null;
  return await writeReports(options.out, {
    claims: run.plan.claims,
    records: run.records,
    formats: options.formats,
    warn: options.warn,
    info: {
      seed: options.seed,
      profile,
      backend: options.backend,
      workers: Math.max(1, options.workers),
      started: run.started,
      elapsedSeconds: run.elapsedSeconds,
      trials: options.trials ?? null,
      shard,
      claims: options.claims.map((c) => claimInfo(c, profile)),
      extra: {
        "trials in this run": String(run.mine.length),
        ...(shard === null
          ? {}
          : { "trials in the whole plan": String(run.plan.trials.length) }),
        ...(options.runInfoExtra ?? {}),
      },
    },
  });
}

/** Options of {@linkcode mergeShards}. */
export interface MergeOptions {
  /** The claims of the run (with its parameter overrides applied). */
  claims: ClaimSpec[];
  /** Summary formats to write (default: all three). */
  formats?: Format[];
  /** Where a figure that fails is logged (default: stderr). */
  warn?: (line: string) => void;
}

/**
 * Merge the shard directories of a run into `out` (see
 * `src/runner/merge.ts`: anything wrong with the shards throws a
 * `UsageError`) and write the reports, as a single-machine run would.
 */
export async function mergeShards(
  dirs: string[],
  out: string,
  options: MergeOptions,
): Promise<RunOutcome> {
  const formats = options.formats ?? [...FORMATS];
  const merged = await mergeShardTrials(dirs, out, options);
  const { manifest, plan } = merged;
  return await writeReports(out, {
    claims: plan.claims,
    records: merged.records,
    formats,
    warn: options.warn,
    info: {
      seed: manifest.seed,
      profile: manifest.profile,
      backend: manifest.backend,
      trials: manifest.trials,
      shard: null,
      claims: plan.claims.map((p) => claimInfo(p.claim, manifest.profile)),
      extra: {
        "trials in this run": String(plan.trials.length),
        "merged from": `${merged.dirs.length} shard(s): ${
          merged.dirs.join(", ")
        }`,
      },
    },
  });
}
