import assert from "node:assert/strict";
import { assertClose } from "../../fixtures/assert_close.ts";
import { Rng } from "../model/rng.ts";
import { binomialSample } from "./sampling.ts";

Deno.test("binomialSample", async (t) => {
  await t.step("degenerate rates", () => {
    const rng = new Rng(7n);
    assert.equal(binomialSample(rng, { trials: 25, p: 0 }), 0);
    assert.equal(binomialSample(rng, { trials: 25, p: 1 }), 25);
    assert.equal(binomialSample(rng, { trials: 0, p: 0.5 }), 0);
  });
  await t.step("mean matches n·p and seeds replay", () => {
    const rng = new Rng(11n);
    let total = 0;
    const draws = 2000;
    for (let i = 0; i < draws; i++) {
      total += binomialSample(rng, { trials: 10, p: 0.3 });
    }
    // sd of the mean = sqrt(10·0.3·0.7/2000) ≈ 0.032
    assertClose(total / draws, 3, 0.15);
    assert.equal(
      binomialSample(new Rng(5n), { trials: 40, p: 0.4 }),
      binomialSample(new Rng(5n), { trials: 40, p: 0.4 }),
    );
  });
  await t.step("validation", () => {
    assert.throws(
      () => binomialSample(new Rng(1n), { trials: -1, p: 0.5 }),
      RangeError,
    );
    assert.throws(
      () => binomialSample(new Rng(1n), { trials: 3, p: 1.5 }),
      RangeError,
    );
  });
});
