/**
 * The attacks together: a bracket on every point's robust radius, and the
 * check that no attack undercuts a certificate.
 *
 * The robust radius of (x, y) is r(x) = inf{‖z‖ : y·N(x + z) ≤ 0}. Each
 * point gets
 *
 *   certified(x) ≤ r(x) ≤ attack(x),
 *
 * where certified(x) is the sound interval-bound radius
 * (`../certified_radius.ts`, a lower bound) and attack(x) the smallest
 * radius of a flip verified in float64 by any of the attacks (an upper
 * bound): DeepFool (`./deepfool.ts`), FMN warm-started from DeepFool
 * (`./fmn.ts`) and, given training points, the MALT-style targeted attack
 * (`./malt.ts`). The bracket's width attack(x) − certified(x) says how much
 * is unknown about r(x). The attacks know nothing of the data's structure;
 * an analytic direction u (C4's −y·Σ_j y_j μ_j, say) may be passed in, and
 * its exact flip radius along −y·u is reported beside the bracket, not in
 * it, so the generic attacks can be compared with it.
 *
 * A batch whose rows carry output weights of their own (`./batch.ts`)
 * brackets each row on its own network: its certificate, its attacks and
 * their float64 verification.
 *
 * Everything here holds for the activation relu(z)^p of any power p ≥ 1
 * (`NetworkWeights.power`): the certificate is sound for every p, and the
 * attacks reach the network through `./batch.ts` and `./verify.ts`, which
 * honour p. For p > 1 a neuron's gradient vanishes at its kink, so at a
 * point where the other label's neurons sit exactly at 0 (a noiseless
 * cluster mean, say) the gradient attacks cannot see them; the MALT-style
 * lines towards training points still do.
 *
 * Soundness: a verified flip z has ‖z‖ ≥ r(x) ≥ certified(x), so a radius
 * below a certificate means a bug in one of them. Rounding aside
 * ({@linkcode SOUNDNESS_MARGIN}), {@linkcode soundnessViolations} lists
 * every such case; a run fails on any.
 *
 * @module
 */

import type { LabelledPoints } from "../../model/data.ts";
import { rowNorms } from "../../model/forward.ts";
import { certifiedRadii, certifiedRadius } from "../certified_radius.ts";
import type { AttackBatch } from "./batch.ts";
import { deepFool, type DeepFoolOptions } from "./deepfool.ts";
import { fastMinimumNorm, type FmnOptions } from "./fmn.ts";
import { maltAttack, type MaltOptions } from "./malt.ts";
import { type AttackRun, flipRadii, flipsAlong } from "./verify.ts";

/** The attacks of the ensemble. */
export type AttackName = "deepfool" | "fmn" | "malt";

/** The attacks in the order they run (credit for a tie goes to the earlier one). */
export const ATTACK_NAMES: readonly AttackName[] = ["deepfool", "fmn", "malt"];

/**
 * Relative margin of the soundness check: an attack radius below
 * certified·(1 − margin) is a violation (float64 rounding stays far below).
 */
export const SOUNDNESS_MARGIN = 1e-4;

/**
 * Credit for a point's best radius goes to the first attack (in
 * {@linkcode ATTACK_NAMES} order) within this relative distance of it, so a
 * later attack that only matches an earlier one to rounding is not credited.
 */
export const CREDIT_TOLERANCE = 1e-9;

/** Options of {@linkcode bracketRobustRadii}. */
export interface BracketOptions {
  /** Training points for the MALT-style attack; without them it does not run. */
  targets?: LabelledPoints;
  /** An analytic direction u; point i is also measured along −y_i·u. */
  direction?: ArrayLike<number>;
  /** Options of DeepFool. */
  deepFool?: DeepFoolOptions;
  /** Options of FMN (warm-started from DeepFool). */
  fmn?: Omit<FmnOptions, "warmStart">;
  /** Options of the MALT-style attack. */
  malt?: Omit<MaltOptions, "targets">;
}

/** The bracket certified ≤ r ≤ attack on one point's robust radius. */
export interface RadiusBracket {
  /** The sound certified radius: a lower bound on r. */
  certified: number;
  /** The smallest verified attack radius: an upper bound on r (`Infinity` if none). */
  attack: number;
  /** The first attack within {@linkcode CREDIT_TOLERANCE} of it (null if none found a flip). */
  foundBy: AttackName | null;
  /** A verified perturbation of radius `attack` (null if none). */
  perturbation: Float64Array | null;
  /** Each attack that ran: its smallest verified radius (`Infinity` if none). */
  radii: Partial<Record<AttackName, number>>;
  /** The exact flip radius along −y·u, when a direction u was given (`Infinity` if none). */
  analytic?: number;
  /** attack − certified. */
  width: number;
}

/** The brackets of a batch and the flips discarded on the way. */
export interface BracketReport {
  /** One bracket per point of the batch, in order. */
  brackets: RadiusBracket[];
  /** Flips each attack (and the analytic direction) proposed that failed float64 verification. */
  unverified: Partial<Record<AttackName | "analytic", number>>;
}

/**
 * Bracket the robust radius of every point of the batch: the certified
 * radius below, the best of the attacks above (see the module doc).
 *
 * @example N(x) = relu(3x1 + 4x2 − 5): the bracket closes on a/‖w‖ = 4
 * ```ts
 * import { AttackBatch } from "./batch.ts";
 * import { bracketRobustRadii, soundnessViolations } from "./ensemble.ts";
 * import { initBackend } from "../../backend/backends.ts";
 * import assert from "node:assert/strict";
 * await initBackend("cpu");
 * const net = { d: 2, m: 1, w: [3, 4], b: [-5], v: [1] };
 * const batch = new AttackBatch(net, { x: [3, 4], y: [1] });
 * const { brackets } = bracketRobustRadii(batch, { direction: [1, 0] });
 * const [b] = brackets;
 * assert.equal(b.certified, 4);
 * assert.ok(b.attack - 4 < 1e-9 && b.foundBy === "deepfool");
 * assert.ok(Math.abs(b.analytic! - 20 / 3) < 1e-9); // along -e1
 * assert.deepEqual(soundnessViolations(brackets), []);
 * ```
 */
export function bracketRobustRadii(
  batch: AttackBatch,
  options: BracketOptions = {},
): BracketReport {
  const runs: Partial<Record<AttackName, AttackRun>> = {};
  runs.deepfool = deepFool(batch, options.deepFool);
  runs.fmn = fastMinimumNorm(batch, {
    ...options.fmn,
    warmStart: runs.deepfool,
  });
  if (options.targets !== undefined) {
    runs.malt = maltAttack(batch, {
      ...options.malt,
      targets: options.targets,
    });
  }
  const unverified: BracketReport["unverified"] = {};
  for (const name of ATTACK_NAMES) {
    const run = runs[name];
    if (run !== undefined) unverified[name] = run.unverified;
  }
  let analytic: number[] | undefined;
  if (options.direction !== undefined) {
    const run = analyticFlips(batch, options.direction);
    unverified.analytic = run.unverified;
    analytic = flipRadii(run);
  }
  const certified = batchCertifiedRadii(batch);
  const brackets = certified.map((lower, i): RadiusBracket => {
    let attack = Infinity, perturbation: Float64Array | null = null;
    const own: Partial<Record<AttackName, number>> = {};
    for (const name of ATTACK_NAMES) {
      const flip = runs[name]?.flips[i];
      if (flip === undefined) continue;
      own[name] = flip?.radius ?? Infinity;
      if (flip !== null && flip.radius < attack) {
        [attack, perturbation] = [flip.radius, flip.perturbation];
      }
    }
    const foundBy = perturbation === null
      ? null
      : ATTACK_NAMES.find((name) =>
        (own[name] ?? Infinity) <= attack * (1 + CREDIT_TOLERANCE)
      ) ?? null;
    const bracket: RadiusBracket = {
      certified: lower,
      attack,
      foundBy,
      perturbation,
      radii: own,
      width: attack - lower,
    };
    if (analytic !== undefined) {
      bracket.analytic = analytic[i];
    }
    return bracket;
  });
  return { brackets, unverified };
}

/**
 * The certified radius of every row of the batch, each on its own network
 * (per-row output weights: on the batch's float64 pre-activations A⁰, which
 * `certifiedRadii` would recompute identically).
 */
function batchCertifiedRadii(batch: AttackBatch): number[] {
  if (!batch.perRow) {
    return certifiedRadii(batch.weights, { x: batch.x, y: batch.labels });
  }
  const { m, power } = batch;
  const norms = rowNorms(batch.weights);
  return Array.from(batch.labels, (label, i) =>
    certifiedRadius({
      offsets: batch.offsets.subarray(i * m, (i + 1) * m),
      rowNorms: norms,
      outputWeights: batch.outputWeights(i),
      power,
    }, label));
}

/** Flips along −y_i·u for every point, settled and verified. */
function analyticFlips(batch: AttackBatch, u: ArrayLike<number>): AttackRun {
  if (u.length !== batch.d) {
    throw new RangeError(
      `direction has length ${u.length}, expected d=${batch.d}`,
    );
  }
  return flipsAlong(
    batch,
    Array.from(batch.labels, (y) => {
      const along = new Float64Array(u.length);
      for (let t = 0; t < u.length; t++) along[t] = -y * u[t];
      return along;
    }),
  );
}

/** An attack radius below a certified radius. */
export interface SoundnessViolation {
  /** Index of the point in the batch. */
  index: number;
  /** Which attack (or the analytic direction) reported it. */
  source: AttackName | "analytic";
  /** Its radius. */
  radius: number;
  /** The point's certified radius. */
  certified: number;
}

/**
 * Every attack radius (each attack's and the analytic one) that lies below
 * its point's certified radius by more than the relative `margin` (default
 * {@linkcode SOUNDNESS_MARGIN}): radius < certified·(1 − margin). Sound
 * certificates and verified attacks give none; the caller fails the run on
 * any.
 *
 * @example
 * ```ts
 * import { soundnessViolations } from "./ensemble.ts";
 * import assert from "node:assert/strict";
 * const bracket = {
 *   certified: 2, attack: 1.5, foundBy: "fmn" as const, perturbation: null,
 *   radii: { deepfool: 3, fmn: 1.5 }, width: -0.5,
 * };
 * assert.deepEqual(soundnessViolations([bracket]), [
 *   { index: 0, source: "fmn", radius: 1.5, certified: 2 },
 * ]);
 * ```
 */
export function soundnessViolations(
  brackets: readonly RadiusBracket[],
  options: { margin?: number } = {},
): SoundnessViolation[] {
  const { margin = SOUNDNESS_MARGIN } = options;
  const out: SoundnessViolation[] = [];
  brackets.forEach((b, index) => {
    const sources: [AttackName | "analytic", number | undefined][] = [
      ...ATTACK_NAMES.map((name): [AttackName, number | undefined] => [
        name,
        b.radii[name],
      ]),
      ["analytic", b.analytic],
    ];
    for (const [source, radius] of sources) {
      if (radius !== undefined && radius < b.certified * (1 - margin)) {
        out.push({ index, source, radius, certified: b.certified });
      }
    }
  });
  return out;
}
