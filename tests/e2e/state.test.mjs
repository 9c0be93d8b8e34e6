// The URL state in Node (no browser): encode → decode reproduces scenario, view, SLA and
// pins; tagged unions (the trigger) switch kind whole; bad links fall back with a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, clone, diff, merge, encodeHash, decodeHash } from '../../www/state.js';

test('round trip of every part of the state', () => {
  const job = clone(BASE);
  job.trigger = { kind: 'scheduled', every_s: 900, startup_s: 270 };
  job.sink.format = 'delta';
  const stream = clone(BASE);
  stream.trigger.interval_s = 5;
  const st = { scenario: job, view: 'compare', slaMin: 7.5, pins: [clone(BASE), stream] };
  const hash = encodeHash(st);
  assert.match(hash, /^#v=1&s=[\w-]+&view=compare&sla=7.5&p=[\w-]+$/);
  const back = decodeHash(hash);
  assert.equal(back.problem, null);
  assert.deepEqual(back.state, st);
});

test('the default state is a short link', () => {
  assert.equal(encodeHash({ scenario: clone(BASE), view: 'run', slaMin: 15, pins: [] }), '#v=1');
});

test('a trigger of another kind replaces the base trigger whole', () => {
  const d = { trigger: { kind: 'scheduled', every_s: 60, startup_s: 270 } };
  assert.deepEqual(merge(BASE, d).trigger, d.trigger);
  assert.deepEqual(merge(BASE, { trigger: { interval_s: 15 } }).trigger, { kind: 'processing_time', interval_s: 15 });
  assert.deepEqual(diff(BASE, merge(BASE, d)), d);
});

test('unknown versions and broken data fall back to the defaults with a reason', () => {
  const v9 = decodeHash('#v=9&s=xyz');
  assert.match(v9.problem ?? '', /v9/);
  assert.deepEqual(v9.state.scenario, BASE);
  const broken = decodeHash('#v=1&s=%%%');
  assert.match(broken.problem ?? '', /could not be read/);
});
