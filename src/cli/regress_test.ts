import assert from "node:assert/strict";
import { capture } from "../../fixtures/capture_io.ts";
import { regressMain } from "./regress.ts";

const HEAD =
  "claim,check,expect,trials,passed,rate,ci_low,ci_high,target,verdict,ok,detail\n";

Deno.test("regressMain exit codes", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const baseline = `${dir}/baseline.csv`;
    await Deno.writeTextFile(
      baseline,
      HEAD + "C1,a,holds,40,38,,,,0.9,holds,true,\n",
    );
    await Deno.mkdir(`${dir}/same`);
    await Deno.writeTextFile(
      `${dir}/same/summary.csv`,
      HEAD + "C1,a,holds,40,37,,,,0.9,holds,true,\n",
    );
    await Deno.mkdir(`${dir}/worse`);
    await Deno.writeTextFile(
      `${dir}/worse/summary.csv`,
      HEAD + "C1,a,holds,40,20,,,,0.9,fails,false,\n",
    );
    await Deno.writeTextFile(
      `${dir}/corrupt.csv`,
      HEAD + "C1,a,holds,40,41,,,,0.9,holds,true,\n",
    );

    await t.step(
      "0 when nothing dropped, with the Markdown table on stdout",
      async () => {
        const io = capture();
        assert.equal(
          await regressMain([
            "--baseline",
            baseline,
            "--current",
            `${dir}/same`,
          ], io),
          0,
        );
        assert.ok(
          io.stdout.join("\n").includes(
            "| C1 | a | holds | 38/40 (0.950) | 37/40 (0.925) |",
          ),
        );
        assert.deepEqual(io.stderr, []);
      },
    );

    await t.step("1 on a significant drop", async () => {
      const io = capture();
      assert.equal(
        await regressMain(
          ["--baseline", baseline, "--current", `${dir}/worse`],
          io,
        ),
        1,
      );
      assert.ok(io.stdout.join("\n").includes("**drop**"));
      assert.match(io.stderr.join("\n"), /dropped/);
      // --current may name the csv file itself; --alpha is honored.
      const tiny = capture();
      assert.equal(
        await regressMain([
          "--baseline",
          baseline,
          "--current",
          `${dir}/worse/summary.csv`,
          "--alpha",
          "1e-12",
        ], tiny),
        0,
      );
    });

    await t.step("2 on bad input", async () => {
      const cases: [string[], RegExp][] = [
        [["--bogus"], /bogus/],
        [["--baseline", baseline], /--current are required/],
        [
          ["--baseline", baseline, "--current", `${dir}/same`, "extra"],
          /unexpected argument/,
        ],
        [
          ["--baseline", `${dir}/nope.csv`, "--current", `${dir}/same`],
          /cannot read the baseline/,
        ],
        [
          ["--baseline", baseline, "--current", `${dir}/nowhere`],
          /cannot read the current/,
        ],
        [
          ["--baseline", `${dir}/corrupt.csv`, "--current", `${dir}/same`],
          /exceeds trials/,
        ],
        [
          ["--baseline", baseline, "--current", `${dir}/same`, "--alpha", "2"],
          /--alpha/,
        ],
      ];
      for (const [args, pattern] of cases) {
        const io = capture();
        assert.equal(await regressMain(args, io), 2, args.join(" "));
        assert.match(io.stderr.join("\n"), pattern);
        assert.ok(io.stderr[0].startsWith("error: "));
      }
    });

    await t.step("--help prints usage", async () => {
      const io = capture();
      assert.equal(await regressMain(["--help"], io), 0);
      assert.match(io.stdout[0], /^usage: deno task regress/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("regressMain: a baseline check missing from the current run exits 1", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/baseline.csv`,
      HEAD +
        "C1,a,holds,40,38,,,,0.9,holds,true,\nC1,b,holds,40,38,,,,0.9,holds,true,\n",
    );
    await Deno.mkdir(`${dir}/cur`);
    await Deno.writeTextFile(
      `${dir}/cur/summary.csv`,
      HEAD + "C1,a,holds,40,38,,,,0.9,holds,true,\n",
    );
    const io = capture();
    const code = await regressMain([
      "--baseline",
      `${dir}/baseline.csv`,
      "--current",
      `${dir}/cur`,
    ], io);
    assert.equal(code, 1);
    assert.match(io.stderr.join("\n"), /missing/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("regressMain with summary.json: constants, run parameters, --help", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const summary = (constants: Record<string, number>, seed = 1) =>
      JSON.stringify({
        format: 2,
        run: {
          seed,
          profile: "ci",
          backend: "blas",
          trials: null,
          shard: null,
        },
        rules: { controlCeiling: { value: 0.2, reason: "r" } },
        claims: [{ id: "C4", constants }],
        rows: [{
          claim: "C4",
          check: "flips",
          expect: "holds",
          trials: 40,
          passed: 40,
        }],
        assessments: [],
      });
    await Deno.writeTextFile(
      `${dir}/baseline.json`,
      summary({ radiusConstant: 2 }),
    );
    for (
      const [name, text] of [
        ["same", summary({ radiusConstant: 2 })],
        ["moved", summary({ radiusConstant: 3 })],
        ["reseeded", summary({ radiusConstant: 2 }, 9)],
      ]
    ) {
      await Deno.mkdir(`${dir}/${name}`);
      await Deno.writeTextFile(`${dir}/${name}/summary.json`, text);
      // A summary.csv beside it is ignored in favour of summary.json.
      await Deno.writeTextFile(`${dir}/${name}/summary.csv`, "garbage\n");
    }
    const run = async (current: string) => {
      const io = capture();
      const code = await regressMain([
        "--baseline",
        `${dir}/baseline.json`,
        "--current",
        `${dir}/${current}`,
      ], io);
      return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
    };
    await t.step("0 when the constants are the baseline's", async () => {
      const r = await run("same");
      assert.equal(r.code, 0, r.err);
      assert.ok(r.out.includes("as in the baseline"));
    });
    await t.step("1 with a clear message on a changed constant", async () => {
      const r = await run("moved");
      assert.equal(r.code, 1);
      assert.match(
        r.err,
        /regression: named constants differ from the baseline: C4\.radiusConstant 2 → 3 \(a threshold must not move/,
      );
      assert.ok(r.out.includes("| C4 | radiusConstant | 2 | 3 |"));
    });
    await t.step("0 with a warning on another seed", async () => {
      const r = await run("reseeded");
      assert.equal(r.code, 0);
      assert.match(r.err, /^warning: .*seed \(1 → 9\)/);
    });
    await t.step("--help documents both baseline formats", async () => {
      const io = capture();
      assert.equal(await regressMain(["--help"], io), 0);
      assert.match(io.stdout[0], /summary\.json \(preferred/);
      assert.match(io.stdout[0], /named constant/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("regressMain: a moved key measurement exits 1, a newer format 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const summary = (median: number, format = 3) =>
      JSON.stringify({
        format,
        run: { seed: 1, profile: "ci", backend: "blas", trials: null },
        claims: [{
          id: "C4",
          constants: {},
          highlights: {
            columns: ["attack_median"],
            rows: [{
              config: "d=1000",
              n: 16,
              cells: [""],
              stats: [{ median, q10: 0.82, q90: 0.92, n: 16 }],
            }],
          },
        }],
        rows: [],
        assessments: [],
      });
    await Deno.writeTextFile(`${dir}/baseline.json`, summary(0.87));
    await Deno.writeTextFile(`${dir}/moved.json`, summary(1.2));
    await Deno.writeTextFile(`${dir}/newer.json`, summary(0.87, 4));
    const run = async (baseline: string, current: string) => {
      const io = capture();
      const code = await regressMain([
        "--baseline",
        `${dir}/${baseline}`,
        "--current",
        `${dir}/${current}`,
      ], io);
      return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
    };
    const moved = await run("baseline.json", "moved.json");
    assert.equal(moved.code, 1);
    assert.match(
      moved.err,
      /regression: key measurements moved beyond their tolerance: C4\/d=1000\/attack_median 0\.87 → 1\.2 \(tolerance 0\.\d+\)/,
    );
    assert.match(
      moved.out,
      /\| C4 \| d=1000 \| attack_median \| 0\.87 \| 1\.2 \|/,
    );
    const same = await run("baseline.json", "baseline.json");
    assert.equal(same.code, 0, same.err);
    const newer = await run("newer.json", "baseline.json");
    assert.equal(newer.code, 2);
    assert.match(newer.err, /format 4 is newer than this code reads/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
