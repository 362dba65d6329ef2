import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { claims as mapClaims } from "../../fixtures/fake_map_claims.ts";
import { checkSvg } from "../../fixtures/svg_check.ts";
import { mergeShards, runClaims, type RunOptions } from "./pipeline.ts";

const moduleUrl = new URL("../../fixtures/fake_map_claims.ts", import.meta.url);

/** The run options of a map run of the fake mapped coin. */
function options(out: string, extra: Partial<RunOptions> = {}): RunOptions {
  return {
    claims: mapClaims,
    profile: "map",
    seed: 5,
    out,
    resume: false,
    workers: 1,
    workerModule: moduleUrl,
    backend: "cpu",
    formats: ["csv", "md", "json", "html"],
    ...extra,
  };
}

/** The files of a map run that depend only on its records. */
const MAP_FILES = [
  "run.json",
  "trials/M1.csv",
  "maps/M1_p_s.csv",
  "summary.json",
  "maps/M1_p_s_u.svg",
  "maps/M1_p_s_pass_rate.svg",
  "index.html",
];

/** Whether a file exists. */
async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("a map run of a tiny grid", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/run`;
    const outcome = await runClaims(options(out));

    await t.step("one configuration per cell, the trials of each", async () => {
      const run = JSON.parse(await Deno.readTextFile(`${out}/run.json`));
      assert.equal(run.profile, "map");
      const keys = run.claims[0].configs.map((c: { key: string }) => c.key);
      assert.equal(keys.length, 6);
      assert.ok(keys.every((k: string) => k.startsWith("map:M1_p_s:")));
      assert.ok(
        !keys.includes("p=0.9"),
        "the claim's own configuration is not run",
      );
    });

    await t.step("no verdicts: no rows, no family, exit-code ok", () => {
      assert.deepEqual(outcome.rows, []);
      assert.equal(outcome.allOk, true);
      assert.equal(outcome.maps?.length, 1);
      assert.equal(outcome.maps![0].cells.length, 6);
    });

    await t.step("the map's CSV: a row per cell", async () => {
      const rows = parse(await Deno.readTextFile(`${out}/maps/M1_p_s.csv`), {
        columns: true,
      }) as Record<string, string>[];
      assert.equal(rows.length, 6);
      assert.deepEqual(rows.map((r) => r.p), [
        "0.05",
        "0.5",
        "0.95",
        "0.05",
        "0.5",
        "0.95",
      ]);
      assert.ok(rows.every((r) => r.trials === "4"));
      assert.deepEqual(rows.map((r) => r.ok_trials), [
        "4",
        "4",
        "4",
        "3",
        "3",
        "3",
      ]);
      assert.deepEqual(rows.map((r) => r.hypothesis_holds), [
        "false",
        "true",
        "true",
        "false",
        "true",
        "true",
      ]);
    });

    await t.step("heatmaps, summary.md, summary.json, index.html", async () => {
      checkSvg(
        await Deno.readTextFile(`${out}/maps/M1_p_s_u.svg`),
        "M1: uniform draw",
      );
      checkSvg(
        await Deno.readTextFile(`${out}/maps/M1_p_s_pass_rate.svg`),
        "M1: pass rate of heads",
      );
      const md = await Deno.readTextFile(`${out}/summary.md`);
      assert.ok(md.startsWith("# Regime maps"));
      assert.match(md, /## M1: heads as the bias falls/);
      assert.match(md, /Hypothesis boundary: p ≥ 0\.5/);
      assert.match(md, /!\[.*\]\(maps\/M1_p_s_pass_rate\.svg\)/);
      assert.match(md, /\[maps\/M1_p_s\.csv\]\(maps\/M1_p_s\.csv\)/);
      assert.match(md, /- s = 1: pass rate/);
      const json = JSON.parse(await Deno.readTextFile(`${out}/summary.json`));
      assert.equal(json.kind, "regime-maps");
      assert.equal(json.maps[0].cells.length, 6);
      assert.equal(json.maps[0].hypothesis.statement, "p ≥ 0.5");
      assert.equal(json.rows, undefined);
      const html = await Deno.readTextFile(`${out}/index.html`);
      assert.match(html, /<section class="map" id="map-M1_p_s">/);
      assert.match(html, /<svg/);
      assert.match(html, /href="maps\/M1_p_s\.csv"/);
    });

    await t.step("no summary.csv and no failures.md", async () => {
      assert.equal(await exists(`${out}/summary.csv`), false);
      assert.equal(await exists(`${out}/failures.md`), false);
    });

    await t.step(
      "a resumed run and two workers give the same files",
      async () => {
        const other = `${dir}/other`;
        await runClaims(options(other, { workers: 2 }));
        await runClaims(options(other, { resume: true }));
        for (const f of MAP_FILES) {
          assert.equal(
            await Deno.readTextFile(`${other}/${f}`),
            await Deno.readTextFile(`${out}/${f}`),
            f,
          );
        }
      },
    );

    await t.step("two shards merged give the same files", async () => {
      const shards = [1, 2].map((i) => `${dir}/shard${i}`);
      for (const [i, shard] of shards.entries()) {
        await runClaims(
          options(shard, { shard: { index: i + 1, count: 2 } }),
        );
      }
      const merged = `${dir}/merged`;
      const outcome = await mergeShards(shards, merged, { claims: mapClaims });
      assert.equal(outcome.maps?.length, 1);
      for (const f of MAP_FILES.filter((f) => f !== "index.html")) {
        assert.equal(
          await Deno.readTextFile(`${merged}/${f}`),
          await Deno.readTextFile(`${out}/${f}`),
          f,
        );
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
