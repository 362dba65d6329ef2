import assert from "node:assert/strict";
import { oneLine } from "./text.ts";

Deno.test("oneLine folds every line break with its white space", () => {
  assert.equal(
    oneLine("diverged at step 3\nbadly"),
    "diverged at step 3 badly",
  );
  assert.equal(oneLine("p\r\nq"), "p q");
  assert.equal(oneLine("a \n\n b"), "a b");
  assert.equal(oneLine("no break"), "no break");
  assert.equal(oneLine("lone\rcarriage"), "lone carriage");
});
