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

Deno.test("summary.json has the verdict rules, the family and the evidence", () => {
  const value = JSON.parse(
    summaryJson({ rows, assessments }, {
      ...info,
      claims: [{
        ...info.claims[0],
        constantReasons: { kappa: "three, from the paper" },
      }],
    }),
  );
  assert.equal(value.format, 3);
  assert.deepEqual(value.rules.controlCeiling.value, 0.2);
  assert.match(value.rules.familyAlpha.reason, /Holm/);
  assert.equal(Object.keys(value.rules).length, 7);
  assert.deepEqual(value.family, {
    size: 2,
    checks: 2,
    assessments: 0,
    alpha: 0.05,
    strictest: 0.025,
  });
  assert.equal(value.claims[0].constantReasons.kappa, "three, from the paper");
  const [main, ctrl] = value.rows;
  assert.equal(main.role, "prediction");
  assert.equal(ctrl.role, "control");
  assert.ok(Math.abs(main.pValue - 3.2 * 0.8 ** 11) < 1e-12);
  assert.equal(main.adjustedVerdict, "inconclusive");
  assert.equal(main.reach.trialsNeeded, 17);
  assert.equal(value.assessments[0].pValue, null);
  assert.equal(value.assessments[0].pAdjusted, null);
  assert.equal(value.assessments[0].okAdjusted, true);
  // Without reasons the claim gets an empty map.
  const bare = JSON.parse(summaryJson({ rows, assessments }, info));
  assert.deepEqual(bare.claims[0].constantReasons, {});
});

Deno.test("summary.json (format 3) carries key measurements, estimates and deviations", () => {
  const stats = { median: 1, q10: 0.9, q90: 1.1, n: 4 };
  const measurements = {
    [info.claims[0].id]: {
      columns: ["r", "s"],
      rows: [{
        config: "x",
        n: 4,
        cells: ["1 [0.9, 1.1]", "n/a"],
        stats: [stats, null],
      }],
    },
  };
  const deviation = {
    claim: info.claims[0].id,
    name: "p",
    law: "l",
    source: "[R]",
    note: "n",
    form: "value" as const,
    predicted: 1,
    from: "median of r",
    measured: 1,
    low: 0.9,
    high: 1.1,
    range: "trials 10–90%" as const,
    trials: 4,
    deviation: 0,
    relative: 0,
    inside: true,
  };
  const withEstimates = [{
    ...assessments[0],
    a: {
      ...assessments[0].a,
      estimates: { slope: { value: -0.4, low: -0.5, high: -0.3 } },
    },
  }];
  const value = JSON.parse(
    summaryJson({ rows, assessments: withEstimates }, info, {
      measurements,
      deviations: [deviation],
    }),
  );
  assert.deepEqual(value.claims[0].highlights, measurements[info.claims[0].id]);
  assert.deepEqual(value.assessments[0].estimates, {
    slope: { value: -0.4, low: -0.5, high: -0.3 },
  });
  assert.deepEqual(value.deviations, [deviation]);
  // Without extras: no highlights, no estimates, no deviations.
  const bare = JSON.parse(summaryJson({ rows, assessments }, info));
  assert.equal(bare.claims[0].highlights, undefined);
  assert.equal(bare.assessments[0].estimates, null);
  assert.deepEqual(bare.deviations, []);
});
