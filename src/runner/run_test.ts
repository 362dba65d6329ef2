import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import {
  DETERMINISTIC_FILES,
  fakeRunOptions,
} from "../../fixtures/run_options.ts";
import {
  normalizeResult,
  planRun,
  type Progress,
  readManifest,
  runClaims,
  type RunOptions,
  writeReports,
} from "./run.ts";
import { readTrialFile } from "./trial_log.ts";
import type { ClaimConfig, ClaimSpec } from "../claims/types.ts";
import { UsageError } from "../base/usage_error.ts";

const DETERMINISTIC = DETERMINISTIC_FILES;

function options(out: string, extra: Partial<RunOptions> = {}): RunOptions {
  return fakeRunOptions(out, 7, extra);
}

async function assertSameFiles(a: string, b: string, files = DETERMINISTIC) {
  for (const f of files) {
    assert.equal(
      await Deno.readTextFile(`${b}/${f}`),
      await Deno.readTextFile(`${a}/${f}`),
      `${f} differs between ${a} and ${b}`,
    );
  }
}

function dataRows(path: string): number {
  try {
    const lines = Deno.readTextFileSync(path).split("\n").filter((l) =>
      l !== ""
    );
    return Math.max(0, lines.length - 1);
  } catch {
    return 0;
  }
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
      for (const f of [...DETERMINISTIC, "summary.md", "timing.csv"]) {
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
      const plan = planRun(fakeClaims, "ci", 7);
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
            e instanceof UsageError &&
            /holds a different run/.test(e.message) &&
            /seed/.test(e.message) && /--out/.test(e.message),
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
      const plan = planRun(fakeClaims, "ci", 7);
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
        (e) => e instanceof UsageError && /--trials/.test(e.message),
      );
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

Deno.test("normalizeResult turns malformed results into errors", () => {
  const config: ClaimConfig = {
    key: "k",
    params: { d: 5, label: "a\nb" },
    checks: [{ name: "c", description: "", target: 0.5, expect: "holds" }],
    trials: 1,
  };
  const ok = normalizeResult(
    {
      status: "ok",
      reason: "",
      checks: { c: true },
      values: { x: 1, s: "p\r\nq" },
    },
    config,
  );
  assert.deepEqual(ok, {
    status: "ok",
    reason: "",
    checks: { c: true },
    values: { d: 5, label: "a b", x: 1, s: "p q" },
  });
  const bad: [unknown, RegExp][] = [
    [null, /did not return an object/],
    [{ status: "great", checks: {}, values: {} }, /unknown status/],
    [
      { status: "ok", checks: { c: true, z: true }, values: {} },
      /undeclared check "z"/,
    ],
    [{ status: "ok", checks: { c: 1 }, values: {} }, /not a boolean/],
    [{ status: "ok", checks: {}, values: {} }, /without check\(s\) c/],
    [{ status: "ok", checks: { c: true }, values: { v: [1] } }, /value "v"/],
  ];
  for (const [raw, why] of bad) {
    const r = normalizeResult(raw, config);
    assert.equal(r.status, "error");
    assert.match(r.reason, /^claim bug: /);
    assert.match(r.reason, why);
    assert.deepEqual(r.checks, {});
    assert.deepEqual(r.values, { d: 5, label: "a b" });
  }
  const nc = normalizeResult({
    status: "not-converged",
    reason: "slow",
    checks: {},
  }, config);
  assert.equal(nc.status, "not-converged");
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

Deno.test("writeReports writes figures; a bad figure never stops it", async () => {
  const dir = await Deno.makeTempDir();
  const logged: string[] = [];
  const consoleError = console.error;
  console.error = (...data: unknown[]) => logged.push(data.join(" "));
  try {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"></svg>';
    const [coin, solver] = fakeClaims;
    const withFigures: ClaimSpec[] = [
      {
        ...coin,
        highlights: ["u"],
        figures: (records) =>
          Promise.resolve([
            { file: "F1_a.svg", caption: `${records.length} trials`, svg },
            { file: "../escape.svg", caption: "bad name", svg },
            { file: "pass_rates.svg", caption: "taken", svg },
            { file: "F1_a.svg", caption: "twice", svg },
            { file: "F1_b.svg", caption: "no svg", svg: "" },
          ]),
      },
      {
        ...solver,
        figures: () => {
          throw new Error("figure\nbroke");
        },
      },
    ];
    const plan = planRun(withFigures, "ci", 7, 2);
    const records = plan.trials.map((p) => ({
      task: p.task,
      result: {
        status: "ok" as const,
        reason: "",
        checks: Object.fromEntries(
          plan.claims.find((c) => c.claim.id === p.task.claim)!.checks
            .map((c) => [c.name, true]),
        ),
        values: { u: p.task.trial },
      },
    }));
    const input = {
      claims: plan.claims,
      records,
      formats: ["md" as const],
      info: {
        seed: 7,
        profile: "ci" as const,
        backend: "cpu",
        trials: 2,
        shard: null,
        claims: withFigures.map((c) => ({
          id: c.id,
          title: c.title,
          statement: c.statement,
          constants: c.constants,
        })),
      },
    };
    await writeReports(`${dir}/a`, input);
    // Same records in another order: same figures, byte for byte.
    await writeReports(`${dir}/b`, {
      ...input,
      records: [...records].reverse(),
    });
    const files = [...Deno.readDirSync(`${dir}/a/figures`)].map((e) => e.name)
      .sort();
    assert.deepEqual(files, ["F1_a.svg", "pass_rates.svg"]);
    for (const f of files) {
      assert.equal(
        await Deno.readTextFile(`${dir}/b/figures/${f}`),
        await Deno.readTextFile(`${dir}/a/figures/${f}`),
      );
    }
    assert.equal(await Deno.readTextFile(`${dir}/a/figures/F1_a.svg`), svg);
    const md = await Deno.readTextFile(`${dir}/a/summary.md`);
    for (
      const line of [
        "- ![4 trials](figures/F1_a.svg)",
        '- Figure failed: figure file name "../escape.svg" is not a plain .svg name',
        '- Figure failed: figure file name "pass_rates.svg" is used twice',
        '- Figure failed: figure file name "F1_a.svg" is used twice',
        '- Figure failed: figure "F1_b.svg" has no SVG document',
        "- Figure failed: figures threw: figure broke",
        "![Pass rate of every check with its 95% confidence interval](figures/pass_rates.svg)",
      ]
    ) {
      assert.ok(md.includes(line), line);
    }
    assert.equal(logged.length, 10, logged.join("\n"));
    assert.ok(logged.every((l) => /^claim F[12]: /.test(l)));
    await assert.rejects(() => Deno.stat(`${dir}/escape.svg`));
  } finally {
    console.error = consoleError;
    await Deno.remove(dir, { recursive: true });
  }
});
