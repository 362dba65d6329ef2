import assert from "node:assert/strict";
import {
  allOk,
  claimChecks,
  type RunInfo,
  summarize,
  summaryCsv,
  summaryJson,
  summaryMarkdown,
  summaryTableMarkdown,
  verdictOf,
} from "./summary.ts";
import { clopperPearsonInterval } from "../stats/stats.ts";
import type {
  CheckSpec,
  ClaimConfig,
  TrialRecord,
  TrialStatus,
} from "../claims/types.ts";

const main: CheckSpec = {
  name: "main",
  description: "",
  target: 0.8,
  expect: "holds",
};
const ctrl: CheckSpec = {
  name: "ctrl",
  description: "",
  target: 0.5,
  expect: "fails",
};

function records(
  config: string,
  outcomes: [TrialStatus, Record<string, boolean>][],
  claim = "C1",
): TrialRecord[] {
  return outcomes.map(([status, checks], trial) => ({
    task: { claim, config, trial, seed: trial },
    result: { status, reason: "", checks, values: {} },
  }));
}

const info: RunInfo = {
  seed: 42,
  profile: "ci",
  backend: "cpu",
  workers: 2,
  started: "2024-01-01T00:00:00.000Z",
  elapsedSeconds: 12.345,
  trials: 5,
  shard: { index: 2, count: 3 },
  claims: [{
    id: "C1",
    title: "Title | with pipe",
    statement: "The statement.",
    constants: { c0: 0.25, kappa: 3 },
  }],
  extra: { note: "hello" },
};

Deno.test("summarize", async (t) => {
  await t.step("a trial passes only with status ok and check true", () => {
    const recs = records("x", [
      ["ok", { main: true }],
      ["ok", { main: false }],
      ["not-converged", { main: true }],
      ["error", { main: true }],
      ["ok", {}],
    ]);
    const [row] = summarize("C1", [main], recs);
    assert.equal(row.trials, 5);
    assert.equal(row.passed, 1);
    assert.equal(row.rate, 0.2);
    const ci = clopperPearsonInterval(1, 5);
    assert.equal(row.ciLow, ci.low);
    assert.equal(row.ciHigh, ci.high);
    assert.equal(row.verdict, "fails");
    assert.equal(row.ok, false);
  });

  await t.step("aggregates over the configurations that have the check", () => {
    const configs: ClaimConfig[] = [
      { key: "a", params: {}, checks: [main, ctrl], trials: 30 },
      { key: "b", params: {}, checks: [main], trials: 30 },
    ];
    const recs = [
      ...records(
        "a",
        Array.from({ length: 30 }, () => ["ok", { main: true, ctrl: false }]),
      ),
      ...records("b", Array.from({ length: 30 }, () => ["ok", { main: true }])),
      ...records("a", [["ok", { main: true, ctrl: true }]], "C2"),
    ];
    const checks = claimChecks(configs);
    assert.deepEqual(checks.map((c) => c.name), ["main", "ctrl"]);
    const rows = summarize("C1", checks, recs, configs);
    assert.deepEqual(
      rows.map((r) => [r.check, r.trials, r.passed, r.verdict, r.ok]),
      [
        ["main", 60, 60, "holds", true],
        ["ctrl", 30, 0, "fails", true],
      ],
    );
    // Without configs every record of the claim counts for every check.
    const loose = summarize("C1", checks, recs);
    assert.equal(loose[1].trials, 60);
    assert.ok(allOk(rows, []));
    assert.ok(
      !allOk(rows, [{
        claim: "C1",
        a: { check: "s", expect: "holds", verdict: "inconclusive", detail: "" },
      }]),
    );
  });

  await t.step("no trials is inconclusive", () => {
    const [row] = summarize("C1", [main], []);
    assert.deepEqual(
      [row.trials, row.rate, row.ciLow, row.ciHigh, row.verdict],
      [
        0,
        0,
        0,
        1,
        "inconclusive",
      ],
    );
  });

  await t.step("verdict boundaries", () => {
    assert.equal(verdictOf(0.8, 1, 0.8), "holds");
    assert.equal(verdictOf(0.1, 0.7999, 0.8), "fails");
    assert.equal(verdictOf(0.1, 0.8, 0.8), "inconclusive");
  });

  await t.step("conflicting check declarations throw", () => {
    assert.throws(
      () =>
        claimChecks([
          { key: "a", params: {}, checks: [main], trials: 1 },
          {
            key: "b",
            params: {},
            checks: [{ ...main, target: 0.5 }],
            trials: 1,
          },
        ]),
      /different target or expect/,
    );
  });
});

Deno.test("summary reports", async (t) => {
  const recs = records(
    "x",
    Array.from({ length: 12 }, (_, i) => ["ok", { main: i < 11, ctrl: i < 2 }]),
  );
  const rows = summarize("C1", [main, ctrl], recs);
  const assessments = [{
    claim: "C1",
    a: {
      check: "slope",
      expect: "holds" as const,
      verdict: "holds" as const,
      detail: "slope 0.49 [0.41, 0.57]",
    },
  }];

  await t.step("summary.csv has the exact columns and formatting", () => {
    const ci1 = clopperPearsonInterval(11, 12);
    const ci2 = clopperPearsonInterval(2, 12);
    const rowVerdict = (low: number, high: number, target: number) =>
      verdictOf(low, high, target);
    const v1 = rowVerdict(ci1.low, ci1.high, 0.8);
    const v2 = rowVerdict(ci2.low, ci2.high, 0.5);
    assert.equal(
      summaryCsv(rows, assessments),
      "claim,check,expect,trials,passed,rate,ci_low,ci_high,target,verdict,ok,detail\n" +
        `C1,main,holds,12,11,0.9167,${ci1.low.toFixed(4)},${
          ci1.high.toFixed(4)
        },0.8,${v1},${v1 === "holds"},\n` +
        `C1,ctrl,fails,12,2,0.1667,${ci2.low.toFixed(4)},${
          ci2.high.toFixed(4)
        },0.5,${v2},${v2 === "fails"},\n` +
        'C1,slope,holds,,,,,,,holds,true,"slope 0.49 [0.41, 0.57]"\n',
    );
  });

  await t.step("assessments follow their claim's rows", () => {
    const other = summarize(
      "C0",
      [main],
      records("y", [["ok", { main: true }]], "C0"),
    );
    const text = summaryCsv([...other, ...rows], [
      ...assessments,
      {
        claim: "C9",
        a: { check: "z", expect: "fails", verdict: "holds", detail: "" },
      },
    ]);
    const firsts = text.trim().split("\n").slice(1).map((l) =>
      l.split(",").slice(0, 2).join("/")
    );
    assert.deepEqual(firsts, [
      "C0/main",
      "C1/main",
      "C1/ctrl",
      "C1/slope",
      "C9/z",
    ]);
    assert.ok(text.trim().endsWith("C9,z,fails,,,,,,,holds,false,"));
  });

  await t.step(
    "summary.md has the table, assessments, run and constants",
    () => {
      const md = summaryMarkdown(rows, assessments, info);
      assert.ok(md.includes(summaryTableMarkdown(rows)));
      assert.ok(
        md.includes(
          "| claim | check | expect | trials | passed | rate | 95% CI |",
        ),
      );
      assert.ok(md.includes("| C1 | main | holds | 12 | 11 | 0.9167 | ["));
      assert.ok(/✓|✗/.test(md));
      assert.ok(
        md.includes(
          "| C1 | slope | holds | holds | slope 0.49 [0.41, 0.57] | ✓ |",
        ),
      );
      for (
        const line of [
          "- seed: 42",
          "- profile: ci",
          "- backend: cpu",
          "- trials: 5 per configuration (override)",
          "- shard: 2/3",
          "- workers: 2",
          "- started: 2024-01-01T00:00:00.000Z",
          "- elapsed: 12.3 s",
          "- note: hello",
          "### C1: Title | with pipe",
          "The statement.",
          "| kappa | 3 |",
          "| c0 | 0.25 |",
        ]
      ) {
        assert.ok(md.includes(line), line);
      }
      const bare = summaryMarkdown([], [], {
        ...info,
        workers: undefined,
        started: undefined,
        elapsedSeconds: undefined,
        shard: null,
        trials: null,
        claims: [{ id: "C2", title: "t", statement: "s", constants: {} }],
      });
      assert.ok(bare.includes("- shard: whole plan"));
      assert.ok(bare.includes("- trials: per configuration"));
      assert.ok(!bare.includes("workers"));
      assert.ok(bare.includes("No named constants."));
      assert.ok(bare.includes("None."));
    },
  );

  await t.step("summary.json is deterministic and has no wall times", () => {
    const a = summaryJson(rows, assessments, info);
    const b = summaryJson(rows, assessments, {
      ...info,
      workers: 7,
      started: "later",
      elapsedSeconds: 99,
    });
    assert.equal(a, b);
    const value = JSON.parse(a);
    assert.equal(value.run.seed, 42);
    assert.deepEqual(value.run.shard, { index: 2, count: 3 });
    assert.equal(value.rows.length, 2);
    assert.equal(value.rows[0].ciLow, rows[0].ciLow);
    assert.equal(value.assessments[0].ok, true);
    assert.equal(value.allOk, allOk(rows, assessments));
    assert.equal(value.claims[0].constants.kappa, 3);
  });
});

Deno.test("summary.md shows key measurements and figures per claim", () => {
  const rows = summarize("C1", [main], records("x", [["ok", { main: true }]]));
  const md = summaryMarkdown(rows, [], info, {
    overview: { file: "pass_rates.svg", caption: "Pass rates" },
    claims: {
      C1: {
        highlights: {
          columns: ["ratio"],
          rows: [{ config: "d=10", n: 5, cells: ["1.2 [1, 1.4]"] }],
        },
        figures: [{ file: "C1_a.svg", caption: "A [x]\nsecond line" }],
        figureErrors: ["figures threw: oops | bad"],
      },
    },
  });
  for (
    const line of [
      "![Pass rates](figures/pass_rates.svg)",
      "#### Key measurements",
      "| configuration | finished | ratio |",
      "| d=10 | 5 | 1.2 [1, 1.4] |",
      "#### Figures",
      "- ![A \\[x\\] second line](figures/C1_a.svg)",
      "- Figure failed: figures threw: oops \\| bad",
    ]
  ) {
    assert.ok(md.includes(line), line);
  }
  // Claim sections come after the run section, in claim order.
  assert.ok(md.indexOf("## Run") < md.indexOf("#### Key measurements"));
  const failed = summaryMarkdown(rows, [], info, {
    overviewError: "vega broke",
    claims: {
      C1: {
        highlights: { columns: [], rows: [] },
        figures: [],
        figureErrors: [],
      },
    },
  });
  assert.ok(failed.includes("The pass-rate figure failed: vega broke"));
  assert.ok(!failed.includes("#### Key measurements"));
  assert.ok(!failed.includes("#### Figures"));
  assert.equal(
    summaryMarkdown(rows, [], info, {}),
    summaryMarkdown(rows, [], info),
  );
});

Deno.test("controls: unfinished trials neither help nor count", async (t) => {
  const { summarize } = await import("./summary.ts");
  const control = {
    name: "ctl",
    description: "a control",
    target: 0.8,
    expect: "fails" as const,
  };
  const rec = (trial: number, status: "ok" | "error", pass: boolean) => ({
    task: { claim: "C0", config: "c", trial, seed: trial },
    result: {
      status,
      reason: status === "ok" ? "" : "boom",
      checks: { ctl: pass },
      values: {},
    },
  });
  await t.step("errored trials are left out of a control's rate", () => {
    const records = [
      ...Array.from({ length: 10 }, (_, i) => rec(i, "ok", true)),
      ...Array.from({ length: 2 }, (_, i) => rec(10 + i, "error", false)),
    ];
    const [row] = summarize("C0", [control], records);
    assert.equal(row.trials, 10);
    assert.equal(row.passed, 10);
    assert.notEqual(row.verdict, "fails");
  });
  await t.step("a control with many unfinished trials is inconclusive", () => {
    const records = [
      ...Array.from({ length: 10 }, (_, i) => rec(i, "ok", false)),
      ...Array.from({ length: 5 }, (_, i) => rec(10 + i, "error", false)),
    ];
    const [row] = summarize("C0", [control], records);
    assert.equal(row.verdict, "inconclusive");
    assert.equal(row.ok, false);
  });
});
