import assert from "node:assert/strict";
import {
  collectProvenance,
  finishedProvenance,
  gitState,
  PROVENANCE_FILE,
  readProvenance,
  resumedProvenance,
  writeProvenance,
} from "./provenance.ts";

Deno.test("collectProvenance records the code, the tools and the machine", async () => {
  const started = new Date("2026-01-02T03:04:05Z");
  const p = await collectProvenance({
    kind: "run",
    backend: "cpu",
    workers: 2,
    started,
  });
  assert.equal(p.kind, "run");
  assert.equal(p.status, "running");
  assert.equal(p.started, "2026-01-02T03:04:05.000Z");
  assert.equal(p.finished, null);
  assert.deepEqual(p.deno, { ...Deno.version });
  assert.match(p.tfjs ?? "", /^\d+\.\d+\.\d+/);
  assert.ok(p.command.length >= 1);
  assert.equal(p.permissions.read, "granted");
  assert.equal(
    p.permissions.net,
    "prompt",
    "the tests run without --allow-net",
  );
  assert.ok(p.cpu.model !== null, "os.cpus() with --allow-sys");
  assert.ok(p.cpu.cores >= 1);
  assert.equal(p.cpu.target, Deno.build.target);
  assert.match(p.denoLockSha256 ?? "", /^[0-9a-f]{64}$/);
  assert.equal(p.backend, "cpu");
  assert.match(p.backendDetails ?? "", /^cpu \(/);
  assert.equal(p.workers, 2);
  if (p.openblas !== null) {
    assert.match(p.openblas.config, /OpenBLAS/);
    assert.match(p.openblas.version ?? "", /^\d+\.\d+/);
    assert.match(p.openblas.corename, /^\w+$/);
  }
  // This test runs with --allow-run inside the suite's git checkout (when
  // git is installed): the commit is a hash and the dirty flag a boolean.
  if (p.git.commit !== null) {
    assert.match(p.git.commit, /^[0-9a-f]{40,64}$/);
    assert.equal(typeof p.git.dirty, "boolean");
  }
  const auto = await collectProvenance({
    kind: "merge",
    backend: "auto",
    workers: null,
  });
  assert.equal(auto.backendDetails, null);
});

Deno.test("without git, or outside a checkout, the git state is null", async () => {
  const root = new URL("../../", import.meta.url);
  assert.deepEqual(await gitState(root, { git: "no-such-git-binary" }), {
    commit: null,
    dirty: null,
  });
  const dir = await Deno.makeTempDir();
  try {
    const outside = new URL(`file://${dir}/`);
    assert.deepEqual(await gitState(outside), { commit: null, dirty: null });
    const p = await collectProvenance({
      kind: "run",
      backend: "cpu",
      workers: 1,
      root: outside,
      git: "no-such-git-binary",
    });
    assert.deepEqual(p.git, { commit: null, dirty: null });
    assert.equal(p.denoLockSha256, null, "no deno.lock there");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("provenance.json is written atomically, finished, and resumed sessions kept", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(await readProvenance(dir), null);
    const first = await collectProvenance({
      kind: "run",
      backend: "cpu",
      workers: 1,
    });
    await writeProvenance(dir, first);
    assert.deepEqual(await readProvenance(dir), first);
    const done = finishedProvenance(first, {
      finished: new Date(Date.parse(first.started) + 1500),
      elapsedSeconds: 1.5,
    });
    await writeProvenance(dir, done);
    assert.equal((await readProvenance(dir))?.status, "finished");
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name),
      [PROVENANCE_FILE],
      "no temporary file is left",
    );
    const second = resumedProvenance(first, done);
    const third = resumedProvenance(first, second);
    assert.deepEqual(third.previous?.map((p) => p.status), [
      "finished",
      "running",
    ]);
    assert.equal(third.previous?.[1].previous, undefined);
    assert.equal(resumedProvenance(first, null), first);
    await Deno.writeTextFile(`${dir}/${PROVENANCE_FILE}`, "[1, 2");
    assert.equal(await readProvenance(dir), null, "a broken file is ignored");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
