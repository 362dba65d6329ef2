import assert from "node:assert/strict";
import { capture } from "../../fixtures/capture_io.ts";
import {
  BLOCK_END,
  expectedReadme,
  readmeBlock,
  readmeMain,
  replaceBlock,
  verdictsBlock,
} from "./readme.ts";
import { UsageError } from "../base/usage_error.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("the README's generated blocks are the committed paper report's (deno task readme)", async () => {
  const { current, expected } = await expectedReadme(
    `${ROOT}README.md`,
    `${ROOT}reports/paper/summary.json`,
  );
  // On a failure: run `deno task readme` (and commit the README).
  assert.equal(current, expected);
});

Deno.test("replaceBlock needs one pair of markers in order", () => {
  const block = ["<!-- deviations:begin x -->", "b", BLOCK_END];
  for (
    const text of [
      "no markers",
      `${BLOCK_END}\n<!-- deviations:begin -->\n`,
      `<!-- deviations:begin -->\n${BLOCK_END}\n<!-- deviations:begin -->\n${BLOCK_END}`,
    ]
  ) {
    assert.throws(
      () => replaceBlock(text, block),
      (e: unknown) =>
        e instanceof UsageError && /exactly one line/.test(e.message),
      text,
    );
  }
  // Replacing twice gives the same text.
  const once = replaceBlock(
    `a\n<!-- deviations:begin -->\n${BLOCK_END}\nz`,
    block,
  );
  assert.equal(replaceBlock(once, block), once);
  assert.equal(once, `a\n${block.join("\n")}\nz`);
});

Deno.test("readmeMain writes the block, --check compares it, bad input exits 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const readme = `${dir}/README.md`;
    const summary = `${dir}/summary.json`;
    await Deno.writeTextFile(
      readme,
      `# R\n\n<!-- verdicts:begin -->\nold\n<!-- verdicts:end -->\n\n` +
        `<!-- deviations:begin -->\nstale\n${BLOCK_END}\n\nend\n`,
    );
    const row = {
      claim: "C4",
      check: "flips_within_C",
      expect: "holds",
      trials: 32,
      passed: 31,
      ciLow: 0.84,
      ciHigh: 0.999,
      verdict: "holds",
      pAdjusted: 0.002,
      adjustedVerdict: "holds",
      okAdjusted: true,
    };
    const family = { checks: 1, assessments: 0 };
    await Deno.writeTextFile(
      summary,
      JSON.stringify({ format: 3, deviations: [], rows: [row], family }),
    );
    const run = async (...args: string[]) => {
      const io = capture();
      const code = await readmeMain(
        ["--readme", readme, "--summary", summary, ...args],
        io,
      );
      return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
    };
    const stale = await run("--check");
    assert.equal(stale.code, 1);
    assert.match(
      stale.err,
      /differs from .*summary\.json: run deno task readme/,
    );
    assert.match(
      await Deno.readTextFile(readme),
      /stale/,
      "--check writes nothing",
    );
    const written = await run();
    assert.equal(written.code, 0, written.err);
    assert.match(written.out, /generated blocks written/);
    const text = await Deno.readTextFile(readme);
    const verdicts = verdictsBlock({ lines: [row], ...family });
    assert.equal(
      text,
      `# R\n\n${verdicts.join("\n")}\n\n${readmeBlock([]).join("\n")}\n\nend\n`,
    );
    assert.match(text, /\| C4 \| flips_within_C \| holds \| 32 \| 31 \|/);
    assert.equal((await run("--check")).code, 0);
    assert.match((await run()).out, /already up to date/);
    // A summary without deviations (before format 3), or not JSON, or none.
    await Deno.writeTextFile(summary, JSON.stringify({ format: 2 }));
    const old = await run();
    assert.equal(old.code, 2);
    assert.match(old.err, /has no deviations/);
    await Deno.writeTextFile(
      summary,
      JSON.stringify({
        deviations: [],
        rows: [{ ...row, passed: "31" }],
        family,
      }),
    );
    assert.match((await run()).err, /rows\[0\]\.passed is not a number/);
    await Deno.writeTextFile(
      readme,
      `# R\n\n<!-- deviations:begin -->\n${BLOCK_END}\n`,
    );
    await Deno.writeTextFile(
      summary,
      JSON.stringify({ deviations: [], rows: [row], family }),
    );
    assert.match(
      (await run()).err,
      /exactly one line starting with "<!-- verdicts:begin"/,
    );
    await Deno.writeTextFile(summary, "{");
    assert.match((await run()).err, /not valid JSON/);
    await Deno.remove(summary);
    assert.match((await run()).err, /cannot read the summary/);
    assert.equal(await readmeMain(["extra"], capture()), 2);
    const help = capture();
    assert.equal(await readmeMain(["--help"], help), 0);
    assert.match(help.stdout[0], /^usage: deno task readme/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
