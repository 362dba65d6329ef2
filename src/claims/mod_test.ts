import assert from "node:assert/strict";
import * as facade from "./mod.ts";
import * as registry from "./registry.ts";

Deno.test("claims/mod.ts re-exports the registry", () => {
  for (const key of Object.keys(registry)) {
    assert.ok(key in facade, `registry.ts: ${key} missing from mod.ts`);
  }
  assert.equal(facade.claims, registry.claims);
});
