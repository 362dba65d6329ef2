import assert from "node:assert/strict";
import { capture } from "../../fixtures/capture_io.ts";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { fakeRunOptions } from "../../fixtures/run_options.ts";
import { historyMain } from "./history.ts";
import { runClaims } from "../report/pipeline.ts";
import { parseHistory } from "../report/history.ts";
import { readProvenance, writeProvenance } from "../runner/provenance.ts";
import type { ClaimSpec } from "../claims/types.ts";

/** The fake claims with key measurements. */
const claims: ClaimSpec[] = [
  { ...fakeClaims[0], highlights: ["u", "z"] },
  { ...fakeClaims[1], highlights: ["ratio"] },
];

/** A run of the fake claims in `<dir>/run` whose provenance.json is gone. */
async function runWithoutProvenance(dir: string): Promise<string> {
  const run = `${dir}/run`;
  await runClaims({ ...fakeRunOptions(run, { seed: 4 }), formats: ["json"] });
  await Deno.remove(`${run}/provenance.json`);
  return run;
}

Deno.test("deno task history adds a run, replaces it at the same commit, and draws a chart per claim", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = `${dir}/run`;
    await runClaims({
      ...fakeRunOptions(run, { seed: 4 }),
      formats: ["csv", "json"],
    });
    const provenance = (await readProvenance(run))!;
    const commit = "0123456789abcdef0123456789abcdef01234567";
    await writeProvenance(run, {
      ...provenance,
      git: { commit, dirty: false },
    });
    const file = `${dir}/history/history.csv`;
    const io = capture();
    const deps = { claims, git: "no-such-git-binary" };
    assert.equal(
      await historyMain(["--run", run, "--file", file], io, deps),
      0,
    );
    assert.match(io.stdout[0], /^added 0123456789ab \(profile ci, \d+ lines\)/);
    const first = parseHistory(await Deno.readTextFile(file), file);
    assert.ok(first.every((r) => r.commit === commit && r.dirty === "false"));
    assert.deepEqual(
      [...new Set(first.map((r) => `${r.claim} ${r.kind}`))],
      [
        "F1 check",
        "F2 check",
        "F2 assessment",
        "F1 measurement",
        "F2 measurement",
      ],
    );
    const names = [...Deno.readDirSync(`${dir}/history`)].map((e) => e.name)
      .sort();
    assert.deepEqual(names, [
      "history.csv",
      "history.md",
      "history_F1.svg",
      "history_F2.svg",
    ]);

    // The same commit again replaces the entry; another commit is appended.
    assert.equal(
      await historyMain(["--run", run, "--file", file], io, deps),
      0,
    );
    assert.match(io.stdout[1], /^replaced /);
    assert.equal(
      await historyMain(
        ["--run", run, "--file", file, "--commit", "fedcba9"],
        io,
        deps,
      ),
      0,
    );
    const history = parseHistory(await Deno.readTextFile(file), file);
    assert.equal(history.length, 2 * first.length);
    assert.deepEqual([...new Set(history.map((r) => r.commit))], [
      commit,
      "fedcba9",
    ]);
    assert.match(
      await Deno.readTextFile(`${dir}/history/history.md`),
      /\| 2 \| fedcba9 \|/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task history refuses bad input with exit 2 and writes nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = await runWithoutProvenance(dir);
    const file = `${dir}/h/history.csv`;
    const nowhere = { claims, git: "no-such-git-binary" };
    const map = `${dir}/map`;
    await Deno.mkdir(map);
    await Deno.writeTextFile(
      `${map}/summary.json`,
      JSON.stringify({ kind: "regime-maps", format: 1, claims: [] }),
    );
    const cases: [string[], RegExp][] = [
      [["--run", map, "--file", file], /regime-map run/],
      [[], /--run is required/],
      [["--run", `${dir}/none`], /summary\.json not found/],
      [["--run", run, "--file", file], /give --commit SHA/],
      [["--run", run, "--file", file, "--commit", "xyz"], /--commit must be/],
      [["--run", run, "--bogus"], /bogus/],
    ];
    for (const [args, pattern] of cases) {
      const io = capture();
      assert.equal(await historyMain(args, io, nowhere), 2, args.join(" "));
      assert.match(io.stderr.join("\n"), pattern);
    }
    await assert.rejects(() => Deno.stat(`${dir}/h`), Deno.errors.NotFound);

    await Deno.mkdir(`${dir}/h`);
    await Deno.writeTextFile(file, "not,a,history\n");
    const io = capture();
    assert.equal(
      await historyMain(
        ["--run", run, "--file", file, "--commit", "abcdef0"],
        io,
        nowhere,
      ),
      2,
    );
    assert.match(io.stderr[0], /is not a history file/);
    assert.equal(await Deno.readTextFile(file), "not,a,history\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without provenance, a run gets the current checkout's commit", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = await runWithoutProvenance(dir);
    const io = capture();
    const code = await historyMain(
      ["--run", run, "--file", `${dir}/h/history.csv`],
      io,
      { claims },
    );
    // Inside the suite's checkout with git installed this is its HEAD.
    if (code === 0) {
      assert.match(io.stdout[0], /^added [0-9a-f]{12} /);
    } else {
      assert.match(io.stderr.join("\n"), /give --commit SHA/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
