/**
 * The one-label-per-cluster network of an instance, trained and measured
 * in one call: the k-output flow (`../flow/multiclass.ts`) on the training
 * inputs with the cluster indices as labels, then the brackets of its
 * induced binary classifier (`./induced_radius.ts`) on given points. C6's
 * control and C4's twin.
 *
 * @module
 */

import {
  multiclassFlow,
  type MulticlassFlowOptions,
  type MulticlassFlowResult,
  multiclassInit,
  type MulticlassWeights,
} from "../flow/multiclass.ts";
import type { LabelledPoints } from "../model/data.ts";
import type { Instance } from "../model/instance.ts";
import type { Rng } from "../model/rng.ts";
import {
  bracketInducedRadii,
  type InducedBracket,
  type InducedBracketOptions,
} from "./induced_radius.ts";

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
  /** Unverified induced flips (see `InducedBrackets`). */
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
 * import { oneLabelPerClusterNetwork } from "./one_label_network.ts";
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
