import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import {
  assertSameFiles,
  dataRows,
  DETERMINISTIC_FILES,
  fakeRunOptions,
} from "../../fixtures/run_options.ts";
import { runClaims, type RunOptions } from "./pipeline.ts";
import { RunConflictError, RunOptionError } from "../runner/errors.ts";
import { readManifest } from "../runner/manifest.ts";
import { planRun } from "../runner/plan.ts";
import type { Progress } from "../runner/run.ts";
import { readTrialFile } from "../runner/trial_csv_parse.ts";
import { UsageError } from "../base/usage_error.ts";

function options(out: string, extra: Partial<RunOptions> = {}): RunOptions {
  return fakeRunOptions(out, { seed: 7, ...extra });
}

Deno.test("runClaims", async (t) => {
  const dir = await Deno.makeTempDir();
  const ref = `${dir}/ref`;
  try {
    await t.step("in-process run writes every file", async () => {
      const progress: Progress[] = [];
      const outcome = await runClaims(
        options(ref, { onProgress: (p) => progress.push(p) }),
      );
      assert.equal(progress.length, 27);
      assert.deepEqual(
        progress.map((p) => p.done),
        Array.from({ length: 27 }, (_, i) => i + 1),
      );
      assert.ok(
        progress.every((p) => p.total === 27 && Number.isFinite(p.etaSeconds)),
      );
      assert.equal(progress.at(-1)!.etaSeconds, 0);
      assert.deepEqual(outcome.rows.map((r) => `${r.claim}/${r.check}`), [
        "F1/heads",
        "F1/control",
        "F2/small",
      ]);
      assert.equal(outcome.assessments.length, 1);
      assert.equal(
        outcome.allOk,
        outcome.rows.every((r) => r.ok) &&
          outcome.assessments.every(({ a }) => a.verdict === a.expect),
      );
      for (const f of [...DETERMINISTIC_FILES, "summary.md", "timing.csv"]) {
        await Deno.stat(`${ref}/${f}`);
      }
      const timing = (await Deno.readTextFile(`${ref}/timing.csv`)).trim()
        .split("\n");
      assert.equal(timing[0], "claim,config,trial,ms");
      assert.equal(timing.length, 28);
      const manifest = await readManifest(ref);
      assert.equal(manifest?.plan.total, 27);
      assert.equal(manifest?.shard, null);
      // Trial rows: params first in values, errors never pass, seeds as planned.
      const f2 = readTrialFile(`${ref}/trials/F2.csv`, {
        tolerateTruncation: false,
      });
      const errors = f2.records.filter((r) => r.result.status === "error");
      assert.ok(errors.length > 0, "the fake solver throws on some seeds");
      for (const r of errors) {
        assert.match(r.result.reason, /^diverged at step \d+ badly$/);
        assert.deepEqual(r.result.checks, {});
      }
      assert.equal(f2.valueColumns[0], "n");
      const plan = planRun(fakeClaims, { profile: "ci", seed: 7 });
      const seeds = new Map(
        plan.trials.map((
          p,
        ) => [`${p.task.config}/${p.task.trial}`, p.task.seed]),
      );
      for (const r of f2.records) {
        assert.equal(
          r.task.seed,
          seeds.get(`${r.task.config}/${r.task.trial}`),
        );
      }
      const f1 = readTrialFile(`${ref}/trials/F1.csv`, {
        tolerateTruncation: false,
      });
      assert.ok(
        f1.records.every((r) => r.result.values.backend === "cpu"),
        "initWorker ran",
      );
      const small = outcome.rows.find((r) => r.check === "small")!;
      assert.equal(
        small.passed,
        f2.records.filter((r) =>
          r.result.status === "ok" && r.result.checks.small
        ).length,
      );
    });

    await t.step("2 workers give byte-identical reports", async () => {
      await runClaims(options(`${dir}/w2`, { workers: 2 }));
      await assertSameFiles(ref, `${dir}/w2`);
      const f1 = readTrialFile(`${dir}/w2/trials/F1.csv`, {
        tolerateTruncation: false,
      });
      assert.ok(f1.records.every((r) => r.result.values.backend === "cpu"));
    });

    await t.step(
      "interrupted in-process run, then resume, is byte-identical",
      async () => {
        for (const workers of [1, 2]) {
          const out = `${dir}/stop${workers}`;
          const stop = new Error("simulated interruption");
          await assert.rejects(
            () =>
              runClaims(options(out, {
                workers,
                onProgress: (p) => {
                  if (p.done === 11) throw stop;
                },
              })),
            (e) => e === stop,
          );
          const rows = dataRows(`${out}/trials/F1.csv`) +
            dataRows(`${out}/trials/F2.csv`);
          assert.ok(
            rows >= 11 && rows < 27,
            `${rows} rows after the interruption`,
          );
          await assert.rejects(() => Deno.stat(`${out}/summary.csv`));
          // Also cut the last row short, as a kill during a write would.
          const f1 = `${out}/trials/F1.csv`;
          const text = await Deno.readTextFile(f1);
          await Deno.writeTextFile(f1, text.slice(0, -7));
          const seen: number[] = [];
          await runClaims(options(out, {
            workers,
            resume: true,
            onProgress: (p) => seen.push(p.done),
          }));
          assert.ok(seen.length < 27 && seen.at(-1) === 27, seen.join(","));
          await assertSameFiles(ref, out);
        }
      },
    );

    await t.step(
      "resuming a finished run runs nothing and changes nothing",
      async () => {
        const seen: Progress[] = [];
        await runClaims(
          options(ref, { resume: true, onProgress: (p) => seen.push(p) }),
        );
        assert.equal(seen.length, 0);
        await assertSameFiles(`${dir}/w2`, ref);
      },
    );

    await t.step("refuses to overwrite a different run", async () => {
      for (const resume of [false, true]) {
        await assert.rejects(
          () => runClaims(options(ref, { seed: 8, resume })),
          (e) =>
            e instanceof RunConflictError && e.kind === "different-run" &&
            /holds a different run/.test(e.message) &&
            e.differences.includes("seed") && !/--/.test(e.message),
        );
        await assert.rejects(
          () => runClaims(options(ref, { trials: 2, resume })),
          (e) => e instanceof UsageError && /trials/.test(e.message),
        );
        await assert.rejects(
          () =>
            runClaims(options(ref, { claims: fakeClaims.slice(0, 1), resume })),
          (e) => e instanceof UsageError && /claims/.test(e.message),
        );
      }
      await assertSameFiles(`${dir}/w2`, ref);
    });

    await t.step(
      "same run without --resume moves the old files aside",
      async () => {
        await runClaims(options(ref));
        const entries = [...Deno.readDirSync(ref)].map((e) => e.name);
        const previous = entries.filter((n) => n.startsWith("previous-"));
        assert.equal(previous.length, 1);
        await assertSameFiles(`${ref}/${previous[0]}`, ref);
        await assertSameFiles(`${dir}/w2`, ref);
      },
    );

    await t.step("refuses trial files without run.json", async () => {
      const out = `${dir}/orphan`;
      await Deno.mkdir(`${out}/trials`, { recursive: true });
      await Deno.copyFile(`${ref}/trials/F1.csv`, `${out}/trials/F1.csv`);
      await assert.rejects(
        () => runClaims(options(out)),
        (e) => e instanceof UsageError && /no run\.json/.test(e.message),
      );
      assert.equal(
        await Deno.readTextFile(`${out}/trials/F1.csv`),
        await Deno.readTextFile(`${ref}/trials/F1.csv`),
      );
    });

    await t.step(
      "refuses resumed rows that are not part of the run",
      async () => {
        const out = `${dir}/foreign`;
        await runClaims(options(out, { shard: { index: 1, count: 2 } }));
        const path = `${out}/trials/F1.csv`;
        const lines = (await Deno.readTextFile(path)).split("\n");
        const cells = lines[1].split(",");
        cells[3] = "12345";
        lines[1] = cells.join(",");
        await Deno.writeTextFile(path, lines.join("\n"));
        await assert.rejects(
          () =>
            runClaims(
              options(out, { shard: { index: 1, count: 2 }, resume: true }),
            ),
          (e) =>
            e instanceof UsageError && /not part of this run/.test(e.message),
        );
        await assert.rejects(
          () => runClaims(options(out, { resume: true })),
          (e) => e instanceof UsageError && /shard/.test(e.message),
        );
      },
    );

    await t.step("a shard runs exactly its trials", async () => {
      const out = `${dir}/shard`;
      const outcome = await runClaims(
        options(out, { shard: { index: 2, count: 3 } }),
      );
      const plan = planRun(fakeClaims, { profile: "ci", seed: 7 });
      const want = plan.trials.filter((p) => p.index % 3 === 1).map((p) =>
        `${p.task.claim}/${p.task.config}/${p.task.trial}`
      );
      const got = ["F1", "F2"].flatMap((id) =>
        readTrialFile(`${out}/trials/${id}.csv`, { tolerateTruncation: false })
          .records
          .map((r) => `${r.task.claim}/${r.task.config}/${r.task.trial}`)
      );
      assert.deepEqual(got, want);
      assert.equal(
        outcome.rows.reduce(
          (s, r) => s + (r.check === "control" ? 0 : r.trials),
          0,
        ),
        9,
      );
      assert.deepEqual((await readManifest(out))?.plan, {
        total: 27,
        inShard: 9,
      });
    });

    await t.step("trials override and formats", async () => {
      const out = `${dir}/override`;
      const outcome = await runClaims(
        options(out, { trials: 2, formats: ["csv"] }),
      );
      assert.deepEqual(outcome.rows.map((r) => r.trials), [4, 2, 4]);
      await Deno.stat(`${out}/summary.csv`);
      await assert.rejects(() => Deno.stat(`${out}/summary.md`));
      await assert.rejects(() => Deno.stat(`${out}/summary.json`));
      await assert.rejects(
        () => runClaims(options(`${dir}/bad`, { trials: 0 })),
        (e) =>
          e instanceof RunOptionError && e.option === "trials" &&
          e.message === "trials must be a positive integer, got 0",
      );
      await assert.rejects(
        () => runClaims(options(`${dir}/bad`, { seed: 0.5 })),
        (e) => e instanceof RunOptionError && e.option === "seed",
      );
      await assert.rejects(
        () =>
          runClaims(
            options(`${dir}/bad`, { formats: ["pdf" as unknown as "csv"] }),
          ),
        (e) => e instanceof RunOptionError && e.option === "formats",
      );
      await assert.rejects(() => Deno.stat(`${dir}/bad`), "nothing written");
    });

    await t.step(
      "a crashing worker fails its trial and is replaced",
      async () => {
        const out = `${dir}/crash`;
        const outcome = await runClaims(
          options(out, { workers: 2, backend: "crash" }),
        );
        const f1 = readTrialFile(`${out}/trials/F1.csv`, {
          tolerateTruncation: false,
        });
        assert.equal(f1.records.length, 15);
        for (const r of f1.records) {
          if (r.task.trial === 2) {
            assert.equal(r.result.status, "error");
            assert.match(r.result.reason, /^worker crashed: .*worker boom/);
          } else {
            assert.equal(r.result.status, "ok");
            assert.equal(r.result.values.backend, "crash");
          }
        }
        assert.equal(outcome.rows[0].trials, 15);
        const f2 = readTrialFile(`${out}/trials/F2.csv`, {
          tolerateTruncation: false,
        });
        assert.equal(
          f2.records.map((r) => r.result.reason).join("|"),
          readTrialFile(`${ref}/trials/F2.csv`, { tolerateTruncation: false })
            .records
            .map((r) => r.result.reason).join("|"),
        );
      },
    );

    await t.step(
      "a failing initWorker stops the run with a clear error",
      async () => {
        for (const workers of [1, 2]) {
          await assert.rejects(
            () =>
              runClaims(
                options(`${dir}/explode${workers}`, {
                  workers,
                  backend: "explode",
                }),
              ),
            /worker initialization failed: backend "explode" is not available/,
          );
        }
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
