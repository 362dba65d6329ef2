import assert from "node:assert/strict";
import {
  claimsWithMaps,
  configsFor,
  hypothesisHolds,
  mapCellKey,
  mapCells,
  mapProblems,
  regimeMapConfigs,
} from "./regime_map.ts";
import { claims } from "./registry.ts";
import type { ClaimSpec, RegimeMap } from "./types.ts";

const check = {
  name: "ok",
  description: "the trial passes",
  target: 0.8,
  expect: "holds" as const,
};

/** A small well-formed map. */
function tinyMap(overrides: Partial<RegimeMap> = {}): RegimeMap {
  return {
    name: "M",
    title: "t",
    relaxes: "r",
    x: {
      name: "c",
      label: "c",
      values: [0, 0.5],
      params: (c) => ({ correlation: c }),
    },
    y: { name: "d", label: "d", values: [40, 80], params: (d) => ({ d }) },
    params: { k: 4, d: 1 },
    check,
    quantities: [{ column: "q", label: "q" }],
    trials: 3,
    hypothesis: {
      axis: "x",
      relaxed: "up",
      at: () => 0.25,
      statement: "c ≤ 1/4",
      source: "[R]",
    },
    ...overrides,
  };
}

/** A claim with the given maps. */
function claimWith(maps: RegimeMap[] | undefined): ClaimSpec {
  return {
    id: "C0",
    title: "",
    statement: "",
    source: "",
    hypotheses: [],
    constants: {},
    configs: () => [{ key: "own", params: {}, checks: [check], trials: 1 }],
    runTrial: () => Promise.reject(new Error("not run")),
    ...(maps === undefined ? {} : { maps }),
  };
}

Deno.test("mapCells", async (t) => {
  await t.step("row by row, axis parameters over the map's, keyed", () => {
    const cells = mapCells(tinyMap());
    assert.deepEqual(cells.map((c) => [c.x, c.y]), [
      [0, 40],
      [0.5, 40],
      [0, 80],
      [0.5, 80],
    ]);
    const last = cells[3].config;
    assert.equal(last.key, "map:M:c=0.5,d=80");
    assert.deepEqual(last.params, { k: 4, d: 80, correlation: 0.5, c: 0.5 });
    assert.deepEqual(last.checks, [check]);
    assert.equal(last.trials, 3);
    assert.equal(mapCellKey(tinyMap(), { x: 0.5, y: 80 }), last.key);
  });
  await t.step("an axis setting its own name to another value throws", () => {
    const map = tinyMap({
      y: { name: "d", label: "d", values: [8], params: (r) => ({ d: 10 * r }) },
    });
    assert.throws(() => mapCells(map), /axis d sets parameter d to 80 at 8/);
  });
  await t.step("a malformed map throws with its problems", () => {
    assert.throws(() => mapCells(tinyMap({ trials: 0 })), /trials must be/);
  });
});

Deno.test("mapProblems", () => {
  assert.deepEqual(mapProblems(tinyMap()), []);
  assert.match(mapProblems(tinyMap({ name: "a/b" }))[0], /map name must be/);
  const axis = tinyMap().x;
  assert.deepEqual(
    mapProblems(
      tinyMap({
        x: { ...axis, values: [] },
        y: { ...axis, values: [1, NaN] },
        quantities: [{ column: "q", label: "" }, { column: "q", label: "" }],
        hypothesis: { ...tinyMap().hypothesis, axis: "z" as "x" },
      }),
    ),
    [
      "map M: x.values must be a non-empty array",
      "map M: y.values must be finite numbers",
      'map M: the two axes have the same name "c"',
      "map M: a quantity column is listed twice",
      'map M: hypothesis needs axis "x" or "y", relaxed "up" or "down" and at()',
    ],
  );
});

Deno.test("regimeMapConfigs and configsFor", async (t) => {
  await t.step("every cell of every map, names unique", () => {
    const two = [tinyMap(), tinyMap({ name: "N" })];
    assert.equal(regimeMapConfigs(two).length, 8);
    assert.throws(
      () => regimeMapConfigs([tinyMap(), tinyMap()]),
      /map M is declared twice/,
    );
  });
  await t.step("the map profile asks the maps, the others the claim", () => {
    const claim = claimWith([tinyMap()]);
    assert.deepEqual(configsFor(claim, "ci").map((c) => c.key), ["own"]);
    assert.deepEqual(configsFor(claim, "paper").map((c) => c.key), ["own"]);
    assert.equal(configsFor(claim, "map").length, 4);
    assert.deepEqual(configsFor(claimWith(undefined), "map"), []);
    assert.deepEqual(claimsWithMaps([claimWith([]), claim]), [claim]);
  });
});

Deno.test("hypothesisHolds", () => {
  const up = tinyMap();
  assert.equal(hypothesisHolds(up, { x: 0.25, y: 40 }), true);
  assert.equal(hypothesisHolds(up, { x: 0.5, y: 40 }), false);
  const down = tinyMap({
    hypothesis: {
      axis: "y",
      relaxed: "down",
      at: (x) => 50 + 100 * x,
      statement: "d ≥ 50 + 100c",
      source: "[R]",
    },
  });
  assert.equal(hypothesisHolds(down, { x: 0, y: 80 }), true);
  assert.equal(hypothesisHolds(down, { x: 0.5, y: 80 }), false);
});

Deno.test("the registry's regime maps", async (t) => {
  const mapped = claimsWithMaps(claims);
  await t.step("C2, C6, C7 and C8 declare maps; names are unique", () => {
    assert.deepEqual(mapped.map((c) => c.id), ["C2", "C6", "C7", "C8"]);
    const names = mapped.flatMap((c) => c.maps!.map((m) => m.name));
    assert.equal(new Set(names).size, names.length);
  });
  for (const claim of mapped) {
    await t.step(`${claim.id}: maps of the issue's size, valid cells`, () => {
      for (const map of claim.maps!) {
        assert.deepEqual(mapProblems(map), []);
        assert.ok(map.x.values.length >= 6 && map.y.values.length >= 6);
        assert.ok(map.trials >= 10);
        assert.ok(map.name.startsWith(`${claim.id}_`));
        for (const cell of mapCells(map)) {
          claim.validate!(cell.config);
          const m = cell.config.params.m;
          assert.ok(m === undefined || Number(m) <= 200, cell.config.key);
        }
      }
    });
    await t.step(`${claim.id}: each map reports a check of the claim`, () => {
      const own = [...configsFor(claim, "ci"), ...configsFor(claim, "paper")]
        .flatMap((c) => c.checks);
      for (const map of claim.maps!) {
        const same = own.find((c) => c.name === map.check.name);
        assert.ok(same !== undefined, `${map.name}: ${map.check.name}`);
        assert.deepEqual(map.check, same);
      }
    });
  }
  await t.step("no map cell at the ci or paper profile", () => {
    for (const claim of claims) {
      for (const profile of ["ci", "paper"] as const) {
        assert.ok(
          configsFor(claim, profile).every((c) => !c.key.startsWith("map:")),
        );
      }
    }
  });
});

Deno.test("each registered map's first cell runs its claim's own trial", async () => {
  const { initBackend } = await import("../backend/backends.ts");
  await initBackend("cpu");
  for (const claim of claimsWithMaps(claims)) {
    for (const map of claim.maps!) {
      // The first cell is the cheapest: the smallest value of each axis.
      const { config } = mapCells(map)[0];
      const task = { claim: claim.id, config: config.key, trial: 0, seed: 11 };
      const result = await claim.runTrial(task, config);
      assert.equal(result.status, "ok", `${map.name}: ${result.reason}`);
      assert.deepEqual(Object.keys(result.checks), [map.check.name], map.name);
      for (const q of map.quantities) {
        assert.ok(
          Number.isFinite(Number(result.values[q.column])),
          `${map.name}: ${q.column} = ${result.values[q.column]}`,
        );
      }
    }
  }
});
