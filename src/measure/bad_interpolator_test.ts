import assert from "node:assert/strict";
import { initBackend } from "../backend/backends.ts";
import { clusterModel, sampleClusters } from "../model/data.ts";
import { classificationError } from "../model/instance.ts";
import { Rng } from "../model/rng.ts";
import { badInterpolator } from "./bad_interpolator.ts";

await initBackend("cpu");

Deno.test("N_bad fits the training set and errs on fresh points", () => {
  const rng = new Rng(21);
  const model = clusterModel(rng, { d: 300, k: 6 });
  const train = sampleClusters(rng, model, 40);
  const test = sampleClusters(rng, model, 200);
  const bad = badInterpolator(model, train);
  assert.equal(bad.m, 42);
  assert.equal(classificationError(bad, train), 0);
  assert.ok(classificationError(bad, test) > 0.95);
});
