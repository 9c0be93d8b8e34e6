// The gallery's lessons without a browser: every one passes lessonProblems, and the two Flink
// lessons (10, 11) say what the native CLI measures for their variants (BASE merged with each
// patch, as the page runs them). Their reveals state these facts in words, not in numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './harness.mjs';
import { BASE, merge } from '../../www/state.js';
import { lessonProblems, reportValue } from '../../www/lesson.js';

const GALLERY = path.join(ROOT, 'www', 'gallery');
const files = /** @type {string[]} */ (JSON.parse(readFileSync(path.join(GALLERY, 'index.json'), 'utf8')));
/** @param {string} file */
const lessonOf = (file) => JSON.parse(readFileSync(path.join(GALLERY, file), 'utf8'));
const tmp = mkdtempSync(path.join(tmpdir(), 'pipeline-sim-gallery-'));

/** The CLI's report of a lesson's variant, run as the page runs it. @param {any} lesson @param {number} i */
function report(lesson, i) {
  const sc = path.join(tmp, `${lesson.id}-${i}.json`);
  writeFileSync(sc, JSON.stringify(merge(BASE, lesson.variants[i].scenario)));
  const out = execFileSync(path.join(ROOT, 'target/release/pipeline-sim'), ['run', sc, '--format', 'json'], { cwd: ROOT, maxBuffer: 1 << 30 });
  return JSON.parse(out.toString());
}

test('every gallery lesson passes lessonProblems', () => {
  for (const file of files) assert.deepEqual(lessonProblems(lessonOf(file)), [], file);
});

test('lesson 10: Flink\'s file latency is its checkpoint interval, like Spark\'s trigger', () => {
  const lesson = lessonOf('10-flink-checkpoint-latency.json');
  assert.ok(files.includes('10-flink-checkpoint-latency.json'));
  const [spark, flink60, flink10, flink300] = [0, 1, 2, 3].map((i) => report(lesson, i));
  const p95 = (/** @type {any} */ r) => reportValue(r, 'summary.latency.p95_s');
  const perDay = (/** @type {any} */ r) => reportValue(r, 'cost.data_files_per_day');
  const usd = (/** @type {any} */ r) => reportValue(r, 'cost.usd_per_month.total');
  // The question: Flink's p95 with a 1-minute checkpoint, "just under a minute".
  assert.equal(lesson.question.answer.path, 'summary.latency.p95_s');
  assert.ok(p95(flink60) > 45 && p95(flink60) < 60, `${p95(flink60)}`);
  // "the same as Spark's 1-minute trigger"
  assert.ok(Math.abs(p95(flink60) - p95(spark)) < 3, `${p95(flink60)} vs ${p95(spark)}`);
  // 10 s: p95 about 10 s, six times the files, the month more than half dearer.
  assert.ok(p95(flink10) > 8 && p95(flink10) < 12, `${p95(flink10)}`);
  assert.equal(perDay(flink10), 6 * perDay(flink60));
  assert.ok(usd(flink10) > 1.5 * usd(flink60), `${usd(flink10)} vs ${usd(flink60)}`);
  // 5 min: a fifth of the files, p95 under 5 minutes.
  assert.equal(perDay(flink300) * 5, perDay(flink60));
  assert.ok(p95(flink300) < 300, `${p95(flink300)}`);
  // Every variant writes every event (a select).
  for (const r of [spark, flink60, flink10, flink300]) assert.equal(r.summary.output_rows, r.summary.events);
});

test('lesson 11: an empty Kafka partition stalls Flink\'s windows unless idleness lets it go', () => {
  const lesson = lessonOf('11-idle-partition.json');
  assert.ok(files.includes('11-idle-partition.json'));
  const [stalled, idle, spark] = [0, 1, 2].map((i) => report(lesson, i));
  // The question: the stalled job's window rows.
  assert.equal(reportValue(stalled, lesson.question.answer.path), 0);
  assert.equal(stalled.summary.files.data_files, 0);
  assert.equal(stalled.summary.latency.p95_s, null);
  assert.equal(stalled.flink.watermark_firings, 0);
  assert.equal(stalled.summary.fates.in_state_at_end, stalled.summary.events);
  // State grows by 100 windows a minute and never shrinks.
  const st = stalled.batches.state_rows_total;
  assert.ok(st.every((/** @type {number} */ v, /** @type {number} */ i) => i === 0 || v >= st[i - 1]));
  assert.ok(st.at(-1) >= 50 * 100, `${st.at(-1)}`);
  // With idleness: what a topic without the empty partition gives (one partition).
  const onePartition = merge(lesson.variants[1].scenario, { source: { kafka_partitions: 1 }, flink: { idleness_s: null } });
  const healthy = report({ id: 'one-partition', variants: [{ scenario: onePartition }] }, 0);
  assert.equal(idle.summary.output_rows, healthy.summary.output_rows);
  assert.equal(idle.summary.output_rows, 5800);
  assert.equal(idle.summary.latency.p95_s, healthy.summary.latency.p95_s);
  // Spark's global watermark does not stall; its windows come out later, in more files.
  assert.equal(spark.summary.output_rows, idle.summary.output_rows);
  assert.ok(spark.summary.latency.p95_s > idle.summary.latency.p95_s);
  assert.ok(spark.summary.files.data_files > 10 * idle.summary.files.data_files);
});
