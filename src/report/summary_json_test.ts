import assert from "node:assert/strict";
import { info, reportSummary } from "../../fixtures/report_data.ts";
import { summaryJson } from "./summary_json.ts";
import { allOk } from "./verdict.ts";

const { rows, assessments } = reportSummary();

Deno.test("summary.json is deterministic and has no wall times", () => {
  const a = summaryJson({ rows, assessments }, info);
  const b = summaryJson({ rows, assessments }, {
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
  assert.equal(value.allOk, allOk({ rows, assessments }));
  assert.equal(value.claims[0].constants.kappa, 3);
});
