/**
 * Which points are attacked. Attacks cost hundreds of matrix products per
 * batch, so they run on a seeded subset of a test set rather than all of
 * it: {@linkcode ATTACK_POINTS} points (64 at CI size, 256 at paper size),
 * chosen by {@linkcode attackSubset} uniformly without replacement (a
 * partial Fisher–Yates shuffle from a seeded `Rng`), in increasing order,
 * and gathered by {@linkcode pickPoints}.
 *
 * @module
 */

import type { LabelledPoints } from "../../model/data.ts";
import type { Rng } from "../../model/rng.ts";

/** How many test points are attacked, per profile. */
export const ATTACK_POINTS: Readonly<{ ci: number; paper: number }> = {
  ci: 64,
  paper: 256,
};

/**
 * `count` distinct indices of 0..n−1 chosen uniformly at random from `rng`
 * (all n when count ≥ n), sorted increasingly. Draws min(count, n) − 1
 * integers unless it returns all indices without drawing.
 *
 * @example
 * ```ts
 * import { attackSubset } from "./subset.ts";
 * import { Rng } from "../../model/rng.ts";
 * import assert from "node:assert/strict";
 * const picked = attackSubset(new Rng(3), { n: 1000, count: 64 });
 * assert.equal(new Set(picked).size, 64);
 * assert.deepEqual(attackSubset(new Rng(3), { n: 1000, count: 64 }), picked);
 * assert.deepEqual(attackSubset(new Rng(3), { n: 3, count: 10 }), [0, 1, 2]);
 * ```
 */
export function attackSubset(
  rng: Rng,
  size: { n: number; count: number },
): number[] {
  const { n, count } = size;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(count) || count < 0) {
    throw new RangeError(
      `attackSubset: n and count must be integers ≥ 0, got ${n}, ${count}`,
    );
  }
  const order = Array.from({ length: n }, (_, i) => i);
  if (count >= n) return order;
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(n - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count).sort((a, b) => a - b);
}

/**
 * The points `indices` of a labelled sample (x n×d row-major, labels y), as
 * float64 copies (d = x.length / y.length).
 *
 * @example
 * ```ts
 * import { pickPoints } from "./subset.ts";
 * import assert from "node:assert/strict";
 * const points = { x: [1, 2, 3, 4, 5, 6], y: [1, -1, 1] };
 * const picked = pickPoints(points, [2, 0]);
 * assert.deepEqual([...picked.x], [5, 6, 1, 2]);
 * assert.deepEqual([...picked.y], [1, 1]);
 * ```
 */
export function pickPoints(
  points: LabelledPoints,
  indices: readonly number[],
): LabelledPoints<Float64Array> & { y: Float64Array } {
  const n = points.y.length;
  const d = points.x.length / n;
  const x = new Float64Array(indices.length * d);
  const y = new Float64Array(indices.length);
  indices.forEach((i, k) => {
    if (!(i >= 0 && i < n && Number.isInteger(i))) {
      throw new RangeError(`pickPoints: index ${i} outside 0..${n - 1}`);
    }
    for (let t = 0; t < d; t++) x[k * d + t] = points.x[i * d + t];
    y[k] = points.y[i];
  });
  return { x, y };
}
