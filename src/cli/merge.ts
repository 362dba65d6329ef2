/**
 * `deno task merge --out DIR SHARD_DIR...`: merge the output directories of
 * a sharded run into DIR (see `src/runner/merge.ts`), print the summary
 * table, and exit 0 (every check at its expected verdict), 1 (some check not
 * at its expected verdict) or 2 (bad input: wrong flags, missing,
 * incomplete, mismatched or corrupt shards).
 *
 * @module
 */

import { loadClaimsModule } from "./claims_module.ts";
import { parseCommandLine, parseFormats } from "./flags.ts";
import { consoleIo, type Io, reportError } from "./io.ts";
import { withFlagNames } from "./run_errors.ts";
import { mergeShards } from "../report/pipeline.ts";
import { summaryTableMarkdown } from "../report/summary_md.ts";
import { mapsConsoleLines } from "../report/maps_md.ts";
import { FORMATS } from "../report/write.ts";
import { readManifest } from "../runner/manifest.ts";
import {
  parseOverrideSuffix,
  withParamOverrides,
} from "../claims/overrides.ts";
import type { ClaimSpec } from "../claims/types.ts";
import { UsageError } from "../base/usage_error.ts";

const USAGE = `usage: deno task merge --out DIR [--format ${
  FORMATS.join(",")
}] [--claims-module M]
                        SHARD_DIR [SHARD_DIR...]

Merges the output directories of a run split with --shard I/N (all N shards,
same seed, profile, trials, claims and backend) into DIR, writing the same
files as a single-machine run, byte for byte (provenance.json keeps each
shard's). M is the module of the run's own claims, as given to deno task
claims (default: the paper's claims). Exit code 0: every check reached its
expected verdict; 1: some check did not; 2: bad input (flags, missing,
duplicate, mismatched or corrupt shards, or another schema_version).`;

/** Injected dependencies of {@linkcode mergeMain}. */
export interface MergeDeps {
  /** The claims of the run (default: the paper's, from the registry). */
  claims?: ClaimSpec[];
}

/**
 * The claims of the run in `dir`: a run made with `--d/--k/--n/--m`
 * overrides records them in its configuration keys, and is merged with the
 * same overridden claims.
 */
async function claimsOfRun(
  dir: string,
  claims: ClaimSpec[],
): Promise<ClaimSpec[]> {
  const manifest = await readManifest(dir);
  const overrides = manifest?.claims.flatMap((c) => c.configs)
    .map((c) => parseOverrideSuffix(c.key))
    .find((o) => o !== undefined);
  return overrides === undefined
    ? claims
    : claims.map((c) => withParamOverrides(c, overrides));
}

/**
 * The merge command: parse `args`, merge the shards of a run of the
 * claims, print the summary table; returns the exit code.
 *
 * @example
 * ```ts
 * import { mergeMain } from "./merge.ts";
 * import assert from "node:assert/strict";
 * const code = await mergeMain(["--out"], { out() {}, err() {} }, { claims: [] });
 * assert.equal(code, 2);
 * ```
 */
export async function mergeMain(
  args: string[],
  io: Io = consoleIo,
  deps: MergeDeps = {},
): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(args, {
      strings: ["out", "format", "claims-module"],
      positionals: true,
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (values.out === undefined) {
      throw new UsageError(`--out is required; ${USAGE}`);
    }
    if (positionals.length === 0) {
      throw new UsageError(`no shard directories given; ${USAGE}`);
    }
    const formats = parseFormats(values.format ?? FORMATS.join(","));
    const module = values["claims-module"];
    const claims = module !== undefined
      ? (await loadClaimsModule(module)).claims
      : deps.claims ?? (await import("../claims/registry.ts")).claims;
    const outcome = await mergeShards(positionals, values.out, {
      claims: await claimsOfRun(positionals[0], claims),
      formats,
    });
    if (outcome.maps !== undefined) {
      // A map run has no verdicts: where each check breaks, and exit 0.
      for (const line of mapsConsoleLines(outcome.maps)) io.out(line);
      return 0;
    }
    io.out(summaryTableMarkdown(outcome.rows));
    if (!outcome.allOk) {
      io.err("some checks did not reach their expected verdict");
    }
    return outcome.allOk ? 0 : 1;
  } catch (error) {
    return reportError(withFlagNames(error), io);
  }
}

if (import.meta.main) {
  Deno.exit(await mergeMain(Deno.args));
}
