import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import { fakeWorkerModule } from "../../fixtures/run_options.ts";
import { RunConflictError } from "./errors.ts";
import { SchemaVersionError } from "./manifest.ts";
import { mergeShardTrials } from "./merge.ts";
import { readProvenance } from "./provenance.ts";
import { runTrials } from "./run.ts";

Deno.test("mergeShardTrials merges trial files, run.json and timing.csv", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const common = {
      claims: fakeClaims,
      profile: "ci" as const,
      seed: 5,
      trials: 2,
      resume: false,
      workers: 1,
      workerModule: fakeWorkerModule,
      backend: "cpu",
    };
    await runTrials({ ...common, out: `${dir}/single` });
    for (const index of [1, 2]) {
      await runTrials({
        ...common,
        out: `${dir}/s${index}`,
        shard: { index, count: 2 },
      });
    }
    const merged = await mergeShardTrials(
      [`${dir}/s2`, `${dir}/s1`],
      `${dir}/m`,
      { claims: fakeClaims },
    );
    assert.deepEqual(merged.dirs, [`${dir}/s1`, `${dir}/s2`]);
    assert.equal(merged.records.length, 8);
    assert.equal(merged.manifest.shard, null);
    for (const f of ["run.json", "trials/F1.csv", "trials/F2.csv"]) {
      assert.equal(
        await Deno.readTextFile(`${dir}/m/${f}`),
        await Deno.readTextFile(`${dir}/single/${f}`),
        f,
      );
    }
    const names = [...Deno.readDirSync(`${dir}/m`)].map((e) => e.name).sort();
    assert.deepEqual(names, [
      "provenance.json",
      "run.json",
      "timing.csv",
      "trials",
    ]);
    const provenance = await readProvenance(`${dir}/m`);
    assert.equal(provenance?.kind, "merge");
    assert.equal(provenance?.status, "finished");
    assert.deepEqual(provenance?.shards?.map((s) => s.dir), [
      `${dir}/s1`,
      `${dir}/s2`,
    ]);
    assert.deepEqual(
      provenance?.shards?.map((s) => s.provenance?.kind),
      ["run", "run"],
      "each shard's provenance is kept",
    );

    const legacy = `${dir}/s2/run.json`;
    const manifest = JSON.parse(await Deno.readTextFile(legacy));
    await Deno.writeTextFile(
      legacy,
      JSON.stringify({ ...manifest, schema_version: 1 }),
    );
    await assert.rejects(
      () =>
        mergeShardTrials([`${dir}/s1`, `${dir}/s2`], `${dir}/m3`, {
          claims: fakeClaims,
        }),
      (e) =>
        e instanceof SchemaVersionError && e.found === 1 &&
        e.message.startsWith(`${legacy} has schema_version 1`),
    );
    await Deno.writeTextFile(legacy, JSON.stringify(manifest));

    const f1 = `${dir}/s1/trials/F1.csv`;
    const lines = (await Deno.readTextFile(f1)).split("\n");
    await Deno.writeTextFile(f1, lines.slice(0, -2).join("\n") + "\n");
    await assert.rejects(
      () =>
        mergeShardTrials([`${dir}/s1`, `${dir}/s2`], `${dir}/m2`, {
          claims: fakeClaims,
        }),
      (e) =>
        e instanceof RunConflictError && e.kind === "incomplete-shard" &&
        e.dir === `${dir}/s1` && /is incomplete: 1 trial\(s\) missing/.test(
          e.message,
        ) && !/--/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
