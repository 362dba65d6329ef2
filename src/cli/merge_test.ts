import assert from "node:assert/strict";
import { capture } from "../../fixtures/capture_io.ts";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { mergeMain } from "./merge.ts";
import { runClaims } from "../report/pipeline.ts";

Deno.test("mergeMain", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const shards = [1, 2].map((i) => `${dir}/s${i}`);
    for (let i = 0; i < 2; i++) {
      await runClaims({
        claims: fakeClaims,
        profile: "ci",
        seed: 11,
        out: shards[i],
        shard: { index: i + 1, count: 2 },
        resume: false,
        workers: 1,
        backend: "cpu",
        formats: ["csv"],
      });
    }

    await t.step(
      "merges, prints the table, exits 0 or 1 by the verdicts",
      async () => {
        const io = capture();
        const code = await mergeMain(
          ["--out", `${dir}/m`, ...shards],
          io,
          { claims: fakeClaims },
        );
        const summary = await Deno.readTextFile(`${dir}/m/summary.csv`);
        const allOk = summary.trim().split("\n").slice(1).every((l) =>
          l.split(",")[10] === "true"
        );
        assert.equal(code, allOk ? 0 : 1);
        assert.ok(io.stdout[0].startsWith("| claim | check | expect |"));
        assert.ok(io.stdout[0].includes("| F1 | heads | holds |"));
        await Deno.stat(`${dir}/m/summary.md`);
        await Deno.stat(`${dir}/m/summary.json`);
      },
    );

    await t.step("--format limits the summaries written", async () => {
      const io = capture();
      await mergeMain(
        ["--out", `${dir}/m2`, "--format", "csv", ...shards],
        io,
        { claims: fakeClaims },
      );
      await Deno.stat(`${dir}/m2/summary.csv`);
      await assert.rejects(() => Deno.stat(`${dir}/m2/summary.md`));
    });

    await t.step("exits 2 on bad input", async () => {
      const cases: [string[], RegExp][] = [
        [["--out"], /argument missing|--out/],
        [[...shards], /--out is required/],
        [["--out", `${dir}/x`], /no shard directories/],
        [["--out", `${dir}/x`, "--what", ...shards], /what/],
        [["--out", `${dir}/x`, shards[0]], /missing shard\(s\) 2\/2/],
        [
          ["--out", `${dir}/x`, "--format", "pdf", ...shards],
          /unknown format "pdf"/,
        ],
      ];
      for (const [args, pattern] of cases) {
        const io = capture();
        assert.equal(
          await mergeMain(args, io, { claims: fakeClaims }),
          2,
          args.join(" "),
        );
        assert.match(io.stderr.join("\n"), pattern);
      }
      const f1 = `${shards[1]}/trials/F1.csv`;
      await Deno.writeTextFile(f1, (await Deno.readTextFile(f1)).slice(0, -4));
      const io = capture();
      assert.equal(
        await mergeMain(["--out", `${dir}/x`, ...shards], io, {
          claims: fakeClaims,
        }),
        2,
      );
      assert.match(io.stderr[0], /truncated/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mergeMain merges shards of a run made with parameter overrides", async () => {
  const { claimsMain } = await import("./claims.ts");
  const { mergeMain } = await import("./merge.ts");
  const { claims } = await import("../../fixtures/fake_claims.ts");
  const dir = await Deno.makeTempDir();
  const quiet = { out: () => {}, err: () => {} };
  const deps = {
    claims,
    workerModule: new URL("../../fixtures/fake_claims.ts", import.meta.url),
  };
  try {
    for (const shard of ["1/2", "2/2"]) {
      const code = await claimsMain(
        [
          "--claim",
          "F2",
          "--trials",
          "4",
          "--n",
          "3",
          "--backend",
          "cpu",
          "--workers",
          "1",
          "--shard",
          shard,
          "--out",
          `${dir}/s${shard[0]}`,
        ],
        quiet,
        deps,
      );
      assert.ok(code === 0 || code === 1, `shard ${shard} exit ${code}`);
    }
    const code = await mergeMain(
      ["--out", `${dir}/merged`, `${dir}/s1`, `${dir}/s2`],
      quiet,
      { claims },
    );
    assert.ok(code === 0 || code === 1, `merge exit ${code}`);
    const summary = await Deno.readTextFile(`${dir}/merged/summary.csv`);
    assert.match(summary, /^claim,check/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
