import assert from "node:assert/strict";
import { main, records, reportSummary } from "../../fixtures/report_data.ts";
import {
  SUMMARY_COLUMN_DOCS,
  SUMMARY_COLUMNS,
  summaryCsv,
} from "./summary_csv.ts";
import { checkVerdict, summarize } from "./verdict.ts";
import { clopperPearsonInterval } from "../stats/mod.ts";

const { rows, assessments } = reportSummary();

Deno.test("summary.csv has the exact columns and formatting", () => {
  const ci1 = clopperPearsonInterval(11, 12);
  const ci2 = clopperPearsonInterval(2, 12);
  const v1 = checkVerdict(ci1, { target: 0.8, expect: "holds" });
  // A control of target 0.5 passing 2/12: upper end 0.48 is above the
  // ceiling 0.2, so it is inconclusive (it read `fails` before issue 9).
  const v2 = checkVerdict(ci2, { target: 0.5, expect: "fails" });
  assert.equal(v2, "inconclusive");
  const lines = summaryCsv({ rows, assessments }).split("\n");
  assert.equal(lines[0], SUMMARY_COLUMNS.join(","));
  assert.ok(
    lines[0].startsWith(
      "claim,check,expect,trials,passed,rate,ci_low,ci_high,target,verdict,ok,detail,",
    ),
    "the columns of before come first, unchanged",
  );
  assert.ok(
    lines[1].startsWith(
      `C1,main,holds,12,11,0.9167,${ci1.low.toFixed(4)},${
        ci1.high.toFixed(4)
      },0.8,${v1},${v1 === "holds"},,`,
    ),
  );
  assert.ok(
    lines[2].startsWith(
      `C1,ctrl,fails,12,2,0.1667,${ci2.low.toFixed(4)},${
        ci2.high.toFixed(4)
      },0.5,${v2},false,,`,
    ),
  );
  // The evidence columns: role, twin, twin_rate, power, power_low,
  // power_high, margin_median, margin_near, margin_trials, saturated,
  // p_value, p_holm, verdict_adjusted, ok_adjusted, best_p, reachable,
  // passes_needed, trials_needed. Family: the two checks (no assessment p).
  // main: P(X ≥ 11 | 12, 0.8) = 12·0.8^11·0.2 + 0.8^12 = 0.2749.
  // ctrl: P(X ≤ 2 | 12, 0.2) = 0.5583; Holm: 2·0.2749 = 0.5498, 0.5583.
  // best p 0.8^12 = 0.06872 ≥ 0.05/2; 17 trials would reach 0.8^17 < 0.025.
  assert.equal(
    lines[1].split(",").slice(12).join(","),
    "prediction,,,,,,,,,false,0.2749,0.5498,inconclusive,false,0.06872,false,,17",
  );
  assert.equal(
    lines[2].split(",").slice(12).join(","),
    "control,,,,,,,,,false,0.5583,0.5583,inconclusive,false,0.06872,false,,17",
  );
  assert.equal(
    lines[3],
    'C1,slope,holds,,,,,,,holds,true,"slope 0.49 [0.41, 0.57]",,,,,,,,,,,,,holds,true,,,,',
  );
  assert.equal(lines[4], "");
});

Deno.test("every summary.csv column is documented", () => {
  assert.equal(SUMMARY_COLUMNS.length, 30);
  for (const column of SUMMARY_COLUMNS) {
    assert.ok(SUMMARY_COLUMN_DOCS[column].length > 5, column);
  }
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
      {
        claim: "C9",
        a: {
          check: "fit",
          expect: "holds",
          verdict: "holds",
          detail: "",
          pValue: 0.001,
        },
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
    "C9/fit",
  ]);
  assert.ok(
    text.includes("\nC9,z,fails,,,,,,,holds,false,,,,,,,,,,,,,,holds,false,"),
  );
  // An assessment with a p-value joins the family of 4: 4·0.001 = 0.004.
  assert.ok(
    text.trim().endsWith(
      "C9,fit,holds,,,,,,,holds,true,,,,,,,,,,,,0.001,0.004,holds,true,,,,",
    ),
  );
});

Deno.test("summary.csv starts with SUMMARY_COLUMNS", () => {
  assert.equal(
    summaryCsv({ rows: [], assessments: [] }),
    SUMMARY_COLUMNS.join(",") + "\n",
  );
});
