import assert from "node:assert/strict";
import {
  mapCsvFile,
  MAPS_LEGEND,
  mapSummaryMarkdown,
  relationCounts,
} from "./maps_md.ts";
import { summarizeMap } from "./maps.ts";
import { mapCellKey } from "../claims/regime_map.ts";
import { coinMap } from "../../fixtures/fake_map_claims.ts";
import type { TrialRecord } from "../claims/types.ts";

/** Records of the fixture map: every trial of cell (p, s) passes when p ≥ 0.5. */
function records(): TrialRecord[] {
  return coinMap.y.values.flatMap((s) =>
    coinMap.x.values.flatMap((p) =>
      Array.from({ length: 4 }, (_, trial) => ({
        task: {
          claim: "M1",
          config: mapCellKey(coinMap, { x: p, y: s }),
          trial,
          seed: trial,
        },
        result: {
          status: "ok" as const,
          reason: "",
          checks: { heads: p >= 0.5 },
          values: { u: p / 2 },
        },
      }))
    )
  );
}

const info = {
  seed: 7,
  profile: "map" as const,
  backend: "cpu",
  trials: null,
  shard: null,
  claims: [{
    id: "M1",
    title: "Fake mapped coin",
    statement: "A biased coin.",
    constants: {},
    hypotheses: ["p ≥ 0.5"],
  }],
};

Deno.test("mapSummaryMarkdown", async (t) => {
  const summary = summarizeMap(coinMap, { claim: "M1", records: records() });
  const md = mapSummaryMarkdown([summary], info, {
    figures: {
      M1_p_s: [{ file: "maps/M1_p_s_u.svg", caption: "the draw [median]" }],
    },
    figureErrors: { M1_p_s: ["vega | failed"] },
  });
  await t.step("legend, overview line, no verdict words", () => {
    assert.ok(md.startsWith("# Regime maps\n"));
    for (const line of MAPS_LEGEND) assert.ok(md.includes(line));
    assert.match(
      md,
      /\| M1_p_s \| M1 \| heads \| p ≥ 0\.5 \| breaks where its hypothesis does \(at the grid's resolution\) on 2 rows \|/,
    );
    assert.ok(!/\bholds\b \| \d/.test(md));
  });
  await t.step(
    "the map's section: hypothesis, rows, grid, figures, CSV",
    () => {
      assert.match(md, /## M1: heads as the bias falls/);
      assert.match(md, /4 trials per cell/);
      assert.match(md, /- Its source: \[R\] a fixture\./);
      assert.match(
        md,
        /- s = 1: pass rate below 0\.8 from p = 0\.05 \(clearly from p = 0\.05\); hypothesis out from p = 0\.05 \(boundary 0\.5\)/,
      );
      assert.match(md, /\| s \\ p \| 0\.05 \| 0\.5 \| 0\.95 \|/);
      assert.match(
        md,
        /\| 2 \| 0\.025 · 0\/4 \| \*\*0\.25 · 4\/4\*\* \| \*\*0\.47 · 4\/4\*\* \|/,
      );
      assert.match(md, /!\[the draw \\\[median\\\]\]\(maps\/M1_p_s_u\.svg\)/);
      assert.match(md, /A heatmap failed: vega \\\| failed/);
      assert.ok(md.includes(`[${mapCsvFile("M1_p_s")}](maps/M1_p_s.csv)`));
    },
  );
  await t.step("run section and claims", () => {
    assert.match(md, /## Run\n\n- seed: 7\n- profile: map/);
    assert.match(md, /### M1: Fake mapped coin\n\nA biased coin\./);
  });
  await t.step("relation counts", () => {
    assert.equal(
      relationCounts(summary),
      "breaks where its hypothesis does (at the grid's resolution) on 2 rows",
    );
  });
});
