/**
 * Training one drawn instance: gradient flow on the instance's training set
 * from its initialization, with the instance's step fraction and step budget.
 *
 * @example
 * ```ts
 * import { trainInstance } from "./train.ts";
 * import { defaultInstance, drawInstance } from "../model/instance.ts";
 * import { initBackend } from "../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const params = { ...defaultInstance, d: 20, k: 2, n: 8, m: 4, nTest: 5, maxSteps: 10 };
 * const flow = trainInstance(drawInstance(7, params));
 * assert.ok(flow.steps <= 10);
 * ```
 *
 * @module
 */

import {
  type FlowOptions,
  type FlowResult,
  gradientFlow,
} from "./gradient_flow.ts";
import type { Instance } from "../model/instance.ts";

/**
 * Train the instance's network by gradient flow: its training set, its
 * initialization, `stepFraction` and `maxSteps` from its parameters (the
 * options may override them and add checkpoints).
 */
export function trainInstance(
  instance: Instance,
  options: FlowOptions = {},
): FlowResult {
  const { train, init, params } = instance;
  return gradientFlow(
    { n: train.n, d: train.d, x: train.x, y: train.y },
    init,
    {
      stepFraction: params.stepFraction,
      maxSteps: params.maxSteps,
      ...options,
    },
  );
}
