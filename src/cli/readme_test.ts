import assert from "node:assert/strict";
import { capture } from "../../fixtures/capture_io.ts";
import {
  BLOCK_END,
  expectedReadme,
  readmeBlock,
  readmeMain,
  replaceBlock,
} from "./readme.ts";
import { UsageError } from "../base/usage_error.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("the README's deviations block is the committed paper report's (deno task readme)", async () => {
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
      `# R\n\n<!-- deviations:begin -->\nstale\n${BLOCK_END}\n\nend\n`,
    );
    await Deno.writeTextFile(
      summary,
      JSON.stringify({ format: 3, deviations: [] }),
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
    assert.match(written.out, /deviations block written/);
    const text = await Deno.readTextFile(readme);
    assert.equal(
      text,
      `# R\n\n${readmeBlock([]).join("\n")}\n\nend\n`,
    );
    assert.equal((await run("--check")).code, 0);
    assert.match((await run()).out, /already up to date/);
    // A summary without deviations (before format 3), or not JSON, or none.
    await Deno.writeTextFile(summary, JSON.stringify({ format: 2 }));
    const old = await run();
    assert.equal(old.code, 2);
    assert.match(old.err, /has no deviations/);
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
