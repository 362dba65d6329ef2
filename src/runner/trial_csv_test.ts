import assert from "node:assert/strict";
import { rec, tricky } from "../../fixtures/trial_records.ts";
import {
  formatTrialCsv,
  mergeKeyOrder,
  sortRecords,
  trialCsvText,
  valueColumnsOf,
} from "./trial_csv.ts";
import { parseTrialCsv } from "./trial_csv_parse.ts";

Deno.test("trial file round trip keeps types exactly", () => {
  const records = [
    rec("x", 0, { values: tricky }),
    rec("x", 1, {
      values: { n: 2 },
      checks: { a: false },
      status: "not-converged",
      reason: "max steps, no luck",
    }),
    rec("x", 2, {
      values: {},
      checks: {},
      status: "error",
      reason: 'boom "quoted"',
    }),
  ];
  const text = formatTrialCsv(records, {
    checks: ["a", "b"],
    configOrder: ["x"],
  });
  const parsed = parseTrialCsv(text, { tolerateTruncation: false });
  assert.deepEqual(parsed.records, records);
  assert.deepEqual(parsed.checks, ["a", "b"]);
  assert.deepEqual(parsed.valueColumns, Object.keys(tricky));
  assert.equal(parsed.truncated, false);
  assert.ok(
    text.startsWith("claim,config,trial,seed,status,reason,check:a,check:b,n,"),
  );
  // Formatting the parsed records gives the same bytes.
  assert.equal(
    formatTrialCsv(parsed.records, {
      checks: ["a", "b"],
      configOrder: ["x"],
    }),
    text,
  );
});

Deno.test("mergeKeyOrder keeps relative orders", () => {
  assert.deepEqual(mergeKeyOrder([], ["a", "b"]), ["a", "b"]);
  assert.deepEqual(mergeKeyOrder(["y", "z"], ["x", "y"]), ["x", "y", "z"]);
  assert.deepEqual(mergeKeyOrder(["a", "c"], ["a", "b", "c"]), ["a", "b", "c"]);
  assert.deepEqual(mergeKeyOrder(["a", "c"], ["c", "d"]), ["a", "c", "d"]);
  const recs = [
    rec("x", 0, { values: { p: 1, u: 2 } }),
    rec("x", 1, { values: { p: 1, extra: "e", u: 3 } }),
  ];
  assert.deepEqual(valueColumnsOf(recs), ["p", "extra", "u"]);
});

Deno.test("trialCsvText writes rows as given; sortRecords orders them", () => {
  const records = [
    rec("k=2", 0, { values: { u: 1 } }),
    rec("k=1", 1, { values: { u: 2 } }),
  ];
  const columns = { checks: ["a", "b"], valueColumns: ["u"] };
  assert.equal(
    trialCsvText(records, { ...columns, header: false }),
    "C1,k=2,0,1000,ok,,true,false,1\nC1,k=1,1,1001,ok,,true,false,2\n",
  );
  assert.ok(
    trialCsvText([], { ...columns, header: true }).startsWith("claim,config,"),
  );
  assert.deepEqual(
    sortRecords(records, ["k=1", "k=2"]).map((r) => r.task.config),
    ["k=1", "k=2"],
  );
  assert.deepEqual(
    sortRecords([rec("b", 0, { values: {} }), rec("a", 0, { values: {} })], [])
      .map((r) => r.task.config),
    ["a", "b"],
    "configurations not in the order come last, by name",
  );
  assert.throws(
    () =>
      trialCsvText([rec("x", 0, { values: { s: "a\nb" } })], {
        checks: ["a", "b"],
        valueColumns: ["s"],
        header: false,
      }),
    /line break/,
  );
});
