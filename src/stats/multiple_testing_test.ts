import assert from "node:assert/strict";
import { assertClose } from "../../fixtures/assert_close.ts";
import { holmAdjust } from "./multiple_testing.ts";

Deno.test("holmAdjust", async (t) => {
  await t.step("a worked example of five p-values", () => {
    // Sorted: 0.001 0.008 0.012 0.03 0.2 (m = 5), multipliers 5 4 3 2 1:
    // 0.005, 0.032, 0.036, 0.06, 0.2; running maxima are the same here.
    const p = [0.03, 0.001, 0.2, 0.012, 0.008];
    const adjusted = holmAdjust(p);
    [0.06, 0.005, 0.2, 0.036, 0.032].forEach((want, i) =>
      assertClose(adjusted[i], want, 1e-15, `p[${i}]`)
    );
    // At α = 0.05 Holm rejects the three smallest; Bonferroni (5·p) only 0.001.
    assert.deepEqual(adjusted.map((q) => q < 0.05), [
      false,
      true,
      false,
      true,
      true,
    ]);
  });
  await t.step("the running maximum keeps the order, capped at 1", () => {
    // Sorted 0.01, 0.011, 0.5: 0.03, max(0.03, 0.022) = 0.03, max(0.03, 0.5).
    const adjusted = holmAdjust([0.5, 0.011, 0.01]);
    assertClose(adjusted[0], 0.5, 1e-15);
    assertClose(adjusted[1], 0.03, 1e-15);
    assertClose(adjusted[2], 0.03, 1e-15);
    assert.deepEqual(holmAdjust([0.6, 0.7]), [1, 1]);
  });
  await t.step("one p-value is its own; none gives none", () => {
    assert.deepEqual(holmAdjust([0.04]), [0.04]);
    assert.deepEqual(holmAdjust([]), []);
  });
  await t.step("ties and bad values", () => {
    assert.deepEqual(holmAdjust([0.01, 0.01]), [0.02, 0.02]);
    assert.throws(() => holmAdjust([0.1, 1.5]), /pValues\[1\]/);
    assert.throws(() => holmAdjust([NaN]), RangeError);
  });
});
