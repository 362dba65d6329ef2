import assert from "node:assert/strict";
import { assertClose } from "../../fixtures/assert_close.ts";
import { mean, median, quantile } from "./descriptive.ts";

Deno.test("mean, median, quantile", async (t) => {
  const data = [3, 1, 4, 1, 5, 9, 2, 6];
  await t.step("type-7 quantiles", () => {
    assert.equal(quantile(data, 0), 1);
    assert.equal(quantile(data, 1), 9);
    assert.equal(quantile(data, 0.25), 1.75);
    assertClose(quantile(data, 0.1), 1, 1e-15);
    assertClose(quantile(data, 0.9), 6.9, 1e-12);
    assert.equal(median(data), 3.5);
    assert.equal(median(new Float64Array([7, 1, 4])), 4);
    assert.equal(quantile([42], 0.3), 42);
  });
  await t.step("does not reorder its input", () => {
    const copy = [...data];
    quantile(copy, 0.5);
    assert.deepEqual(copy, data);
  });
  await t.step("mean", () => {
    assert.equal(mean(data), 31 / 8);
    assert.equal(mean(new Float64Array([2, 4])), 3);
  });
  await t.step("empty and NaN input", () => {
    assert.ok(Number.isNaN(median([])));
    assert.ok(Number.isNaN(quantile([], 0.2)));
    assert.ok(Number.isNaN(mean([])));
    assert.ok(Number.isNaN(median([1, NaN, 3])));
    assert.throws(() => quantile(data, 1.5), RangeError);
  });
});
