import assert from "node:assert/strict";
import {
  overrideSuffix,
  parseOverrideSuffix,
  withParamOverrides,
} from "./overrides.ts";
import type { ClaimSpec } from "./types.ts";
import { UsageError } from "../base/usage_error.ts";

const claim: ClaimSpec = {
  id: "C0",
  title: "",
  statement: "",
  source: "[R]",
  hypotheses: [],
  constants: {},
  configs: () => [
    { key: "d=50,k=5", params: { d: 50, k: 5, n: 10 }, checks: [], trials: 1 },
    { key: "d=20,k=2", params: { d: 20, k: 2, n: 10 }, checks: [], trials: 1 },
  ],
  runTrial: () => Promise.reject(new Error("not run")),
};

Deno.test("overrideSuffix lists the overrides in d, k, n, m order", () => {
  assert.equal(overrideSuffix({}), "");
  assert.equal(overrideSuffix({ m: 3, d: 80 }), "|override:d=80,m=3");
  assert.equal(
    overrideSuffix({ n: 1, m: 2, k: 3, d: 4 }),
    "|override:d=4,k=3,n=1,m=2",
  );
});

Deno.test("parseOverrideSuffix reads back overrideSuffix", () => {
  const overrides = { d: 800, k: 8, n: 7 };
  assert.deepEqual(
    parseOverrideSuffix(`d=50,k=5${overrideSuffix(overrides)}`),
    overrides,
  );
  assert.equal(parseOverrideSuffix("n=1"), undefined);
  for (const bad of ["x|override:q=1", "x|override:d=", "x|override:d=1.5"]) {
    assert.throws(
      () => parseOverrideSuffix(bad),
      (e) => e instanceof UsageError && /malformed override/.test(e.message),
      bad,
    );
  }
});

Deno.test("withParamOverrides replaces parameters in every configuration", () => {
  assert.equal(withParamOverrides(claim, {}), claim);
  const overridden = withParamOverrides(claim, { d: 800, k: 8 });
  assert.deepEqual(overridden.configs("ci").map((c) => [c.key, c.params]), [
    ["d=50,k=5|override:d=800,k=8", { d: 800, k: 8, n: 10 }],
    ["d=20,k=2|override:d=800,k=8", { d: 800, k: 8, n: 10 }],
  ]);
  assert.equal(overridden.id, "C0");
  assert.equal(overridden.runTrial, claim.runTrial);
});
