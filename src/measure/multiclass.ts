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
 * - certificate (`inducedCertifiedRadius`, `./induced_radius.ts`): max over j ∈ S with
 *   f_j(x) > max_O f of min_{l∈O} ε*(f_j − f_l, x), with ε* the sound
 *   interval bound of `certified_radius.ts`. Sound: if ‖z‖ is below it for
 *   some j, then f_j(x + z) > f_l(x + z) for every l ∈ O, so
 *   max_S f ≥ f_j > max_O f at x + z and the label is kept.
 * - attack (`bracketInducedRadii`, `./induced_radius.ts`): for each attacked point with
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
 *   M(x + t·u/‖u‖) ≤ 0 is found exactly (`inducedFlipAlong`: M is
 *   piecewise linear along the line, each f_l linear between the neurons'
 *   kinks) and verified in float64 (`isInducedFlip`, with the
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

import { type MulticlassWeights } from "../flow/multiclass.ts";
import type { ClusterSample, LabelledPoints } from "../model/data.ts";
import { type NetworkWeights, requireRelu } from "../model/weights.ts";
import { inputGradientAt, type NeuronVotes } from "./alignment.ts";
import { robustNetwork } from "./constructions.ts";

/** A multiclass network whose arrays may be of any numeric type. */
export type AnyMulticlass = MulticlassWeights<ArrayLike<number>>;

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
export function preActivations(weights: AnyMulticlass, x: ArrayLike<number>) {
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
export function hiddenRowNorms(weights: AnyMulticlass): Float64Array {
  const { d, m, w } = weights;
  return Float64Array.from({ length: m }, (_, r) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += w[r * d + t] ** 2;
    return Math.sqrt(s);
  });
}

/** The outputs f_l = Σ_r V_lr relu(a_r) from pre-activations. */
export function outputsFrom(
  weights: AnyMulticlass,
  a: Float64Array,
): Float64Array {
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
