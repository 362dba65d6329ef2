import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { RunConflictError, type RunNotice } from "./errors.ts";
import {
  manifestDifferences,
  manifestOf,
  manifestText,
  prepareOutDir,
  readManifest,
  SCHEMA_VERSION,
  SchemaVersionError,
} from "./manifest.ts";
import { planRun } from "./plan.ts";
import { UsageError } from "../base/usage_error.ts";

const params = {
  seed: 7,
  profile: "ci" as const,
  backend: "cpu",
  trials: null,
  shard: { index: 2, count: 3 },
};
const plan = planRun(fakeClaims, { profile: "ci", seed: 7 });
const manifest = manifestOf(plan, params);

Deno.test("manifestOf records the run and the plan size", () => {
  assert.equal(manifest.schema_version, SCHEMA_VERSION);
  assert.deepEqual(manifest.plan, { total: 27, inShard: 9 });
  assert.deepEqual(manifest.claims.map((c) => c.id), ["F1", "F2"]);
  assert.deepEqual(manifest.claims[1].configs, [
    { key: "n=1", trials: 6 },
    { key: "n=2", trials: 6 },
  ]);
  assert.ok(manifestText(manifest).endsWith("}\n"));
  const whole = manifestOf(plan, { ...params, shard: null });
  assert.deepEqual(manifestDifferences(manifest, whole), ["shard", "plan"]);
  assert.deepEqual(
    manifestDifferences(manifest, whole, { ignoreShard: true }),
    [],
  );
});

Deno.test("readManifest reads back run.json and refuses anything else", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(await readManifest(dir), null);
    await Deno.writeTextFile(`${dir}/run.json`, manifestText(manifest));
    assert.deepEqual(await readManifest(dir), manifest);
    for (
      const [text, pattern] of [
        ["{ nope", /run\.json is not valid JSON/],
        ['{"format": 99}', /is not a run\.json of this suite/],
        [
          JSON.stringify({ ...manifest, shard: { index: 4, count: 3 } }),
          /is not a run\.json/,
        ],
      ] as const
    ) {
      await Deno.writeTextFile(`${dir}/run.json`, text);
      await assert.rejects(
        () => readManifest(dir),
        (e) => e instanceof UsageError && pattern.test(e.message),
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("prepareOutDir refuses other runs and moves old trials aside", async () => {
  const dir = await Deno.makeTempDir();
  const notices: RunNotice[] = [];
  const notify = (n: RunNotice) => notices.push(n);
  try {
    await Deno.mkdir(`${dir}/trials`);
    await Deno.writeTextFile(`${dir}/trials/F1.csv`, "header\nrow\n");
    await assert.rejects(
      () => prepareOutDir(dir, { manifest, resume: false, notify }),
      (e) =>
        e instanceof RunConflictError && e.kind === "trials-without-manifest",
    );
    await Deno.writeTextFile(`${dir}/run.json`, manifestText(manifest));
    await prepareOutDir(dir, { manifest, resume: true, notify });
    assert.equal(notices.length, 0, "resuming keeps the trials");
    await prepareOutDir(dir, { manifest, resume: false, notify });
    assert.equal(notices[0].kind, "moved-aside");
    assert.equal(
      await Deno.readTextFile(`${notices[0].path}/trials/F1.csv`),
      "header\nrow\n",
    );
    assert.deepEqual(await readManifest(dir), manifest);
    const other = manifestOf(plan, { ...params, seed: 8 });
    await assert.rejects(
      () => prepareOutDir(dir, { manifest: other, resume: true, notify }),
      (e) =>
        e instanceof RunConflictError && e.kind === "different-run" &&
        e.differences.join() === "seed",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a run.json of another schema_version cannot be resumed", async () => {
  const dir = await Deno.makeTempDir();
  const notify = () => {};
  try {
    const { schema_version: _, ...rest } = manifest;
    const legacy = { format: 1, ...rest };
    await Deno.writeTextFile(`${dir}/run.json`, JSON.stringify(legacy));
    for (const resume of [true, false]) {
      await assert.rejects(
        () => prepareOutDir(dir, { manifest, resume, notify }),
        (e) =>
          e instanceof SchemaVersionError && e.found === 1 &&
          /schema_version 1, but this code reads and writes schema_version 2/
            .test(e.message) &&
          /empty directory/.test(e.message),
      );
    }
    await Deno.writeTextFile(
      `${dir}/run.json`,
      JSON.stringify({ ...manifest, schema_version: 3 }),
    );
    await assert.rejects(
      () => readManifest(dir),
      (e) => e instanceof SchemaVersionError && e.found === 3,
    );
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/run.json`)), {
      ...manifest,
      schema_version: 3,
    }, "nothing is overwritten");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
