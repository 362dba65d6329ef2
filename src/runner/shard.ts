/**
 * Splitting one run over several machines: shard I of N runs every N-th
 * trial of the plan, starting at the I-th. Each trial's seed depends only on
 * the run seed, claim, configuration and trial index, so the N shards
 * together hold exactly the trials of the single-machine run.
 *
 * @module
 */

/** Shard `index` (1-based) of `count` shards. */
export interface Shard {
  /** Which shard, from 1 to `count`. */
  index: number;
  /** How many shards the run is split into. */
  count: number;
}

/**
 * Whether the trial with running index `globalIndex` (over all
 * (claim, configuration, trial) of the run, in plan order, from 0) belongs
 * to `shard`: it does iff `globalIndex mod count === index - 1`. Without a
 * shard every trial belongs to the run.
 *
 * @example
 * ```ts
 * import { inShard } from "./shard.ts";
 * import assert from "node:assert/strict";
 * assert.equal(inShard(4, { index: 2, count: 3 }), true);
 * assert.equal(inShard(4, { index: 1, count: 3 }), false);
 * assert.equal(inShard(4, undefined), true);
 * ```
 */
export function inShard(
  globalIndex: number,
  shard: Shard | undefined,
): boolean {
  if (shard === undefined) return true;
  return globalIndex % shard.count === shard.index - 1;
}

/**
 * Format a shard back as `I/N`.
 *
 * @example
 * ```ts
 * import { formatShard } from "./shard.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatShard({ index: 1, count: 4 }), "1/4");
 * ```
 */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
