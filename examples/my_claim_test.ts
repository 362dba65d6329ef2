import assert from "node:assert/strict";
import { capture } from "../fixtures/capture_io.ts";
import { claimsMain } from "../src/cli/claims.ts";
import { claims, separation } from "./my_claim.ts";

Deno.test("the example claim runs through deno task claims --claims-module, on workers", async () => {
  const out = await Deno.makeTempDir();
  try {
    const io = capture();
    const code = await claimsMain(
      [
        "--claims-module",
        new URL("./my_claim.ts", import.meta.url).pathname,
        "--workers",
        "2",
        "--out",
        out,
      ],
      io,
      { progress: { write: () => {}, terminal: false } },
    );
    assert.equal(code, 0, [...io.stdout, ...io.stderr].join("\n"));
    const summary = JSON.parse(await Deno.readTextFile(`${out}/summary.json`));
    assert.deepEqual(
      summary.rows.map((r: { check: string; verdict: string }) =>
        `${r.check} ${r.verdict}`
      ),
      ["separates holds", "control_overlapping_clusters fails"],
    );
    // Its prediction, against the measured training error.
    assert.deepEqual(
      summary.deviations.map((d: { name: string; predicted: number }) =>
        `${d.name} ${d.predicted}`
      ),
      ["training_error 0"],
    );
    assert.equal(summary.deviations[0].measured, 0);
    for (const file of ["index.html", "failures.md", "provenance.json"]) {
      await Deno.stat(`${out}/${file}`);
    }
    assert.match(
      await Deno.readTextFile(`${out}/index.html`),
      /<h2>X1 — Two clusters are separated<\/h2>/,
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("the example module exports its one claim", () => {
  assert.deepEqual(claims, [separation]);
  assert.deepEqual(
    separation.configs("ci").map((c) => c.checks.map((k) => k.expect)),
    [["holds"], ["fails"]],
  );
});
