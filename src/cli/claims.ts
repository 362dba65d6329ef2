/**
 * `deno task claims [flags]`: run the claim checks and write the reports.
 *
 * Every flag is checked before anything is written (see
 * `claims_args.ts`): a bad flag prints a message naming the flag and its
 * allowed range on stderr and exits with code 2. A run prints its progress
 * on stderr, then the summary table (Markdown) and the output directory on
 * stdout, and exits 0 when every check reached its expected verdict, 1 when
 * some check did not, and 2 on bad input or an internal error (with the
 * stack). Run `--help` for the flags.
 *
 * `--profile map` runs the regime maps of the claims that declare them
 * (`ClaimSpec.maps`): it prints where each map's check breaks against its
 * hypothesis and exits 0 once the reports are written (cells have pass
 * rates, no verdicts).
 *
 * The parameter overrides `--d`, `--k`, `--n` and `--m` replace that
 * parameter in every configuration of the selected claims; each overridden
 * configuration's key gets a suffix such as `|override:d=800,k=8`, so its
 * trial seeds (and `run.json`) differ from those of the unmodified run. The
 * workers get the overrides as data and apply them to the claims they load.
 *
 * `--claims-module PATH` runs the claims a module of one's own exports
 * instead of the paper's (see `claims_module.ts`); the workers load the same
 * module, and the reports' replay commands name it.
 *
 * @module
 */

import { type ClaimsArgs, parseClaimsArgs, usage } from "./claims_args.ts";
import { claimsModuleArg, loadClaimsModule } from "./claims_module.ts";
import { BACKEND_FLAG_VALUES } from "./flags.ts";
import { consoleIo, type Io, reportError } from "./io.ts";
import { type ProgressOptions, ProgressReporter } from "./progress.ts";
import { noticeText, withFlagNames } from "./run_errors.ts";
import { CLAIMS_MODULE_INFO } from "../report/failures.ts";
import { runClaims } from "../report/pipeline.ts";
import { summaryTableMarkdown } from "../report/summary_md.ts";
import { mapsConsoleLines } from "../report/maps_md.ts";
import type { RunOutcome } from "../report/write.ts";
import { formatShard } from "../runner/shard.ts";
import {
  backendAvailable,
  type BackendName,
  describeBackend,
  initBackend,
} from "../backend/backends.ts";
import { loadOpenBlas } from "../backend/openblas.ts";
import { overrideSuffix } from "../claims/overrides.ts";
import type { ClaimSpec } from "../claims/types.ts";
import { errorMessage } from "../base/errors.ts";
import { UsageError } from "../base/usage_error.ts";

/** Injected dependencies of {@linkcode claimsMain} (for tests). */
export interface ClaimsDeps {
  /** The claims that can be selected (default: the paper's, from the registry). */
  claims?: ClaimSpec[];
  /**
   * Module exporting the same `claims` (and optionally `initWorker`), loaded
   * by workers (default: the registry).
   */
  workerModule?: URL;
  /** Progress reporter options (default: stderr). */
  progress?: ProgressOptions;
  /** Whether a backend can be used (default: `backendAvailable`). */
  backendAvailable?: (name: BackendName) => boolean;
}

/** Check that the output directory can be one (not an existing file). */
async function checkOut(out: string): Promise<void> {
  try {
    const info = await Deno.stat(out);
    if (!info.isDirectory) {
      throw new UsageError(`--out: "${out}" exists and is not a directory`);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/**
 * Check that the chosen backend can be used here and set it up; returns
 * the backend in use (`auto` resolved).
 */
async function setUpBackend(
  parsed: ClaimsArgs,
  isAvailable: (name: BackendName) => boolean,
): Promise<BackendName> {
  if (parsed.backend !== "auto" && !isAvailable(parsed.backend)) {
    throw new UsageError(
      `--backend ${parsed.backend} is not available here: ` +
        describeBackend(parsed.backend) +
        ` (allowed: ${BACKEND_FLAG_VALUES.join(", ")}; try --backend auto)`,
    );
  }
  await checkOut(parsed.out);
  try {
    const backend = await initBackend(parsed.backend);
    // Workers run OpenBLAS single-threaded (see claims/registry.ts); so does
    // the main thread, so that the reported thread count is the real one.
    if (backend === "blas") loadOpenBlas()?.setThreads(1);
    return backend;
  } catch (error) {
    throw new UsageError(`--backend ${parsed.backend}: ${errorMessage(error)}`);
  }
}

/** The line announcing a run on stderr. */
function runningLine(parsed: ClaimsArgs, backend: BackendName): string {
  const ids = parsed.claims.map((c) => c.id).join(", ");
  return `running ${ids} (profile ${parsed.profile}, seed ${parsed.seed}` +
    `${parsed.trials === undefined ? "" : `, ${parsed.trials} trials`}` +
    `${
      parsed.shard === undefined ? "" : `, shard ${formatShard(parsed.shard)}`
    }` +
    `) on ${describeBackend(backend)} with ${parsed.workers} worker(s) ` +
    `into ${parsed.out}`;
}

/** The extra lines of the Markdown "Run" section of a command-line run. */
function runInfoExtra(
  parsed: ClaimsArgs,
  backend: BackendName,
): Record<string, string> {
  const suffix = overrideSuffix(parsed.overrides);
  return {
    "backend details": describeBackend(backend),
    "workers and cores": `${parsed.workers} worker(s) on ` +
      `${navigator.hardwareConcurrency} core(s)`,
    "Deno": `${Deno.version.deno} (V8 ${Deno.version.v8}, ` +
      `TypeScript ${Deno.version.typescript})`,
    ...(suffix === ""
      ? {}
      : { "parameter overrides": suffix.replace("|override:", "") }),
    ...(parsed.claimsModule === undefined
      ? {}
      : { [CLAIMS_MODULE_INFO]: parsed.claimsModule }),
  };
}

/** Print the summary table and assessments; returns the exit code. */
function printOutcome(
  outcome: RunOutcome,
  options: { parsed: ClaimsArgs; io: Io },
): number {
  const { parsed, io } = options;
  if (outcome.maps !== undefined) {
    // A map run reports pass rates per cell, no verdicts: it exits 0.
    for (const line of mapsConsoleLines(outcome.maps)) io.out(line);
    io.out(`reports written to ${parsed.out}`);
    return 0;
  }
  io.out(summaryTableMarkdown(outcome.rows));
  for (const { claim, a } of outcome.assessments) {
    io.out(
      `${claim} ${a.check}: ${a.verdict} (expected ${a.expect}) ` +
        `${a.verdict === a.expect ? "✓" : "✗"} ${a.detail}`,
    );
  }
  io.out(`reports written to ${parsed.out}`);
  if (parsed.shard !== undefined) {
    // A shard holds part of every claim's trials: its verdicts are partial
    // and only the merged report decides, so a finished shard exits 0.
    io.err(
      `shard ${parsed.shard.index}/${parsed.shard.count} done: its verdicts are ` +
        "partial; merge all shards (deno task merge) for the real ones",
    );
    return 0;
  }
  if (!outcome.allOk) {
    io.err("some checks did not reach their expected verdict");
  }
  return outcome.allOk ? 0 : 1;
}

/**
 * The claims command: parse and check `args`, set up the backend, run the
 * claims with a progress reporter on stderr, print the summary table and
 * the output directory; returns the exit code (0 all checks at their
 * expected verdict, 1 some not, 2 bad input or internal error).
 *
 * @example
 * ```ts
 * import { claimsMain } from "./claims.ts";
 * import assert from "node:assert/strict";
 * const errors: string[] = [];
 * const code = await claimsMain(["--trials", "0"], {
 *   out() {},
 *   err: (text) => errors.push(text),
 * }, { claims: [] });
 * assert.equal(code, 2);
 * assert.match(errors[0], /--trials/);
 * ```
 */
export async function claimsMain(
  args: string[],
  io: Io = consoleIo,
  deps: ClaimsDeps = {},
): Promise<number> {
  try {
    let available = deps.claims;
    let workerModule = deps.workerModule;
    const moduleSpec = claimsModuleArg(args);
    if (moduleSpec !== undefined) {
      const loaded = await loadClaimsModule(moduleSpec);
      available = loaded.claims;
      workerModule = loaded.url;
    } else if (available === undefined) {
      available = (await import("../claims/registry.ts")).claims;
      workerModule ??= new URL("../claims/registry.ts", import.meta.url);
    }
    const parsed = parseClaimsArgs(args, available);
    if (parsed.help) {
      io.out(usage(available.map((c) => c.id)));
      return 0;
    }
    if (parsed.claims.length === 0) {
      throw new UsageError("--claim: no claims to run");
    }
    const backend = await setUpBackend(
      parsed,
      deps.backendAvailable ?? backendAvailable,
    );
    io.err(runningLine(parsed, backend));
    const reporter = new ProgressReporter(deps.progress);
    let outcome;
    try {
      outcome = await runClaims({
        claims: parsed.claims,
        overrides: parsed.overrides,
        profile: parsed.profile,
        seed: parsed.seed,
        trials: parsed.trials,
        out: parsed.out,
        shard: parsed.shard,
        resume: parsed.resume,
        workers: parsed.workers,
        workerModule,
        backend,
        formats: parsed.formats,
        onProgress: (p) => reporter.update(p),
        notify: (notice) => io.err(noticeText(notice)),
        runInfoExtra: runInfoExtra(parsed, backend),
      });
    } finally {
      reporter.finish();
    }
    return printOutcome(outcome, { parsed, io });
  } catch (error) {
    return reportError(withFlagNames(error), io);
  }
}

if (import.meta.main) {
  Deno.exit(await claimsMain(Deno.args));
}
