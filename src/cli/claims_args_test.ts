import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { claimsMain } from "./claims.ts";
import { defaultWorkers, parseClaimsArgs, usage } from "./claims_args.ts";
import { withParamOverrides } from "../claims/overrides.ts";
import type { ClaimSpec } from "../claims/types.ts";

const claims = fakeClaims;

Deno.test("parseClaimsArgs: defaults, selection and overrides", () => {
  const a = parseClaimsArgs([], claims);
  assert.deepEqual(a.claims.map((c) => c.id), ["F1", "F2"]);
  assert.equal(a.profile, "ci");
  assert.equal(a.seed, 1);
  assert.equal(a.backend, "auto");
  assert.equal(a.out, "reports/latest");
  assert.deepEqual(a.formats, ["csv", "md", "json", "html"]);
  assert.equal(a.trials, undefined);
  assert.equal(a.resume, false);
  assert.ok(a.workers >= 1 && a.workers <= 64);
  assert.equal(a.claims[0], claims[0], "no override: the claim itself");

  const b = parseClaimsArgs([
    "--claim",
    "f2",
    "--claim",
    "F1,f2",
    "--format",
    "md, csv,md",
    "--shard",
    "2/3",
    "--resume",
    "--workers",
    "3",
    "--profile",
    "paper",
    "--n",
    "7",
  ], claims);
  assert.deepEqual(b.claims.map((c) => c.id), ["F1", "F2"], "registry order");
  assert.deepEqual(b.formats, ["md", "csv"]);
  assert.deepEqual(b.shard, { index: 2, count: 3 });
  assert.equal(b.resume, true);
  assert.equal(b.workers, 3);
  const f2 = b.claims[1].configs("paper");
  assert.deepEqual(f2.map((c) => c.key), [
    "n=1|override:n=7",
    "n=2|override:n=7",
  ]);
  assert.ok(f2.every((c) => c.params.n === 7));

  // d >= k is checked against every configuration's effective parameters.
  const sized: ClaimSpec = {
    ...fakeClaims[0],
    id: "C4",
    configs: () => [
      { key: "d=50,k=5", params: { d: 50, k: 5 }, checks: [], trials: 1 },
      { key: "d=20,k=2", params: { d: 20, k: 2 }, checks: [], trials: 1 },
    ],
  };
  assert.throws(
    () => parseClaimsArgs(["--k", "30"], [sized]),
    /--k: d must be >= k .*C4, configuration "d=20,k=2\|override:k=30" would have d=20, k=30/,
  );
  assert.throws(
    () => parseClaimsArgs(["--d", "4"], [sized]),
    /--d: d must be >= k .*d=4, k=5/,
  );
  const ok = parseClaimsArgs(["--d", "800", "--k", "8"], [sized]);
  assert.deepEqual(ok.claims[0].configs("ci").map((c) => c.key), [
    "d=50,k=5|override:d=800,k=8",
    "d=20,k=2|override:d=800,k=8",
  ]);
  assert.deepEqual(withParamOverrides(sized, {}), sized);
});

Deno.test("usage lists the claims, backends and the default workers", () => {
  const text = usage(["F1", "F2"]);
  assert.match(text, /--claim ID {8}claim to run \(F1, F2; case-insensitive\)/);
  assert.match(text, /--backend B {7}auto \| /);
  assert.ok(text.includes(`number of cores (here ${defaultWorkers()})`));
});

Deno.test("claims CLI rejects overrides a real claim cannot take", async (t) => {
  const { claims: real } = await import("../claims/registry.ts");
  const out = await Deno.makeTempDir();
  const cases: [string[], RegExp][] = [
    [
      ["--claim", "C6", "--d", "10", "--k", "10"],
      /--d, --k: claim C6.*correlated means need d ≥ k \+ 1/,
    ],
    [["--claim", "C3", "--m", "1"], /--m: claim C3.*m\(d\+2\) ≥ 10n/],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), async () => {
      const err: string[] = [];
      const io = { out: () => {}, err: (s: string) => err.push(s) };
      const code = await claimsMain([...args, "--out", `${out}/x`], io, {
        claims: real,
      });
      assert.equal(code, 2);
      assert.match(err.join("\n"), message);
      assert.equal([...Deno.readDirSync(out)].length, 0);
    });
  }
  await Deno.remove(out, { recursive: true });
});
