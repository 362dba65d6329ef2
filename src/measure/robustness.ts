/**
 * The robustness of one network on a set of attacked points, as the claims
 * read it: per point the bracket
 *
 *   certified(x) ≤ r(x) ≤ attack(x),   r(x) = inf{‖z‖ : y·N(x + z) ≤ 0},
 *
 * of `./attacks/ensemble.ts` (the sound interval-bound certificate below,
 * the best verified flip of DeepFool, FMN and the MALT-style attack above),
 * the exact flip radius along an analytic direction −y·u when one is given,
 * and the verified flip radius along a random unit direction when random
 * directions are given. Every flip behind these numbers was checked in
 * float64 (y·N(x + z) ≤ 0).
 *
 * Only points the network classifies correctly (y·N(x) > 0) are kept: a
 * misclassified point has r(x) = 0 and says nothing about robustness.
 *
 * Soundness: every verified flip has ‖z‖ ≥ r(x) ≥ certified(x). An attack,
 * analytic or random radius below certified(x)·(1 − 10⁻⁴)
 * ({@linkcode SOUNDNESS_MARGIN}) is listed in
 * {@linkcode RobustnessReport.violations}; the claims make such a trial an
 * error ({@linkcode soundnessReason}), so that a run with any fails.
 *
 * Shares of points: "at least a share s of the n points have r ≤ T" holds
 * exactly when the ⌈s·n⌉-th smallest radius is ≤ T
 * ({@linkcode atMostQuantile}), and "at least a share s have r ≥ T" when
 * the ⌈s·n⌉-th largest is ≥ T ({@linkcode atLeastQuantile}). The claims
 * decide their checks on these order statistics and report them as the
 * checks' margins, so the reported number and the decision never disagree.
 *
 * @module
 */

import type { LabelledPoints } from "../model/data.ts";
import type { Instance } from "../model/instance.ts";
import type { NetworkWeights } from "../model/weights.ts";
import { median } from "../stats/mod.ts";
import { AttackBatch } from "./attacks/batch.ts";
import {
  ATTACK_NAMES,
  type AttackName,
  bracketRobustRadii,
  type RadiusBracket,
  SOUNDNESS_MARGIN,
} from "./attacks/ensemble.ts";
import { attackSubset, pickPoints } from "./attacks/subset.ts";
import { flipRadii, flipsAlong } from "./attacks/verify.ts";

/** Options of {@linkcode robustnessOf}. */
export interface RobustnessOptions {
  /** Training points for the MALT-style attack (without them it does not run). */
  targets?: LabelledPoints;
  /** An analytic direction u: point i is also measured along −y_i·u. */
  direction?: ArrayLike<number>;
  /**
   * Random unit directions (drawn by the caller from its seeded generator):
   * point i is also measured along `randomDirections[i mod count]`.
   */
  randomDirections?: readonly ArrayLike<number>[];
}

/** A radius below its point's certified radius: a bug in an attack or a certificate. */
export interface RadiusViolation {
  /** Index of the point among the attacked points. */
  index: number;
  /** Which attack, or `analytic` or `random`, reported it. */
  source: AttackName | "analytic" | "random";
  /** Its radius. */
  radius: number;
  /** The point's certified radius. */
  certified: number;
}

/**
 * Per-point radii of one network over the attacked points it classifies
 * correctly (arrays aligned with `correct`).
 */
export interface RobustnessReport {
  /** The bracket of every attacked point, in order. */
  brackets: RadiusBracket[];
  /** Indices (among the attacked points) of the correctly classified ones. */
  correct: number[];
  /** Certified radius (sound lower bound on r) per correct point. */
  certified: number[];
  /** Best verified attack radius (upper bound on r) per correct point (`Infinity` if none). */
  attack: number[];
  /** Exact flip radius along −y·u per correct point (empty without a direction). */
  analytic: number[];
  /** Verified flip radius along the point's random direction (empty without them). */
  random: number[];
  /** ‖x‖ per correct point. */
  norms: number[];
  /** How many correct points each attack found the best flip of (`none`: no flip). */
  foundBy: Record<AttackName | "none", number>;
  /** Every radius below its point's certified radius by more than the margin. */
  violations: RadiusViolation[];
  /** Flips proposed by any attack (or direction) that failed float64 verification. */
  unverified: number;
}

/**
 * Bracket the robust radius of a network at every point of `points` and
 * keep the correctly classified points (see the module doc).
 *
 * @example N(x) = relu(3x1 + 4x2 − 5): the bracket closes on 4 at (3, 4)
 * ```ts
 * import { robustnessOf } from "./robustness.ts";
 * import { initBackend } from "../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const net = { d: 2, m: 1, w: [3, 4], b: [-5], v: [1] };
 * const report = robustnessOf(net, { x: [3, 4, 0, 0], y: [1, 1] }, {
 *   direction: [3, 4],
 *   randomDirections: [[-1, 0]],
 * });
 * assert.deepEqual(report.correct, [0]); // N(0) = 0: not correctly classified
 * assert.equal(report.certified[0], 4);
 * assert.ok(Math.abs(report.attack[0] - 4) < 1e-9);
 * assert.ok(Math.abs(report.analytic[0] - 4) < 1e-9);
 * assert.ok(Math.abs(report.random[0] - 20 / 3) < 1e-9); // along −e1: 20 − 3t = 0
 * assert.deepEqual(report.violations, []);
 * ```
 */
export function robustnessOf(
  weights: NetworkWeights,
  points: LabelledPoints,
  options: RobustnessOptions = {},
): RobustnessReport {
  const batch = new AttackBatch(weights, points);
  const { brackets, unverified } = bracketRobustRadii(batch, {
    targets: options.targets,
    direction: options.direction,
  });
  let unverifiedTotal = Object.values(unverified).reduce(
    (s: number, c) => s + (c ?? 0),
    0,
  );
  let random: number[] | undefined;
  const directions = options.randomDirections;
  if (directions !== undefined && directions.length > 0) {
    const run = flipsAlong(
      batch,
      Array.from(
        { length: batch.n },
        (_, i) => directions[i % directions.length],
      ),
    );
    unverifiedTotal += run.unverified;
    random = flipRadii(run);
  }
  const report: RobustnessReport = {
    brackets,
    correct: [],
    certified: [],
    attack: [],
    analytic: [],
    random: [],
    norms: [],
    foundBy: { deepfool: 0, fmn: 0, malt: 0, none: 0 },
    violations: [],
    unverified: unverifiedTotal,
  };
  report.violations = radiusViolations(brackets, { random });
  brackets.forEach((b, index) => {
    if (!(batch.margins[index] > 0)) return;
    report.correct.push(index);
    report.certified.push(b.certified);
    report.attack.push(b.attack);
    if (b.analytic !== undefined) report.analytic.push(b.analytic);
    if (random !== undefined) report.random.push(random[index]);
    let norm2 = 0;
    for (const xt of batch.point(index)) norm2 += xt * xt;
    report.norms.push(Math.sqrt(norm2));
    report.foundBy[b.foundBy ?? "none"]++;
  });
  return report;
}

/**
 * Every attack, analytic and random radius of the brackets (and of
 * `random`, one per bracket, when given) that lies below its point's
 * certified radius by more than the relative margin (default
 * {@linkcode SOUNDNESS_MARGIN}): radius < certified·(1 − margin).
 *
 * @example
 * ```ts
 * import { radiusViolations } from "./robustness.ts";
 * import assert from "node:assert/strict";
 * const bracket = {
 *   certified: 2, attack: 2.5, foundBy: "deepfool" as const, perturbation: null,
 *   radii: { deepfool: 2.5 }, width: 0.5,
 * };
 * assert.deepEqual(radiusViolations([bracket], { random: [1.9] }), [
 *   { index: 0, source: "random", radius: 1.9, certified: 2 },
 * ]);
 * assert.deepEqual(radiusViolations([bracket], { random: [1.99999] }), []);
 * ```
 */
export function radiusViolations(
  brackets: readonly RadiusBracket[],
  options: { random?: readonly number[]; margin?: number } = {},
): RadiusViolation[] {
  const { random, margin = SOUNDNESS_MARGIN } = options;
  const out: RadiusViolation[] = [];
  brackets.forEach((b, index) => {
    const sources: [RadiusViolation["source"], number | undefined][] = [
      ...ATTACK_NAMES.map((name): [AttackName, number | undefined] => [
        name,
        b.radii[name],
      ]),
      ["analytic", b.analytic],
      ["random", random?.[index]],
    ];
    for (const [source, radius] of sources) {
      if (radius !== undefined && radius < b.certified * (1 - margin)) {
        out.push({ index, source, radius, certified: b.certified });
      }
    }
  });
  return out;
}

/**
 * The degeneracy that turns a trial into an `error`: the first soundness
 * violation among `networks` (by name, in order; see
 * {@linkcode soundnessReason}), else `otherwise` (the trial's own
 * degenerate case).
 *
 * @example
 * ```ts
 * import { unsoundOr } from "./robustness.ts";
 * import assert from "node:assert/strict";
 * const clean = { violations: [] };
 * const otherwise = { degenerate: false, reason: "no point" };
 * assert.equal(unsoundOr({ N: clean }, otherwise), otherwise);
 * const bad = { violations: [{ index: 0, source: "fmn" as const, radius: 1, certified: 2 }] };
 * const { reason } = unsoundOr({ N: clean, "N*": bad }, otherwise);
 * assert.ok(reason.startsWith("soundness: 1 verified flip of N* below"));
 * ```
 */
export function unsoundOr(
  networks: Record<string, Pick<RobustnessReport, "violations">>,
  otherwise: { degenerate: boolean; reason: string },
): { degenerate: boolean; reason: string } {
  for (const [network, report] of Object.entries(networks)) {
    const reason = soundnessReason(report.violations, { network });
    if (reason !== "") return { degenerate: true, reason };
  }
  return otherwise;
}

/**
 * The reason an `error` trial gives for soundness violations of the
 * network `network` (empty when there are none): how many, and the first.
 *
 * @example
 * ```ts
 * import { soundnessReason } from "./robustness.ts";
 * import assert from "node:assert/strict";
 * assert.equal(soundnessReason([], { network: "N*" }), "");
 * assert.equal(
 *   soundnessReason([{ index: 3, source: "fmn", radius: 1.5, certified: 2 }], { network: "N*" }),
 *   "soundness: 1 verified flip of N* below its point's certified radius " +
 *     "(first: fmn at attacked point 3, radius 1.5 < certified 2)",
 * );
 * ```
 */
export function soundnessReason(
  violations: readonly RadiusViolation[],
  options: { network: string },
): string {
  if (violations.length === 0) return "";
  const [v] = violations;
  const s = violations.length === 1 ? "" : "s";
  return `soundness: ${violations.length} verified flip${s} of ` +
    `${options.network} below its point's certified radius (first: ` +
    `${v.source} at attacked point ${v.index}, radius ${
      Number(v.radius.toPrecision(6))
    } < certified ${Number(v.certified.toPrecision(6))})`;
}

/** The number of the n points a share s must cover: ⌈s·n⌉ (rounding-safe). */
function covered(share: number, n: number): number {
  if (!(share > 0 && share <= 1)) {
    throw new RangeError(`share must be in (0, 1], got ${share}`);
  }
  return Math.max(1, Math.ceil(share * n - 1e-9));
}

/**
 * The ⌈share·n⌉-th smallest value: at least a share `share` of the values
 * are ≤ T exactly when this is ≤ T. `NaN` for no values.
 *
 * @example
 * ```ts
 * import { atMostQuantile } from "./robustness.ts";
 * import assert from "node:assert/strict";
 * const radii = [5, 1, 2, 3, 4, 6, 7, 8, 9, 10];
 * assert.equal(atMostQuantile(radii, 0.9), 9); // 9 of 10 are ≤ 9
 * assert.equal(atMostQuantile([1, Infinity], 1), Infinity);
 * ```
 */
export function atMostQuantile(
  values: readonly number[],
  share: number,
): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[covered(share, values.length) - 1];
}

/**
 * The ⌈share·n⌉-th largest value (−{@linkcode atMostQuantile} of the
 * negated values): at least a share `share` of the values are ≥ T exactly
 * when this is ≥ T (`atLeastQuantile([5, 1, 2, 3, 4, 6, 7, 8, 9, 10], 0.9)`
 * is 2). `NaN` for no values.
 */
export function atLeastQuantile(
  values: readonly number[],
  share: number,
): number {
  return -atMostQuantile(values.map((v) => -v), share);
}

/**
 * Per-point ratios a_i / b_i of two aligned arrays, over the points where
 * both are finite and b_i > 0 (e.g. certified/attack, dropping a point no
 * attack flipped).
 *
 * @example
 * ```ts
 * import { ratios } from "./robustness.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(ratios([1, 2, 3], [2, Infinity, 3]), [0.5, 1]);
 * ```
 */
export function ratios(
  numerators: readonly number[],
  denominators: readonly number[],
): number[] {
  if (numerators.length !== denominators.length) {
    throw new RangeError(
      `ratios: ${numerators.length} numerators, ${denominators.length} denominators`,
    );
  }
  const out: number[] = [];
  numerators.forEach((a, i) => {
    const b = denominators[i];
    if (Number.isFinite(a) && Number.isFinite(b) && b > 0) out.push(a / b);
  });
  return out;
}

/**
 * The attacked points of an instance: `count` test points chosen uniformly
 * without replacement by the instance's generator (its next draws after
 * the instance itself), as float64 copies.
 *
 * @example
 * ```ts
 * import { attackedPoints } from "./robustness.ts";
 * import { defaultInstance, drawInstance } from "../model/instance.ts";
 * import assert from "node:assert/strict";
 * const params = { ...defaultInstance, d: 10, k: 2, n: 4, m: 2, nTest: 50 };
 * const points = attackedPoints(drawInstance(3, params), 8);
 * assert.equal(points.y.length, 8);
 * assert.deepEqual(attackedPoints(drawInstance(3, params), 8), points);
 * ```
 */
export function attackedPoints(
  instance: Instance,
  count: number,
): LabelledPoints<Float64Array> & { y: Float64Array } {
  const { test, rng } = instance;
  return pickPoints(test, attackSubset(rng, { n: test.n, count }));
}

/** Options of {@linkcode robustnessColumns}. */
export interface RobustnessColumnsOptions {
  /** The unit of the radii columns (e.g. √(d/k) or √d). */
  scale: number;
  /** Share s of {@linkcode atMostQuantile} in the `attack_q…` column (e.g. 0.9). */
  share: number;
  /** Prefix of every column name (e.g. `robust_`). */
  prefix?: string;
  /** Significant digits of the values (default 5). */
  digits?: number;
}

/**
 * The per-trial columns the claims report of one network's robustness,
 * radii in units of `scale` (with prefix p and share s = 90%, say):
 *
 * - `p points`: correctly classified attacked points;
 * - `p attack_median`, `p attack_q10`, `p attack_q90` (the ⌈s·n⌉-th
 *   smallest best-attack radius: s of the points flip within it);
 * - `p certified_median`, `p certified_q10` (for s = 90%: the ⌈s·n⌉-th
 *   largest certified radius, s of the points are certified beyond it);
 * - `p certified_over_attack`: median of certified/attack per point (how
 *   tight the bracket is: 1 is exact);
 * - `p analytic_over_attack` (median), `_min`, `_max`: the analytic
 *   direction's flip radius over the best attack, per point (≥ 1 means the
 *   generic attacks beat it; NaN without a direction);
 * - `p width_median`: median bracket width attack − certified;
 * - `p found_deepfool`, `_fmn`, `_malt`: points whose best flip each found;
 * - `p soundness_violations`, `p unverified`.
 *
 * @example
 * ```ts
 * import { robustnessColumns } from "./robustness.ts";
 * import assert from "node:assert/strict";
 * const report = {
 *   brackets: [], correct: [0, 1], certified: [1, 2], attack: [2, 2],
 *   analytic: [3, 2], random: [], norms: [5, 5],
 *   foundBy: { deepfool: 1, fmn: 1, malt: 0, none: 0 }, violations: [], unverified: 0,
 * };
 * const columns = robustnessColumns(report, { scale: 2, share: 0.9, prefix: "gf_" });
 * assert.equal(columns.gf_attack_median, 1);
 * assert.equal(columns.gf_certified_over_attack, 0.75);
 * assert.equal(columns.gf_analytic_over_attack_max, 1.5);
 * ```
 */
export function robustnessColumns(
  report: RobustnessReport,
  options: RobustnessColumnsOptions,
): Record<string, number> {
  const { scale, share, prefix = "", digits = 5 } = options;
  const pct = Math.round(share * 100);
  const unit = (values: number[]) => values.map((v) => v / scale);
  const attack = unit(report.attack), certified = unit(report.certified);
  const analytic = report.analytic.length === 0
    ? []
    : ratios(report.analytic, report.attack);
  const widths = report.attack.map((a, i) => (a - report.certified[i]) / scale);
  const columns: Record<string, number> = {
    points: report.correct.length,
    attack_median: median(attack),
    attack_q10: atMostQuantile(attack, 0.1),
    [`attack_q${pct}`]: atMostQuantile(attack, share),
    certified_median: median(certified),
    [`certified_q${100 - pct}`]: atLeastQuantile(certified, share),
    certified_over_attack: median(ratios(report.certified, report.attack)),
    analytic_over_attack: median(analytic),
    analytic_over_attack_min: analytic.length ? Math.min(...analytic) : NaN,
    analytic_over_attack_max: analytic.length ? Math.max(...analytic) : NaN,
    width_median: median(widths),
    found_deepfool: report.foundBy.deepfool,
    found_fmn: report.foundBy.fmn,
    found_malt: report.foundBy.malt,
    soundness_violations: report.violations.length,
    unverified: report.unverified,
  };
  return Object.fromEntries(
    Object.entries(columns).map(([name, value]) => [
      `${prefix}${name}`,
      Number.isFinite(value) ? Number(value.toPrecision(digits)) : value,
    ]),
  );
}
