/**
 * Random draws for simulations of the statistics (e.g. the power of the
 * regression test).
 *
 * @module
 */

import { checkCount, checkProbability } from "./checks.ts";

/** A source of uniform draws in [0, 1), such as the suite's `Rng`. */
export interface UniformSource {
  /** The next uniform draw in [0, 1). */
  uniform(): number;
}

/** A binomial distribution: `trials` independent Bernoulli(`p`) draws. */
export interface Binomial {
  /** Number of draws (a non-negative integer). */
  trials: number;
  /** Success probability of each draw, in [0, 1]. */
  p: number;
}

/**
 * Number of successes in `trials` independent Bernoulli(`p`) draws from
 * `rng` (one uniform per trial).
 *
 * @example
 * ```ts
 * import { binomialSample } from "./sampling.ts";
 * import assert from "node:assert/strict";
 * const rng = { uniform: () => 0.5 };
 * assert.equal(binomialSample(rng, { trials: 5, p: 1 }), 5);
 * assert.equal(binomialSample(rng, { trials: 5, p: 0.5 }), 0);
 * ```
 */
export function binomialSample(
  rng: UniformSource,
  distribution: Binomial,
): number {
  const { trials, p } = distribution;
  checkCount("trials", trials);
  checkProbability("p", p);
  let successes = 0;
  for (let i = 0; i < trials; i++) {
    if (rng.uniform() < p) successes++;
  }
  return successes;
}
