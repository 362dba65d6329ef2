import assert from "node:assert/strict";
import { main, records, reportSummary } from "../../fixtures/report_data.ts";
import { SUMMARY_COLUMNS, summaryCsv } from "./summary_csv.ts";
import { summarize, verdictOf } from "./verdict.ts";
import { clopperPearsonInterval } from "../stats/mod.ts";

const { rows, assessments } = reportSummary();

Deno.test("summary.csv has the exact columns and formatting", () => {
  const ci1 = clopperPearsonInterval(11, 12);
  const ci2 = clopperPearsonInterval(2, 12);
  const rowVerdict = (low: number, high: number, target: number) =>
    verdictOf({ low, high }, target);
  const v1 = rowVerdict(ci1.low, ci1.high, 0.8);
  const v2 = rowVerdict(ci2.low, ci2.high, 0.5);
  assert.equal(
    summaryCsv({ rows, assessments }),
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
Deno.test("assessments follow their claim's rows", () => {
  const other = summarize(
    records("y", [["ok", { main: true }]], { claim: "C0" }),
    {
      claim: "C0",
      checks: [main],
    },
  );
  const text = summaryCsv({
    rows: [...other, ...rows],
    assessments: [
      ...assessments,
      {
        claim: "C9",
        a: { check: "z", expect: "fails", verdict: "holds", detail: "" },
      },
    ],
  });
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

Deno.test("summary.csv starts with SUMMARY_COLUMNS", () => {
  assert.equal(
    summaryCsv({ rows: [], assessments: [] }),
    SUMMARY_COLUMNS.join(",") + "\n",
  );
});
