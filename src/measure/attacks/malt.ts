/**
 * A targeted attack in the spirit of MALT (Melamed, Yehudai & Shamir 2024,
 * "MALT powers up adversarial attacks"): instead of following the local
 * gradient from x, aim at where the other label lives, then refine.
 *
 * MALT picks target classes by a linear model of the network and runs a
 * targeted gradient attack towards each. A binary classifier has one other
 * class, so here the targets are training points of the other label:
 *
 * 1. targets: the {@linkcode MALT_TARGETS} training points x'_j with
 *    y'_j·y < 0 nearest to x in ℓ2;
 * 2. lines: along each u_j = x'_j − x the ReLU network is piecewise
 *    linear, and the smallest t with y·N(x + t·u_j/‖u_j‖) ≤ 0 is found
 *    exactly (`flipRadius`, which for the activation relu(z)^p, p ≠ 1,
 *    finds it up to its subdivision; the lines of all points are screened
 *    together, their slopes ⟨w_r, u_j⟩ one matrix product in float32);
 * 3. the best line of each point is settled exactly in float64
 *    (`flipRadiusAlong`) and verified (`./verify.ts`);
 * 4. refinement: FMN (`./fmn.ts`) warm-started from that flip.
 *
 * A point keeps the smaller of its best line flip and FMN's. On
 * nearly-orthogonal cluster data the direction to a point of another
 * cluster is roughly μ_j − μ_i, so the lines start FMN in a different place
 * from DeepFool's local gradient; the attack still knows nothing of the
 * means, only the training points.
 *
 * @module
 */

import type { LabelledPoints } from "../../model/data.ts";
import { flipRadius } from "../flip_radius.ts";
import type { AttackBatch } from "./batch.ts";
import { fastMinimumNorm, type FmnOptions } from "./fmn.ts";
import { type AttackRun, flipsAlong } from "./verify.ts";

/** How many nearest training points of the other label each point aims at. */
export const MALT_TARGETS = 5;

/** Options of {@linkcode maltAttack}. */
export interface MaltOptions {
  /** The training points to aim at (x n'×d row-major, labels y). */
  targets: LabelledPoints;
  /** Targets per point (default {@linkcode MALT_TARGETS}). */
  nearest?: number;
  /**
   * Per point of the batch, the indices of the targets it may aim at
   * (default: every target), e.g. the training points of the cluster a
   * row's pair network is attacked towards.
   */
  candidates?: readonly (readonly number[])[];
  /** Options of the FMN refinement (its warm start is the best line). */
  refine?: Omit<FmnOptions, "warmStart">;
}

/**
 * Indices of the `count` targets of the other label nearest to point i, per
 * point of the batch (fewer when there are fewer such targets; none for a
 * misclassified point).
 *
 * @example
 * ```ts
 * import { AttackBatch } from "./batch.ts";
 * import { nearestOpposite } from "./malt.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 1, m: 1, w: [1], b: [0], v: [1] }; // relu(x)
 * const batch = new AttackBatch(net, { x: [1], y: [1] });
 * const targets = { x: [5, -2, -4, 0.5], y: [-1, -1, -1, 1] };
 * assert.deepEqual(nearestOpposite(batch, { targets, count: 2 }), [[1, 0]]);
 * ```
 */
export function nearestOpposite(
  batch: AttackBatch,
  options: Pick<MaltOptions, "targets" | "candidates"> & { count: number },
): number[][] {
  const { targets, count, candidates } = options;
  const { d, n } = batch;
  const nt = targets.y.length;
  if (targets.x.length !== nt * d) {
    throw new RangeError(
      `nearestOpposite: targets.x has length ${targets.x.length}, expected ${nt}·${d}`,
    );
  }
  if (candidates !== undefined && candidates.length !== n) {
    throw new RangeError(
      `nearestOpposite: ${candidates.length} candidate lists for ${n} points`,
    );
  }
  const every = Array.from({ length: nt }, (_, j) => j);
  return Array.from({ length: n }, (_, i) => {
    if (!(batch.margins[i] > 0)) return [];
    const x = batch.point(i), y = batch.labels[i];
    const near: { j: number; dist: number }[] = [];
    for (const j of candidates?.[i] ?? every) {
      if (!(targets.y[j] * y < 0)) continue;
      let dist = 0;
      for (let t = 0; t < d; t++) dist += (targets.x[j * d + t] - x[t]) ** 2;
      near.push({ j, dist });
    }
    near.sort((a, b) => a.dist - b.dist || a.j - b.j);
    return near.slice(0, count).map((c) => c.j);
  });
}

/**
 * The MALT-style attack of the module doc on every point of the batch: per
 * point the smaller of its best verified line flip and FMN's refinement of
 * it. The unverified count adds both stages'.
 *
 * @example N(x) = x1 + 10 near the data: every line and FMN find |N(x)| = 1
 * ```ts
 * import { AttackBatch } from "./batch.ts";
 * import { maltAttack } from "./malt.ts";
 * import { flipRadii } from "./verify.ts";
 * import { initBackend } from "../../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * // relu(x1 + 10) - relu(10)·1: the second neuron is constant.
 * const net = { d: 2, m: 2, w: [1, 0, 0, 0], b: [10, 10], v: [1, -1] };
 * const batch = new AttackBatch(net, { x: [1, 0], y: [1] });
 * const targets = { x: [-3, 4], y: [-1] };
 * const radius = flipRadii(maltAttack(batch, { targets }))[0];
 * assert.ok(radius >= 1 && radius < 1.001);
 * ```
 */
export function maltAttack(
  batch: AttackBatch,
  options: MaltOptions,
): AttackRun {
  const { targets, nearest = MALT_TARGETS, refine = {}, candidates } = options;
  const { d, m, n } = batch;
  const chosen = nearestOpposite(batch, {
    targets,
    candidates,
    count: nearest,
  });
  const lines: { i: number; u: Float64Array; norm: number }[] = [];
  chosen.forEach((js, i) => {
    const x = batch.point(i);
    for (const j of js) {
      const u = new Float64Array(d);
      for (let t = 0; t < d; t++) u[t] = targets.x[j * d + t] - x[t];
      let norm2 = 0;
      for (let t = 0; t < d; t++) norm2 += u[t] * u[t];
      if (norm2 > 0) lines.push({ i, u, norm: Math.sqrt(norm2) });
    }
  });
  const stacked = new Float64Array(lines.length * d);
  lines.forEach((line, k) => stacked.set(line.u, k * d));
  const slopes = batch.slopes(stacked);
  const best: { radius: number; u: Float64Array | null }[] = Array.from(
    { length: n },
    () => ({ radius: Infinity, u: null }),
  );
  lines.forEach(({ i, u, norm }, k) => {
    const unit = new Float64Array(m);
    for (let r = 0; r < m; r++) unit[r] = slopes[k * m + r] / norm;
    const radius = flipRadius({
      offsets: batch.offsets.subarray(i * m, (i + 1) * m),
      slopes: unit,
      outputWeights: batch.outputWeights(i),
      power: batch.power,
    }, batch.labels[i]);
    if (radius < best[i].radius) best[i] = { radius, u };
  });
  const line = flipsAlong(batch, best.map((b) => b.u));
  const refined = fastMinimumNorm(batch, { ...refine, warmStart: line });
  return {
    flips: refined.flips,
    unverified: line.unverified + refined.unverified,
  };
}
