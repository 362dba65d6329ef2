import assert from "node:assert/strict";
import { Rng } from "../../model/rng.ts";
import { ATTACK_POINTS, attackSubset, pickPoints } from "./subset.ts";

Deno.test("attackSubset: distinct sorted indices, seeded, all when count ≥ n", () => {
  const picked = attackSubset(new Rng(1), {
    n: 1000,
    count: ATTACK_POINTS.paper,
  });
  assert.equal(picked.length, 256);
  assert.equal(new Set(picked).size, 256);
  assert.ok(
    picked.every((i, k) =>
      i >= 0 && i < 1000 && (k === 0 || picked[k - 1] < i)
    ),
  );
  assert.deepEqual(attackSubset(new Rng(1), { n: 1000, count: 256 }), picked);
  assert.notDeepEqual(
    attackSubset(new Rng(2), { n: 1000, count: 256 }),
    picked,
  );
  assert.deepEqual(attackSubset(new Rng(1), { n: 5, count: 5 }), [
    0,
    1,
    2,
    3,
    4,
  ]);
  assert.deepEqual(attackSubset(new Rng(1), { n: 5, count: 0 }), []);
  assert.throws(
    () => attackSubset(new Rng(1), { n: 5, count: -1 }),
    RangeError,
  );
});

Deno.test("attackSubset is uniform: every index about equally often", () => {
  const rng = new Rng(3);
  const counts = new Array(10).fill(0);
  for (let s = 0; s < 2000; s++) {
    for (const i of attackSubset(rng, { n: 10, count: 3 })) counts[i]++;
  }
  // 600 expected each; a binomial sd is about 20.
  for (const c of counts) assert.ok(Math.abs(c - 600) < 100, `${counts}`);
});

Deno.test("pickPoints copies the chosen rows and labels", () => {
  const points = {
    x: new Float32Array([1, 2, 3, 4, 5, 6]),
    y: new Float32Array([1, -1, 1]),
  };
  const picked = pickPoints(points, [1]);
  assert.deepEqual([...picked.x], [3, 4]);
  assert.deepEqual([...picked.y], [-1]);
  assert.throws(() => pickPoints(points, [3]), RangeError);
});
