/**
 * Merging the output directories of a sharded run (`shard 1/N` … `N/N`)
 * into the output of the single-machine run: the same `run.json`, trial
 * files and `timing.csv`, byte for byte (the reports are written from what
 * {@linkcode mergeShardTrials} returns, by `src/report/`). Its
 * `provenance.json` is the merge's own, with the shards' in `shards`.
 *
 * @module
 */

import { writeTextFileAtomic } from "./atomic_write.ts";
import { RunConflictError } from "./errors.ts";
import {
  manifestDifferences,
  manifestOf,
  manifestText,
  readManifest,
  type RunManifest,
} from "./manifest.ts";
import { planRun, type RunPlan, taskKey } from "./plan.ts";
import {
  collectProvenance,
  finishedProvenance,
  readProvenance,
  writeProvenance,
} from "./provenance.ts";
import { formatShard, inShard, type Shard } from "./shard.ts";
import { readTimings, type Timing, writeTimings } from "./timing.ts";
import { formatTrialCsv } from "./trial_csv.ts";
import { readTrialFile } from "./trial_csv_parse.ts";
import type { ClaimSpec, TrialRecord } from "../claims/types.ts";
import { errorMessage } from "../base/errors.ts";
import { UsageError } from "../base/usage_error.ts";

/** What {@linkcode mergeShardTrials} gives back. */
export interface MergedRun {
  /** The manifest of the merged run (written as its `run.json`). */
  manifest: RunManifest;
  /** The plan of the run. */
  plan: RunPlan;
  /** Every trial record of the run. */
  records: TrialRecord[];
  /** The shard directories, in shard order. */
  dirs: string[];
}

/**
 * Read the manifests of the shard directories and check that they are the
 * shards 1..N of one run, each once; returns the first manifest and the
 * directories by shard index, in shard order.
 */
async function readShards(
  dirs: string[],
): Promise<{ first: RunManifest; byIndex: [number, string][] }> {
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
    const diff = manifestDifferences(first, manifests[i], {
      ignoreShard: true,
    });
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
  return { first, byIndex: [...byIndex.entries()].sort((a, b) => a[0] - b[0]) };
}

/**
 * The plan of the shards' run with the current claims, and its manifest;
 * throws when a claim is unknown or the claims changed since the shards ran.
 */
function replan(
  first: RunManifest,
  claims: ClaimSpec[],
): { plan: RunPlan; manifest: RunManifest } {
  const specs = first.claims.map((c) => {
    const spec = claims.find((s) => s.id === c.id);
    if (spec === undefined) {
      throw new UsageError(
        `merge: claim ${c.id} of the shards is not a known claim`,
      );
    }
    return spec;
  });
  const plan = planRun(specs, first);
  const manifest = manifestOf(plan, {
    seed: first.seed,
    profile: first.profile,
    backend: first.backend,
    trials: first.trials,
    shard: null,
  });
  const codeDiff = manifestDifferences(manifest, first, { ignoreShard: true });
  if (codeDiff.length > 0) {
    throw new UsageError(
      `merge: the shards' run.json does not match the current claims ` +
        `(differs in: ${
          codeDiff.join(", ")
        }); the claims changed since the shards ran`,
    );
  }
  return { plan, manifest };
}

/**
 * The records of one shard directory: exactly the trials of `shard` in
 * `plan`, each once, with its planned seed; anything else throws.
 */
function readShardRecords(
  dir: string,
  options: { plan: RunPlan; shard: Shard },
): TrialRecord[] {
  const { plan, shard } = options;
  const seedOf = new Map(
    plan.trials.map((t) => [taskKey(t.task), t.task.seed]),
  );
  const expected = new Set(
    plan.trials.filter((t) => inShard(t.index, shard)).map((t) =>
      taskKey(t.task)
    ),
  );
  const records: TrialRecord[] = [];
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
      throw new UsageError(`merge: ${errorMessage(error)}`);
    }
    for (const r of parsed.records) {
      const key = taskKey(r.task);
      if (seedOf.get(key) !== r.task.seed || !expected.has(key)) {
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
    throw new RunConflictError(
      `merge: shard ${formatShard(shard)} in ${dir} is incomplete: ` +
        `${expected.size} trial(s) missing (e.g. ${
          example.replaceAll("\u0000", "/")
        })`,
      { kind: "incomplete-shard", dir },
    );
  }
  return records;
}

/**
 * Merge shard directories into `out`. Every directory's `run.json` must
 * describe the same run (everything but the shard) and the directories must
 * hold shards 1..N exactly once; each shard must hold exactly its trials
 * (no row missing, extra or duplicated), and the claims' configurations
 * must still be those recorded. Any violation throws a
 * {@linkcode UsageError} naming the directory and the problem (a
 * {@linkcode RunConflictError} for an incomplete shard or an `out` that
 * holds another run). Writes `run.json`, `trials/<claim>.csv` and
 * `timing.csv` as a single-machine run would, and `provenance.json` with
 * the shards' provenance.
 */
export async function mergeShardTrials(
  dirs: string[],
  out: string,
  options: { claims: ClaimSpec[] },
): Promise<MergedRun> {
  const started = new Date();
  const startMs = performance.now();
  const { first, byIndex } = await readShards(dirs);
  const { plan, manifest } = replan(first, options.claims);
  const existing = await readManifest(out);
  if (existing !== null && manifestDifferences(existing, manifest).length > 0) {
    throw new RunConflictError(`merge: ${out} holds a different run`, {
      kind: "merge-target-taken",
      dir: out,
    });
  }
  const count = first.shard!.count;
  const records: TrialRecord[] = [];
  const timings: Timing[] = [];
  for (const [index, dir] of byIndex) {
    records.push(...readShardRecords(dir, { plan, shard: { index, count } }));
    timings.push(...await readTimings(`${dir}/timing.csv`));
  }

  await writeTextFileAtomic(`${out}/run.json`, manifestText(manifest));
  for (const p of plan.claims) {
    await writeTextFileAtomic(
      `${out}/trials/${p.claim.id}.csv`,
      formatTrialCsv(records.filter((r) => r.task.claim === p.claim.id), {
        checks: p.checks.map((c) => c.name),
        configOrder: p.configs.map((c) => c.key),
      }),
    );
  }
  await writeTimings(`${out}/timing.csv`, { trials: plan.trials, timings });
  const own = await collectProvenance({
    kind: "merge",
    backend: manifest.backend,
    workers: null,
    started,
  });
  const shards = [];
  for (const [, dir] of byIndex) {
    shards.push({ dir, provenance: await readProvenance(dir) });
  }
  await writeProvenance(out, {
    ...finishedProvenance(own, {
      finished: new Date(),
      elapsedSeconds: (performance.now() - startMs) / 1000,
    }),
    shards,
  });
  return { manifest, plan, records, dirs: byIndex.map(([, dir]) => dir) };
}
