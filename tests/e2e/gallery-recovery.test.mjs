// Lesson 12 ("kill the driver", issue #17) says what the native CLI measures for its variants
// (BASE merged with each patch, as the page runs them): the figures its reveal states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness.mjs';
import { BASE, merge } from '../../www/state.js';
import { lessonProblems, reportValue } from '../../www/lesson.js';

const lesson = JSON.parse(readFileSync(path.join(ROOT, 'www', 'gallery', '12-kill-the-driver.json'), 'utf8'));

/** The CLI's report of variant `i`, run as the page runs it. @param {number} i */
function report(i) {
  const out = execFileSync(path.join(ROOT, 'target/release/pipeline-sim'), ['run', '-'], {
    input: JSON.stringify(merge(BASE, lesson.variants[i].scenario)), maxBuffer: 1 << 30,
  });
  return JSON.parse(out.toString());
}

test('lesson 12: a plain foreachBatch append duplicates the re-run batch; the others do not', () => {
  assert.deepEqual(lessonProblems(lesson), []);
  const files = JSON.parse(readFileSync(path.join(ROOT, 'www', 'gallery', 'index.json'), 'utf8'));
  assert.ok(files.includes('12-kill-the-driver.json'));
  const [plain, delta, append, keyed] = [0, 1, 2, 3].map(report);
  const en = lesson.reveal.en;
  // The question: the plain append's duplicates = the failed batch's output (100 devices).
  const dup = reportValue(append, lesson.question.answer.path);
  assert.equal(dup, 100);
  assert.equal(append.recovery.failed_batch, 29);
  assert.equal(append.batches.output_rows[29], dup);
  assert.match(en, /^100 rows/);
  assert.match(en, /offsets\/29 without commits\/29/);
  assert.equal(keyed.recovery.duplicate_rows, 0);
  assert.ok(keyed.recovery.write_skipped);
  assert.equal(delta.recovery.duplicate_rows, 0);
  // "84 part files (59 KB)"
  assert.equal(delta.recovery.orphan_files, 84);
  assert.equal(Math.round(delta.recovery.orphan_bytes / 1000), 59);
  assert.match(en, /84 part files \(59 KB\)/);
  // Freshness: "no new result for 6.8 minutes", "50 s", "9 deltas", "72,384 rows", "6 minutes",
  // "9.7 minutes against 3.9 minutes".
  for (const r of [delta, append, keyed]) {
    assert.equal(Math.round(r.recovery.restore_s), 50);
    assert.equal(r.recovery.restore_deltas, 9);
    assert.equal(r.recovery.backlog_rows, 72_384);
    assert.equal(Math.round(r.recovery.recovery_s / 60), 6);
    assert.equal((r.recovery.no_commit_s / 60).toFixed(1), '6.8');
  }
  assert.equal((append.recovery.latency_p95_s / 60).toFixed(1), '9.7');
  assert.equal((plain.summary.latency.p95_s / 60).toFixed(1), '3.9');
  assert.equal(plain.recovery, undefined);
  // "The monthly bill barely moves": within 6 % of the plain hour's.
  for (const r of [delta, append, keyed]) {
    const ratio = r.cost.usd_per_month.total / plain.cost.usd_per_month.total;
    assert.ok(ratio > 0.94 && ratio < 1.06, `${ratio}`);
  }
});

test('lesson 04: dropDuplicates("user_id") runs out of memory in the batch its reveal names', () => {
  const l4 = JSON.parse(readFileSync(path.join(ROOT, 'www', 'gallery', '04-dedup-oom.json'), 'utf8'));
  assert.deepEqual(lessonProblems(l4), []);
  /** @param {any} p */
  const run = (p) => JSON.parse(execFileSync(path.join(ROOT, 'target/release/pipeline-sim'), ['run', '-'], {
    input: JSON.stringify(merge(BASE, p)), maxBuffer: 1 << 30,
  }).toString());
  const [nowm, etuid, within, stateless] = l4.variants.map((/** @type {any} */ v) => run(v.scenario));
  const en = l4.reveal.en;
  const oom = nowm.state_memory.out_of_memory;
  assert.equal(reportValue(nowm, l4.question.answer.path), oom.batch);
  assert.equal(oom.batch, 1148);
  assert.match(en, /^Batch 1,148, 19\.2 hours/);
  assert.equal(((oom.at_us - Date.parse('2024-01-01T00:00:00Z') * 1000) / 3.6e9).toFixed(1), '19.2');
  assert.equal(oom.state_rows, 996_854);
  assert.equal(nowm.state_memory.line_rows, 996_383);
  assert.equal(nowm.summary.unprocessed_events, 349_784);
  assert.equal(nowm.summary.fates.duplicate, 382_391);
  assert.equal(nowm.state_memory.bytes_per_row.toFixed(1), '178.5');
  // The fixes stay far below the line, and never fail.
  for (const [r, rows] of [[etuid, 13_477], [within, 25_277]]) {
    assert.equal(r.summary.peak_state_rows, rows);
    assert.equal(r.state_memory.out_of_memory, null);
    assert.equal(r.summary.unprocessed_events, 0);
  }
  assert.equal(within.summary.fates.duplicate, 21_824);
  assert.equal(stateless.summary.peak_state_rows, 0);
  // "dies in the same batch" without ET; RocksDB does not fail.
  const trap = structuredClone(l4.variants[0].scenario);
  trap.query.watermark_delay_s = 600;
  assert.equal(run(trap).state_memory.out_of_memory.batch, oom.batch);
  const rocks = structuredClone(l4.variants[0].scenario);
  rocks.engine.state_store = 'rocksdb';
  const rr = run(rocks);
  assert.equal(rr.state_memory.out_of_memory, null);
  assert.equal(rr.summary.unprocessed_events, 0);
});
