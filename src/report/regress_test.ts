import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import {
  compareWithBaseline,
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
