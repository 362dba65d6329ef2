import assert from "node:assert/strict";
import { claims as fakeClaims } from "../../fixtures/fake_claims.ts";
import {
  DETERMINISTIC_FILES,
  fakeRunOptions,
} from "../../fixtures/run_options.ts";
import { mergeShards, runClaims, type RunOptions } from "./pipeline.ts";
import { RunConflictError } from "../runner/errors.ts";
import { UsageError } from "../base/usage_error.ts";

const FILES = DETERMINISTIC_FILES;

function options(out: string, extra: Partial<RunOptions> = {}): RunOptions {
  return fakeRunOptions(out, { seed: 3, ...extra });
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyDir(`${from}/${e.name}`, `${to}/${e.name}`);
    else await Deno.copyFile(`${from}/${e.name}`, `${to}/${e.name}`);
  }
}

function rejectsWith(pattern: RegExp) {
  return (e: unknown) => e instanceof UsageError && pattern.test(e.message);
}

Deno.test("mergeShards", async (t) => {
  const dir = await Deno.makeTempDir();
  const single = `${dir}/single`;
  const shards = [1, 2, 3].map((i) => `${dir}/shard${i}`);
  try {
    await runClaims(options(single));
    for (let i = 0; i < 3; i++) {
      await runClaims(options(shards[i], {
        shard: { index: i + 1, count: 3 },
        workers: i === 1 ? 2 : 1,
      }));
    }

    await t.step(
      "3 shards merged are byte-identical to a single run",
      async () => {
        const out = `${dir}/merged`;
        // Order of the directories does not matter.
        const outcome = await mergeShards(
          [shards[2], shards[0], shards[1]],
          out,
          { claims: fakeClaims },
        );
        for (const f of FILES) {
          assert.equal(
            await Deno.readTextFile(`${out}/${f}`),
            await Deno.readTextFile(`${single}/${f}`),
            f,
          );
        }
        const timing = (await Deno.readTextFile(`${out}/timing.csv`)).trim()
          .split("\n");
        assert.equal(timing.length, 28);
        const md = await Deno.readTextFile(`${out}/summary.md`);
        assert.ok(md.includes("- merged from: 3 shard(s)"));
        assert.equal(outcome.rows.length, 3);
        // Merging again into the same directory is fine (same run).
        await mergeShards(shards, out, {
          claims: fakeClaims,
          formats: ["csv"],
        });
        // The merged directory is a complete run: resuming it runs nothing.
        let ran = 0;
        await runClaims(
          options(out, { resume: true, onProgress: () => ran++ }),
        );
        assert.equal(ran, 0);
        assert.equal(
          await Deno.readTextFile(`${out}/summary.csv`),
          await Deno.readTextFile(`${single}/summary.csv`),
        );
      },
    );

    await t.step(
      "missing, duplicate and foreign shards are refused",
      async () => {
        const out = `${dir}/bad-merge`;
        await assert.rejects(
          () => mergeShards(shards.slice(0, 2), out, { claims: fakeClaims }),
          rejectsWith(/missing shard\(s\) 3\/3/),
        );
        await assert.rejects(
          () =>
            mergeShards([shards[0], shards[1], shards[1]], out, {
              claims: fakeClaims,
            }),
          rejectsWith(/shard 2\/3 given twice/),
        );
        await assert.rejects(
          () => mergeShards([], out, { claims: fakeClaims }),
          rejectsWith(/no shard directories/),
        );
        await assert.rejects(
          () => mergeShards([single, ...shards], out, { claims: fakeClaims }),
          rejectsWith(/unsharded run/),
        );
        await assert.rejects(
          () => mergeShards([`${dir}/nowhere`], out, { claims: fakeClaims }),
          rejectsWith(/run\.json not found/),
        );
        const other = `${dir}/other-seed`;
        await runClaims(
          options(other, { seed: 4, shard: { index: 3, count: 3 } }),
        );
        await assert.rejects(
          () =>
            mergeShards([shards[0], shards[1], other], out, {
              claims: fakeClaims,
            }),
          rejectsWith(/different run.*seed/),
        );
        const two = `${dir}/of-two`;
        await runClaims(options(two, { shard: { index: 2, count: 2 } }));
        await assert.rejects(
          () =>
            mergeShards([shards[0], two, shards[2]], out, {
              claims: fakeClaims,
            }),
          rejectsWith(/different run.*plan|shard counts differ/),
        );
        await assert.rejects(
          () => mergeShards(shards, out, { claims: fakeClaims.slice(1) }),
          rejectsWith(/claim F1 .* not a known claim/),
        );
        const changed = fakeClaims.map((c) => ({ ...c, configs: c.configs }));
        changed[1] = { ...changed[1], constants: { errorRate: 0.5 } };
        await assert.rejects(
          () => mergeShards(shards, out, { claims: changed }),
          rejectsWith(/claims changed/),
        );
      },
    );

    await t.step("corrupt or incomplete shard files are refused", async () => {
      const out = `${dir}/bad-merge2`;
      const broken = `${dir}/broken`;
      const cases: [string, (text: string) => string, RegExp][] = [
        ["truncated", (text) => text.slice(0, -3), /truncated/],
        [
          "row removed",
          (text) => text.split("\n").slice(0, -2).join("\n") + "\n",
          /incomplete/,
        ],
        [
          "garbage",
          () => "not,a,trial,file\n1,2,3,4\n",
          /header does not start/,
        ],
        [
          "bad cell",
          (text) => text.replace(",ok,", ",okay,"),
          /unknown status/,
        ],
        [
          "foreign row",
          (text) =>
            text +
            text.split("\n")[1].replace(
              /^F1,([^,]*|"[^"]*"),\d+,/,
              "F1,$1,99,",
            ) +
            "\n",
          /does not belong to shard/,
        ],
      ];
      for (const [name, edit, pattern] of cases) {
        await Deno.remove(broken, { recursive: true }).catch(() => {});
        await copyDir(shards[1], broken);
        const path = `${broken}/trials/F1.csv`;
        await Deno.writeTextFile(path, edit(await Deno.readTextFile(path)));
        await assert.rejects(
          () =>
            mergeShards([shards[0], broken, shards[2]], out, {
              claims: fakeClaims,
            }),
          rejectsWith(pattern),
          name,
        );
      }
      await Deno.remove(broken, { recursive: true });
      await copyDir(shards[1], broken);
      await Deno.writeTextFile(`${broken}/run.json`, "{ not json");
      await assert.rejects(
        () =>
          mergeShards([shards[0], broken, shards[2]], out, {
            claims: fakeClaims,
          }),
        rejectsWith(/not valid JSON/),
      );
      await Deno.writeTextFile(`${broken}/run.json`, '{"format": 99}');
      await assert.rejects(
        () =>
          mergeShards([shards[0], broken, shards[2]], out, {
            claims: fakeClaims,
          }),
        rejectsWith(/not a run\.json/),
      );
    });

    await t.step(
      "refuses an output directory holding a different run",
      async () => {
        const out = `${dir}/occupied`;
        await runClaims(options(out, { seed: 99 }));
        await assert.rejects(
          () => mergeShards(shards, out, { claims: fakeClaims }),
          (e) =>
            e instanceof RunConflictError &&
            e.kind === "merge-target-taken" &&
            e.message === `merge: ${out} holds a different run`,
        );
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
