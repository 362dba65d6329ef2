import assert from "node:assert/strict";
import { mapRunHtml } from "./maps_html.ts";
import { summarizeMap } from "./maps.ts";
import { coinMap } from "../../fixtures/fake_map_claims.ts";

Deno.test("mapRunHtml", () => {
  const summary = summarizeMap(coinMap, { claim: "M1", records: [] });
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg"><clipPath id="c"/><g clip-path="url(#c)"/><text>x &lt; 1</text></svg>';
  const page = mapRunHtml({
    summaries: [summary],
    info: {
      seed: 3,
      profile: "map",
      backend: "cpu",
      trials: 2,
      shard: { index: 1, count: 2 },
      claims: [{
        id: "M1",
        title: "coin <b>",
        statement: "s",
        constants: {},
        hypotheses: ["p ≥ 0.5"],
      }],
    },
    figures: {
      M1_p_s: [{ file: "maps/M1_p_s_u.svg", caption: "draw", svg }],
    },
    files: ["summary.md", "maps/M1_p_s.csv"],
  });
  assert.ok(page.startsWith("<!DOCTYPE html>"));
  assert.match(page, /<title>Regime maps — seed 3<\/title>/);
  assert.match(page, /<dd>2 per cell \(override\)<\/dd>/);
  assert.match(page, /<dd>1\/2<\/dd>/);
  assert.match(page, /<a href="#map-M1_p_s">M1_p_s<\/a>/);
  assert.match(page, /<section class="map" id="map-M1_p_s">/);
  assert.match(page, /<dd>p ≥ 0\.5<\/dd>/);
  assert.match(page, /<li>s = 1: pass rate never below 0\.8/);
  // Figures inlined with prefixed ids, no network.
  assert.match(page, /id="map0-0-c"/);
  assert.match(page, /url\(#map0-0-c\)/);
  assert.ok(!/src="http|href="http/.test(page));
  assert.match(page, /coin &lt;b&gt;/);
  assert.match(page, /<a href="maps\/M1_p_s\.csv">/);
});
