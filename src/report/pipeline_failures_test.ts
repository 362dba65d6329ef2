import assert from "node:assert/strict";
import {
  assertSameFiles,
  dataRows,
  fakeRunOptions,
} from "../../fixtures/run_options.ts";
import { runClaims, type RunOptions } from "./pipeline.ts";
import { readTrialFile } from "../runner/trial_csv_parse.ts";
import type { ClaimSpec } from "../claims/types.ts";

function options(out: string, extra: Partial<RunOptions> = {}): RunOptions {
  return fakeRunOptions(out, { seed: 7, ...extra });
}

Deno.test("a real kill (SIGKILL) mid-run, then resume, is byte-identical", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const ref = `${dir}/ref`;
    await runClaims(options(ref, { formats: ["csv", "json"] }));
    const out = `${dir}/killed`;
    const root = new URL("../..", import.meta.url);
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "fixtures/fake_run.ts",
        out,
      ],
      cwd: root,
      env: { FAKE_CLAIMS_DELAY_MS: "100" },
      stdout: "null",
      stderr: "null",
    }).spawn();
    const deadline = Date.now() + 20_000;
    while (dataRows(`${out}/trials/F1.csv`) < 3) {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        await child.status;
        throw new Error("the child run wrote no rows in 20 s");
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill("SIGKILL");
    const status = await child.status;
    assert.equal(status.success, false);
    const before = dataRows(`${out}/trials/F1.csv`) +
      dataRows(`${out}/trials/F2.csv`);
    assert.ok(before >= 3 && before < 27, `${before} rows when killed`);
    await assert.rejects(() => Deno.stat(`${out}/summary.csv`));
    let ran = 0;
    await runClaims(options(out, {
      workers: 2,
      resume: true,
      formats: ["csv", "json"],
      onProgress: () => ran++,
    }));
    assert.ok(ran > 0 && ran <= 27 - before + 1, `${ran} trials after resume`);
    await assertSameFiles(ref, out);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a claim bug or a throwing trial never counts as a pass", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const check = {
      name: "c",
      description: "",
      target: 0.5,
      expect: "holds" as const,
    };
    const buggy: ClaimSpec = {
      id: "B1",
      title: "Buggy",
      statement: "",
      source: "[R]",
      hypotheses: [],
      constants: {},
      configs: () => [{ key: "k", params: {}, checks: [check], trials: 4 }],
      runTrial: (task) => {
        if (task.trial === 0) throw new Error("kaboom");
        if (task.trial === 1) {
          return Promise.resolve({
            status: "ok",
            reason: "",
            checks: { c: true, extra: true },
            values: {},
          });
        }
        return Promise.resolve({
          status: "ok",
          reason: "",
          checks: { c: true },
          values: {},
        });
      },
      assess: () => {
        throw new Error("assess broke");
      },
    };
    const outcome = await runClaims(
      options(dir, { claims: [buggy], workerModule: undefined }),
    );
    assert.equal(outcome.rows[0].passed, 2);
    assert.equal(outcome.rows[0].trials, 4);
    assert.deepEqual(outcome.assessments, [{
      claim: "B1",
      a: {
        check: "assess",
        expect: "holds",
        verdict: "inconclusive",
        detail: "assess threw: assess broke",
      },
      pAdjusted: null,
      adjustedVerdict: "inconclusive",
    }]);
    assert.equal(outcome.allOk, false);
    const rows =
      readTrialFile(`${dir}/trials/B1.csv`, { tolerateTruncation: false })
        .records;
    assert.deepEqual(rows.map((r) => [r.result.status, r.result.reason]), [
      ["error", "kaboom"],
      ["error", 'claim bug: undeclared check "extra"'],
      ["ok", ""],
      ["ok", ""],
    ]);
    await assert.rejects(
      () =>
        runClaims(
          options(`${dir}/x`, {
            claims: [buggy],
            workers: 2,
            workerModule: undefined,
          }),
        ),
      /workerModule/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
