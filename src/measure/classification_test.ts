import assert from "node:assert/strict";
import { initBackend } from "../backend/backends.ts";
import { classificationError } from "./classification.ts";

await initBackend("cpu");

Deno.test("classificationError counts y·N ≤ 0 as an error", () => {
  // N(x) = relu(x1) - relu(-x1) = x1.
  const weights = {
    d: 2,
    m: 2,
    w: new Float32Array([1, 0, -1, 0]),
    b: new Float32Array([0, 0]),
    v: new Float32Array([1, -1]),
  };
  const sample = {
    n: 4,
    d: 2,
    x: new Float32Array([1, 9, -2, 0, 0, 1, 3, 3]),
    y: new Float32Array([1, -1, 1, -1]),
    cluster: new Int32Array(4),
  };
  // Points 0 and 1 are right; point 2 sits on the boundary (N = 0), point 3
  // is on the wrong side.
  assert.equal(classificationError(weights, sample), 0.5);
});

Deno.test("classificationError honours the power", () => {
  // N(x) = relu(x1)² − 2 relu(x2)²: at (3, 2) N = 1 > 0 but relu would give
  // 3 − 4 < 0.
  const weights = {
    d: 2,
    m: 2,
    w: new Float32Array([1, 0, 0, 1]),
    b: new Float32Array([0, 0]),
    v: new Float32Array([1, -2]),
  };
  const sample = {
    n: 1,
    d: 2,
    x: new Float32Array([3, 2]),
    y: new Float32Array([1]),
    cluster: new Int32Array(1),
  };
  assert.equal(classificationError(weights, sample), 1);
  assert.equal(classificationError({ ...weights, power: 2 }, sample), 0);
});
