// Same scenario ⇒ byte-identical report, native and wasm: the report digest computed by the
// wasm core in Chromium equals the native CLI's, for scenarios that exercise every random
// draw (Poisson gaps, Zipf keys, log-normal and exponential lateness, offline tail, diurnal
// rate), every operator, batches run in chunks, and the Flink engine (its own module).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, startServer, openBrowser } from './harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */ let server;
/** @type {Awaited<ReturnType<typeof openBrowser>>} */ let browser;

before(async () => { server = await startServer(); browser = await openBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const SCENARIOS = {
  default: { seed: 42 },
  skewed_lognormal_diurnal: {
    seed: 7,
    workload: {
      duration_s: 3600, rate_per_s: 20, keys: 500, key_skew: 1.1,
      shape: { kind: 'diurnal', amplitude: 0.8, peak_hour_utc: 0.5 },
      lateness: { kind: 'log_normal', median_s: 3, sigma: 1.2 },
      offline: { fraction: 0.02, min_s: 600, max_s: 1800 },
    },
    trigger: { kind: 'processing_time', interval_s: 30 },
  },
  session_bursty: {
    seed: 3,
    workload: { duration_s: 900, rate_per_s: 30, shape: { kind: 'bursty', on_s: 20, off_s: 40 } },
    query: { window: { kind: 'session', gap_s: 10 }, watermark_delay_s: 15 },
  },
  dedup_scheduled: {
    seed: 11,
    workload: { duration_s: 1800, keys: 50, idle: [{ from_s: 300, to_s: 600 }] },
    query: { operator: 'dedup', dedup_columns: ['key', 'event_time'], watermark_delay_s: 30 },
    trigger: { kind: 'scheduled', every_s: 300, startup_s: 120 },
    source: { max_rows_per_trigger: 5000 },
  },
  // Batches of ~1.8 M rows, run in chunks of 262,144 (simulation/spark.rs CHUNK_ROWS), with late and
  // dropped rows: the chunked path agrees too.
  chunked_half_hourly_job: {
    seed: 9,
    workload: { duration_s: 3600, rate_per_s: 1000, offline: { fraction: 0.05, min_s: 60, max_s: 1800 } },
    query: { window: { kind: 'tumbling', size_s: 600 }, watermark_delay_s: 120 },
    trigger: { kind: 'scheduled', every_s: 1800, startup_s: 60 },
  },
  // Scaled (crate/src/scenario/scale.rs): a thinned stream weighed back, its timeline slice exact;
  // a deduplication on the id spreads sparse batches over copies.
  scaled_dedup_offline: {
    seed: 13,
    workload: { duration_s: 1800, rate_per_s: 2000, scale: 25, offline: { fraction: 0.05, min_s: 60, max_s: 1800 } },
    query: { operator: 'dedup_within_watermark', dedup_columns: ['id'], watermark_delay_s: 60 },
    sink: { format: 'parquet' },
  },
  scaled_tumbling_auto: {
    seed: 17,
    workload: { duration_s: 86_400, rate_per_s: 2000, keys: 1000 },
    sink: { format: 'delta' },
  },
  // Flink (the page's Flink module, www/pkg-flink/): per-partition watermarks, idleness,
  // allowed lateness and a side output, several subtasks.
  flink_partitions_idleness: {
    seed: 21,
    engine: { name: 'flink' },
    workload: { duration_s: 1800, rate_per_s: 100, keys: 40, offline: { fraction: 0.03, min_s: 60, max_s: 900 } },
    source: { kafka_partitions: 8 },
    query: { window: { kind: 'sliding', size_s: 120, slide_s: 60 }, watermark_delay_s: 20 },
    flink: { checkpoint_interval_s: 30, parallelism: 4, allowed_lateness_s: 60, late_side_output: true, idleness_s: 30 },
  },
  flink_session: {
    seed: 23,
    engine: { name: 'flink' },
    workload: { duration_s: 900, rate_per_s: 30, shape: { kind: 'bursty', on_s: 20, off_s: 40 } },
    query: { window: { kind: 'session', gap_s: 10 }, watermark_delay_s: 15 },
  },
  sliding_update_small_sample: {
    seed: 5,
    query: { window: { kind: 'sliding', size_s: 60, slide_s: 15 }, output_mode: 'update' },
    report: { detail_events: 500 },
  },
};

for (const [name, scenario] of Object.entries(SCENARIOS)) {
  test(`wasm and native agree: ${name}`, async () => {
    const json = JSON.stringify(scenario);
    const native = execFileSync(path.join(ROOT, 'target/release/pipeline-sim'), ['run', '-', '--format', 'digest'], {
      input: json,
    }).toString().trim();
    const { page, problems } = browser;
    // (The page on a short scenario: its own runs stay out of the way.)
    if (page.url() === 'about:blank') await page.goto(new URL('#v=1&s=e30', server.base).href);
    const wasm = await page.evaluate(async ([text, dir]) => {
      const m = await import(`./${dir}/pipeline_sim.js`);
      await m.default();
      return m.simulate(text).digest();
    }, [json, /** @type {any} */ (scenario).engine?.name === 'flink' ? 'pkg-flink' : 'pkg']);
    assert.match(native, /^[0-9a-f]{16}$/);
    assert.equal(wasm, native);
    assert.deepEqual(problems, []);
  });
}

test('different seeds give different reports', () => {
  const digest = (/** @type {number} */ seed) =>
    execFileSync(path.join(ROOT, 'target/release/pipeline-sim'), ['run', '-', '--format', 'digest'], {
      input: JSON.stringify({ seed }),
    }).toString().trim();
  assert.notEqual(digest(1), digest(2));
});
