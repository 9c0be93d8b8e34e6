// The page's default and its preview, in Node (no browser): the page opens PAGE_DEFAULT (a
// day, sized by DEFAULT_SIZE alone) for a link without a scenario, while every link with one
// keeps meaning BASE plus its fields; the preview is the same scenario's first minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PAGE_DEFAULT, DEFAULT_SIZE, PREVIEW_S, previewOf, previewSpanS, clone, merge, diff, encodeHash, decodeHash } from '../../www/state.js';
import { applyControl, controlValue, latenessMean } from '../../www/controls.js';

const st = (/** @type {any} */ scenario) => ({ scenario, view: 'run', slaMin: 15, pins: [] });

test('the page default is BASE at DEFAULT_SIZE (one constant), with late and offline events', () => {
  assert.equal(PAGE_DEFAULT.workload.duration_s, DEFAULT_SIZE.duration_s);
  assert.equal(PAGE_DEFAULT.workload.rate_per_s, DEFAULT_SIZE.rate_per_s);
  assert.equal(PAGE_DEFAULT.seed, BASE.seed);
  assert.ok(PAGE_DEFAULT.workload.offline.fraction > 0);
  assert.ok(PAGE_DEFAULT.query.watermark_delay_s > 0);
  // Nothing else of BASE changes but the cluster, sized to the load: the trigger, the sink,
  // the prices stay.
  assert.deepEqual(Object.keys(diff(BASE, PAGE_DEFAULT)).sort(), ['cost', 'query', 'workload']);
  assert.deepEqual(diff(BASE, PAGE_DEFAULT).cost, { compute: { nodes: 'auto' } });
});

test('a link without a scenario opens the page default; links with one keep their meaning', () => {
  // The page's own links: its default is the short one, BASE needs its (empty) patch.
  assert.equal(encodeHash(st(clone(PAGE_DEFAULT)), PAGE_DEFAULT), '#v=1');
  assert.equal(encodeHash(st(clone(BASE)), PAGE_DEFAULT), '#v=1&s=e30');
  assert.deepEqual(decodeHash('#v=1', PAGE_DEFAULT).state.scenario, PAGE_DEFAULT);
  assert.deepEqual(decodeHash('', PAGE_DEFAULT).state.scenario, PAGE_DEFAULT);
  assert.deepEqual(decodeHash('#v=1&s=e30', PAGE_DEFAULT).state.scenario, BASE);
  // An old link (fields over BASE) means what it meant.
  const old = '#v=1&s=' + Buffer.from(JSON.stringify({ trigger: { interval_s: 30 } })).toString('base64url');
  assert.deepEqual(decodeHash(old, PAGE_DEFAULT).state.scenario, merge(BASE, { trigger: { interval_s: 30 } }));
  // Round trips, either fallback.
  for (const sc of [clone(PAGE_DEFAULT), clone(BASE), merge(PAGE_DEFAULT, { seed: 7 })]) {
    assert.deepEqual(decodeHash(encodeHash(st(sc), PAGE_DEFAULT), PAGE_DEFAULT).state.scenario, sc);
    assert.deepEqual(decodeHash(encodeHash(st(sc))).state.scenario, sc);
  }
  // A link that cannot be used shows the page default, and says so.
  const bad = decodeHash('#v=9&s=xyz', PAGE_DEFAULT);
  assert.ok(bad.problem);
  assert.deepEqual(bad.state.scenario, PAGE_DEFAULT);
  // Embeds and the API keep BASE as their default.
  assert.deepEqual(decodeHash('#v=1').state.scenario, BASE);
});

test('the preview is the same scenario, same seed, cut to its first ~1 M events; only scenarios over an hour have one', () => {
  const p = previewOf(PAGE_DEFAULT);
  // A day at 1,000 events/s: its first 16 minutes (960,000 events).
  assert.equal(p.workload.duration_s, 960);
  assert.equal(previewSpanS(PAGE_DEFAULT.workload), 960);
  assert.deepEqual(diff(PAGE_DEFAULT, p), { workload: { duration_s: 960 } });
  // Slow rates preview up to an hour, fast ones down to a minute.
  assert.equal(previewSpanS({ rate_per_s: 100 }), PREVIEW_S);
  assert.equal(previewSpanS({ rate_per_s: 400 }), 2460);
  assert.equal(previewSpanS({ rate_per_s: 1e6 }), 60);
  assert.equal(PAGE_DEFAULT.workload.duration_s, DEFAULT_SIZE.duration_s, 'the default is not changed');
  assert.equal(previewOf(BASE), null, 'an hour has no preview');
  assert.equal(previewOf(merge(BASE, { workload: { duration_s: 600 } })), null);
  assert.ok(previewOf(merge(BASE, { workload: { duration_s: 3601 } })));
  assert.equal(previewOf(merge(PAGE_DEFAULT, { workload: { data: { file: 'datasets/x.csv' } } })), null, 'events from a file');
  assert.equal(previewOf(null), null);
});

test('the offline tail has a control', () => {
  const sc = clone(PAGE_DEFAULT);
  applyControl(sc, 'workload.lateness.mean_s', 30);
  assert.equal(latenessMean(sc.workload.lateness), 30);
  assert.deepEqual(sc.workload.offline, PAGE_DEFAULT.workload.offline, 'the lateness control leaves the tail');
  assert.equal(controlValue(sc, 'workload.offline.fraction'), 0.05);
  applyControl(sc, 'workload.offline.fraction', 0.1);
  assert.deepEqual(sc.workload.offline, { ...PAGE_DEFAULT.workload.offline, fraction: 0.1 });
  applyControl(sc, 'workload.offline.fraction', 0);
  assert.equal(sc.workload.offline, undefined);
  assert.equal(controlValue(sc, 'workload.offline.fraction'), 0);
  applyControl(sc, 'workload.offline.fraction', 0.02);
  assert.deepEqual(sc.workload.offline, { fraction: 0.02, min_s: 60, max_s: 7200 });
});
