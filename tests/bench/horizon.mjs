// Benchmark (not a test): the monthly bill of one pipeline simulated over different
// horizons, per component, from the CLI. A steady month (docs/model.md §9) gives the same
// figures at every horizon once the run covers its warm-up.
//   node tests/bench/horizon.mjs [BINARY] [RATE] [PATCH_JSON] [DURATIONS_S...]
// Defaults: target/release/pipeline-sim, 200 events/s, the page's default pipeline
// (www/state.js PAGE_DEFAULT), 10 min, 1 h, 6 h, 1 d, 3 d.
import { execFileSync } from 'node:child_process';
import { PAGE_DEFAULT, merge } from '../../www/state.js';

const [bin = 'target/release/pipeline-sim', rate = '200', patch = '{}', ...ds] = process.argv.slice(2);
const durations = ds.length ? ds.map(Number) : [600, 3600, 21_600, 86_400, 259_200];
const p = JSON.parse(patch);
const base = merge(merge(PAGE_DEFAULT, p), { workload: { rate_per_s: Number(rate) }, report: { detail_events: 100 } });
if (p.trigger) base.trigger = p.trigger;
const cols = ['sink_requests', 'checkpoint_requests', 'maintenance_requests', 'reader_requests', 'source_requests', 'at_rest', 'compute', 'maintenance_compute', 'total'];
console.log(['horizon', ...cols, 'files/day', 'basis'].join('\t'));
for (const d of durations) {
  const sc = merge(base, { workload: { duration_s: d } });
  let out;
  try {
    out = execFileSync(bin, ['run', '-', '--format', 'json'], { input: JSON.stringify(sc), maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    console.log(`${d}\t${String(/** @type {any} */ (e).stderr).trim()}`);
    continue;
  }
  const c = JSON.parse(out.toString()).cost;
  const m = c.month;
  const basis = m ? `${m.steady ? 'steady' : 'short run'}; ${m.extrapolated.map((/** @type {any} */ e) => `${e.component}: ${e.reason}`).join(', ')}` : '';
  console.log([`${d} s`, ...cols.map((k) => c.usd_per_month[k].toFixed(2)), c.data_files_per_day.toFixed(0), basis].join('\t'));
}
