/**
 * Merging the output directories of a sharded run (`--shard 1/N` … `N/N`)
 * into the output of the single-machine run: the same `run.json`, trial
 * files and summaries, byte for byte.
 *
 * @module
 */

import { writeTextFileAtomic } from "./atomic_write.ts";
import {
  type Format,
  manifestDifferences,
  manifestOf,
  manifestText,
  planRun,
  readManifest,
  readTimings,
  type RunManifest,
  type RunOutcome,
  type Timing,
  writeReports,
  writeTimings,
} from "./run.ts";
import { formatShard, inShard } from "./shard.ts";
import { formatTrialCsv, readTrialFile } from "./trial_log.ts";
import type { ClaimSpec, TrialRecord } from "../claims/types.ts";
import { claimInfo } from "../report/summary.ts";
import { UsageError } from "../base/usage_error.ts";

/** Options of {@linkcode mergeShards}. */
export interface MergeOptions {
  /** Summary formats to write (default: all three). */
  formats?: Format[];
}

/**
 * Merge shard directories into `out`. Every directory's `run.json` must
 * describe the same run (everything but the shard) and the directories must
 * hold shards 1..N exactly once; each shard must hold exactly its trials
 * (no row missing, extra or duplicated), and the claims' configurations
 * must still be those recorded. Any violation throws a
 * {@linkcode UsageError} naming the directory and the problem. Writes
 * `run.json`, `trials/<claim>.csv`, the summaries and `timing.csv` as a
 * single-machine run would.
 */
export async function mergeShards(
  dirs: string[],
  out: string,
  claims: ClaimSpec[],
  options: MergeOptions = {},
): Promise<RunOutcome> {
  const formats = options.formats ?? ["csv", "md", "json"];
  if (dirs.length === 0) {
    throw new UsageError("merge: no shard directories given");
  }
  const manifests: RunManifest[] = [];
  for (const dir of dirs) {
    const m = await readManifest(dir);
    if (m === null) throw new UsageError(`merge: ${dir}/run.json not found`);
    if (m.shard === null) {
      throw new UsageError(`merge: ${dir} holds an unsharded run, not a shard`);
    }
    manifests.push(m);
  }
  const first = manifests[0];
  for (let i = 1; i < dirs.length; i++) {
    const diff = manifestDifferences(first, manifests[i], true);
    if (diff.length > 0) {
      throw new UsageError(
        `merge: ${dirs[i]} is a shard of a different run than ${dirs[0]} ` +
          `(they differ in: ${diff.join(", ")})`,
      );
    }
  }
  const count = first.shard!.count;
  const byIndex = new Map<number, string>();
  for (let i = 0; i < dirs.length; i++) {
    const shard = manifests[i].shard!;
    if (shard.count !== count) {
      throw new UsageError(
        `merge: ${dirs[i]} is shard ${formatShard(shard)} but ${dirs[0]} is ` +
          `shard ${formatShard(first.shard!)}: shard counts differ`,
      );
    }
    const seen = byIndex.get(shard.index);
    if (seen !== undefined) {
      throw new UsageError(
        `merge: shard ${formatShard(shard)} given twice (${seen} and ${
          dirs[i]
        })`,
      );
    }
    byIndex.set(shard.index, dirs[i]);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) =>
    !byIndex.has(i)
  );
  if (missing.length > 0) {
    throw new UsageError(
      `merge: missing shard(s) ${
        missing.map((i) => `${i}/${count}`).join(", ")
      }`,
    );
  }

  const specs = first.claims.map((c) => {
    const spec = claims.find((s) => s.id === c.id);
    if (spec === undefined) {
      throw new UsageError(
        `merge: claim ${c.id} of the shards is not a known claim`,
      );
    }
    return spec;
  });
  const plan = planRun(
    specs,
    first.profile,
    first.seed,
    first.trials ?? undefined,
  );
  const manifest = manifestOf(plan, {
    seed: first.seed,
    profile: first.profile,
    backend: first.backend,
    trials: first.trials,
    shard: null,
  });
  const codeDiff = manifestDifferences(manifest, first, true);
  if (codeDiff.length > 0) {
    throw new UsageError(
      `merge: the shards' run.json does not match the current claims ` +
        `(differs in: ${
          codeDiff.join(", ")
        }); the claims changed since the shards ran`,
    );
  }
  const existing = await readManifest(out);
  if (existing !== null && manifestDifferences(existing, manifest).length > 0) {
    throw new UsageError(
      `merge: ${out} holds a different run; use another --out`,
    );
  }

  const seedOf = new Map(
    plan.trials.map((t) => [
      `${t.task.claim}\u0000${t.task.config}\u0000${t.task.trial}`,
      { seed: t.task.seed, index: t.index },
    ]),
  );
  const records: TrialRecord[] = [];
  const timings: Timing[] = [];
  for (
    const [index, dir] of [...byIndex.entries()].sort((a, b) => a[0] - b[0])
  ) {
    const shard = { index, count };
    const expected = new Set(
      plan.trials.filter((t) => inShard(t.index, shard)).map((t) =>
        `${t.task.claim}\u0000${t.task.config}\u0000${t.task.trial}`
      ),
    );
    for (const p of plan.claims) {
      const path = `${dir}/trials/${p.claim.id}.csv`;
      let parsed;
      try {
        parsed = readTrialFile(path, {
          tolerateTruncation: false,
          expectedChecks: p.checks.map((c) => c.name),
          claim: p.claim.id,
        });
      } catch (error) {
        throw new UsageError(
          `merge: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      for (const r of parsed.records) {
        const key =
          `${r.task.claim}\u0000${r.task.config}\u0000${r.task.trial}`;
        const want = seedOf.get(key);
        if (
          want === undefined || want.seed !== r.task.seed || !expected.has(key)
        ) {
          throw new UsageError(
            `merge: ${path} holds trial ${r.task.config}/${r.task.trial} ` +
              `that does not belong to shard ${formatShard(shard)} of this run`,
          );
        }
        expected.delete(key);
        records.push(r);
      }
    }
    if (expected.size > 0) {
      const [example] = [...expected];
      throw new UsageError(
        `merge: shard ${formatShard(shard)} in ${dir} is incomplete: ` +
          `${expected.size} trial(s) missing (e.g. ${
            example.replaceAll("\u0000", "/")
          }); ` +
          `finish it with --resume first`,
      );
    }
    timings.push(...await readTimings(`${dir}/timing.csv`));
  }

  await writeTextFileAtomic(`${out}/run.json`, manifestText(manifest));
  for (const p of plan.claims) {
    await writeTextFileAtomic(
      `${out}/trials/${p.claim.id}.csv`,
      formatTrialCsv(
        records.filter((r) => r.task.claim === p.claim.id),
        p.checks.map((c) => c.name),
        p.configs.map((c) => c.key),
      ),
    );
  }
  await writeTimings(`${out}/timing.csv`, plan.trials, timings);
  return await writeReports(out, {
    claims: plan.claims,
    records,
    formats,
    info: {
      seed: first.seed,
      profile: first.profile,
      backend: first.backend,
      trials: first.trials,
      shard: null,
      claims: specs.map((c) => claimInfo(c, first.profile)),
      extra: {
        "trials in this run": String(plan.trials.length),
        "merged from": `${count} shard(s): ${
          [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, d]) => d)
            .join(", ")
        }`,
      },
    },
  });
}
