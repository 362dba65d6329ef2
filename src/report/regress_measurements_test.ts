import assert from "node:assert/strict";
import {
  compareMeasurements,
  type MeasuredValue,
  MEASUREMENT_RULE_REASONS,
  MEASUREMENT_RULES,
  measurementsMarkdown,
  measurementTolerance,
  readMeasuredValues,
} from "./regress_measurements.ts";
import { Rng } from "../model/rng.ts";
import { quantile } from "../stats/mod.ts";
import { UsageError } from "../base/usage_error.ts";

/** A key measurement of claim C4, configuration x. */
function median(
  name: string,
  value: number,
  options: { low?: number; high?: number; n?: number } = {},
): MeasuredValue {
  return {
    kind: "median",
    claim: "C4",
    scope: "x",
    name,
    value,
    low: options.low ?? value - 0.1,
    high: options.high ?? value + 0.1,
    n: options.n ?? 30,
  };
}

Deno.test("readMeasuredValues reads highlights and estimates, and rejects bad ones", () => {
  const summary = {
    claims: [
      {
        id: "C4",
        highlights: {
          columns: ["r", "s"],
          rows: [{
            config: "x",
            n: 4,
            cells: ["1 [0.9, 1.1]", "n/a"],
            stats: [{ median: 1, q10: 0.9, q90: 1.1, n: 4 }, null],
          }],
        },
      },
      { id: "C5" },
    ],
    assessments: [
      { claim: "C7", check: "law", estimates: { a: { value: 0.5 } } },
      { claim: "C7", check: "other", estimates: null },
    ],
  };
  assert.deepEqual(readMeasuredValues(summary, "b"), [
    {
      kind: "median",
      claim: "C4",
      scope: "x",
      name: "r",
      value: 1,
      low: 0.9,
      high: 1.1,
      n: 4,
    },
    {
      kind: "estimate",
      claim: "C7",
      scope: "law",
      name: "a",
      value: 0.5,
      low: null,
      high: null,
      n: null,
    },
  ]);
  const row = summary.claims[0].highlights!.rows[0];
  const bad: [unknown, RegExp][] = [
    [
      { highlights: { columns: ["r"] } },
      /claims\[0\]\.highlights has no columns or rows/,
    ],
    [{ highlights: { columns: [1], rows: [] } }, /columns\[0\] is not a name/],
    [
      { highlights: { columns: ["r", "s"], rows: [{ ...row, config: 3 }] } },
      /rows\[0\] has no config/,
    ],
    [
      { highlights: { columns: ["r"], rows: [row] } },
      /stats must have one entry per column/,
    ],
    [
      {
        highlights: {
          columns: ["r", "s"],
          rows: [{
            ...row,
            stats: [{ median: "1", q10: 0, q90: 1, n: 2 }, null],
          }],
        },
      },
      /stats\[0\]\.median is not a finite number/,
    ],
    [
      {
        highlights: {
          columns: ["r", "s"],
          rows: [{
            ...row,
            stats: [{ median: 1, q10: 0, q90: 1, n: 0 }, null],
          }],
        },
      },
      /stats\[0\]\.n is not a positive integer/,
    ],
  ];
  for (const [claim, pattern] of bad) {
    assert.throws(
      () =>
        readMeasuredValues(
          { claims: [{ id: "C4", ...claim as object }] },
          "baseline",
        ),
      (e: unknown) =>
        e instanceof UsageError && e.message.startsWith("baseline: ") &&
        pattern.test(e.message),
      pattern.source,
    );
  }
  assert.throws(
    () =>
      readMeasuredValues({
        assessments: [{
          claim: "C7",
          check: "law",
          estimates: { a: { value: 1, low: "x" } },
        }],
      }, "current"),
    /current: assessments\[0\]\.estimates\.a\.low is not a finite number/,
  );
  assert.throws(
    () => readMeasuredValues({ assessments: [{ estimates: 3 }] }, "b"),
    /estimates is not an object/,
  );
});

Deno.test("measurementTolerance: the 1% floor, the spread band, the intervals", () => {
  assert.deepEqual(
    Object.keys(MEASUREMENT_RULE_REASONS),
    Object.keys(MEASUREMENT_RULES),
  );
  const flat = median("t", 2, { low: 2, high: 2, n: 8 });
  assert.equal(measurementTolerance(flat, flat, { level: 0.05 }), 0.02);
  // The band grows with the spread and shrinks with the trials.
  const wide = median("r", 1, { low: 0.5, high: 1.5, n: 8 });
  const many = median("r", 1, { low: 0.5, high: 1.5, n: 64 });
  const t8 = measurementTolerance(wide, wide, { level: 0.05 });
  const t64 = measurementTolerance(many, many, { level: 0.05 });
  assert.ok(t8 > t64 && t64 > 0.01, `${t8} ${t64}`);
  // n = 64, both spreads σ = 1/2.563: t·√(π/2)·σ·√(2/64), t ≈ 2.00 (63 df).
  assert.ok(
    Math.abs(
      t64 - 1.998 * Math.sqrt(Math.PI / 2) * (1 / 2.5631) * Math.sqrt(2 / 64),
    ) < 2e-3,
  );
  // A stricter level widens the band.
  assert.ok(measurementTolerance(wide, wide, { level: 0.0005 }) > t8);
  // An estimate without an interval: the floor.
  const bare: MeasuredValue = {
    kind: "estimate",
    claim: "C2",
    scope: "law",
    name: "gamma",
    value: 1.04,
    low: null,
    high: null,
    n: null,
  };
  assert.ok(
    Math.abs(measurementTolerance(bare, bare, { level: 0.05 }) - 0.0104) <
      1e-12,
  );
});

Deno.test("compareMeasurements: statuses and the Bonferroni family", () => {
  const baseline = [
    median("same", 1),
    median("moved", 1),
    median("gone", 1),
    median("few", 1, { n: 1 }),
    {
      ...median("slope", -0.42, { low: -0.43, high: -0.41 }),
      kind: "estimate" as const,
      n: null,
    },
  ];
  const current = [
    median("same", 1.001),
    median("moved", 2),
    median("few", 5, { n: 1 }),
    median("added", 1),
    {
      ...median("slope", -0.3, { low: -0.31, high: -0.29 }),
      kind: "estimate" as const,
      n: null,
    },
  ];
  const list = compareMeasurements(baseline, current, { alpha: 0.05 });
  assert.deepEqual(list.map((c) => [c.name, c.status]), [
    ["same", "ok"],
    ["moved", "moved"],
    ["few", "few"],
    ["added", "new"],
    ["slope", "moved"],
    ["gone", "missing"],
  ]);
  assert.equal(list[2].tolerance, null);
  // Three compared: each at level 0.05/3.
  const same = list[0];
  assert.equal(
    same.tolerance,
    measurementTolerance(baseline[0], current[0], { level: 0.05 / 3 }),
  );
  const md = measurementsMarkdown(list, { alpha: 0.05 }).join("\n");
  assert.match(md, /2 medians and 1 estimates compared/);
  assert.match(md, /\| C4 \| x \| moved \| 1 \| 2 \| \+100\.0% \|/);
  assert.match(md, /\| C4 \| x \| slope \| -0\.42 \| -0\.3 \| \+28\.6% \|/);
  assert.match(
    md,
    /Not compared \(fewer than 2 finished trials in a run\): C4\/x\/few\./,
  );
  assert.match(md, /absent from the current run .*C4\/x\/gone\./);
  assert.match(md, /New measurements \(not in the baseline\): C4\/x\/added\./);
  const quiet = measurementsMarkdown(
    compareMeasurements([median("a", 1)], [median("a", 1)], { alpha: 0.05 }),
    { alpha: 0.05 },
  ).join("\n");
  assert.match(quiet, /No measurement moved beyond its tolerance\./);
  // A zero baseline shows an absolute change.
  const zero = measurementsMarkdown([{
    kind: "median",
    claim: "C1",
    scope: "x",
    name: "z",
    baseline: 0,
    current: 0.5,
    tolerance: 0,
    status: "moved",
  }], { alpha: 0.05 }).join("\n");
  assert.match(zero, /\| 0\.5 \(absolute\) \|/);
});

/** One run's key measurement of `n` trials drawn by `draw`. */
function simulated(
  rng: Rng,
  options: { n: number; name: string; draw: (rng: Rng) => number },
): MeasuredValue {
  const xs = Array.from({ length: options.n }, () => options.draw(rng));
  return {
    kind: "median",
    claim: "C0",
    scope: "x",
    name: options.name,
    value: quantile(xs, 0.5),
    low: quantile(xs, 0.1),
    high: quantile(xs, 0.9),
    n: options.n,
  };
}

Deno.test("the tolerance by simulation: false alarms of a fresh seed, and power", () => {
  const rng = new Rng(12);
  const normal = (r: Rng) => 10 + r.normal();
  const logNormal = (r: Rng) => Math.exp(r.normal());
  const reps = 150, m = 100;
  for (
    const [label, draw] of [["normal", normal], [
      "log-normal",
      logNormal,
    ]] as const
  ) {
    for (const n of [8, 32]) {
      let alarms = 0;
      for (let rep = 0; rep < reps; rep++) {
        const run = () =>
          Array.from(
            { length: m },
            (_, i) => simulated(rng, { n, name: `q${i}`, draw }),
          );
        const list = compareMeasurements(run(), run(), { alpha: 0.05 });
        if (list.some((c) => c.status === "moved")) alarms++;
      }
      // The family's false-alarm rate stays near or below alpha = 0.05.
      assert.ok(alarms / reps <= 0.1, `${label}, n = ${n}: ${alarms}/${reps}`);
    }
  }
  // Power: one of 100 normal quantities shifted by 3 standard deviations,
  // at 32 trials per run, is caught almost always.
  let caught = 0;
  for (let rep = 0; rep < 100; rep++) {
    const base = Array.from(
      { length: m },
      (_, i) => simulated(rng, { n: 32, name: `q${i}`, draw: normal }),
    );
    const now = Array.from(
      { length: m },
      (_, i) =>
        simulated(rng, {
          n: 32,
          name: `q${i}`,
          draw: i === 0 ? (r) => normal(r) + 3 : normal,
        }),
    );
    if (compareMeasurements(base, now, { alpha: 0.05 })[0].status === "moved") {
      caught++;
    }
  }
  assert.ok(caught >= 90, `${caught}/100`);
});
