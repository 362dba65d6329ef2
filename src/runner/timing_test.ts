import assert from "node:assert/strict";
import {
  appendTiming,
  readTimings,
  timingLine,
  writeTimings,
} from "./timing.ts";

const task = (trial: number) => ({
  claim: "C1",
  config: "a,b",
  trial,
  seed: 5,
});

Deno.test("timing.csv: written in plan order, appended, read back leniently", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/timing.csv`;
  try {
    assert.deepEqual(await readTimings(path), []);
    const trials = [0, 1, 2].map((trial) => ({
      task: task(trial),
      index: trial,
    }));
    await writeTimings(path, {
      trials,
      timings: [{ task: task(2), ms: 3.04 }, { task: task(0), ms: 1 }],
    });
    assert.equal(
      await Deno.readTextFile(path),
      'claim,config,trial,ms\nC1,"a,b",0,1.0\nC1,"a,b",2,3.0\n',
    );
    appendTiming(path, { task: task(1), ms: 2.25 });
    await Deno.writeTextFile(path, "C1,x,zz,1\nC1,x,3", { append: true });
    const read = await readTimings(path);
    assert.deepEqual(
      read.map((t) => [t.task.trial, t.ms, t.task.seed]),
      [
        [0, 1],
        [2, 3],
        [1, 2.3],
      ].map(([trial, ms]) => [trial, ms, 0]),
    );
    assert.equal(timingLine({ task: task(4), ms: 0 }), 'C1,"a,b",4,0.0\n');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
