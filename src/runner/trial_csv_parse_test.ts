import assert from "node:assert/strict";
import { parseTrialCsv, readTrialFile } from "./trial_csv_parse.ts";

const HEADER = "claim,config,trial,seed,status,reason,check:a,x\n";

Deno.test("parseTrialCsv: types, truncation and errors naming the source", () => {
  const parsed = parseTrialCsv(
    HEADER + 'C1,k,0,5,ok,,true,0.1\nC1,k,1,6,error,boom,,"s"\n',
    { tolerateTruncation: false, expectedChecks: ["a"], claim: "C1" },
  );
  assert.deepEqual(parsed.records.map((r) => r.result.values.x), [0.1, "s"]);
  assert.deepEqual(parsed.records[1].result.checks, {});
  assert.equal(parsed.hasHeader, true);
  const empty = parseTrialCsv("", { tolerateTruncation: false });
  assert.deepEqual([empty.records, empty.hasHeader], [[], false]);
  const cases: [string, RegExp][] = [
    [HEADER + "C1,k,0,5,ok,,true,1", /src: the last line is incomplete/],
    ["a,b\n1,2\n", /src: header does not start with/],
    [HEADER.replace("check:a", "check:b"), /header does not match this run/],
    [
      "claim,config,trial,seed,status,reason,check:a,x,check:b\n",
      /must come before/,
    ],
    [
      "claim,config,trial,seed,status,reason,check:a,x,x\n",
      /duplicate column/,
    ],
    [HEADER + "C2,k,0,5,ok,,true,1\n", /src, line 2: row of claim "C2"/],
    [
      HEADER + "C1,k,0,5,ok,,true,1\nC1,k,0,5,ok,,true,1\n",
      /line 3: duplicate row for C1\/k\/trial 0/,
    ],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(
      () =>
        parseTrialCsv(text, {
          tolerateTruncation: false,
          expectedChecks: ["a"],
          claim: "C1",
          source: "src",
        }),
      pattern,
    );
  }
});

Deno.test("readTrialFile reads a missing file as empty", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const parsed = readTrialFile(`${dir}/none.csv`, {
      tolerateTruncation: false,
      expectedChecks: ["a"],
    });
    assert.deepEqual(parsed.records, []);
    assert.deepEqual(parsed.checks, ["a"]);
    Deno.writeTextFileSync(`${dir}/cut.csv`, HEADER + "C1,k");
    assert.throws(
      () => readTrialFile(`${dir}/cut.csv`, { tolerateTruncation: false }),
      new RegExp(`${dir}/cut.csv: the last line is incomplete`),
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
