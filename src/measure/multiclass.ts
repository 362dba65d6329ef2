/**
 * The one-label-per-cluster network, measured: C6's control that breaks
 * feature averaging for a known reason, exposed as a twin for C4.
 *
 * Train the k-output network f_l(x) = Σ_r V_lr relu(⟨w_r, x⟩ + b_r)
 * (`../flow/multiclass.ts`) on the same inputs with the cluster index as the
 * label. The feature-averaging analysis (Li, Pan, Lyu & Li, ICLR 2025)
 * predicts that its neurons align with individual means μ_j instead of the
 * class sums u±, and that the binary classifier it induces is robust at the
 * √d scale instead of √(d/k).
 *
 * The induced binary classifier labels x by y_{j(x)}, the label of its
 * argmax cluster j(x) = argmax_l f_l(x). For a point of label y write
 * S = {l : y_l = y} and O = {l : y_l ≠ y}; the induced margin is
 *
 *   M(x) = max_{j∈S} f_j(x) − max_{l∈O} f_l(x),
 *
 * and x + z is a flip when M(x + z) ≤ 0 (ties count, as for one output).
 * Each f_j − f_l is the suite's two-layer network with output weights
 * V_j· − V_l· ({@linkcode pairNetwork}), so the binary tools apply pair by
 * pair:
 *
 * - certificate ({@linkcode inducedCertifiedRadius}): max over j ∈ S with
 *   f_j(x) > max_O f of min_{l∈O} ε*(f_j − f_l, x), with ε* the sound
 *   interval bound of `certified_radius.ts`. Sound: if ‖z‖ is below it for
 *   some j, then f_j(x + z) > f_l(x + z) for every l ∈ O, so
 *   max_S f ≥ f_j > max_O f at x + z and the label is kept.
 * - attack ({@linkcode bracketInducedRadii}): for each attacked point with
 *   argmax j* ∈ S and each l ∈ O (or the `pairsPerPoint` of them with the
 *   smallest pair certificates), the attack ensemble
 *   (`./attacks/ensemble.ts`: DeepFool, FMN and, given training points, the
 *   MALT-style attack aimed at cluster l's training points) runs on the
 *   pair network f_{j*} − f_l with label +1, every (point, pair) of the
 *   call a row of one batch with its own output weights
 *   V_{j*}· − V_l· (`./attacks/batch.ts`), so the ensemble runs once
 *   however many distinct pairs there are. A pair flip need not flip the
 *   induced classifier (another cluster of S may still win), so each pair's
 *   best perturbation only names a direction u: the smallest t with
 *   M(x + t·u/‖u‖) ≤ 0 is found exactly ({@linkcode inducedFlipAlong}: M is
 *   piecewise linear along the line, each f_l linear between the neurons'
 *   kinks) and verified in float64 ({@linkcode isInducedFlip}, with the
 *   nudges of `./attacks/verify.ts`). The attack radius is the smallest
 *   verified induced flip over the pairs: an upper bound on the induced
 *   classifier's robust radius, as the certificate is a lower bound.
 *
 * Neurons of the k-output network vote ({@linkcode multiclassVotes}) for
 * the label of the cluster with their largest output weight, c_r =
 * y_{argmax_l V_lr}, and count as significant by Σ_l V_lr² + ‖w_r‖² + b_r²;
 * its binary readout ({@linkcode readoutNetwork}) is the one-output network
 * N̄ = Σ_l y_l f_l, with output weights Σ_l y_l V_lr. The module also
 * builds C6's twin, the one-neuron-per-cluster network on the training
 * sample's cluster means ({@linkcode sampleClusterNetwork}).
 *
 * ReLU only: the k-output weights have no activation power, and the
 * functions here that evaluate them throw a RangeError when handed weights
 * that carry a `power` other than 1 (a one-output `NetworkWeights` spread
 * into them, say), rather than drop it.
 *
 * @module
 */

import {
  multiclassFlow,
  type MulticlassFlowOptions,
  type MulticlassFlowResult,
  multiclassInit,
  multiclassOutputs,
  type MulticlassWeights,
} from "../flow/multiclass.ts";
import type {
  ClusterSample,
  LabelledPoint,
  LabelledPoints,
} from "../model/data.ts";
import type { Instance } from "../model/instance.ts";
import type { Rng } from "../model/rng.ts";
import { type NetworkWeights, requireRelu } from "../model/weights.ts";
import { inputGradientAt, type NeuronVotes } from "./alignment.ts";
import { AttackBatch } from "./attacks/batch.ts";
import {
  type BracketOptions,
  bracketRobustRadii,
  SOUNDNESS_MARGIN,
} from "./attacks/ensemble.ts";
import { VERIFY_NUDGES } from "./attacks/verify.ts";
import { certifiedRadius } from "./certified_radius.ts";
import { robustNetwork } from "./constructions.ts";

/** A multiclass network whose arrays may be of any numeric type. */
type AnyMulticlass = MulticlassWeights<ArrayLike<number>>;

/**
 * The two-layer network f_from − f_to: the shared hidden layer (the same
 * arrays) with output weights V_from· − V_to·.
 *
 * @example
 * ```ts
 * import { pairNetwork } from "./multiclass.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 1, m: 2, k: 2, w: [1, -1], b: [0, 0], v: [1, 2, 3, 5] };
 * assert.deepEqual(Array.from(pairNetwork(net, { from: 1, to: 0 }).v), [2, 3]);
 * ```
 */
export function pairNetwork(
  weights: AnyMulticlass,
  pair: { from: number; to: number },
): NetworkWeights {
  requireRelu(weights, "pairNetwork");
  const { d, m, k, w, b, v } = weights;
  const { from, to } = pair;
  for (const l of [from, to]) {
    if (!Number.isInteger(l) || l < 0 || l >= k) {
      throw new RangeError(`output ${l} outside 0..${k - 1}`);
    }
  }
  const out = Float64Array.from(
    { length: m },
    (_, r) => v[from * m + r] - v[to * m + r],
  );
  return { d, m, w, b, v: out };
}

/**
 * The binary readout N̄ = Σ_l y_l f_l of a k-output network, a one-output
 * network with output weights Σ_l y_l V_lr (`labels` y_l, length k).
 *
 * @example
 * ```ts
 * import { readoutNetwork } from "./multiclass.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 1, m: 2, k: 2, w: [1, -1], b: [0, 0], v: [1, 2, 3, 5] };
 * assert.deepEqual([...readoutNetwork(net, [1, -1]).v], [-2, -3]);
 * ```
 */
export function readoutNetwork(
  weights: AnyMulticlass,
  labels: ArrayLike<number>,
): NetworkWeights<Float64Array> {
  requireRelu(weights, "readoutNetwork");
  const { d, m, k, w, b, v } = weights;
  if (labels.length !== k) {
    throw new RangeError(`${labels.length} labels for k=${k} outputs`);
  }
  const out = new Float64Array(m);
  for (let l = 0; l < k; l++) {
    for (let r = 0; r < m; r++) out[r] += labels[l] * v[l * m + r];
  }
  return {
    d,
    m,
    w: Float64Array.from(w),
    b: Float64Array.from(b),
    v: out,
  };
}

/**
 * The votes of a k-output network's neurons (see the module doc):
 * ‖o_r‖² = Σ_l V_lr², c_r = y_{argmax_l V_lr}.
 *
 * @example
 * ```ts
 * import { multiclassVotes } from "./multiclass.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 1, m: 2, k: 2, w: [1, -1], b: [0, 0], v: [1, 2, 3, -5] };
 * const votes = multiclassVotes(net, [1, -1]);
 * assert.deepEqual(Array.from(votes.outputSquares), [10, 29]);
 * assert.deepEqual(Array.from(votes.classes), [-1, 1]);
 * ```
 */
export function multiclassVotes(
  weights: AnyMulticlass,
  labels: ArrayLike<number>,
): NeuronVotes {
  const { d, m, k, w, b, v } = weights;
  if (labels.length !== k) {
    throw new RangeError(`${labels.length} labels for k=${k} outputs`);
  }
  const outputSquares = new Float64Array(m);
  const classes = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let best = 0;
    for (let l = 0; l < k; l++) {
      outputSquares[r] += v[l * m + r] ** 2;
      if (v[l * m + r] > v[best * m + r]) best = l;
    }
    classes[r] = labels[best];
  }
  return { d, m, w, b, outputSquares, classes };
}

/**
 * How many of the n points (x n×d row-major) no neuron of the hidden layer
 * is active at: every output is 0 there and no gradient reaches them, so a
 * training point in this state stops the multiclass flow short of
 * L < log(2)/n (its `stuck` status).
 *
 * @example
 * ```ts
 * import { inactivePoints } from "./multiclass.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 1, m: 1, k: 2, w: [1], b: [-1], v: [1, -1] };
 * assert.equal(inactivePoints(net, [2, 0.5, -3]), 2);
 * ```
 */
export function inactivePoints(
  weights: AnyMulticlass,
  x: ArrayLike<number>,
): number {
  const { d } = weights;
  const n = x.length / d;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const a = preActivations(
      weights,
      Array.from({ length: d }, (_, t) => x[i * d + t]),
    );
    if (a.every((z) => !(z > 0))) count++;
  }
  return count;
}

/** The induced classifier's decision at a point of a given label. */
export interface InducedDecision {
  /** j ∈ S with the largest f_j (S: clusters of the point's label). */
  same: number;
  /** l ∈ O with the largest f_l (O: clusters of the other label). */
  opposite: number;
  /** M = f_same − f_opposite; the point is misclassified when M ≤ 0. */
  margin: number;
}

/**
 * The induced decision from the k outputs at one point (see the module
 * doc), for a point of label `label` and cluster labels `labels`.
 *
 * @example
 * ```ts
 * import { inducedDecision } from "./multiclass.ts";
 * import assert from "node:assert/strict";
 * const decision = inducedDecision([1, 4, 3], { labels: [1, -1, 1], label: 1 });
 * assert.deepEqual(decision, { same: 2, opposite: 1, margin: -1 });
 * ```
 */
export function inducedDecision(
  outputs: ArrayLike<number>,
  point: { labels: ArrayLike<number>; label: number },
): InducedDecision {
  const { labels, label } = point;
  let same = -1, opposite = -1;
  for (let l = 0; l < labels.length; l++) {
    if (labels[l] === label) {
      if (same < 0 || outputs[l] > outputs[same]) same = l;
    } else if (opposite < 0 || outputs[l] > outputs[opposite]) opposite = l;
  }
  if (same < 0 || opposite < 0) {
    throw new RangeError("both labels must occur among the clusters");
  }
  return { same, opposite, margin: outputs[same] - outputs[opposite] };
}

/** Pre-activations a_r = ⟨w_r, x⟩ + b_r of the shared hidden layer at x. */
function preActivations(weights: AnyMulticlass, x: ArrayLike<number>) {
  const { d, m, w, b } = weights;
  if (x.length !== d) {
    throw new RangeError(`point has length ${x.length}, expected d=${d}`);
  }
  const a = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let s = b[r];
    for (let t = 0; t < d; t++) s += w[r * d + t] * x[t];
    a[r] = s;
  }
  return a;
}

/** ‖w_r‖ for every neuron of the shared hidden layer. */
function hiddenRowNorms(weights: AnyMulticlass): Float64Array {
  const { d, m, w } = weights;
  return Float64Array.from({ length: m }, (_, r) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += w[r * d + t] ** 2;
    return Math.sqrt(s);
  });
}

/** The outputs f_l = Σ_r V_lr relu(a_r) from pre-activations. */
function outputsFrom(weights: AnyMulticlass, a: Float64Array): Float64Array {
  const { m, k, v } = weights;
  const f = new Float64Array(k);
  for (let l = 0; l < k; l++) {
    let s = 0;
    for (let r = 0; r < m; r++) if (a[r] > 0) s += v[l * m + r] * a[r];
    f[l] = s;
  }
  return f;
}

/** Options of the induced-classifier measurements. */
export interface InducedOptions {
  /** Label y_l of each cluster (length k; both labels present). */
  labels: ArrayLike<number>;
  /** Row norms ‖w_r‖ when already known (computed otherwise). */
  rowNorms?: ArrayLike<number>;
}

/**
 * A sound certified radius of the induced classifier at a labelled point:
 * max over j ∈ S with f_j(x) > max_O f of min_{l∈O} ε*(f_j − f_l, x) (see
 * the module doc); 0 when the point is misclassified.
 *
 * @example One neuron per cluster, orthogonal unit means
 * ```ts
 * import { inducedCertifiedRadius } from "./multiclass.ts";
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
 * import { inducedFlipAlong } from "./multiclass.ts";
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
 * import { isInducedFlip } from "./multiclass.ts";
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
 * import { bracketInducedRadii } from "./multiclass.ts";
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

/**
 * The gradient y·∇_x(f_j − f_l)(x) of the induced margin at each of n
 * points, n×d row-major, with j and l the best clusters of the point's
 * label y and of the other label: for a one-output network the same
 * formula gives y·∇(y·N) = ∇N, so it is the gradient C6 compares with
 * s = Σ_j y_j μ_j for either kind of classifier.
 *
 * @example
 * ```ts
 * import { inducedGradients } from "./multiclass.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 2, m: 2, k: 2, w: [1, 0, 0, 1], b: [0, 0], v: [1, 0, 0, 1] };
 * const g = inducedGradients(net, { x: [2, 1, 1, 2], y: [1, -1] }, { labels: [1, -1] });
 * assert.deepEqual([...g], [1, -1, 1, -1]);
 * ```
 */
export function inducedGradients(
  weights: AnyMulticlass,
  points: LabelledPoints,
  options: InducedOptions,
): Float64Array {
  requireRelu(weights, "inducedGradients");
  const { d } = weights;
  const n = points.y.length;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const x = Float64Array.from({ length: d }, (_, t) => points.x[i * d + t]);
    const y = points.y[i];
    const f = outputsFrom(weights, preActivations(weights, x));
    const { same, opposite } = inducedDecision(f, {
      labels: options.labels,
      label: y,
    });
    const g = inputGradientAt(
      pairNetwork(weights, { from: same, to: opposite }),
      x,
    );
    for (let t = 0; t < d; t++) out[i * d + t] = y * g[t];
  }
  return out;
}

/**
 * The one-neuron-per-cluster network built from a training sample: the
 * robust network N*(x) = Σ_j y_j relu(⟨μ_j, x⟩ − d/2) of
 * `constructions.ts` with each mean μ_j replaced by the mean x̄_j of
 * cluster j's training points (clusters absent from the sample get no
 * neuron). It fits the data as N* does, its neurons are per-cluster and
 * only the own cluster's neuron is active near a mean, so its input
 * gradient at x ≈ μ_j is y_j x̄_j: C6's twin, the per-cluster network
 * perturbed by the training noise (nothing drawn, nothing tuned).
 *
 * @example
 * ```ts
 * import { sampleClusterNetwork } from "./multiclass.ts";
 * import assert from "node:assert/strict";
 * const train = { n: 3, d: 2, x: new Float32Array([4, 0, 2, 0, 0, 2]), cluster: new Int32Array([0, 0, 2]) };
 * const net = sampleClusterNetwork(train, { k: 3, clusterLabels: [1, -1, -1] });
 * assert.deepEqual([...net.w], [3, 0, 0, 2]);
 * assert.deepEqual([...net.v], [1, -1]);
 * assert.deepEqual([...net.b], [-1, -1]);
 * ```
 */
export function sampleClusterNetwork(
  train: Pick<ClusterSample, "n" | "d" | "x" | "cluster">,
  clusters: { k: number; clusterLabels: ArrayLike<number> },
): NetworkWeights<Float64Array> {
  const { n, d, x, cluster } = train;
  const { k, clusterLabels } = clusters;
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const j = cluster[i];
    counts[j]++;
    for (let t = 0; t < d; t++) sums[j * d + t] += x[i * d + t];
  }
  const seen = Array.from({ length: k }, (_, j) => j).filter((j) =>
    counts[j] > 0
  );
  const means = new Float64Array(seen.length * d);
  seen.forEach((j, q) => {
    for (let t = 0; t < d; t++) means[q * d + t] = sums[j * d + t] / counts[j];
  });
  return robustNetwork({
    d,
    k: seen.length,
    clusterMeans: means,
    clusterLabels: seen.map((j) => clusterLabels[j]),
  });
}

/** Options of {@linkcode oneLabelPerClusterNetwork}. */
export interface OneLabelOptions {
  /** Points whose induced robust radius is bracketed (none: no attacks). */
  points?: LabelledPoints;
  /** Flow settings (default: the instance's step fraction and step budget). */
  flow?: MulticlassFlowOptions;
  /**
   * Generator of the output weights' initialization (default
   * `instance.rng`, so the draws follow the instance's).
   */
  rng?: Rng;
  /** Aim the MALT-style attack at the training points (default true). */
  malt?: boolean;
  /** Options passed to the attack ensemble. */
  attacks?: InducedBracketOptions["attacks"];
  /** Pairs attacked per point (see {@linkcode InducedBracketOptions}). */
  pairsPerPoint?: number;
}

/** What {@linkcode oneLabelPerClusterNetwork} returns. */
export interface OneLabelNetwork {
  /** The multiclass flow's record (status, steps, margins, drift). */
  flow: MulticlassFlowResult;
  /** The trained k-output weights. */
  weights: MulticlassWeights;
  /** The induced classifier's brackets on `options.points` (empty without points). */
  brackets: InducedBracket[];
  /** Unverified induced flips (see {@linkcode InducedBrackets}). */
  unverified: number;
  /** Attack radii below their certificates (must be 0). */
  violations: number;
}

/**
 * Train the one-label-per-cluster network on an instance's training inputs
 * (labels: the cluster indices; hidden layer initialised at the instance's
 * small initialization, output weights V_lr ~ N(0, α²) drawn from
 * `options.rng`), and bracket the induced binary classifier's robust radius
 * on `options.points` (see the module doc).
 *
 * @example
 * ```ts
 * import { oneLabelPerClusterNetwork } from "./multiclass.ts";
 * import { defaultInstance, drawInstance } from "../model/instance.ts";
 * import { initBackend } from "../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const params = { ...defaultInstance, d: 40, k: 2, n: 12, m: 8, nTest: 4 };
 * const instance = drawInstance(5, params);
 * const net = oneLabelPerClusterNetwork(instance, { points: instance.test });
 * assert.equal(net.weights.k, 2);
 * assert.equal(net.brackets.length, 4);
 * assert.equal(net.violations, 0);
 * ```
 */
export function oneLabelPerClusterNetwork(
  instance: Instance,
  options: OneLabelOptions = {},
): OneLabelNetwork {
  const { params, train, init, model } = instance;
  const labels = model.clusterLabels;
  const start = multiclassInit(init, {
    rng: options.rng ?? instance.rng,
    k: params.k,
    initScale: params.initScale,
  });
  const flow = multiclassFlow(
    { n: train.n, d: train.d, k: params.k, x: train.x, classes: train.cluster },
    start,
    {
      stepFraction: params.stepFraction,
      maxSteps: params.maxSteps,
      ...options.flow,
    },
  );
  if (options.points === undefined) {
    return {
      flow,
      weights: flow.weights,
      brackets: [],
      unverified: 0,
      violations: 0,
    };
  }
  const measured = bracketInducedRadii(flow.weights, options.points, {
    labels,
    targets: options.malt === false ? undefined : train,
    attacks: options.attacks,
    pairsPerPoint: options.pairsPerPoint,
  });
  return { flow, weights: flow.weights, ...measured };
}
