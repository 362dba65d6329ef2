/**
 * Splitting one run over several machines: `--shard I/N` runs every N-th
 * trial of the plan, starting at the I-th. Each trial's seed depends only on
 * the run seed, claim, configuration and trial index, so the N shards
 * together hold exactly the trials of the single-machine run.
 *
 * @module
 */

import { UsageError } from "../base/usage_error.ts";

/** Shard `index` (1-based) of `count` shards. */
export interface Shard {
  /** Which shard, from 1 to `count`. */
  index: number;
  /** How many shards the run is split into. */
  count: number;
}

/**
 * Parse a `--shard` value of the form `I/N` with integers 1 ≤ I ≤ N.
 * Anything else throws a {@linkcode UsageError} naming `--shard` and the
 * allowed form.
 *
 * @example
 * ```ts
 * import { parseShard } from "./shard.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseShard("2/3"), { index: 2, count: 3 });
 * assert.throws(() => parseShard("0/3"));
 * ```
 */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const fail = (why: string): never => {
    throw new UsageError(
      `--shard must have the form I/N with integers 1 <= I <= N ` +
        `(for example --shard 2/4); got "${text}": ${why}`,
    );
  };
  if (match === null) return fail("not of the form I/N");
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count)) {
    return fail("number too large");
  }
  if (count < 1) return fail("N must be at least 1");
  if (index < 1 || index > count) return fail("I must be between 1 and N");
  return { index, count };
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
