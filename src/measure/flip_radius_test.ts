import assert from "node:assert/strict";
import {
  FLIP_BISECTION_TOLERANCE,
  flipRadius,
  flipRadiusAlong,
  type ReluLine,
} from "./flip_radius.ts";
import { neuronSlopes, pointPreActivations } from "../model/forward.ts";
import { Rng } from "../model/rng.ts";
import { randomNetwork } from "../../fixtures/random_network.ts";

/** A line function from its neurons, each given as [a_r, c_r, v_r]. */
function neurons(...terms: [number, number, number][]): ReluLine {
  return {
    offsets: terms.map((t) => t[0]),
    slopes: terms.map((t) => t[1]),
    outputWeights: terms.map((t) => t[2]),
  };
}

/** t ↦ label·f(t) evaluated directly, f(t) = Σ v_r relu(a_r + t c_r). */
function lineFunction(line: ReluLine, label: number): (t: number) => number {
  const { offsets: a, slopes: c, outputWeights: v } = line;
  return (t) => {
    let s = 0;
    for (let r = 0; r < a.length; r++) {
      s += v[r] * Math.max(0, a[r] + t * c[r]);
    }
    return label * s;
  };
}

/**
 * Brute force: scan a grid of `steps` points on [0, T] for the first point
 * with label·f ≤ 0 (f the ReLU line, or `g` = label·f when given), then
 * bisect between it and the previous grid point. Returns Infinity when no
 * grid point flips.
 */
function bruteFlip(
  line: ReluLine,
  scan: { label: number; T: number; steps: number; g?: (t: number) => number },
): number {
  const { label, T, steps } = scan;
  const g = scan.g ?? lineFunction(line, label);
  if (g(0) <= 0) return 0;
  let prev = 0;
  for (let i = 1; i <= steps; i++) {
    const t = (T * i) / steps;
    if (g(t) <= 0) {
      let lo = prev, hi = t;
      for (let it = 0; it < 80; it++) {
        const mid = (lo + hi) / 2;
        if (g(mid) <= 0) hi = mid;
        else lo = mid;
      }
      return hi;
    }
    prev = t;
  }
  return Infinity;
}

/**
 * Check flipRadius on one line against the brute force (capped at T), and
 * the uncapped answer beyond T by direct evaluation; returns the outcome.
 */
function checkLine(
  line: ReluLine,
  { label, context }: { label: number; context: string },
): "flip" | "zero" | "none" | "tail" {
  const { offsets: a, slopes: c, outputWeights: v } = line;
  let lastKink = 0;
  for (let r = 0; r < a.length; r++) {
    const t = -a[r] / c[r];
    if (t > 0 && Number.isFinite(t)) lastKink = Math.max(lastKink, t);
  }
  const T = Math.min(40, 1.5 * lastKink + 5);
  const brute = bruteFlip(line, { label, T, steps: 4000 });
  const exact = flipRadius(line, label, { maxRadius: T });
  const free = flipRadius(line, label);
  if (brute !== Infinity) {
    assert.ok(
      Math.abs(exact - brute) <= 1e-6 * Math.max(1, brute),
      `${context}: exact ${exact} vs brute ${brute}`,
    );
    assert.equal(free, exact);
    return brute === 0 ? "zero" : "flip";
  }
  assert.equal(exact, Infinity, `${context}: brute none, exact ${exact}`);
  if (free === Infinity) return "none";
  // A flip past T (usually beyond every kink) must be a genuine first root.
  const g = lineFunction(line, label);
  let slopeScale = 0;
  for (let r = 0; r < a.length; r++) slopeScale += Math.abs(c[r] * v[r]);
  assert.ok(free > T);
  assert.ok(
    Math.abs(g(free)) <= 1e-9 * (1 + Math.abs(g(0)) + free * slopeScale),
  );
  assert.ok(g(free * (1 - 1e-6)) > 0, `${context}: early root ${free}`);
  assert.ok(g(T) > 0);
  return "tail";
}

Deno.test("flipRadius agrees with a grid scan plus bisection on random networks", () => {
  const rng = new Rng(20230301n);
  const counts = { flip: 0, zero: 0, none: 0, tail: 0 };
  for (let trial = 0; trial < 1500; trial++) {
    const m = 1 + rng.int(8);
    const d = 1 + rng.int(4);
    const net = randomNetwork(rng, { d, m });
    const x = rng.normalArray(d);
    const u = rng.normalArray(d);
    const label = rng.uniform() < 0.5 ? 1 : -1;
    const a = pointPreActivations(net, x);
    const un = Math.sqrt(u.reduce((s, ui) => s + ui * ui, 0));
    const c = neuronSlopes(net, u).map((s) => s / un);
    const line = { offsets: a, slopes: c, outputWeights: net.v };
    counts[checkLine(line, { label, context: `trial ${trial}` })]++;
    const exact = flipRadius(line, label);
    const along = flipRadiusAlong(net, { x, direction: u, label });
    assert.ok(
      along === exact || Math.abs(along - exact) <= 1e-9 * Math.max(1, exact),
      `trial ${trial}: along ${along} vs exact ${exact}`,
    );
    // Degenerate copy of the line: neurons at their kink at t = 0 (a_r = 0),
    // constant neurons (c_r = 0), and tied kinks (a neuron scaled by 2 or
    // 1/2 keeps its kink time exactly).
    const a2 = Float64Array.from(a), c2 = Float64Array.from(c);
    for (let r = 0; r < m; r++) {
      const p = rng.uniform();
      if (p < 0.15) a2[r] = 0;
      else if (p < 0.3) c2[r] = 0;
      else if (p < 0.5 && r > 0) {
        const s = rng.int(r), k = rng.uniform() < 0.5 ? 2 : 0.5;
        a2[r] = k * a2[s];
        c2[r] = k * c2[s];
      }
    }
    counts[
      checkLine(
        { offsets: a2, slopes: c2, outputWeights: net.v },
        { label, context: `degenerate trial ${trial}` },
      )
    ]++;
  }
  // The sample exercises every outcome.
  assert.ok(
    counts.flip > 300 && counts.zero > 300 && counts.none > 100 &&
      counts.tail > 5,
    JSON.stringify(counts),
  );
});

Deno.test("flipRadius hand-made cases", async (t) => {
  await t.step("single neuron turning off", () => {
    // f(t) = 2 relu(3 - 2t): zero at t = 1.5.
    assert.equal(flipRadius(neurons([3, -2, 2]), 1), 1.5);
    // f never reaches 0 from below for the label -1 case: already ≤ 0.
    assert.equal(flipRadius(neurons([3, -2, 2]), -1), 0);
  });

  await t.step("single neuron growing: no flip", () => {
    assert.equal(flipRadius(neurons([1, 1, 1]), 1), Infinity);
    assert.equal(flipRadius(neurons([1, 0, 1]), 1), Infinity);
  });

  await t.step("flip after the last kink", () => {
    // f(t) = 5 relu(1 + t) - 6 relu(t - 1): 5 + 5t until t = 1, then 11 - t.
    assert.equal(flipRadius(neurons([1, 1, 5], [-1, 1, -6]), 1), 11);
    assert.equal(
      flipRadius(neurons([1, 1, 5], [-1, 1, -6]), 1, { maxRadius: 10.9 }),
      Infinity,
    );
    assert.equal(
      flipRadius(neurons([1, 1, 5], [-1, 1, -6]), 1, { maxRadius: 11 }),
      11,
    );
    // Label -1 on the same line: -f(0) = -5 ≤ 0.
    assert.equal(flipRadius(neurons([1, 1, 5], [-1, 1, -6]), -1), 0);
  });

  await t.step("zero reached exactly at a kink", () => {
    // f(t) = relu(1 - t) + relu(t - 2) - 3 relu(t - 1): 1 - t on [0, 1].
    assert.equal(
      flipRadius(neurons([1, -1, 1], [-2, 1, 1], [-1, 1, -3]), 1),
      1,
    );
  });

  await t.step("already misclassified or on the boundary", () => {
    assert.equal(flipRadius(neurons([1, 1, -1]), 1), 0);
    assert.equal(flipRadius(neurons([-1, -1, 1]), 1), 0); // f ≡ 0 on [0, ∞)
    assert.equal(flipRadius(neurons(), 1), 0); // empty network is 0
    assert.equal(flipRadius(neurons([2, -1, 1]), 0), 0); // label 0: 0·f ≤ 0
  });

  await t.step("neuron exactly at its kink at t = 0", () => {
    // relu(0 + t) turns on immediately: f(t) = 1 - relu(0 + 2t) → 0.5.
    assert.equal(flipRadius(neurons([1, 0, 1], [0, 2, -1]), 1), 0.5);
    // relu(0 - 2t) stays off: f ≡ 1.
    assert.equal(flipRadius(neurons([1, 0, 1], [0, -2, -1]), 1), Infinity);
    // Negative zero behaves like zero.
    assert.equal(flipRadius(neurons([1, 0, 1], [-0, 2, -1]), 1), 0.5);
  });

  await t.step("c_r = 0 neurons are constant", () => {
    // f(t) = 2 (const) + relu(-1 + 0 t) (off) - relu(-1 + t) → 2 - (t - 1) = 0 at 3.
    assert.equal(flipRadius(neurons([2, 0, 1], [-1, 0, 1], [-1, 1, -1]), 1), 3);
    assert.equal(flipRadius(neurons([0, 0, 1], [0, 0, 1]), 1), 0); // f ≡ 0
  });

  await t.step("ties: several kinks at one time", () => {
    // relu(2 - 2t) switches off and -2 relu(t - 1), -relu(t - 1) switch on,
    // all at t = 1, where 2 - 2t reaches 0.
    assert.equal(
      flipRadius(neurons([2, -2, 1], [-1, 1, -2], [-1, 1, -1]), 1),
      1,
    );
    // f(t) = relu(2 - t) - 2 relu(t - 1): 2 - t on [0, 1], then
    // 1 - 3(t - 1) = 0 at t = 4/3.
    const r = flipRadius(neurons([2, -1, 1], [-1, 1, -1], [-1, 1, -1]), 1);
    assert.ok(Math.abs(r - 4 / 3) < 1e-15);
  });

  await t.step("touching zero at a kink counts as a flip", () => {
    // f(t) = relu(1 - t) + relu(t - 1): equals |1 - t|, zero at t = 1.
    assert.equal(flipRadius(neurons([1, -1, 1], [-1, 1, 1]), 1), 1);
  });

  await t.step("bad input", () => {
    assert.throws(
      () => flipRadius({ offsets: [1], slopes: [1, 2], outputWeights: [1] }, 1),
      RangeError,
    );
    assert.throws(() => flipRadius(neurons([NaN, 1, 1]), 1), RangeError);
    assert.throws(
      () => flipRadius(neurons([1, 1, 1]), 1, { maxRadius: -1 }),
      RangeError,
    );
  });
});

Deno.test("flipRadiusAlong on a small explicit network", () => {
  // N(x) = relu(x1 + x2 - 1) - relu(x1 - x2), at x = (1, 1) with label 1.
  const net = { w: [1, 1, 1, -1], b: [-1, 0], v: [1, -1], d: 2, m: 2 };
  const along = (direction: number[]) =>
    flipRadiusAlong(net, { x: [1, 1], direction, label: 1 });
  // Along +e1 (unnormalised): N = (t + 1) - t = 1 forever.
  assert.equal(along([5, 0]), Infinity);
  // Along -e2: N = relu(1 - t) - t, zero at t = 1/2.
  assert.equal(along([0, -3]), 0.5);
  assert.equal(
    flipRadiusAlong(net, { x: [1, 1], direction: [0, -3], label: 1 }, {
      maxRadius: 0.4,
    }),
    Infinity,
  );
  // The normalised direction (1, -1)/√2: N(t) = relu(1) - √2 t → 1/√2.
  assert.ok(Math.abs(along([1, -1]) - Math.SQRT1_2) < 1e-15);
  assert.throws(() => along([0, 0]), RangeError);
  assert.throws(
    () => flipRadiusAlong(net, { x: [1, 1, 1], direction: [1, 0], label: 1 }),
    RangeError,
  );
  assert.throws(() => along([1, 0, 0]), /direction has length 3/);
});

/** t ↦ label·f(t) with f(t) = Σ v_r relu(a_r + t c_r)^p, evaluated directly. */
function powerLineFunction(
  line: ReluLine,
  label: number,
): (t: number) => number {
  const { offsets: a, slopes: c, outputWeights: v, power = 1 } = line;
  return (t) => {
    let s = 0;
    for (let r = 0; r < a.length; r++) {
      s += v[r] * Math.max(0, a[r] + t * c[r]) ** power;
    }
    return label * s;
  };
}

Deno.test("flipRadius with a power p ≠ 1 against a fine grid scan plus bisection", () => {
  const rng = new Rng(31n);
  const counts = { flip: 0, zero: 0, none: 0, later: 0 };
  for (let trial = 0; trial < 1500; trial++) {
    const power = [1.5, 2, 3][trial % 3];
    const m = 1 + rng.int(7);
    const line: ReluLine = {
      offsets: rng.normalArray(m),
      slopes: rng.normalArray(m),
      outputWeights: rng.normalArray(m),
      power,
    };
    const label = rng.uniform() < 0.5 ? 1 : -1;
    const context = `trial ${trial} (p=${power})`;
    const g = powerLineFunction(line, label);
    const T = 30;
    const walk = flipRadius(line, label, { maxRadius: T });
    // The fine grid: 20000 points on [0, T], bisected (about 200 times finer
    // than the walk's sub-intervals on these lines).
    const brute = bruteFlip({ ...line }, { label, T, steps: 20000, g });
    if (walk !== Infinity) {
      // Every reported t is a flip (up to the rounding of a_r + t·c_r where
      // the walk knows no neuron is active), never before the brute root.
      const { offsets: a, slopes: c, outputWeights: v } = line;
      let size = 0;
      for (let r = 0; r < m; r++) {
        size += Math.abs(v[r]) *
          (Math.abs(a[r]) + walk * Math.abs(c[r])) ** power;
      }
      assert.ok(g(walk) <= 1e-14 * size, `${context}: g(${walk}) = ${g(walk)}`);
      assert.ok(
        walk >= brute * (1 - 1e-9),
        `${context}: walk ${walk} < brute ${brute}`,
      );
    }
    if (brute === Infinity) {
      assert.equal(walk, Infinity, context);
      counts.none++;
    } else if (Math.abs(walk - brute) <= 1e-9 * Math.max(1, brute)) {
      counts[brute === 0 ? "zero" : "flip"]++;
    } else {
      // A dip between two grid points of the walk: reported later (or never).
      assert.ok(walk > brute, context);
      counts.later++;
    }
  }
  // Measured on this seed: 296 flips, 863 zeros, 340 none, 1 later.
  assert.ok(counts.flip > 250 && counts.none > 200 && counts.zero > 600);
  assert.ok(counts.later <= 5, JSON.stringify(counts));
});

Deno.test("flipRadius with a power p ≠ 1: hand-made cases", async (t) => {
  await t.step("a neuron switching off reaches 0 exactly at its kink", () => {
    // 2 relu(3 − 2t)³: zero from t = 1.5 on.
    assert.equal(flipRadius({ ...neurons([3, -2, 2]), power: 3 }, 1), 1.5);
    assert.equal(flipRadius({ ...neurons([3, -2, 2]), power: 3 }, -1), 0);
  });

  await t.step("a crossing inside a piece, to the bisection tolerance", () => {
    // relu(1 − t)² − relu(t)²: 1 − 2t on [0, 1], zero at 1/2.
    const r = flipRadius({ ...neurons([1, -1, 1], [0, 1, -1]), power: 2 }, 1);
    assert.ok(r >= 0.5 && r - 0.5 <= FLIP_BISECTION_TOLERANCE);
  });

  await t.step("a crossing after the last kink", () => {
    // 5 relu(1 + t)² − 6 relu(t − 1)²: zero at t = (√6 + √5)² = 11 + 2√30.
    const line = { ...neurons([1, 1, 5], [-1, 1, -6]), power: 2 };
    const exact = 11 + 2 * Math.sqrt(30);
    const r = flipRadius(line, 1);
    assert.ok(r >= exact * (1 - 1e-15) && r - exact <= 1e-11 * exact, `${r}`);
    assert.equal(flipRadius(line, 1, { maxRadius: 21.9 }), Infinity);
  });

  await t.step("growing neurons whose leading terms win: no flip", () => {
    // relu(1 + t)² − 0.5 relu(t)² > 0 for every t.
    const line = { ...neurons([1, 1, 1], [0, 1, -0.5]), power: 2 };
    assert.equal(flipRadius(line, 1), Infinity);
    assert.equal(flipRadius({ ...neurons([1, 0, 1]), power: 3 }, 1), Infinity);
  });

  await t.step(
    "leading terms that cancel: linear in t, found or Infinity",
    () => {
      // relu(1 + t)² − relu(2 + t)² + 3.5 relu(1)² = 0.5 − 2t: zero at 1/4.
      const line = {
        ...neurons([1, 1, 1], [2, 1, -1], [1, 0, 3.5]),
        power: 2,
      };
      const r = flipRadius(line, 1);
      assert.ok(r >= 0.25 && r - 0.25 <= 1e-12, `${r}`);
      // relu(1 + t)² − relu(t)² = 1 + 2t: positive for ever.
      const never = { ...neurons([1, 1, 1], [0, 1, -1]), power: 2 };
      assert.equal(flipRadius(never, 1), Infinity);
    },
  );

  await t.step(
    "documented limit: a root pair inside one sub-interval is missed",
    () => {
      // (t + 10)² + (1 + t)² − (11.5 + t)² + (31.5 − ε²) = (t − 1/2)² − ε²,
      // all neurons active on t ≥ 0 (one piece): negative only on
      // (1/2 − ε, 1/2 + ε), far inside one sub-interval of the first octave.
      const eps = 1e-3;
      const line = {
        ...neurons([10, 1, 1], [1, 1, 1], [11.5, 1, -1], [
          1,
          0,
          31.5 - eps ** 2,
        ]),
        power: 2,
      };
      const g = powerLineFunction(line, 1);
      assert.ok(g(0.5) < 0 && g(0) > 0);
      // The walk reports no flip: larger than the true 1/2 − ε, never smaller.
      assert.equal(flipRadius(line, 1), Infinity);
    },
  );

  await t.step("already flipped, empty, and a bad power", () => {
    assert.equal(flipRadius({ ...neurons([1, 1, -1]), power: 2 }, 1), 0);
    assert.equal(flipRadius({ ...neurons(), power: 2 }, 1), 0);
    assert.throws(
      () => flipRadius({ ...neurons([1, 1, 1]), power: 0.5 }, 1),
      RangeError,
    );
    assert.throws(
      () => flipRadius({ ...neurons([NaN, 1, 1]), power: 2 }, 1),
      RangeError,
    );
  });
});

Deno.test("flipRadiusAlong honours the network's power", () => {
  // N(x) = relu(x1)³ − relu(x2)³ from (2, 0) along (−1, 1)/√2: zero where
  // 2 − s = s with s = t/√2, at t = √2.
  const net = { w: [1, 0, 0, 1], b: [0, 0], v: [1, -1], d: 2, m: 2, power: 3 };
  const t = flipRadiusAlong(net, { x: [2, 0], direction: [-1, 1], label: 1 });
  assert.ok(t >= Math.SQRT2 * (1 - 1e-15) && t - Math.SQRT2 < 1e-11, `${t}`);
  // p = 1 on the same line: also √2 (2 − s = s), through the exact walk.
  const relu = { ...net, power: 1 };
  const t1 = flipRadiusAlong(relu, { x: [2, 0], direction: [-1, 1], label: 1 });
  assert.ok(Math.abs(t1 - Math.SQRT2) < 1e-15);
});
