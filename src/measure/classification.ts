/**
 * Classification error of a network on a labelled sample (C2, C3, C7, N1).
 *
 * @module
 */

import type { ClusterSample } from "../model/data.ts";
import { networkOutputs } from "../model/network.ts";
import { type NetworkWeights } from "../model/weights.ts";

/**
 * Fraction of points of a sample misclassified (y·N ≤ 0) by a network, with
 * the outputs from the tensor backend.
 *
 * @example
 * ```ts
 * import { classificationError } from "./classification.ts";
 * import { initBackend } from "../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const weights = { d: 1, m: 1, w: new Float32Array([1]), b: new Float32Array([0]), v: new Float32Array([1]) };
 * const sample = { n: 2, d: 1, x: new Float32Array([2, 3]), y: new Float32Array([1, -1]), cluster: new Int32Array(2) };
 * assert.equal(classificationError(weights, sample), 0.5);
 * ```
 */
export function classificationError(
  weights: NetworkWeights<Float32Array>,
  sample: ClusterSample,
): number {
  const out = networkOutputs(weights, sample.x);
  let errors = 0;
  for (let i = 0; i < sample.n; i++) if (sample.y[i] * out[i] <= 0) errors++;
  return errors / sample.n;
}
