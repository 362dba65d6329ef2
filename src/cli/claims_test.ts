import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { claimsMain } from "./claims.ts";
import { BACKEND_FLAG_VALUES } from "./flags.ts";
import { mergeShards } from "../report/pipeline.ts";
import { readManifest } from "../runner/manifest.ts";
import { readTrialFile } from "../runner/trial_csv_parse.ts";
import { barChart } from "../plot/mod.ts";
import { column } from "../claims/records.ts";
import type { ClaimSpec } from "../claims/types.ts";

const workerModule = new URL("../../fixtures/fake_claims.ts", import.meta.url);

/**
 * The fake claims with report extras (computed in the main thread, so the
 * workers can keep running `fake_claims.ts`): F1 has highlights and a
 * figure, F2's figures throw.
 */
const claims: ClaimSpec[] = [
  {
    ...fakeClaims[0],
    highlights: ["u", "z", "missing"],
    figures: async (records) => [{
      file: "F1_u.svg",
      caption: "Uniform draws u [per trial]",
      svg: await barChart({
        bars: column(records, "u").map((u, i) => ({
          label: String(i),
          value: u,
        })),
        title: "F1: u per trial",
        yLabel: "u",
      }),
    }],
  },
  {
    ...fakeClaims[1],
    highlights: ["ratio"],
    figures: () => Promise.reject(new Error("no figure today")),
  },
];

/** Run claimsMain with captured stdout/stderr and a silent progress reporter. */
async function run(args: string[], extra: { available?: () => boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const code = await claimsMain(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  }, {
    claims,
    workerModule,
    progress: { write: (t) => progress.push(t), terminal: false },
    backendAvailable: extra.available,
  });
  return {
    code,
    out: out.join("\n"),
    err: err.join("\n"),
    progress: progress.join(""),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("bad flags exit 2 naming the flag and write nothing", async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/out`;
  try {
    const cases: [string[], RegExp][] = [
      [["--trials", "0"], /--trials must be an integer >= 1, got "0"/],
      [["--trials", "x"], /--trials must be an integer >= 1, got "x"/],
      [["--trials", "1.5"], /--trials/],
      [["--seed", "-1"], /--seed must be an integer from 0 to \d+, got "-1"/],
      [["--seed=-1"], /--seed must be an integer from 0/],
      [["--seed", "1e3"], /--seed/],
      [
        ["--profile", "big"],
        /--profile must be one of ci, paper, map, got "big"/,
      ],
      [["--workers", "0"], /--workers must be an integer from 1 to 64/],
      [["--workers", "65"], /--workers must be an integer from 1 to 64/],
      [["--shard", "3/2"], /--shard must have the form I\/N/],
      [["--shard", "x"], /--shard must have the form I\/N/],
      [
        ["--format", "xml"],
        /--format must be a comma-separated list of csv, md, json.*"xml"/,
      ],
      [["--format", "csv,xml"], /--format.*unknown format "xml"/],
      [
        ["--backend", "gpu"],
        new RegExp(
          `--backend must be one of ${
            BACKEND_FLAG_VALUES.join(", ")
          }, got "gpu"`,
        ),
      ],
      [["--claim", "C9"], /--claim: unknown claim "C9" \(valid ids: F1, F2\)/],
      [["--claim", "F1,C9"], /--claim: unknown claim "C9"/],
      [["--d", "3", "--k", "5"], /--d and --k: d must be >= k/],
      [["--k", "1"], /--k must be an integer >= 2, and <= d, got "1"/],
      [["--d", "1"], /--d must be an integer >= 2/],
      [["--n", "0"], /--n must be an integer >= 1/],
      [["--m", "-3"], /--m must be an integer >= 1/],
      [["--bogus"], /--bogus/],
      [["--trials"], /--trials/],
      [["positional"], /positional/],
      [["--out", ""], /--out must be a directory path/],
    ];
    for (const [args, message] of cases) {
      const full = [...args];
      if (!args.includes("--out")) full.push("--out", out);
      if (!args.includes("--backend")) full.push("--backend", "cpu");
      const r = await run(full);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.err, message, args.join(" "));
      assert.doesNotMatch(r.err, /\n\s+at /, "no stack for usage errors");
      assert.equal(r.out, "");
      assert.equal(await exists(out), false, `${args.join(" ")} wrote ${out}`);
    }

    const blas = await run(["--backend", "blas", "--out", out], {
      available: () => false,
    });
    assert.equal(blas.code, 2);
    assert.match(blas.err, /--backend blas is not available here/);
    assert.equal(await exists(out), false);

    await Deno.writeTextFile(`${dir}/file`, "");
    const file = await run(["--out", `${dir}/file`, "--backend", "cpu"]);
    assert.equal(file.code, 2);
    assert.match(file.err, /--out: ".*file" exists and is not a directory/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--help prints every flag and exits 0", async () => {
  const r = await run(["--help"]);
  assert.equal(r.code, 0);
  for (
    const flag of [
      "--claim",
      "--trials",
      "--profile",
      "--seed",
      "--backend",
      "--workers",
      "--out",
      "--shard",
      "--resume",
      "--format",
      "--d",
      "--k",
      "--n",
      "--m",
      "--help",
    ]
  ) {
    assert.match(r.out, new RegExp(`^ +(-h, )?${flag} `, "m"), flag);
  }
  assert.match(r.out, /default: ci/);
  assert.match(r.out, /F1, F2/);
  assert.equal((await run(["-h"])).code, 0);
});

Deno.test("claims runs: reports, figures, exit codes", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const ref = `${dir}/ref`;
    await t.step("a passing run exits 0 and writes every report", async () => {
      const logged: string[] = [];
      const consoleError = console.error;
      console.error = (...data: unknown[]) => logged.push(data.join(" "));
      const r = await run([
        "--out",
        ref,
        "--trials",
        "20",
        "--seed",
        "1",
        "--backend",
        "cpu",
        "--workers",
        "2",
      ]).finally(() => console.error = consoleError);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(logged, ["claim F2: figures threw: no figure today"]);
      for (
        const f of [
          "run.json",
          "summary.csv",
          "summary.md",
          "summary.json",
          "timing.csv",
          "trials/F1.csv",
          "trials/F2.csv",
          "figures/pass_rates.svg",
          "figures/F1_u.svg",
        ]
      ) {
        assert.ok(await exists(`${ref}/${f}`), f);
      }
      assert.match(r.out, /^\| claim \| check \| expect \|/);
      assert.match(r.out, /\| F2 \| small \| holds \| 40 \|/);
      assert.match(r.out, /F2 mean_ratio: holds \(expected holds\) ✓/);
      assert.ok(r.out.trimEnd().endsWith(`reports written to ${ref}`));
      assert.match(r.err, /running F1, F2 .* on cpu \(/);
      assert.match(r.progress, /^progress: 25\/80 trials/);
      assert.match(r.progress, /80\/80 trials \(100\.0%\).*done\n$/);

      const manifest = await readManifest(ref);
      assert.equal(manifest?.backend, "cpu");
      assert.equal(manifest?.trials, 20);
      const md = await Deno.readTextFile(`${ref}/summary.md`);
      for (
        const line of [
          "All checks reached their expected verdict.",
          "![Pass rate of every check with its 95% confidence interval](figures/pass_rates.svg)",
          "#### Key measurements",
          "| configuration | finished | u | z | missing |",
          "- ![Uniform draws u \\[per trial\\]](figures/F1_u.svg)",
          "- Figure failed: figures threw: no figure today",
          "- backend details: cpu (TensorFlow.js plain JavaScript)",
          "- workers: 2",
          `- Deno: ${Deno.version.deno}`,
        ]
      ) {
        assert.ok(md.includes(line), line);
      }
      assert.match(
        md,
        /\| p=0\.9,tag=a \| 20 \| [\d.]+ \[[\d.]+, [\d.]+\] \| .* \| n\/a \|/,
      );
      assert.match(md, /\| configuration \| finished \| ratio \|/);
      const svg = await Deno.readTextFile(`${ref}/figures/pass_rates.svg`);
      assert.ok(svg.startsWith("<svg"));
      for (const label of ["F1 heads", "F1 control", "F2 small"]) {
        assert.ok(svg.includes(label), label);
      }
    });

    await t.step(
      "figures are byte-identical in-process and after a sharded run + merge",
      async () => {
        const common = ["--trials", "20", "--seed", "1", "--backend", "cpu"];
        const solo = await run([
          ...common,
          "--out",
          `${dir}/solo`,
          "--workers",
          "1",
        ]);
        assert.equal(solo.code, 0, solo.err);
        for (const i of [1, 2]) {
          const shard = await run([
            ...common,
            "--out",
            `${dir}/s${i}`,
            "--shard",
            `${i}/2`,
            "--workers",
            "1",
            "--format",
            "csv",
          ]);
          // A finished shard exits 0: its verdicts are partial.
          assert.equal(shard.code, 0, shard.err);
          assert.match(shard.err, /verdicts are partial/);
          assert.equal(await exists(`${dir}/s${i}/figures`), false, "csv only");
        }
        const merged = `${dir}/merged`;
        const outcome = await mergeShards(
          [`${dir}/s2`, `${dir}/s1`],
          merged,
          { claims },
        );
        assert.equal(outcome.allOk, true);
        for (const f of ["pass_rates.svg", "F1_u.svg"]) {
          const want = await Deno.readTextFile(`${ref}/figures/${f}`);
          assert.equal(
            await Deno.readTextFile(`${dir}/solo/figures/${f}`),
            want,
            f,
          );
          assert.equal(
            await Deno.readTextFile(`${merged}/figures/${f}`),
            want,
            f,
          );
        }
        for (const f of ["summary.csv", "summary.json", "trials/F1.csv"]) {
          assert.equal(
            await Deno.readTextFile(`${merged}/${f}`),
            await Deno.readTextFile(`${ref}/${f}`),
            f,
          );
        }
      },
    );

    await t.step(
      "a check missing its expected verdict exits 1; overrides reach the workers",
      async () => {
        const out = `${dir}/miss`;
        const r = await run([
          "--out",
          out,
          "--claim",
          "f2",
          "--trials",
          "2",
          "--n",
          "3",
          "--backend",
          "cpu",
          "--workers",
          "2",
          "--format",
          "csv,json",
        ]);
        assert.equal(r.code, 1, r.err);
        assert.match(r.err, /some checks did not reach their expected verdict/);
        assert.match(r.out, /\| F2 \| small \| holds \| 4 \| .* \| ✗ \|/);
        const manifest = await readManifest(out);
        assert.deepEqual(manifest?.claims.map((c) => c.id), ["F2"]);
        assert.deepEqual(manifest?.claims[0].configs, [
          { key: "n=1|override:n=3", trials: 2 },
          { key: "n=2|override:n=3", trials: 2 },
        ]);
        const f2 = readTrialFile(`${out}/trials/F2.csv`, {
          tolerateTruncation: false,
        });
        assert.equal(f2.records.length, 4);
        assert.ok(f2.records.every((rec) => rec.result.values.n === 3));
        assert.ok(
          f2.records.every((rec) =>
            !/has no configuration/.test(rec.result.reason)
          ),
        );
        assert.equal(await exists(`${out}/summary.md`), false);
        assert.equal(await exists(`${out}/figures`), false);
      },
    );

    await t.step("a different run in --out exits 2", async () => {
      const r = await run([
        "--out",
        ref,
        "--trials",
        "3",
        "--backend",
        "cpu",
        "--workers",
        "1",
      ]);
      assert.equal(r.code, 2);
      assert.match(
        r.err,
        new RegExp(
          `^error: ${ref} holds a different run \\(it differs in: trials, ` +
            "claims, plan\\); use another --out, or the same parameters with " +
            "--resume to continue it$",
          "m",
        ),
      );
    });

    await t.step(
      "the same run again moves the old one aside, saying so on stderr",
      async () => {
        const args = [
          "--out",
          `${dir}/again`,
          "--trials",
          "2",
          "--backend",
          "cpu",
          "--workers",
          "1",
          "--format",
          "csv",
        ];
        await run(args);
        const r = await run(args);
        assert.match(
          r.err,
          /held trials of the same run; moved them to .*previous-.* and starting afresh \(use --resume to continue a run instead\)/,
        );
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
