import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { fakeWorkerModule } from "../../fixtures/run_options.ts";
import { RunConflictError, type RunNotice, RunOptionError } from "./errors.ts";
import { readManifest } from "./manifest.ts";
import { readProvenance } from "./provenance.ts";
import { checkRunOptions, runTrials, type RunTrialsOptions } from "./run.ts";
import { readTrialFile } from "./trial_csv_parse.ts";

function options(
  out: string,
  extra: Partial<RunTrialsOptions> = {},
): RunTrialsOptions {
  return {
    claims: fakeClaims,
    profile: "ci",
    seed: 7,
    out,
    resume: false,
    workers: 1,
    workerModule: fakeWorkerModule,
    backend: "cpu",
    ...extra,
  };
}

Deno.test("runTrials writes run.json, the trial files, timing.csv and provenance.json only", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = await runTrials(options(dir, { trials: 2 }));
    assert.equal(run.plan.trials.length, 8);
    assert.equal(run.mine.length, 8);
    assert.equal(run.records.length, 8);
    assert.ok(run.elapsedSeconds >= 0);
    assert.ok(!Number.isNaN(Date.parse(run.started)));
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, [
      "provenance.json",
      "run.json",
      "timing.csv",
      "trials",
    ]);
    assert.equal((await readManifest(dir))?.trials, 2);
    const provenance = await readProvenance(dir);
    assert.equal(provenance?.status, "finished");
    assert.equal(provenance?.backend, "cpu");
    assert.equal(provenance?.workers, 1);
    assert.equal(provenance?.started, run.started);
    const f1 = readTrialFile(`${dir}/trials/F1.csv`, {
      tolerateTruncation: false,
    });
    assert.deepEqual(f1.records.map((r) => r.task.trial), [0, 1, 0, 1]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runTrials reports conflicts and notices as data", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await runTrials(options(dir, { trials: 1 }));
    await assert.rejects(
      () => runTrials(options(dir, { trials: 1, seed: 8 })),
      (e) =>
        e instanceof RunConflictError && e.kind === "different-run" &&
        e.dir === dir && e.differences.join() === "seed" &&
        e.message === `${dir} holds a different run (it differs in: seed)`,
    );
    const notices: RunNotice[] = [];
    await runTrials(
      options(dir, { trials: 1, notify: (n) => notices.push(n) }),
    );
    assert.equal(notices.length, 1);
    assert.equal(notices[0].kind, "moved-aside");
    assert.ok(notices[0].path.startsWith(`${dir}/previous-`));
    assert.doesNotMatch(notices[0].message, /--/);
    const f2 = `${dir}/trials/F2.csv`;
    await Deno.writeTextFile(f2, (await Deno.readTextFile(f2)).slice(0, -2));
    notices.length = 0;
    await runTrials(
      options(dir, {
        trials: 1,
        resume: true,
        notify: (n) => notices.push(n),
      }),
    );
    assert.deepEqual(notices.map((n) => [n.kind, n.path]), [
      ["dropped-partial-line", f2],
    ]);
    const resumed = await readProvenance(dir);
    assert.equal(resumed?.previous?.length, 1, "the first session is kept");
    assert.equal(resumed?.previous?.[0].status, "finished");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkRunOptions rejects a bad trials override or seed", () => {
  checkRunOptions({ seed: 0, trials: 3 });
  for (
    const [bad, option] of [
      [{ seed: 1, trials: 0 }, "trials"],
      [{ seed: 1, trials: 2.5 }, "trials"],
      [{ seed: 2 ** 60 }, "seed"],
    ] as const
  ) {
    assert.throws(
      () => checkRunOptions(bad),
      (e) => e instanceof RunOptionError && e.option === option,
    );
  }
});
