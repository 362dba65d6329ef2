/**
 * Seeded randomness that does not depend on the tensor backend.
 *
 * The generator is xoshiro128** (Blackman & Vigna, 2018): 128 bits of state,
 * 32-bit outputs, period 2^128 - 1. Its state is filled from a 64-bit seed by
 * SplitMix64, as its authors recommend. Gaussians come from the Box–Muller
 * transform on two 53-bit uniforms (both outputs used, in order).
 *
 * Every trial of a claim gets its own seed from {@linkcode trialSeed}, a hash
 * of (run seed, claim id, configuration key, trial index): a trial can be
 * replayed alone from that seed, and adding or removing other trials or
 * claims does not change it.
 *
 * @module
 */

const MASK64 = (1n << 64n) - 1n;

/** One SplitMix64 step: returns the next state and its mixed output. */
function splitMix64(state: bigint): [bigint, bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

/** Rotate a 32-bit unsigned integer left by `k` bits. */
function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * A seeded xoshiro128** pseudo-random generator with uniform, integer,
 * Gaussian and permutation draws.
 *
 * @example Same seed, same draws
 * ```ts
 * import { Rng } from "./rng.ts";
 * import assert from "node:assert/strict";
 * const a = new Rng(42n), b = new Rng(42n);
 * assert.equal(a.normal(), b.normal());
 * ```
 */
export class Rng {
  #s = new Uint32Array(4);
  #spare: number | null = null;

  /** Seed the generator from a 64-bit seed (a number is converted exactly). */
  constructor(seed: bigint | number) {
    let state = BigInt.asUintN(64, BigInt(seed));
    for (let i = 0; i < 2; i++) {
      const [next, out] = splitMix64(state);
      state = next;
      this.#s[2 * i] = Number(out & 0xffffffffn);
      this.#s[2 * i + 1] = Number(out >> 32n);
    }
    if (this.#s.every((x) => x === 0)) this.#s[0] = 1;
  }

  /** The next 32-bit unsigned output of xoshiro128**. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform draw in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) {
      throw new RangeError(
        `Rng.int: n must be an integer in [1, 2^32], got ${n}`,
      );
    }
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** A standard normal draw (Box–Muller). */
  normal(): number {
    if (this.#spare !== null) {
      const z = this.#spare;
      this.#spare = null;
      return z;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fill a new Float64Array of length `n` with N(0, scale²) draws. */
  normalArray(n: number, scale = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = scale * this.normal();
    return out;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [p[i], p[j]] = [p[j], p[i]];
    }
    return p;
  }
}

/** 64-bit FNV-1a hash of a string, as a bigint. */
export function hashString(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & MASK64;
  }
  return h;
}

/** Which trial of a run: claim id, configuration key and trial index. */
export interface TrialId {
  /** Claim id, e.g. `"C4"`. */
  claim: string;
  /** Key naming the configuration, e.g. `"d=500,k=10"`. */
  config: string;
  /** Trial index within the configuration, from 0. */
  trial: number;
}

/**
 * The seed of one trial: a hash of the run seed, the claim id, a key naming
 * the configuration (for example `"d=500,k=10"`) and the trial index. The
 * result is a non-negative integer below 2^53, so it round-trips through CSV
 * and JSON exactly.
 *
 * @example
 * ```ts
 * import { trialSeed } from "./rng.ts";
 * import assert from "node:assert/strict";
 * const id = { claim: "C4", config: "d=500", trial: 3 };
 * assert.equal(trialSeed(1, id), trialSeed(1, { ...id }));
 * assert.notEqual(trialSeed(1, id), trialSeed(1, { ...id, trial: 4 }));
 * ```
 */
export function trialSeed(runSeed: number, id: TrialId): number {
  const { claim, config, trial } = id;
  const [, mixed] = splitMix64(
    hashString(`${runSeed}\u0000${claim}\u0000${config}\u0000${trial}`),
  );
  return Number(mixed >> 11n);
}
