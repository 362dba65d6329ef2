/**
 * The robust radius of the binary classifier induced by a k-output network
 * (see `./multiclass.ts` for the induced margin M and its pair networks
 * f_j − f_l), bracketed: a sound certificate below
 * ({@linkcode inducedCertifiedRadius}: the max over j ∈ S of the min over
 * l ∈ O of the pair certificates), the exact induced flip along a direction
 * ({@linkcode inducedFlipAlong}) verified in float64
 * ({@linkcode isInducedFlip}, {@linkcode settleInduced}), and the attack
 * ensemble on every (point, pair) row of one batch with per-row output
 * weights ({@linkcode bracketInducedRadii}) above.
 *
 * ReLU only, as `./multiclass.ts`.
 *
 * @module
 */

import { multiclassOutputs } from "../flow/multiclass.ts";
import type { LabelledPoint, LabelledPoints } from "../model/data.ts";
import { requireRelu } from "../model/weights.ts";
import { AttackBatch } from "./attacks/batch.ts";
import {
  type BracketOptions,
  bracketRobustRadii,
  SOUNDNESS_MARGIN,
} from "./attacks/ensemble.ts";
import { VERIFY_NUDGES } from "./attacks/verify.ts";
import { certifiedRadius } from "./certified_radius.ts";
import {
  type AnyMulticlass,
  hiddenRowNorms,
  inducedDecision,
  type InducedOptions,
  outputsFrom,
  pairNetwork,
  preActivations,
} from "./multiclass.ts";

/**
 * A sound certified radius of the induced classifier at a labelled point:
 * max over j ∈ S with f_j(x) > max_O f of min_{l∈O} ε*(f_j − f_l, x) (see
 * the module doc); 0 when the point is misclassified.
 *
 * @example One neuron per cluster, orthogonal unit means
 * ```ts
 * import { inducedCertifiedRadius } from "./induced_radius.ts";
 * import assert from "node:assert/strict";
 * // f_0 = relu(x1), f_1 = relu(x2) at (2, 0), labels (+1, −1): the interval
 * // bound of f_0 − f_1 is relu(2 − ε) − relu(ε), zero at ε = 1 (the exact
 * // radius is √2, reached along (−1, 1)).
 * const net = { d: 2, m: 2, k: 2, w: [1, 0, 0, 1], b: [0, 0], v: [1, 0, 0, 1] };
 * const r = inducedCertifiedRadius(net, { x: [2, 0], label: 1 }, { labels: [1, -1] });
 * assert.equal(r, 1);
 * ```
 */
export function inducedCertifiedRadius(
  weights: AnyMulticlass,
  point: LabelledPoint,
  options: InducedOptions,
): number {
  requireRelu(weights, "inducedCertifiedRadius");
  const { labels } = options;
  const a = preActivations(weights, point.x);
  const f = outputsFrom(weights, a);
  const decision = inducedDecision(f, { labels, label: point.label });
  if (!(decision.margin > 0)) return 0;
  const rowNorms = options.rowNorms ?? hiddenRowNorms(weights);
  let best = 0;
  for (let j = 0; j < weights.k; j++) {
    if (labels[j] !== point.label || !(f[j] > f[decision.opposite])) continue;
    const pairs = pairCertificates(weights, { a, rowNorms, from: j, labels });
    best = Math.max(best, Math.min(...pairs.map((p) => p.bound)));
  }
  return best;
}

/**
 * The certificates ε*(f_from − f_l, x) of every pair with l of the other
 * label than `from`, from the pre-activations `a` at x.
 */
function pairCertificates(
  weights: AnyMulticlass,
  at: {
    a: Float64Array;
    rowNorms: ArrayLike<number>;
    from: number;
    labels: ArrayLike<number>;
  },
): { l: number; bound: number }[] {
  const { m, k, v } = weights;
  const { a, rowNorms, from, labels } = at;
  const outputWeights = new Float64Array(m);
  const out: { l: number; bound: number }[] = [];
  for (let l = 0; l < k; l++) {
    if (labels[l] === labels[from]) continue;
    for (let r = 0; r < m; r++) {
      outputWeights[r] = v[from * m + r] - v[l * m + r];
    }
    out.push({
      l,
      bound: certifiedRadius({ offsets: a, rowNorms, outputWeights }, 1),
    });
  }
  return out;
}

/**
 * The exact smallest t ≥ 0 with M(x + t·u) ≤ 0 for the unit vector u along
 * `direction` (`Infinity` when the ray never flips the induced classifier;
 * 0 when x is already misclassified): M is piecewise linear along the line
 * (see the module doc); on each piece the set where a given l ∈ O beats
 * every j ∈ S is an interval, and its left end is the candidate.
 *
 * @example
 * ```ts
 * import { inducedFlipAlong } from "./induced_radius.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 2, m: 2, k: 2, w: [1, 0, 0, 1], b: [0, 0], v: [1, 0, 0, 1] };
 * // From (2, 0) along (−1, 1)/√2: relu(2 − t/√2) = relu(t/√2) at t = √2.
 * const t = inducedFlipAlong(net, { x: [2, 0], label: 1, direction: [-1, 1] }, { labels: [1, -1] });
 * assert.ok(Math.abs(t - Math.SQRT2) < 1e-12);
 * ```
 */
export function inducedFlipAlong(
  weights: AnyMulticlass,
  probe: LabelledPoint & { direction: ArrayLike<number> },
  options: InducedOptions,
): number {
  requireRelu(weights, "inducedFlipAlong");
  const { d, m, k, w, v } = weights;
  const { labels } = options;
  const { label, direction } = probe;
  const a = preActivations(weights, probe.x);
  const f = outputsFrom(weights, a);
  if (!(inducedDecision(f, { labels, label }).margin > 0)) return 0;
  let norm = 0;
  for (let t = 0; t < d; t++) norm += direction[t] * direction[t];
  norm = Math.sqrt(norm);
  if (!(norm > 0) || !Number.isFinite(norm)) return Infinity;
  const c = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += w[r * d + t] * direction[t];
    c[r] = s / norm;
  }
  // Slopes of each f_l on the first piece, and the kinks ahead.
  const slope = new Float64Array(k);
  const kinks: { t: number; r: number }[] = [];
  for (let r = 0; r < m; r++) {
    const active = a[r] > 0 || (a[r] === 0 && c[r] > 0);
    if (active) { for (let l = 0; l < k; l++) slope[l] += v[l * m + r] * c[r]; }
    if (c[r] !== 0) {
      const t = -a[r] / c[r];
      if (t > 0) kinks.push({ t, r });
    }
  }
  kinks.sort((p, q) => p.t - q.t);
  const same: number[] = [], opposite: number[] = [];
  for (let l = 0; l < k; l++) (labels[l] === label ? same : opposite).push(l);
  let t0 = 0;
  for (let e = 0; e <= kinks.length; e++) {
    const t1 = e < kinks.length ? kinks[e].t : Infinity;
    let found = Infinity;
    for (const l of opposite) {
      let lo = t0, hi = t1;
      for (const j of same) {
        const gap = f[l] - f[j], rate = slope[l] - slope[j];
        if (rate > 0) lo = Math.max(lo, t0 - gap / rate);
        else if (rate < 0) hi = Math.min(hi, t0 - gap / rate);
        else if (gap < 0) hi = -Infinity;
      }
      if (lo <= hi) found = Math.min(found, lo);
    }
    if (found < Infinity) return found;
    if (e === kinks.length) break;
    // Move to the kink and switch its neuron on or off.
    for (let l = 0; l < k; l++) f[l] += slope[l] * (t1 - t0);
    const r = kinks[e].r;
    const sign = c[r] > 0 ? 1 : -1;
    for (let l = 0; l < k; l++) slope[l] += sign * v[l * m + r] * c[r];
    t0 = t1;
  }
  return Infinity;
}

/**
 * Whether x + z is a flip of the induced classifier (M(x + z) ≤ 0), in
 * float64.
 *
 * @example
 * ```ts
 * import { isInducedFlip } from "./induced_radius.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 2, m: 2, k: 2, w: [1, 0, 0, 1], b: [0, 0], v: [1, 0, 0, 1] };
 * const probe = { x: [2, 0], label: 1, perturbation: [-1, 1] };
 * assert.equal(isInducedFlip(net, probe, { labels: [1, -1] }), true);
 * ```
 */
export function isInducedFlip(
  weights: AnyMulticlass,
  probe: LabelledPoint & { perturbation: ArrayLike<number> },
  options: InducedOptions,
): boolean {
  requireRelu(weights, "isInducedFlip");
  const { x, perturbation: z, label } = probe;
  const moved = Float64Array.from(x, (xi, t) => xi + z[t]);
  const f = multiclassOutputs(weights, moved);
  return !(inducedDecision(f, { labels: options.labels, label }).margin > 0);
}

/** A flip of the induced classifier verified in float64, and its norm. */
export interface InducedFlip {
  /** z with M(x + z) ≤ 0. */
  perturbation: Float64Array;
  /** ‖z‖. */
  radius: number;
}

/**
 * The smallest verified induced flip along `direction` (null when the ray
 * never flips, or when no nudged root verifies: `unverified` then says so).
 */
export function settleInduced(
  weights: AnyMulticlass,
  probe: LabelledPoint & { direction: ArrayLike<number> },
  options: InducedOptions,
): { flip: InducedFlip | null; unverified: boolean } {
  const t = inducedFlipAlong(weights, probe, options);
  if (!Number.isFinite(t)) return { flip: null, unverified: false };
  const { direction } = probe;
  let norm = 0;
  for (let i = 0; i < direction.length; i++) norm += direction[i] ** 2;
  norm = Math.sqrt(norm);
  for (const nudge of VERIFY_NUDGES) {
    const scale = t === 0 ? 0 : (t * (1 + nudge)) / norm;
    const z = Float64Array.from(direction, (u) => scale * u);
    if (isInducedFlip(weights, { ...probe, perturbation: z }, options)) {
      let r = 0;
      for (const zi of z) r += zi * zi;
      return {
        flip: { perturbation: z, radius: Math.sqrt(r) },
        unverified: false,
      };
    }
  }
  return { flip: null, unverified: true };
}

/** The bracket certified ≤ r ≤ attack on the induced classifier's robust radius. */
export interface InducedBracket {
  /** Sound certified radius (lower bound). */
  certified: number;
  /** Smallest verified induced flip over the pairs (upper bound; `Infinity` if none). */
  attack: number;
  /** The opposite cluster whose pair attack gave it (−1 if none, or a misclassified point). */
  pair: number;
  /** attack − certified. */
  width: number;
}

/** What {@linkcode bracketInducedRadii} returns. */
export interface InducedBrackets {
  /** One bracket per point, in order. */
  brackets: InducedBracket[];
  /** Pair flips whose induced flip along the ray failed float64 verification. */
  unverified: number;
  /** Points whose attack radius is below certified·(1 − SOUNDNESS_MARGIN) (a bug if any). */
  violations: number;
}

/** Options of {@linkcode bracketInducedRadii}. */
export interface InducedBracketOptions extends InducedOptions {
  /**
   * Training points with their clusters, for the MALT-style attack on each
   * pair (aimed at the opposite cluster's points); without them it does not
   * run.
   */
  targets?: { x: ArrayLike<number>; cluster: ArrayLike<number> };
  /** Options passed to the ensemble (DeepFool and FMN settings). */
  attacks?: Pick<BracketOptions, "deepFool" | "fmn" | "malt">;
  /**
   * Attack, per point, only the pairs (j*, l) with the smallest pair
   * certificates ε*(f_{j*} − f_l, x), this many (default: every l ∈ O).
   * Any verified flip bounds the radius from above, so fewer pairs can
   * only loosen the bound; the certificate always covers every pair.
   */
  pairsPerPoint?: number;
}

/**
 * Bracket the induced classifier's robust radius at every point (see the
 * module doc): the certificate below, the best verified induced flip of
 * the pair attacks above.
 *
 * @example
 * ```ts
 * import { bracketInducedRadii } from "./induced_radius.ts";
 * import { initBackend } from "../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const net = { d: 2, m: 2, k: 2, w: [1, 0, 0, 1], b: [0, 0], v: [1, 0, 0, 1] };
 * // At (2, 0.5) both neurons are active and f_0 − f_1 = x1 − x2 = 1.5: the
 * // robust radius is 1.5/√2, found by the attacks; the interval bound
 * // relu(2 − ε) − relu(0.5 + ε) certifies 0.75.
 * const { brackets } = bracketInducedRadii(net, { x: [2, 0.5], y: [1] }, { labels: [1, -1] });
 * assert.equal(brackets[0].certified, 0.75);
 * assert.ok(Math.abs(brackets[0].attack - 1.5 / Math.SQRT2) < 1e-6);
 * ```
 */
export function bracketInducedRadii(
  weights: AnyMulticlass,
  points: LabelledPoints,
  options: InducedBracketOptions,
): InducedBrackets {
  requireRelu(weights, "bracketInducedRadii");
  const { d } = weights;
  const { labels, pairsPerPoint = Infinity } = options;
  const n = points.y.length;
  const rowNorms = options.rowNorms ?? hiddenRowNorms(weights);
  const point = (i: number) =>
    Float64Array.from({ length: d }, (_, t) => points.x[i * d + t]);
  const brackets: InducedBracket[] = [];
  // One batch row per attacked (point, pair): its point and the pair's
  // output weights V_{j*}· − V_l·.
  const rows: { i: number; l: number; v: ArrayLike<number> }[] = [];
  for (let i = 0; i < n; i++) {
    const x = point(i), label = points.y[i];
    const a = preActivations(weights, x);
    const decision = inducedDecision(outputsFrom(weights, a), {
      labels,
      label,
    });
    const misclassified = !(decision.margin > 0);
    brackets.push({
      certified: inducedCertifiedRadius(weights, { x, label }, {
        labels,
        rowNorms,
      }),
      attack: misclassified ? 0 : Infinity,
      pair: -1,
      width: 0,
    });
    if (misclassified) continue;
    const j = decision.same;
    const ranked = pairCertificates(weights, { a, rowNorms, from: j, labels })
      .sort((p, q) => p.bound - q.bound || p.l - q.l);
    for (const { l } of ranked.slice(0, pairsPerPoint)) {
      rows.push({ i, l, v: pairNetwork(weights, { from: j, to: l }).v });
    }
  }
  let unverified = 0;
  if (rows.length > 0) {
    const report = bracketRobustRadii(
      pairBatch(weights, { points, rows }),
      pairAttackOptions(options, { d, rows }),
    );
    report.brackets.forEach((pairBracket, q) => {
      if (pairBracket.perturbation === null) return;
      const { i, l } = rows[q];
      const settled = settleInduced(weights, {
        x: point(i),
        label: points.y[i],
        direction: pairBracket.perturbation,
      }, { labels, rowNorms });
      if (settled.unverified) unverified++;
      const flip = settled.flip;
      if (flip !== null && flip.radius < brackets[i].attack) {
        brackets[i].attack = flip.radius;
        brackets[i].pair = l;
      }
    });
  }
  let violations = 0;
  for (const bracket of brackets) {
    bracket.width = bracket.attack - bracket.certified;
    if (bracket.attack < bracket.certified * (1 - SOUNDNESS_MARGIN)) {
      violations++;
    }
  }
  return { brackets, unverified, violations };
}

/**
 * The attack batch of the pair rows: row q is point `rows[q].i` with label
 * +1 on the pair network with output weights `rows[q].v` (the shared hidden
 * layer of `weights`).
 */
function pairBatch(
  weights: AnyMulticlass,
  spec: {
    points: LabelledPoints;
    rows: readonly { i: number; v: ArrayLike<number> }[];
  },
): AttackBatch {
  const { d, m, w, b } = weights;
  const { points, rows } = spec;
  const x = new Float64Array(rows.length * d);
  const v = new Float64Array(rows.length * m);
  rows.forEach(({ i, v: row }, q) => {
    for (let t = 0; t < d; t++) x[q * d + t] = points.x[i * d + t];
    v.set(row, q * m);
  });
  return new AttackBatch(
    { d, m, w, b, v: new Float64Array(m) },
    { x, y: new Float64Array(rows.length).fill(1) },
    { outputWeights: v },
  );
}

/**
 * The ensemble's options for the pair rows: the caller's attack settings
 * and, given training points, the MALT-style attack aimed from row q at
 * the training points of its opposite cluster `rows[q].l` (every training
 * point labelled −1, the side f_l > f_{j*} of a pair; each row restricted
 * to its cluster's).
 */
function pairAttackOptions(
  options: InducedBracketOptions,
  spec: { d: number; rows: readonly { l: number }[] },
): BracketOptions {
  const { targets, attacks } = options;
  if (targets === undefined) return { ...attacks };
  const { d, rows } = spec;
  const count = targets.cluster.length;
  const members = new Map<number, number[]>();
  for (let t = 0; t < count; t++) {
    const list = members.get(targets.cluster[t]);
    if (list === undefined) members.set(targets.cluster[t], [t]);
    else list.push(t);
  }
  return {
    ...attacks,
    targets: {
      x: Float64Array.from({ length: count * d }, (_, t) => targets.x[t]),
      y: new Float64Array(count).fill(-1),
    },
    malt: {
      ...attacks?.malt,
      candidates: rows.map(({ l }) => members.get(l) ?? []),
    },
  };
}
