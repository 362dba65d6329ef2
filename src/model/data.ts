/**
 * The cluster distribution of the paper: k means of norm √d, labels fixed per
 * cluster (both labels present), samples x = μ_j + σξ with ξ ~ N(0, I_d).
 *
 * Means come in three kinds:
 * - `orthogonal`: μ_j = √d·e_{π(j)} for distinct random coordinates (the clean
 *   case; the network's initialization is rotation invariant, so axis-aligned
 *   orthogonal means lose no generality), ρ = 0;
 * - `gaussian`: g_j ~ N(0, I_d) rescaled to norm √d, ρ ≈ 3√d;
 * - `correlated`: μ_j = √d(√c·s + √(1-c)·e_{π(j)}) for a shared unit vector s,
 *   so ⟨μ_i, μ_j⟩ = c·d: a broken hypothesis (ρ of order d) for controls.
 *
 * @module
 */

import type { Rng } from "./rng.ts";

/** How the cluster means are drawn. */
export type MeansKind = "orthogonal" | "gaussian" | "correlated";

/** The k clusters of one instance. */
export interface ClusterModel {
  /** Input dimension. */
  d: number;
  /** Number of clusters. */
  k: number;
  /** Cluster means, k×d row-major, each of norm √d. */
  clusterMeans: Float64Array;
  /** Label y_j ∈ {±1} of each cluster. */
  clusterLabels: Int8Array;
  /** Realised correlation bound ρ = max_{i≠j} |⟨μ_i, μ_j⟩|. */
  rho: number;
  /** Noise scale σ. */
  sigma: number;
  /** How the means were drawn. */
  kind: MeansKind;
}

/** One labelled point. */
export interface LabelledPoint {
  /** The point (length d). */
  x: ArrayLike<number>;
  /** Its label (usually ±1). */
  label: number;
}

/**
 * Labelled points: n points, row-major n×d in `x`, with their labels in `y`
 * (n = `y.length`). Measurements take any such pair; a
 * {@linkcode ClusterSample} is one.
 */
export interface LabelledPoints<
  X extends ArrayLike<number> = ArrayLike<number>,
> {
  /** Points, n×d row-major. */
  x: X;
  /** Labels (usually ±1), length n. */
  y: ArrayLike<number>;
}

/** A labelled sample: n points of dimension d. */
export interface ClusterSample extends LabelledPoints<Float32Array> {
  /** Number of points. */
  n: number;
  /** Dimension. */
  d: number;
  /** Points, n×d row-major (float32, as fed to the tensors). */
  x: Float32Array;
  /** Labels ±1. */
  y: Float32Array;
  /** Cluster index of each point. */
  cluster: Int32Array;
}

/** Options for {@linkcode clusterModel}. */
export interface ClusterModelOptions {
  /** Input dimension d (≥ k for orthogonal means). */
  d: number;
  /** Number of clusters k ≥ 2. */
  k: number;
  /** How to draw the means (default `orthogonal`). */
  kind?: MeansKind;
  /** Pairwise correlation c ∈ [0, 1) for `correlated` means (default 0.5). */
  correlation?: number;
  /** Noise scale σ (default 1). */
  sigma?: number;
}

/**
 * Largest |⟨μ_i, μ_j⟩| over pairs i ≠ j of the rows of a k×d row-major
 * matrix (k = `means.length / d`).
 *
 * @example
 * ```ts
 * import { correlationBound } from "./data.ts";
 * import assert from "node:assert/strict";
 * assert.equal(correlationBound(new Float64Array([1, 2, 3, -1]), 2), 1);
 * ```
 */
export function correlationBound(means: Float64Array, d: number): number {
  const k = means.length / d;
  if (!Number.isInteger(k)) {
    throw new RangeError(
      `means has length ${means.length}, not a multiple of d=${d}`,
    );
  }
  let rho = 0;
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += means[i * d + t] * means[j * d + t];
      rho = Math.max(rho, Math.abs(dot));
    }
  }
  return rho;
}

/**
 * Random balanced cluster labels: ⌈k/2⌉ clusters labelled +1 and the rest -1,
 * in random order, so both labels are always present.
 */
export function clusterLabels(rng: Rng, k: number): Int8Array {
  const labels = new Int8Array(k);
  const order = rng.permutation(k);
  order.forEach((cluster, rank) =>
    labels[cluster] = rank < Math.ceil(k / 2) ? 1 : -1
  );
  return labels;
}

/**
 * Draw the k cluster means and labels of one instance.
 *
 * @example
 * ```ts
 * import { clusterModel } from "./data.ts";
 * import { Rng } from "./rng.ts";
 * import assert from "node:assert/strict";
 * const model = clusterModel(new Rng(1), { d: 100, k: 4 });
 * assert.equal(model.rho, 0);
 * assert.ok(model.clusterLabels.includes(1) && model.clusterLabels.includes(-1));
 * ```
 */
export function clusterModel(
  rng: Rng,
  options: ClusterModelOptions,
): ClusterModel {
  const { d, k, kind = "orthogonal", correlation = 0.5, sigma = 1 } = options;
  if (!Number.isInteger(k) || k < 2) {
    throw new RangeError(`k must be an integer ≥ 2, got ${k}`);
  }
  if (!Number.isInteger(d) || d < k || (kind === "correlated" && d < k + 1)) {
    throw new RangeError(
      `d must be an integer ≥ k (${
        kind === "correlated" ? k + 1 : k
      }), got d=${d}`,
    );
  }
  if (!(correlation >= 0 && correlation < 1)) {
    throw new RangeError(`correlation must be in [0, 1), got ${correlation}`);
  }
  if (!(sigma >= 0)) throw new RangeError(`sigma must be ≥ 0, got ${sigma}`);
  const means = new Float64Array(k * d);
  const root = Math.sqrt(d);
  if (kind === "gaussian") {
    for (let j = 0; j < k; j++) {
      const g = rng.normalArray(d);
      let norm = 0;
      for (let t = 0; t < d; t++) norm += g[t] * g[t];
      norm = Math.sqrt(norm);
      for (let t = 0; t < d; t++) means[j * d + t] = (root * g[t]) / norm;
    }
  } else {
    const coords = rng.permutation(d);
    const shared = kind === "correlated" ? coords[k] : -1;
    const a = kind === "correlated" ? Math.sqrt(correlation) : 0;
    const b = Math.sqrt(1 - a * a);
    for (let j = 0; j < k; j++) {
      means[j * d + coords[j]] = root * b;
      if (shared >= 0) means[j * d + shared] = root * a;
    }
  }
  return {
    d,
    k,
    clusterMeans: means,
    clusterLabels: clusterLabels(rng, k),
    rho: correlationBound(means, d),
    sigma,
    kind,
  };
}

/** What {@linkcode sampleClusters} draws: `n` points of a cluster model. */
export interface SampleSpec {
  /** The clusters to draw from. */
  model: ClusterModel;
  /** Number of points (a positive integer). */
  n: number;
}

/**
 * Draw n i.i.d. samples: a uniform cluster j, then x = μ_j + σξ, y = y_j.
 *
 * @example
 * ```ts
 * import { clusterModel, sampleClusters } from "./data.ts";
 * import { Rng } from "./rng.ts";
 * import assert from "node:assert/strict";
 * const rng = new Rng(1);
 * const model = clusterModel(rng, { d: 20, k: 2 });
 * const sample = sampleClusters(rng, { model, n: 5 });
 * assert.equal(sample.x.length, 5 * 20);
 * ```
 */
export function sampleClusters(rng: Rng, spec: SampleSpec): ClusterSample {
  const { model, n } = spec;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`n must be a positive integer, got ${n}`);
  }
  const { d, k, clusterMeans, clusterLabels, sigma } = model;
  const x = new Float32Array(n * d);
  const y = new Float32Array(n);
  const cluster = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = rng.int(k);
    cluster[i] = j;
    y[i] = clusterLabels[j];
    for (let t = 0; t < d; t++) {
      x[i * d + t] = clusterMeans[j * d + t] + sigma * rng.normal();
    }
  }
  return { n, d, x, y, cluster };
}

/** Number of distinct clusters that appear in a sample. */
export function clustersSeen(sample: ClusterSample, k: number): number {
  const seen = new Uint8Array(k);
  for (const j of sample.cluster) seen[j] = 1;
  return seen.reduce((a, b) => a + b, 0);
}

/** The vector Σ_j y_j μ_j (length d): the direction of C4's attack. */
export function signedMeanSum(model: ClusterModel): Float64Array {
  const { d, k, clusterMeans, clusterLabels } = model;
  const s = new Float64Array(d);
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < d; t++) {
      s[t] += clusterLabels[j] * clusterMeans[j * d + t];
    }
  }
  return s;
}

/** Σ over clusters with label `label` of μ_j (u+ for +1, u- for -1). */
export function classMeanSum(model: ClusterModel, label: 1 | -1): Float64Array {
  const { d, k, clusterMeans, clusterLabels } = model;
  const s = new Float64Array(d);
  for (let j = 0; j < k; j++) {
    if (clusterLabels[j] !== label) continue;
    for (let t = 0; t < d; t++) s[t] += clusterMeans[j * d + t];
  }
  return s;
}
