import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { rec } from "../../fixtures/trial_records.ts";
import { fakeRunPages } from "../../fixtures/run_pages.ts";
import {
  checkFailures,
  CLAIMS_MODULE_INFO,
  failureClaimOf,
  failureNote,
  failuresMarkdown,
  readRunFailures,
  replayCommand,
  runFailures,
  writeFailures,
} from "./failures.ts";
import { planRun } from "../runner/plan.ts";

const replay = { seed: 3, profile: "ci" as const };

Deno.test("a prediction lists the trials that failed it, with its margin columns", () => {
  const records = [
    rec("x", 0, { values: { d: 5, r: 0.5, limit: 1 } }),
    rec("x", 1, { checks: { a: false }, values: { d: 5, r: 1.5, limit: 1 } }),
    rec("x", 2, { status: "error", reason: "boom", checks: {} }),
    rec("y", 0, { checks: { a: false }, values: { d: 6, r: 2, limit: 1 } }),
  ];
  const f = checkFailures(records, {
    claim: "C1",
    check: {
      name: "a",
      expect: "holds",
      configs: ["x"],
      margin: { measured: "r", threshold: "limit", direction: "below" },
    },
    replay,
  });
  assert.deepEqual([f.trials, f.passed, f.unfinished, f.against], [3, 1, 1, 2]);
  assert.deepEqual(f.shown.map((t) => [t.task.trial, t.status, t.passed]), [
    [1, "ok", false],
    [2, "error", false],
  ]);
  assert.deepEqual(f.shown[0].values, { r: 1.5, limit: 1 });
  assert.deepEqual(f.shown[1].values, {});
  const note = failureNote([f], { claim: "C1", check: "a" });
  assert.match(note, /^C1 a: 2 of 3 trials failed:/);
  assert.match(
    note,
    /x trial 1 \(seed 1001\): ok, a failed; r=1\.5, limit=1 \(pass: r ≤ limit\)/,
  );
  assert.match(
    note,
    /x trial 2 \(seed 1001|x trial 2 \(seed 1002\): error \(boom\)/,
  );
  assert.equal(failureNote([f], { claim: "C1", check: "other" }), "");
});

Deno.test("a control lists the trials that passed it, then the unfinished ones", () => {
  const records = [
    rec("x", 0, { checks: { b: true }, values: { p: 1, u: 0.99, v: 2 } }),
    rec("x", 1, { checks: { b: false }, values: { p: 1, u: 0.1, v: 2 } }),
    rec("x", 2, { status: "not-converged", reason: "max steps", checks: {} }),
  ];
  const f = checkFailures(records, {
    claim: "C1",
    check: { name: "b", expect: "fails", role: "twin", twinOf: "a" },
    replay,
    params: ["p"],
    limit: 1,
  });
  // Without `configs`, a trial runs the check when it reported it.
  assert.deepEqual([f.trials, f.passed, f.against], [2, 1, 1]);
  assert.deepEqual(f.shown[0].values, { u: 0.99, v: 2 }, "parameters left out");
  const md = failuresMarkdown([f], replay);
  assert.match(md, /### b \(expect fails, twin of a\)/);
  assert.match(md, /1 of 2 trials passed \(expected to fail\)/);
  const all = checkFailures(records, {
    claim: "C1",
    check: { name: "b", expect: "fails", configs: ["x"] },
    replay,
    limit: 1,
  });
  assert.equal(all.against, 2);
  assert.match(
    failuresMarkdown([all], replay),
    /1 of 3 trials passed \(expected to fail\), 1 did not finish; the first 1:/,
  );
});

Deno.test("replay commands quote the configuration and name the profile and module", () => {
  const task = {
    claim: "C4",
    config: 'k=1|override:d=8 "$x"',
    trial: 2,
    seed: 9,
  };
  assert.equal(
    replayCommand(task, {
      seed: 7,
      profile: "paper",
      claimsModule: "./my claims.ts",
    }),
    'deno task replay --claims-module "./my claims.ts" --claim C4 ' +
      '--config "k=1|override:d=8 \\"\\$x\\"" --trial 2 --seed 7 --profile paper',
  );
});

Deno.test("failures.md and readRunFailures agree with the trial files of a run", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const input = await fakeRunPages(dir, {
      seed: 11,
      extra: { [CLAIMS_MODULE_INFO]: "./fixtures/fake_claims.ts" },
    });
    const written = await writeFailures(dir, input);
    const md = await Deno.readTextFile(`${dir}/failures.md`);
    assert.equal(
      md,
      failuresMarkdown(written, {
        ...replay,
        seed: 11,
        claimsModule: "./fixtures/fake_claims.ts",
      }),
    );
    assert.deepEqual(
      written.map((f) => `${f.claim} ${f.check.name}`),
      ["F1 heads", "F1 control", "F2 small"],
    );
    const heads = written[0];
    assert.equal(heads.trials, 15);
    assert.ok(heads.against > 0, "the fake coin fails some trials");
    assert.match(
      md,
      /--claims-module "\.\/fixtures\/fake_claims\.ts" --claim F1/,
    );
    const read = await readRunFailures(dir, {
      claims: fakeClaims,
      claimsModule: "./fixtures/fake_claims.ts",
    });
    assert.deepEqual(read, written);
    const small = read[2];
    assert.ok(
      small.shown.some((t) => t.status !== "ok"),
      "unfinished trials of a prediction are listed",
    );
    assert.deepEqual(
      small.shown.find((t) => t.status === "ok")?.values !== undefined,
      true,
    );
    await assert.rejects(
      () => readRunFailures(dir, { claims: [fakeClaims[0]] }),
      /claim F2 of the run is not given/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("failureClaimOf lists each check's configurations and the parameters", () => {
  const plan = planRun(fakeClaims, { profile: "ci", seed: 1 });
  const f1 = failureClaimOf(plan.claims[0]);
  assert.deepEqual(f1.checks.map((c) => [c.name, c.configs]), [
    ["heads", ["p=0.9,tag=a", "p=0.7,tag=b"]],
    ["control", ["p=0.9,tag=a"]],
  ]);
  assert.deepEqual(f1.params, ["p", "tag"]);
  assert.deepEqual(
    runFailures([], { claims: [f1], replay }).map((f) => f.trials),
    [0, 0],
  );
});
