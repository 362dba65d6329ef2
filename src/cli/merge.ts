/**
 * `deno task merge --out DIR SHARD_DIR...`: merge the output directories of
 * a sharded run into DIR (see `merge.ts`), print the summary table, and
 * exit 0 (every check at its expected verdict), 1 (some check not at its
 * expected verdict) or 2 (bad input: wrong flags, missing, incomplete,
 * mismatched or corrupt shards).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { mergeShards } from "../runner/merge.ts";
import { type Io, reportError } from "./regress.ts";
import { summaryTableMarkdown } from "../report/summary.ts";
import type { ClaimSpec } from "../claims/types.ts";
import { UsageError } from "../base/usage_error.ts";
import { parseOverrideSuffix, withParamOverrides } from "./claims.ts";
import { parseFormats, readManifest } from "../runner/run.ts";

const USAGE =
  `usage: deno task merge --out DIR [--format csv,md,json] SHARD_DIR [SHARD_DIR...]

Merges the output directories of a run split with --shard I/N (all N shards,
same seed, profile, trials, claims and backend) into DIR, writing the same
files as a single-machine run, byte for byte. Exit code 0: every check reached
its expected verdict; 1: some check did not; 2: bad input (flags, missing,
duplicate, mismatched or corrupt shards).`;

const consoleIo: Io = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

/**
 * The merge command: parse `args`, merge the shards of a run of `claims`,
 * print the summary table; returns the exit code.
 *
 * @example
 * ```ts
 * import { mergeMain } from "./merge.ts";
 * import assert from "node:assert/strict";
 * const code = await mergeMain(["--out"], [], { out() {}, err() {} });
 * assert.equal(code, 2);
 * ```
 */
export async function mergeMain(
  args: string[],
  claims: ClaimSpec[],
  io: Io = consoleIo,
): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
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
    const formats = parseFormats(values.format ?? "csv,md,json");
    // A run made with --d/--k/--n/--m overrides records them in its
    // configuration keys: merge with the same overridden claims.
    const manifest = await readManifest(positionals[0]);
    const overrides = manifest?.claims.flatMap((c) => c.configs)
      .map((c) => parseOverrideSuffix(c.key))
      .find((o) => o !== undefined);
    const merged = overrides === undefined
      ? claims
      : claims.map((c) => withParamOverrides(c, overrides));
    const outcome = await mergeShards(positionals, values.out, merged, {
      formats,
    });
    io.out(summaryTableMarkdown(outcome.rows));
    if (!outcome.allOk) {
      io.err("some checks did not reach their expected verdict");
    }
    return outcome.allOk ? 0 : 1;
  } catch (error) {
    return reportError(error, io);
  }
}

if (import.meta.main) {
  const { claims } = await import("../claims/registry.ts");
  Deno.exit(await mergeMain(Deno.args, claims));
}
