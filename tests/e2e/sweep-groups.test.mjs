// How a sweep's points are packed into groups (www/sweep-pool.js groupsOf): every point in
// exactly one group, at least one group per worker, at most MAX_GROUP points a group, and a
// group's estimated memory under GROUP_BYTES wherever a point fits; with the core's own
// estimates (validateScenario, www/pkg built by make build), the page's 16-point grid over a
// day at 1,000 events/s packs into two groups, the daily and 12 h points apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness.mjs';
import { groupsOf, GROUP_BYTES, MAX_GROUP } from '../../www/sweep-pool.js';

const grid = [1, 2, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
const pointsOf = (/** @type {number[]} */ ts) => ts.map((t) => ({ label: `${t}`, trigger: { kind: 'processing_time', interval_s: t } }));

/** @param {number[][]} groups @param {number} n @param {number[]} held @param {number} workers */
function checkPacking(groups, n, held, workers) {
  const all = groups.flat().sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: n }, (_, i) => i), 'each point once');
  assert.ok(groups.length >= Math.min(n, workers), `${groups.length} groups for ${workers} workers`);
  for (const g of groups) {
    assert.ok(g.length >= 1 && g.length <= MAX_GROUP, `group of ${g.length}`);
    const bytes = g.reduce((a, i) => a + (held[i] ?? 0), 0);
    // Over the budget only as a point alone.
    assert.ok(bytes <= GROUP_BYTES || g.length === 1, `group ${g} holds ${bytes}`);
  }
}

test('groups hold every point once, within the workers, the size cap and the memory budget', () => {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let round = 0; round < 300; round++) {
    const n = 1 + Math.floor(rand() * 30);
    const workers = 1 + Math.floor(rand() * 4);
    const points = pointsOf(Array.from({ length: n }, () => 1 + Math.floor(rand() * 86400)));
    // Mostly small points, some large, now and then one over the budget alone.
    const held = points.map(() => (rand() < 0.1 ? GROUP_BYTES * (0.5 + rand()) : rand() * GROUP_BYTES * 0.1));
    checkPacking(groupsOf(points, workers, held), n, held, workers);
  }
  // Without estimates: the size cap alone.
  const g = groupsOf(pointsOf(grid), 1);
  checkPacking(g, 16, [], 1);
  assert.equal(g.length, 2);
  assert.deepEqual(groupsOf([], 2), []);
});

test("the page's day grid packs into two groups by the core's estimates; the daily and 12 h points apart", async () => {
  const { initSync, validateScenario } = await import('../../www/pkg/pipeline_sim.js');
  initSync({ module: readFileSync(path.join(ROOT, 'www/pkg/pipeline_sim_bg.wasm')) });
  const base = {
    version: 1, seed: 42,
    workload: { duration_s: 86400, rate_per_s: 1000, keys: 100, lateness: { kind: 'exponential', mean_s: 5 } },
    query: { operator: 'window_count', window: { kind: 'tumbling', size_s: 60 }, watermark_delay_s: 60, output_mode: 'append' },
    sink: { format: 'parquet' },
  };
  const ts = grid.filter((t) => t !== 60); // the page's own run is reused, not run
  const held = ts.map((t) => validateScenario(JSON.stringify({ ...base, trigger: { kind: 'processing_time', interval_s: t } })));
  // The estimate grows with the period; a 12 h trigger holds a day's rows, as a daily one.
  assert.ok(held.every((b, i) => i === 0 || b >= held[i - 1] - 1e6), held.join(' '));
  assert.ok(held.at(-2) > 0.9 * held.at(-1) && held.at(-1) > 200e6, held.join(" "));
  const groups = groupsOf(pointsOf(ts), 1, held);
  checkPacking(groups, ts.length, held, 1);
  assert.equal(groups.length, 2);
  const day = ts.indexOf(86400);
  const half = ts.indexOf(43200);
  assert.ok(!groups.some((g) => g.includes(day) && g.includes(half)), JSON.stringify(groups));
});
