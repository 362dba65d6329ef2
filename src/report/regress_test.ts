import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { info, reportSummary } from "../../fixtures/report_data.ts";
import { summaryCsv } from "./summary_csv.ts";
import { summaryJson } from "./summary_json.ts";
import {
  compareWithBaseline,
  readSummary,
  readSummaryCounts,
  simulateFalseAlarm,
  simulatePower,
  worseningPValue,
} from "./regress.ts";
import { Rng } from "../model/rng.ts";
import { runClaims } from "./pipeline.ts";
import { fisherExactLowerTail } from "../stats/mod.ts";
import { UsageError } from "../base/usage_error.ts";

const HEAD =
  "claim,check,expect,trials,passed,rate,ci_low,ci_high,target,verdict,ok,detail\n";

function summary(...rows: [string, string, string, number, number][]): string {
  return HEAD +
    rows.map(([c, k, e, t, p]) =>
      `${c},${k},${e},${t},${p},,,,0.9,holds,true,\n`
    ).join("") +
    "C7,slope,holds,,,,,,,holds,true,slope 0.5\n";
}

Deno.test("compareWithBaseline", async (t) => {
  await t.step("no change is ok; a drop is flagged", () => {
    const base = summary(["C1", "a", "holds", 40, 38], [
      "C1",
      "ctrl",
      "fails",
      40,
      2,
    ]);
    const same = compareWithBaseline(base, base);
    assert.equal(same.drop, false);
    assert.deepEqual(same.rows.map((r) => r.verdict), ["ok", "ok"]);
    assert.ok(same.markdown.includes("No significant drop"));

    const worse = compareWithBaseline(
      base,
      summary(["C1", "a", "holds", 40, 28], ["C1", "ctrl", "fails", 40, 2]),
    );
    assert.equal(worse.drop, true);
    assert.equal(worse.rows[0].verdict, "drop");
    assert.equal(
      worse.rows[0].pValue,
      fisherExactLowerTail(
        { passed: 38, trials: 40 },
        { passed: 28, trials: 40 },
      ),
    );
    assert.ok(worse.rows[0].pValue! < 0.05);
    assert.ok(
      worse.markdown.includes(
        "| C1 | a | holds | 38/40 (0.950) | 28/40 (0.700) |",
      ),
    );
    assert.ok(worse.markdown.includes("Significant drop"));
    // A small dip is not significant.
    const dip = compareWithBaseline(
      base,
      summary(["C1", "a", "holds", 40, 36]),
    );
    assert.equal(dip.rows[0].verdict, "ok");
  });

  await t.step("a control that starts passing is a regression", () => {
    const base = summary(["C1", "ctrl", "fails", 40, 2]);
    const risen = compareWithBaseline(
      base,
      summary(["C1", "ctrl", "fails", 40, 15]),
    );
    assert.equal(risen.drop, true);
    assert.equal(risen.rows[0].verdict, "drop");
    assert.ok(risen.markdown.includes("control rose"));
    assert.equal(
      risen.rows[0].pValue,
      worseningPValue("fails", {
        baseline: { passed: 2, trials: 40 },
        current: { passed: 15, trials: 40 },
      }),
    );
    // A control passing even less often is fine.
    const fell = compareWithBaseline(
      summary(["C1", "ctrl", "fails", 40, 15]),
      base,
    );
    assert.equal(fell.drop, false);
    // And a main check passing more often is fine.
    const better = compareWithBaseline(
      summary(["C1", "a", "holds", 40, 20]),
      summary(["C1", "a", "holds", 40, 40]),
    );
    assert.equal(better.drop, false);
  });

  await t.step("new and missing checks are reported, not flagged", () => {
    const report = compareWithBaseline(
      summary(["C1", "a", "holds", 40, 38], ["C2", "gone", "holds", 10, 10]),
      summary(["C1", "a", "holds", 40, 38], ["C3", "fresh", "holds", 5, 1]),
    );
    assert.deepEqual(report.rows.map((r) => [r.check, r.verdict]), [
      ["a", "ok"],
      ["fresh", "new"],
      ["gone", "missing"],
    ]);
    assert.equal(report.rows[1].pValue, null);
    assert.equal(report.drop, false);
  });

  await t.step("corrupt or mismatched files throw UsageError", () => {
    const good = summary(["C1", "a", "holds", 40, 38]);
    const bad: [string, RegExp][] = [
      ["", /empty/],
      ["claim,check,trials,passed\nC1,a,4,4\n", /missing column\(s\) expect/],
      [HEAD + "C1,a,holds,forty,38,,,,,,,\n", /trials "forty"/],
      [HEAD + "C1,a,holds,40,3.5,,,,,,,\n", /passed "3.5"/],
      [HEAD + "C1,a,holds,40,-1,,,,,,,\n", /passed "-1"/],
      [HEAD + "C1,a,holds,40,41,,,,,,,\n", /exceeds trials/],
      [HEAD + "C1,a,maybe,40,4,,,,,,,\n", /expect "maybe"/],
      [
        HEAD + "C1,a,holds,40,4,,,,,,,\nC1,a,holds,40,4,,,,,,,\n",
        /appears twice/,
      ],
      [HEAD + "C1,a,holds,40\n", /not valid CSV/],
      [HEAD + 'C1,"a,holds,40,4,,,,,,,\n', /not valid CSV/],
      [HEAD + "C1,a,holds,,4,,,,,,,\n", /trials ""/],
    ];
    for (const [text, pattern] of bad) {
      for (
        const [b, c, side] of [[text, good, "baseline"], [
          good,
          text,
          "current",
        ]]
      ) {
        assert.throws(
          () => compareWithBaseline(b, c),
          (e: unknown) =>
            e instanceof UsageError && pattern.test(e.message) &&
            e.message.startsWith(side),
          `${side}: ${JSON.stringify(text)}`,
        );
      }
    }
    assert.throws(() => compareWithBaseline(good, good, { alpha: 0 }), /alpha/);
    assert.deepEqual(readSummaryCounts(good, "x"), [
      { claim: "C1", check: "a", expect: "holds", passed: 38, trials: 40 },
    ]);
  });

  await t.step("reads a real summary.csv with assessment rows", async () => {
    const dir = await Deno.makeTempDir();
    try {
      await runClaims({
        claims: fakeClaims,
        profile: "ci",
        seed: 5,
        out: dir,
        resume: false,
        workers: 1,
        backend: "cpu",
        formats: ["csv"],
      });
      const text = await Deno.readTextFile(`${dir}/summary.csv`);
      const report = compareWithBaseline(text, text);
      assert.deepEqual(report.rows.map((r) => r.check), [
        "heads",
        "control",
        "small",
      ]);
      assert.equal(report.drop, false);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("the drop test: false alarms and power by simulation", () => {
  const falseAlarm = simulateFalseAlarm(0.9, {
    trials: 40,
    reps: 2000,
    alpha: 0.05,
    rng: new Rng(20240601),
  });
  assert.ok(falseAlarm <= 0.05, `false alarm rate ${falseAlarm}`);
  const falseAlarmHalf = simulateFalseAlarm(0.5, {
    trials: 40,
    reps: 2000,
    alpha: 0.05,
    rng: new Rng(7),
  });
  assert.ok(
    falseAlarmHalf <= 0.05,
    `false alarm rate at p=0.5: ${falseAlarmHalf}`,
  );
  const power = simulatePower(0.95, 0.7, {
    trials: 40,
    reps: 2000,
    alpha: 0.05,
    rng: new Rng(99),
  });
  assert.ok(power >= 0.75, `power ${power}`);
  // A larger drop is detected more often; more trials help.
  assert.ok(
    simulatePower(0.95, 0.5, {
      trials: 40,
      reps: 500,
      alpha: 0.05,
      rng: new Rng(3),
    }) > power,
  );
  assert.ok(
    simulatePower(0.95, 0.7, {
      trials: 80,
      reps: 500,
      alpha: 0.05,
      rng: new Rng(4),
    }) > power,
  );
});

/** A summary.json of the writer, with the given constants, seed and counts. */
function jsonSummary(
  options: {
    constants?: Record<string, number>;
    seed?: number;
    backend?: string;
    passed?: number;
    slope?: "holds" | "fails" | "inconclusive";
  } = {},
): string {
  const { rows, assessments } = reportSummary();
  const passed = options.passed ?? rows[0].passed;
  return summaryJson({
    rows: [{ ...rows[0], passed }, rows[1]],
    assessments: [{
      ...assessments[0],
      a: { ...assessments[0].a, verdict: options.slope ?? "holds" },
    }],
  }, {
    ...info,
    seed: options.seed ?? info.seed,
    backend: options.backend ?? info.backend,
    claims: [{
      ...info.claims[0],
      constants: options.constants ?? info.claims[0].constants,
    }],
  });
}

Deno.test("compareWithBaseline with summary.json baselines", async (t) => {
  await t.step("the same run: nothing fails, constants compared", () => {
    const text = jsonSummary();
    const report = compareWithBaseline(text, text);
    assert.equal(report.failed, false);
    assert.deepEqual(report.constantChanges, []);
    assert.deepEqual(report.warnings, []);
    assert.ok(
      report.markdown.includes(
        "Named constants and verdict rules: as in the baseline.",
      ),
    );
    assert.deepEqual(report.assessments.map((a) => a.status), ["ok"]);
  });
  await t.step("a changed named constant fails the check", () => {
    const report = compareWithBaseline(
      jsonSummary(),
      jsonSummary({ constants: { c0: 0.3, kappa: 3 } }),
    );
    assert.equal(report.drop, false);
    assert.equal(report.constantsChanged, true);
    assert.equal(report.failed, true);
    assert.deepEqual(report.constantChanges, [
      { scope: "C1", name: "c0", baseline: 0.25, current: 0.3 },
    ]);
    assert.ok(report.markdown.includes("| C1 | c0 | 0.25 | 0.3 |"));
    assert.ok(report.markdown.includes("must not move after looking"));
    // Added and removed constants count as changes too.
    const added = compareWithBaseline(
      jsonSummary(),
      jsonSummary({ constants: { c0: 0.25, kappa: 3, extra: 1 } }),
    );
    assert.deepEqual(added.constantChanges, [
      { scope: "C1", name: "extra", baseline: null, current: 1 },
    ]);
    const removed = compareWithBaseline(
      jsonSummary(),
      jsonSummary({ constants: { kappa: 3 } }),
    );
    assert.deepEqual(removed.constantChanges, [
      { scope: "C1", name: "c0", baseline: 0.25, current: null },
    ]);
  });
  await t.step("a changed verdict rule fails the check", () => {
    const base = JSON.parse(jsonSummary());
    base.rules.controlCeiling.value = 0.25;
    const report = compareWithBaseline(JSON.stringify(base), jsonSummary());
    assert.deepEqual(report.constantChanges, [
      { scope: "rules", name: "controlCeiling", baseline: 0.25, current: 0.2 },
    ]);
    assert.equal(report.failed, true);
  });
  await t.step("a different seed or backend warns, not fails", () => {
    const report = compareWithBaseline(
      jsonSummary(),
      jsonSummary({ seed: 7, backend: "wasm" }),
    );
    assert.equal(report.failed, false);
    assert.equal(report.warnings.length, 1);
    assert.match(report.warnings[0], /seed \(42 → 7\), backend \(cpu → wasm\)/);
    assert.ok(report.markdown.includes("Warning: the current run differs"));
  });
  await t.step("an assessment that loses its expected verdict fails", () => {
    const worse = compareWithBaseline(
      jsonSummary(),
      jsonSummary({ slope: "inconclusive" }),
    );
    assert.equal(worse.assessmentRegressed, true);
    assert.equal(worse.failed, true);
    assert.deepEqual(worse.assessments[0], {
      claim: "C1",
      check: "slope",
      expect: "holds",
      baseline: "holds",
      current: "inconclusive",
      status: "worse",
    });
    // Gaining the expected verdict is a change, not a regression.
    const better = compareWithBaseline(
      jsonSummary({ slope: "inconclusive" }),
      jsonSummary(),
    );
    assert.equal(better.assessments[0].status, "changed");
    assert.equal(better.failed, false);
  });
  await t.step("older formats still read", () => {
    // A summary.json without rules or format (issue 9's predecessor).
    const old = JSON.parse(jsonSummary());
    delete old.rules;
    delete old.format;
    const report = compareWithBaseline(JSON.stringify(old), jsonSummary());
    assert.equal(report.failed, false);
    // A summary.csv baseline: counts and assessments only, with a note.
    const csvBaseline = summaryCsv(reportSummary());
    const fromCsv = compareWithBaseline(csvBaseline, jsonSummary());
    assert.equal(fromCsv.failed, false);
    assert.ok(fromCsv.markdown.includes("the baseline is a summary.csv"));
    assert.deepEqual(fromCsv.assessments.map((a) => a.status), ["ok"]);
    // A summary.json baseline needs the current summary.json.
    assert.throws(
      () => compareWithBaseline(jsonSummary(), csvBaseline),
      (e: unknown) =>
        e instanceof UsageError && /--format json/.test(e.message),
    );
  });
  await t.step("malformed summary.json throws UsageError", () => {
    const bad: [string, RegExp][] = [
      ["{", /not valid JSON/],
      ["{}", /no rows or run/],
      [
        JSON.stringify({ kind: "regime-maps", format: 1, claims: [] }),
        /regime-map run.*ci or paper profile/,
      ],
      [JSON.stringify({ run: {}, rows: [1] }), /rows\[0\] is not an object/],
      [
        JSON.stringify({
          run: {},
          rows: [{
            claim: "C1",
            check: "a",
            expect: "holds",
            trials: 4,
            passed: 5,
          }],
        }),
        /exceeds trials/,
      ],
      [
        JSON.stringify({
          run: {},
          rows: [],
          claims: [{ id: "C1", constants: { a: "x" } }],
        }),
        /constants\.a is not a number/,
      ],
    ];
    for (const [text, pattern] of bad) {
      assert.throws(
        () => compareWithBaseline(text, jsonSummary()),
        (e: unknown) =>
          e instanceof UsageError && pattern.test(e.message) &&
          e.message.startsWith("baseline"),
        text,
      );
    }
    assert.equal(readSummary(jsonSummary(), "x").rules?.familyAlpha, 0.05);
  });
});

/** A format-3 summary.json with one key measurement and one estimate. */
function measuredSummary(
  options: { median?: number; slope?: number; n?: number } = {},
): string {
  const { rows, assessments } = reportSummary();
  const median = options.median ?? 1;
  const n = options.n ?? 30;
  return summaryJson(
    {
      rows,
      assessments: [{
        ...assessments[0],
        a: {
          ...assessments[0].a,
          estimates: {
            slope: {
              value: options.slope ?? 0.49,
              low: (options.slope ?? 0.49) - 0.04,
              high: (options.slope ?? 0.49) + 0.04,
            },
          },
        },
      }],
    },
    info,
    {
      measurements: {
        C1: {
          columns: ["r"],
          rows: [{
            config: "x",
            n,
            cells: [""],
            stats: [{ median, q10: median - 0.1, q90: median + 0.1, n }],
          }],
        },
      },
    },
  );
}

Deno.test("compareWithBaseline: key measurements and fitted estimates", async (t) => {
  await t.step("the same run: every quantity compared, none moved", () => {
    const text = measuredSummary();
    const report = compareWithBaseline(text, text);
    assert.equal(report.failed, false);
    assert.deepEqual(
      report.measurements.map((m) => [m.kind, m.name, m.status]),
      [["median", "r", "ok"], ["estimate", "slope", "ok"]],
    );
    assert.match(report.markdown, /1 medians and 1 estimates compared/);
    assert.deepEqual(report.warnings, []);
  });
  await t.step("a median that moved beyond its tolerance fails", () => {
    const report = compareWithBaseline(
      measuredSummary(),
      measuredSummary({ median: 1.3 }),
    );
    assert.equal(report.measurementsMoved, true);
    assert.equal(report.failed, true);
    assert.equal(report.drop, false);
    assert.match(
      report.markdown,
      /\| C1 \| x \| r \| 1 \| 1\.3 \| \+30\.0% \|/,
    );
    // Within the noise of 30 trials of spread 0.2: not a move.
    const near = compareWithBaseline(
      measuredSummary(),
      measuredSummary({ median: 1.02 }),
    );
    assert.equal(near.failed, false);
  });
  await t.step("an estimate that moved beyond its interval fails", () => {
    const report = compareWithBaseline(
      measuredSummary(),
      measuredSummary({ slope: 0.7 }),
    );
    assert.deepEqual(
      report.measurements.filter((m) => m.status === "moved").map((m) =>
        m.name
      ),
      ["slope"],
    );
    assert.equal(report.failed, true);
  });
  await t.step("a format-2 baseline: not compared, with a warning", () => {
    const old = JSON.parse(measuredSummary());
    old.format = 2;
    const report = compareWithBaseline(
      JSON.stringify(old),
      measuredSummary({ median: 5 }),
    );
    assert.equal(report.failed, false);
    assert.deepEqual(report.measurements, []);
    assert.match(
      report.warnings.join("\n"),
      /baseline is a summary\.json of format 2, which records no key measurements .*regenerate the baseline/,
    );
    // An old current summary against a new baseline: the same, the other way.
    const current = compareWithBaseline(measuredSummary(), JSON.stringify(old));
    assert.match(
      current.warnings.join("\n"),
      /current summary is a summary\.json of format 2/,
    );
  });
  await t.step("a newer format, or malformed highlights, is bad input", () => {
    const newer = JSON.parse(measuredSummary());
    newer.format = 99;
    assert.throws(
      () => compareWithBaseline(JSON.stringify(newer), measuredSummary()),
      (e: unknown) =>
        e instanceof UsageError &&
        /baseline: summary\.json format 99 is newer than this code reads \(3\)/
          .test(e.message),
    );
    const broken = JSON.parse(measuredSummary());
    broken.claims[0].highlights.rows[0].stats[0].median = "x";
    assert.throws(
      () => compareWithBaseline(JSON.stringify(broken), measuredSummary()),
      (e: unknown) =>
        e instanceof UsageError &&
        /^baseline: claims\[0\]\.highlights\.rows\[0\]\.stats\[0\]\.median is not a finite number/
          .test(e.message),
    );
  });
});
