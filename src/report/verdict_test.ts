import assert from "node:assert/strict";
import { ctrl, main, records } from "../../fixtures/report_data.ts";
import { allOk, rateText, summarize, verdictOf } from "./verdict.ts";
import { claimChecks } from "../runner/plan.ts";
import { clopperPearsonInterval } from "../stats/mod.ts";
import type { ClaimConfig } from "../claims/types.ts";

Deno.test("summarize", async (t) => {
  await t.step("a trial passes only with status ok and check true", () => {
    const recs = records("x", [
      ["ok", { main: true }],
      ["ok", { main: false }],
      ["not-converged", { main: true }],
      ["error", { main: true }],
      ["ok", {}],
    ]);
    const [row] = summarize(recs, { claim: "C1", checks: [main] });
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
      ...records("a", [["ok", { main: true, ctrl: true }]], { claim: "C2" }),
    ];
    const checks = claimChecks(configs);
    assert.deepEqual(checks.map((c) => c.name), ["main", "ctrl"]);
    const rows = summarize(recs, { claim: "C1", checks, configs });
    assert.deepEqual(
      rows.map((r) => [r.check, r.trials, r.passed, r.verdict, r.ok]),
      [
        ["main", 60, 60, "holds", true],
        ["ctrl", 30, 0, "fails", true],
      ],
    );
    // Without configs every record of the claim counts for every check.
    const loose = summarize(recs, { claim: "C1", checks });
    assert.equal(loose[1].trials, 60);
    assert.ok(allOk({ rows, assessments: [] }));
    assert.ok(
      !allOk({
        rows,
        assessments: [{
          claim: "C1",
          a: {
            check: "s",
            expect: "holds",
            verdict: "inconclusive",
            detail: "",
          },
        }],
      }),
    );
  });

  await t.step("no trials is inconclusive", () => {
    const [row] = summarize([], { claim: "C1", checks: [main] });
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
    assert.equal(verdictOf({ low: 0.8, high: 1 }, 0.8), "holds");
    assert.equal(verdictOf({ low: 0.1, high: 0.7999 }, 0.8), "fails");
    assert.equal(verdictOf({ low: 0.1, high: 0.8 }, 0.8), "inconclusive");
  });
});

Deno.test("controls: unfinished trials neither help nor count", async (t) => {
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
    const [row] = summarize(records, { claim: "C0", checks: [control] });
    assert.equal(row.trials, 10);
    assert.equal(row.passed, 10);
    assert.notEqual(row.verdict, "fails");
  });
  await t.step("a control with many unfinished trials is inconclusive", () => {
    const records = [
      ...Array.from({ length: 10 }, (_, i) => rec(i, "ok", false)),
      ...Array.from({ length: 5 }, (_, i) => rec(10 + i, "error", false)),
    ];
    const [row] = summarize(records, { claim: "C0", checks: [control] });
    assert.equal(row.verdict, "inconclusive");
    assert.equal(row.ok, false);
  });
});

Deno.test("rateText prints 4 decimals", () => {
  assert.equal(rateText(0), "0.0000");
  assert.equal(rateText(2 / 3), "0.6667");
});
