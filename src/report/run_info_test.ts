import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { claimInfo } from "./run_info.ts";

Deno.test("claimInfo lists each check once with the configurations running it", () => {
  const info = claimInfo(fakeClaims[0], "ci");
  assert.equal(info.id, "F1");
  assert.equal(info.source, "[R]");
  assert.deepEqual(info.constants, { controlThreshold: 0.97 });
  assert.deepEqual(
    info.checks?.map((c) => [c.name, c.expect, c.target, c.configs]),
    [
      ["heads", "holds", 0.5, ["p=0.9,tag=a", "p=0.7,tag=b"]],
      ["control", "fails", 0.5, ["p=0.9,tag=a"]],
    ],
  );
});
