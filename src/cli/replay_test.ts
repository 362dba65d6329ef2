import assert from "node:assert/strict";
import { replayMain } from "./replay.ts";
import { c2Configs } from "../claims/c2_generalization.ts";
import type { SizeProfile } from "../claims/types.ts";

function capture() {
  const out: string[] = [], err: string[] = [];
  return {
    out,
    err,
    io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) },
  };
}

Deno.test("replay", async (t) => {
  await t.step("bad input exits 2 with a message naming the flag", async () => {
    const cases: [string[], RegExp][] = [
      [["--claim", "C9"], /--claim must be one of/],
      [
        ["--claim", "C2", "--config", "nope", "--trial", "0"],
        /--config must be one of/,
      ],
      [
        ["--claim", "C2", "--config", c2Configs("ci")[0].key],
        /exactly one of --trial/,
      ],
      [
        ["--claim", "C2", "--config", c2Configs("ci")[0].key, "--trial=-1"],
        /--trial must be an integer/,
      ],
      [["--claim", "C2", "--profile", "big"], /--profile must be/],
      [["--bogus"], /bogus/],
    ];
    for (const [args, message] of cases) {
      const c = capture();
      assert.equal(await replayMain(args, c.io), 2, args.join(" "));
      assert.match(c.err.join("\n"), message);
    }
  });

  await t.step(
    "replays a trial from its trial seed, twice identically",
    async () => {
      const config = c2Configs("ci")[1]; // the small unseen-clusters control
      const args = [
        "--claim",
        "C2",
        "--config",
        config.key,
        "--trial",
        "0",
        "--backend",
        "cpu",
      ];
      const a = capture(), b = capture();
      assert.equal(await replayMain(args, a.io), 0);
      assert.equal(await replayMain(args, b.io), 0);
      assert.equal(a.out.join(""), b.out.join(""));
      const row = JSON.parse(a.out.join(""));
      assert.equal(row.claim, "C2");
      assert.equal(typeof row.values.test_error, "number");
    },
  );
});

Deno.test("replay reproduces a trial row of a run", async () => {
  const { runClaims } = await import("../report/pipeline.ts");
  const { readTrialFile } = await import("../runner/trial_csv_parse.ts");
  const { c2 } = await import("../claims/c2_generalization.ts");
  const out = await Deno.makeTempDir();
  // The run needs only the row replayed (records[1]: the second
  // configuration's trial 0), so it plans C2's first two configurations,
  // not its whole rate sweep; that row and its seed are the same either way.
  const firstTwo = {
    ...c2,
    configs: (profile: SizeProfile) => c2.configs(profile).slice(0, 2),
  };
  try {
    await runClaims({
      claims: [firstTwo],
      profile: "ci",
      seed: 4,
      trials: 1,
      out,
      resume: false,
      workers: 1,
      workerModule: new URL("../claims/registry.ts", import.meta.url),
      backend: "cpu",
      formats: ["csv"],
    });
    const parsed = readTrialFile(`${out}/trials/C2.csv`, {
      tolerateTruncation: false,
    });
    const row = parsed.records[1];
    const c = capture();
    const code = await replayMain([
      "--claim",
      "C2",
      "--config",
      row.task.config,
      "--trial",
      String(row.task.trial),
      "--seed",
      "4",
      "--backend",
      "cpu",
    ], c.io);
    assert.equal(code, 0);
    const replayed = JSON.parse(c.out.join(""));
    assert.equal(replayed.seed, row.task.seed);
    assert.deepEqual(replayed.checks, row.result.checks);
    for (const key of ["test_error", "steps", "normalized_margin"]) {
      assert.equal(replayed.values[key], row.result.values[key], key);
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
