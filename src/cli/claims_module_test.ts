import assert from "node:assert/strict";
import { capture } from "../../fixtures/capture_io.ts";
import { claimsMain } from "./claims.ts";
import {
  checkClaimsModule,
  claimsModuleArg,
  loadClaimsModule,
} from "./claims_module.ts";
import { mergeMain } from "./merge.ts";
import { replayMain } from "./replay.ts";
import { readProvenance } from "../runner/provenance.ts";
import { readTrialFile } from "../runner/trial_csv_parse.ts";
import { UsageError } from "../base/usage_error.ts";

const FAKE = "fixtures/fake_claims.ts";

/** A claim with every required field, as a module would export it. */
function claim(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    title: "t",
    statement: "s",
    source: "[R]",
    hypotheses: [],
    constants: { a: 1 },
    configs: () => [{
      key: "k",
      params: {},
      trials: 2,
      checks: [{ name: "c", description: "", target: 0.5, expect: "holds" }],
    }],
    runTrial: () => Promise.reject(new Error("not run")),
    ...extra,
  };
}

Deno.test("claimsModuleArg finds the flag's value in either form", () => {
  assert.equal(claimsModuleArg(["--seed", "1"]), undefined);
  assert.equal(claimsModuleArg(["--claims-module", "m.ts"]), "m.ts");
  assert.equal(claimsModuleArg(["--claims-module=./x/m.ts"]), "./x/m.ts");
  for (const args of [["--claims-module"], ["--claims-module", "--seed"]]) {
    assert.throws(
      () => claimsModuleArg(args),
      (e) => e instanceof UsageError && /needs a module path/.test(e.message),
    );
  }
});

Deno.test("checkClaimsModule names what is wrong with the exports", () => {
  assert.deepEqual(
    checkClaimsModule({ claims: [claim("A"), claim("B")] }, "m.ts").map((c) =>
      c.id
    ),
    ["A", "B"],
  );
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ other: 1 }, /m\.ts does not export "claims"/],
    [{ claims: {} }, /"claims" must be a non-empty array/],
    [{ claims: [] }, /"claims" must be a non-empty array/],
    [{ claims: [3] }, /claims\[0\] is not a ClaimSpec object/],
    [{ claims: [claim("../x")] }, /claims\[0\]\.id must be a word/],
    [
      { claims: [claim("A"), claim("a")] },
      /claim id "a" is used twice \(claims\[0\] and claims\[1\]\)/,
    ],
    [
      { claims: [claim("A", { runTrial: 1 })] },
      /claim A: runTrial must be a function/,
    ],
    [
      { claims: [claim("A", { constants: { x: "1" } })] },
      /constants must be an object of numbers/,
    ],
    [
      {
        claims: [claim("A", {
          configs: () => {
            throw new Error("no");
          },
        })],
      },
      /claim A: configs\("ci"\) threw: no/,
    ],
    [
      {
        claims: [
          claim("A", {
            configs: () => [{
              key: "k",
              params: {},
              trials: 0,
              checks: [{ name: "c", expect: "maybe", target: 2 }],
            }],
          }),
        ],
      },
      /trials must be a positive integer[\s\S]*expect must be "holds" or "fails"[\s\S]*target must be a number in \[0, 1\]/,
    ],
    [
      { claims: [claim("A")], initWorker: "no" },
      /"initWorker" must be a function/,
    ],
    [
      {
        claims: [claim("A", {
          predictions: [{
            name: "p",
            measured: { kind: "median", column: "v", check: "nope" },
            predicted: 1,
            law: "l",
            source: "[R]",
            note: "n",
          }],
        })],
      },
      /claim A: predictions\[0\]\.measured\.check "nope" is run by no configuration/,
    ],
  ];
  for (const [exports, pattern] of cases) {
    assert.throws(
      () => checkClaimsModule(exports, "m.ts"),
      (e) =>
        e instanceof UsageError &&
        e.message.startsWith("--claims-module m.ts: ") &&
        pattern.test(e.message),
      pattern.source,
    );
  }
});

Deno.test("the claims command runs a module's claims, exits 2 on a bad module, and replays its trials", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/empty.ts`, "export const nothing = 1;\n");
    await Deno.writeTextFile(`${dir}/broken.ts`, "export const claims = [;\n");
    for (
      const [module, pattern] of [
        [`${dir}/empty.ts`, /does not export "claims"/],
        [`${dir}/broken.ts`, /cannot import/],
        [`${dir}/missing.ts`, /cannot import/],
      ] as const
    ) {
      const io = capture();
      const code = await claimsMain(
        ["--claims-module", module, "--out", `${dir}/never`],
        io,
      );
      assert.equal(code, 2, module);
      assert.match(io.stderr.join("\n"), pattern);
      await assert.rejects(
        () => Deno.stat(`${dir}/never`),
        Deno.errors.NotFound,
      );
    }

    const help = capture();
    assert.equal(
      await claimsMain(["--claims-module", FAKE, "--help"], help),
      0,
    );
    assert.match(help.stdout.join("\n"), /--claim ID\s+claim to run \(F1, F2;/);

    const out = `${dir}/run`;
    const io = capture();
    const quiet = { progress: { write: () => {}, terminal: false } };
    const code = await claimsMain(
      [
        "--claims-module",
        FAKE,
        "--claim",
        "F1",
        "--workers",
        "2",
        "--backend",
        "cpu",
        "--seed",
        "3",
        "--out",
        out,
      ],
      io,
      quiet,
    );
    assert.ok(code === 0 || code === 1, io.stderr.join("\n"));
    const md = await Deno.readTextFile(`${out}/summary.md`);
    assert.match(md, /- claims module: fixtures\/fake_claims\.ts/);
    const failures = await Deno.readTextFile(`${out}/failures.md`);
    const command = /deno task replay (--claims-module .*)/.exec(failures);
    assert.ok(command !== null, "a failing trial with its replay command");
    // Replay it: the same row as in the trial file.
    const args = command[1].match(/"[^"]*"|\S+/g)!.map((a) =>
      a.replace(/^"(.*)"$/, "$1")
    );
    const replayed = capture();
    assert.equal(
      await replayMain([...args, "--backend", "cpu"], replayed),
      0,
      replayed.stderr.join("\n"),
    );
    const result = JSON.parse(replayed.stdout.join(""));
    const rows = readTrialFile(`${out}/trials/F1.csv`, {
      tolerateTruncation: false,
    }).records;
    const row = rows.find((r) =>
      r.task.config === result.config && r.task.trial === result.trial
    )!;
    assert.equal(result.seed, row.task.seed);
    assert.deepEqual(result.checks, row.result.checks);
    assert.equal(result.values.u, row.result.values.u);

    // A configuration of a run with parameter overrides replays too.
    const overridden = capture();
    assert.equal(
      await replayMain([
        "--claims-module",
        FAKE,
        "--claim",
        "F2",
        "--config",
        "n=1|override:n=3",
        "--trial",
        "0",
        "--backend",
        "cpu",
      ], overridden),
      0,
      overridden.stderr.join("\n"),
    );
    assert.equal(
      JSON.parse(overridden.stdout.join("")).config,
      "n=1|override:n=3",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the shards of a module's run merge with --claims-module, keeping their provenance", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const quiet = { progress: { write: () => {}, terminal: false } };
    const common = [
      "--claims-module",
      FAKE,
      "--backend",
      "cpu",
      "--workers",
      "1",
    ];
    for (const shard of ["1/2", "2/2"]) {
      const io = capture();
      const code = await claimsMain(
        [...common, "--shard", shard, "--out", `${dir}/s${shard[0]}`],
        io,
        quiet,
      );
      assert.equal(code, 0, io.stderr.join("\n"));
    }
    const io = capture();
    const code = await mergeMain([
      "--claims-module",
      FAKE,
      "--out",
      `${dir}/merged`,
      `${dir}/s1`,
      `${dir}/s2`,
    ], io);
    assert.ok(code === 0 || code === 1, io.stderr.join("\n"));
    const provenance = await readProvenance(`${dir}/merged`);
    assert.equal(provenance?.kind, "merge");
    assert.deepEqual(
      provenance?.shards?.map((s) => s.provenance?.kind),
      ["run", "run"],
    );
    await Deno.stat(`${dir}/merged/index.html`);
    const missing = capture();
    assert.equal(
      await mergeMain(
        ["--out", `${dir}/m2`, `${dir}/s1`, `${dir}/s2`],
        missing,
        { claims: [] },
      ),
      2,
      "without the module the shards' claims are unknown",
    );
    assert.match(
      missing.stderr.join("\n"),
      /claim F1 of the shards is not a known claim/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadClaimsModule resolves a path against the working directory", async () => {
  const loaded = await loadClaimsModule(`./${FAKE}`);
  assert.ok(loaded.url.href.endsWith(`/${FAKE}`));
  assert.deepEqual(loaded.claims.map((c) => c.id), ["F1", "F2"]);
  assert.equal(typeof loaded.initWorker, "function");
});

Deno.test("checkClaimsModule checks a claim's regime maps", async () => {
  const { coinMap } = await import("../../fixtures/fake_map_claims.ts");
  const ok = checkClaimsModule(
    { claims: [claim("A", { maps: [coinMap] })] },
    "m.ts",
  );
  assert.equal(ok[0].maps?.[0], coinMap);
  const cases: [unknown, RegExp][] = [
    [{}, /claim A: maps must be an array of RegimeMap/],
    [
      [{ ...coinMap, trials: 0 }],
      /claim A: map M1_p_s: trials must be a positive integer/,
    ],
    [
      [coinMap, coinMap],
      /claim A: configs\("map"\) threw: map M1_p_s is declared twice/,
    ],
  ];
  for (const [maps, pattern] of cases) {
    assert.throws(
      () => checkClaimsModule({ claims: [claim("A", { maps })] }, "m.ts"),
      (e) => e instanceof UsageError && pattern.test(e.message),
      pattern.source,
    );
  }
});
