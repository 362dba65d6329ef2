import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { claims as mapClaims } from "../../fixtures/fake_map_claims.ts";
import { claimsMain } from "./claims.ts";
import { parseClaimsArgs } from "./claims_args.ts";
import { mergeMain } from "./merge.ts";
import { replayMain } from "./replay.ts";
import { mapCellKey } from "../claims/regime_map.ts";
import { coinMap } from "../../fixtures/fake_map_claims.ts";
import type { ClaimSpec } from "../claims/types.ts";

const mapModule = new URL("../../fixtures/fake_map_claims.ts", import.meta.url);

/** The fake claims without maps, then the mapped one. */
const mixed: ClaimSpec[] = [...fakeClaims, ...mapClaims];

/** claimsMain over `claims` with captured output. */
async function run(args: string[], claims: ClaimSpec[] = mapClaims) {
  const out: string[] = [], err: string[] = [];
  const code = await claimsMain(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  }, {
    claims,
    workerModule: mapModule,
    progress: { write: () => {}, terminal: false },
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

Deno.test("--profile map: the claims with maps, no overrides", async (t) => {
  await t.step("default: only the claims that declare maps", () => {
    const a = parseClaimsArgs(["--profile", "map"], mixed);
    assert.deepEqual(a.claims.map((c) => c.id), ["M1"]);
    assert.equal(a.profile, "map");
  });
  await t.step("bad selections exit 2 naming the flag", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const cases: [string[], ClaimSpec[], RegExp][] = [
        [
          ["--claim", "F1,M1"],
          mixed,
          /--claim: F1 declares no regime map \(claims with maps: M1\)/,
        ],
        [
          [],
          fakeClaims,
          /--profile map: none of the claims declares a regime map/,
        ],
        [["--n", "40"], mixed, /--n: not with --profile map/],
        [["--d", "40", "--k", "4"], mixed, /--d, --k: not with --profile map/],
      ];
      for (const [args, claims, message] of cases) {
        const r = await run(
          [
            ...args,
            "--profile",
            "map",
            "--out",
            `${dir}/x`,
            "--backend",
            "cpu",
          ],
          claims,
        );
        assert.equal(r.code, 2, args.join(" "));
        assert.match(r.err, message);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("a map run from the command line exits 0 and says where checks break", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await run([
      "--profile",
      "map",
      "--out",
      dir,
      "--backend",
      "cpu",
      "--workers",
      "1",
      "--seed",
      "2",
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^M1_p_s \(M1, heads\): /m);
    assert.match(r.out, /^ {2}s = 1: pass rate /m);
    assert.match(r.out, /^ {2}s = 2: pass rate /m);
    assert.match(r.out, /reports written to /);
    assert.match(r.err, /running M1 \(profile map, seed 2\)/);
    for (const f of ["summary.md", "summary.json", "index.html"]) {
      await Deno.stat(`${dir}/${f}`);
    }
    await Deno.stat(`${dir}/maps/M1_p_s.csv`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("replay finds a map cell at --profile map, and says so otherwise", async () => {
  const key = mapCellKey(coinMap, { x: 0.5, y: 2 });
  const out: string[] = [], err: string[] = [];
  const io = {
    out: (t: string) => out.push(t),
    err: (t: string) => err.push(t),
  };
  const base = [
    "--claims-module",
    mapModule.pathname,
    "--claim",
    "M1",
    "--config",
    key,
    "--trial",
    "1",
    "--backend",
    "cpu",
  ];
  assert.equal(await replayMain([...base, "--profile", "map"], io), 0);
  const row = JSON.parse(out.join(""));
  assert.equal(row.values.s, 2);
  assert.equal(await replayMain(base, io), 2);
  assert.match(
    err.join("\n"),
    /is a map-profile configuration of M1: add --profile map/,
  );
});

Deno.test("the shards of a map run merge on the command line, exit 0", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const shards = [1, 2].map((i) => `${dir}/shard${i}`);
    for (const [i, shard] of shards.entries()) {
      const r = await run([
        "--profile",
        "map",
        "--shard",
        `${i + 1}/2`,
        "--out",
        shard,
        "--backend",
        "cpu",
        "--workers",
        "1",
      ]);
      assert.equal(r.code, 0, r.err);
    }
    const out: string[] = [], err: string[] = [];
    const code = await mergeMain(["--out", `${dir}/merged`, ...shards], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    }, { claims: mapClaims });
    assert.equal(code, 0, err.join("\n"));
    assert.match(out.join("\n"), /^M1_p_s \(M1, heads\): /m);
    await Deno.stat(`${dir}/merged/maps/M1_p_s.csv`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
