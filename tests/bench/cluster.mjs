// Benchmark (not a test): the cluster `compute.nodes: "auto"` chooses for the page's
// default pipeline at several rates, with its utilization at the peak and the steady
// month's bill, from the CLI (docs/model.md §7, §9).
//   node tests/bench/cluster.mjs [BINARY] [DURATION_S] [RATES...]
// Defaults: target/release/pipeline-sim, one hour, 200 2000 20000 50000 events/s.
import { execFileSync } from 'node:child_process';
import { PAGE_DEFAULT, merge } from '../../www/state.js';

const [bin = 'target/release/pipeline-sim', duration = '3600', ...rs] = process.argv.slice(2);
const rates = rs.length ? rs.map(Number) : [200, 2000, 20_000, 50_000];
console.log(['events/s', 'nodes', 'utilization', '$/month', 'cluster $/month', 'p95 s', 'batches behind', 'scale k'].join('\t'));
for (const rate of rates) {
  const sc = merge(PAGE_DEFAULT, { workload: { rate_per_s: rate, duration_s: Number(duration) }, report: { detail_events: 10 } });
  let out;
  try {
    out = execFileSync(bin, ['run', '-', '--format', 'json'], { input: JSON.stringify(sc), maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    console.log(`${rate}\t${String(/** @type {any} */ (e).stderr).trim()}`);
    continue;
  }
  const r = JSON.parse(out.toString());
  const k = r.cost.cluster;
  console.log([rate, `${k.nodes}${k.auto ? ' (auto)' : ''}`, `${(k.utilization * 100).toFixed(1)} %`,
    r.cost.usd_per_month.total.toFixed(2), r.cost.usd_per_month.compute.toFixed(2),
    r.summary.latency.p95_s == null ? '–' : r.summary.latency.p95_s.toFixed(0), r.summary.falling_behind_batches, r.scaled?.factor ?? 1].join('\t'));
}
