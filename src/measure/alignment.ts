/**
 * Feature averaging, measured (C6 and N1). For a hidden layer
 * z_r(x) = ⟨w_r, x⟩ + b_r read out by output weights, and cluster means
 * μ_1..μ_k with labels y_j (u+ = Σ_{y_j=+1} μ_j, u- = Σ_{y_j=-1} μ_j,
 * s = Σ_j y_j μ_j = u+ − u-):
 *
 * - a neuron is *significant* when its size ‖o_r‖² + ‖w_r‖² + b_r² is at
 *   least a fraction of the largest, where ‖o_r‖² is the squared norm of
 *   its output weights (v_r² for one output, Σ_l V_lr² for k outputs);
 * - {@linkcode neuronAlignments}: cos(w_r, u_{c_r}) for each significant
 *   neuron, where c_r = ±1 is the class the neuron votes for (the sign of
 *   v_r for one output). Feature averaging predicts ≈ 1; a neuron aligned
 *   with one mean μ_j of its class gets cos(μ_j, u_{y_j}) = 1/√k_y on
 *   orthogonal means (k_y clusters of that label), about 0.45 for k = 10;
 * - {@linkcode meanAlignments}: max_j cos(w_r, μ_j), the alignment with the
 *   best individual mean: ≈ 1/√k_y for an averaging neuron, ≈ 1 for a
 *   per-cluster one (the reason the one-label-per-cluster control fails);
 * - {@linkcode clusterCoverage}: the best individual mean of each significant
 *   neuron and how many clusters a neuron of the right sign covers (C8's
 *   one-neuron-per-cluster check);
 * - {@linkcode initialAlignments}: cos(w_r, w_r(0)), how much of a neuron
 *   is still its random start (≈ 0 after the small-initialization dynamics,
 *   large in the lazy regime of a large initialization);
 * - {@linkcode rowCosines} of the input gradients ∇_x N(x_i) at n points
 *   with s: cos(∇_x N(x_i), s), the quantity C4's direction relies on: the exact flip radius along −y·s is
 *   y·N(x)/(‖∇N‖·cos(∇N, s)) on the linear piece. Averaging predicts
 *   cos(y·u_y, s) = √(k_y/k) = 1/√2 for balanced orthogonal means (the
 *   gradient at a point of class y is along y·u_y).
 *
 * @module
 */

import { classMeanSum, type ClusterModel } from "../model/data.ts";
import { reluPowerSlope } from "../model/forward.ts";
import { networkPower, type NetworkWeights } from "../model/weights.ts";

/**
 * The cosine ⟨a, b⟩ / (‖a‖‖b‖) of two vectors of the same length (NaN when
 * one is zero). The three sums run together in index order.
 *
 * @example
 * ```ts
 * import { cosine } from "./alignment.ts";
 * import assert from "node:assert/strict";
 * assert.equal(cosine([1, 0], [3, 0]), 1);
 * assert.equal(cosine([1, 0], [0, 2]), 0);
 * ```
 */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError(`cosine: lengths differ (${a.length}, ${b.length})`);
  }
  let ab = 0, aa = 0, bb = 0;
  for (let t = 0; t < b.length; t++) {
    ab += a[t] * b[t];
    aa += a[t] * a[t];
    bb += b[t] * b[t];
  }
  return ab / Math.sqrt(aa * bb);
}

/** The class mean sums u+ = Σ_{y_j=+1} μ_j and u- = Σ_{y_j=-1} μ_j (length d each). */
export interface ClassMeanSums<A extends ArrayLike<number> = Float64Array> {
  /** u+, what neurons voting +1 (v_r > 0) are compared with. */
  plus: A;
  /** u-, what neurons voting −1 (v_r < 0) are compared with. */
  minus: A;
}

/**
 * The class mean sums u± of a cluster model.
 *
 * @example
 * ```ts
 * import { classMeanSums } from "./alignment.ts";
 * import { clusterModel } from "../model/data.ts";
 * import { Rng } from "../model/rng.ts";
 * import assert from "node:assert/strict";
 * const { plus, minus } = classMeanSums(clusterModel(new Rng(1), { d: 9, k: 3 }));
 * assert.equal(plus.length + minus.length, 18);
 * ```
 */
export function classMeanSums(model: ClusterModel): ClassMeanSums {
  return { plus: classMeanSum(model, 1), minus: classMeanSum(model, -1) };
}

/**
 * A hidden layer and, per neuron, what its readout says about it: the
 * squared norm of its output weights (`outputSquares`, for significance)
 * and the class ±1 it votes for (`classes`). {@linkcode neuronVotes} gives
 * them for a one-output network; `multiclass.ts` for a k-output one.
 */
export interface NeuronVotes {
  /** Input dimension d. */
  d: number;
  /** Width m. */
  m: number;
  /** Hidden weights, m×d row-major. */
  w: ArrayLike<number>;
  /** Hidden biases, length m. */
  b: ArrayLike<number>;
  /** ‖o_r‖², the squared norm of neuron r's output weights. */
  outputSquares: ArrayLike<number>;
  /** The class c_r ∈ {+1, −1} neuron r votes for. */
  classes: ArrayLike<number>;
}

/**
 * The votes of a one-output network: ‖o_r‖² = v_r², c_r = +1 when v_r > 0
 * and −1 otherwise.
 *
 * @example
 * ```ts
 * import { neuronVotes } from "./alignment.ts";
 * import assert from "node:assert/strict";
 * const votes = neuronVotes({ d: 1, m: 2, w: [1, 1], b: [0, 0], v: [2, -3] });
 * assert.deepEqual(Array.from(votes.outputSquares), [4, 9]);
 * assert.deepEqual(Array.from(votes.classes), [1, -1]);
 * ```
 */
export function neuronVotes(weights: NetworkWeights): NeuronVotes {
  const { d, m, w, b, v } = weights;
  return {
    d,
    m,
    w,
    b,
    outputSquares: Float64Array.from(v, (x) => x * x),
    classes: Float64Array.from(v, (x) => (x > 0 ? 1 : -1)),
  };
}

/** Options of the alignment measurements. */
export interface AlignmentOptions {
  /**
   * A neuron is significant when ‖o_r‖² + ‖w_r‖² + b_r² is at least this
   * fraction of the largest such value.
   */
  significance: number;
}

/**
 * The significant neurons of a hidden layer, in increasing order (see the
 * module doc).
 *
 * @example
 * ```ts
 * import { neuronVotes, significantNeurons } from "./alignment.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 1, m: 3, w: [1, 0.1, 2], b: [0, 0, 0], v: [1, 0.1, 2] };
 * assert.deepEqual(significantNeurons(neuronVotes(net), { significance: 0.2 }), [0, 2]);
 * ```
 */
export function significantNeurons(
  votes: NeuronVotes,
  options: AlignmentOptions,
): number[] {
  const { d, m, w, b, outputSquares } = votes;
  const size = Array.from({ length: m }, (_, r) => {
    let s = outputSquares[r] + b[r] * b[r];
    for (let t = 0; t < d; t++) s += w[r * d + t] * w[r * d + t];
    return s;
  });
  const largest = Math.max(...size);
  const out: number[] = [];
  for (let r = 0; r < m; r++) {
    if (size[r] >= options.significance * largest) out.push(r);
  }
  return out;
}

/** Row r of an m×d row-major matrix, as a view or a copy. */
function row(w: ArrayLike<number>, at: { r: number; d: number }) {
  const { r, d } = at;
  return ArrayBuffer.isView(w)
    ? (w as Float32Array | Float64Array).subarray(r * d, (r + 1) * d)
    : Array.from({ length: d }, (_, t) => w[r * d + t]);
}

/**
 * Cosines of each significant neuron's w_r with the sum of the means of the
 * class it votes for (u+ or u-), in neuron order.
 *
 * @example
 * ```ts
 * import { neuronClassAlignments, neuronVotes } from "./alignment.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 2, m: 2, w: [1, 0, 0, 2], b: [0, 0], v: [1, -2] };
 * const sums = { plus: [1, 0], minus: [0, 1] };
 * assert.deepEqual(neuronClassAlignments(neuronVotes(net), sums, { significance: 0.1 }), [1, 1]);
 * ```
 */
export function neuronClassAlignments(
  votes: NeuronVotes,
  sums: ClassMeanSums<ArrayLike<number>>,
  options: AlignmentOptions,
): number[] {
  const { d, w, classes } = votes;
  return significantNeurons(votes, options).map((r) =>
    cosine(row(w, { r, d }), classes[r] > 0 ? sums.plus : sums.minus)
  );
}

/**
 * Cosines of each significant neuron's w_r with the sum of its class's means
 * (u+ when v_r > 0, u- otherwise), in neuron order: C6's and N1's neuron
 * check on a one-output network.
 *
 * @example
 * ```ts
 * import { neuronAlignments } from "./alignment.ts";
 * import assert from "node:assert/strict";
 * const weights = {
 *   d: 2, m: 2,
 *   w: new Float32Array([1, 0, 0, 2]), b: new Float32Array([0, 0]), v: new Float32Array([1, -2]),
 * };
 * const cos = neuronAlignments(weights, { plus: [1, 0], minus: [0, 1] }, { significance: 0.1 });
 * assert.deepEqual(cos, [1, 1]);
 * ```
 */
export function neuronAlignments(
  weights: NetworkWeights,
  sums: ClassMeanSums<ArrayLike<number>>,
  options: AlignmentOptions,
): number[] {
  return neuronClassAlignments(neuronVotes(weights), sums, options);
}

/**
 * For each significant neuron, max_j cos(w_r, μ_j): its alignment with the
 * best single cluster mean (the rows of `model.clusterMeans`).
 *
 * @example
 * ```ts
 * import { meanAlignments, neuronVotes } from "./alignment.ts";
 * import assert from "node:assert/strict";
 * const model = { d: 2, k: 2, clusterMeans: new Float64Array([1, 0, 0, 1]) };
 * const net = { d: 2, m: 2, w: [1, 1, 0, 3], b: [0, 0], v: [1, 1] };
 * const cos = meanAlignments(neuronVotes(net), model, { significance: 0 });
 * assert.ok(Math.abs(cos[0] - Math.SQRT1_2) < 1e-15 && cos[1] === 1);
 * ```
 */
export function meanAlignments(
  votes: NeuronVotes,
  model: Pick<ClusterModel, "d" | "k" | "clusterMeans">,
  options: AlignmentOptions,
): number[] {
  const { d, w } = votes;
  const { k, clusterMeans } = model;
  if (model.d !== d) {
    throw new RangeError(`means have d=${model.d}, network d=${d}`);
  }
  return significantNeurons(votes, options).map((r) => {
    const wr = row(w, { r, d });
    let best = -Infinity;
    for (let j = 0; j < k; j++) {
      best = Math.max(
        best,
        cosine(wr, clusterMeans.subarray(j * d, (j + 1) * d)),
      );
    }
    return best;
  });
}

/** Result of {@linkcode clusterCoverage}. */
export interface ClusterCoverage {
  /** max_j cos(w_r, μ_j) of each significant neuron, in neuron order. */
  cosines: number[];
  /** The cluster j reaching that maximum, per significant neuron. */
  clusters: number[];
  /**
   * Clusters j that some significant neuron aligns with at cosine ≥
   * `options.alignment` and votes for with the right sign (c_r = y_j).
   */
  covered: number;
}

/**
 * One neuron per cluster, measured (C8): for each significant neuron its
 * best individual mean (as {@linkcode meanAlignments}), and how many of the
 * k clusters are covered by a neuron aligned with their mean at cosine ≥
 * `alignment` that votes for the cluster's label. The pReLU prediction is
 * every cosine ≈ 1 and every cluster covered; an averaging network has
 * cosines ≈ 1/√k_y and covers none at a high threshold.
 *
 * @example
 * ```ts
 * import { clusterCoverage, neuronVotes } from "./alignment.ts";
 * import assert from "node:assert/strict";
 * const model = {
 *   d: 2, k: 2, clusterMeans: new Float64Array([1, 0, 0, 1]),
 *   clusterLabels: new Int8Array([1, -1]),
 * };
 * const net = { d: 2, m: 2, w: [2, 0, 0, 1], b: [0, 0], v: [1, -1] };
 * const c = clusterCoverage(neuronVotes(net), model, { significance: 0.1, alignment: 0.9 });
 * assert.deepEqual(c, { cosines: [1, 1], clusters: [0, 1], covered: 2 });
 * ```
 */
export function clusterCoverage(
  votes: NeuronVotes,
  model: Pick<ClusterModel, "d" | "k" | "clusterMeans" | "clusterLabels">,
  options: AlignmentOptions & { alignment: number },
): ClusterCoverage {
  const { d, w, classes } = votes;
  const { k, clusterMeans, clusterLabels } = model;
  if (model.d !== d) {
    throw new RangeError(`means have d=${model.d}, network d=${d}`);
  }
  const cosines: number[] = [];
  const clusters: number[] = [];
  const covered = new Set<number>();
  for (const r of significantNeurons(votes, options)) {
    const wr = row(w, { r, d });
    let best = -Infinity, which = -1;
    for (let j = 0; j < k; j++) {
      const c = cosine(wr, clusterMeans.subarray(j * d, (j + 1) * d));
      if (c > best) [best, which] = [c, j];
    }
    cosines.push(best);
    clusters.push(which);
    if (best >= options.alignment && classes[r] === clusterLabels[which]) {
      covered.add(which);
    }
  }
  return { cosines, clusters, covered: covered.size };
}

/**
 * For each significant neuron, cos(w_r, w_r(0)) with its weights at
 * initialization `init` (m×d row-major, the same neuron order).
 *
 * @example
 * ```ts
 * import { initialAlignments, neuronVotes } from "./alignment.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 2, m: 1, w: [1, 1], b: [0], v: [1] };
 * assert.ok(Math.abs(initialAlignments(neuronVotes(net), [1, 0], { significance: 0 })[0] - Math.SQRT1_2) < 1e-15);
 * ```
 */
export function initialAlignments(
  votes: NeuronVotes,
  init: ArrayLike<number>,
  options: AlignmentOptions,
): number[] {
  const { d, m, w } = votes;
  if (init.length !== m * d) {
    throw new RangeError(
      `init has length ${init.length}, expected m·d = ${m * d}`,
    );
  }
  return significantNeurons(votes, options).map((r) =>
    cosine(row(w, { r, d }), row(init, { r, d }))
  );
}

/**
 * The input gradient ∇_x N(x) = Σ_r v_r 1[⟨w_r, x⟩ + b_r > 0] w_r of a
 * two-layer ReLU network at one point, in float64 (relu'(0) = 0); with a
 * power p ≠ 1, Σ_r v_r p·relu(⟨w_r, x⟩ + b_r)^(p−1) w_r.
 *
 * @example
 * ```ts
 * import { inputGradientAt } from "./alignment.ts";
 * import assert from "node:assert/strict";
 * const net = { d: 2, m: 2, w: [1, 0, 0, 1], b: [0, -5], v: [2, 1] };
 * assert.deepEqual([...inputGradientAt(net, [1, 1])], [2, 0]);
 * assert.deepEqual([...inputGradientAt({ ...net, power: 2 }, [3, 1])], [12, 0]);
 * ```
 */
export function inputGradientAt(
  weights: NetworkWeights,
  x: ArrayLike<number>,
): Float64Array {
  const { d, m, w, b, v } = weights;
  const power = networkPower(weights);
  if (x.length !== d) {
    throw new RangeError(`point has length ${x.length}, expected d=${d}`);
  }
  const out = new Float64Array(d);
  for (let r = 0; r < m; r++) {
    let z = b[r];
    for (let t = 0; t < d; t++) z += w[r * d + t] * x[t];
    if (!(z > 0) || v[r] === 0) continue;
    const coef = power === 1 ? v[r] : v[r] * reluPowerSlope(z, power);
    for (let t = 0; t < d; t++) out[t] += coef * w[r * d + t];
  }
  return out;
}

/**
 * The cosine of each row of an n×d row-major matrix (say the input
 * gradients ∇_x N(x_i) of n points) with a direction s of length d (C6
 * uses s = Σ_j y_j μ_j); NaN for a zero row.
 *
 * @example
 * ```ts
 * import { rowCosines } from "./alignment.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(rowCosines([1, 0, 0, -2], [0, 1]), [0, -1]);
 * ```
 */
export function rowCosines(
  rows: ArrayLike<number>,
  direction: ArrayLike<number>,
): number[] {
  const d = direction.length;
  const n = rows.length / d;
  if (!Number.isInteger(n)) {
    throw new RangeError(
      `rows of total length ${rows.length} are not a multiple of d=${d}`,
    );
  }
  return Array.from({ length: n }, (_, i) =>
    cosine(
      ArrayBuffer.isView(rows)
        ? (rows as Float32Array | Float64Array).subarray(i * d, (i + 1) * d)
        : Array.from({ length: d }, (_, t) => rows[i * d + t]),
      direction,
    ));
}
