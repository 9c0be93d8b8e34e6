// The CLI whose reader leaves early (`pipeline-sim run … | head`) stops quietly: no panic
// message, exit status 0 (it panicked on the broken pipe before).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './harness.mjs';

test('a closed pipe ends the CLI quietly, with status 0', () => {
  const bin = path.join(ROOT, 'target/release/pipeline-sim');
  // A report of several MiB: far more than the pipe holds once `head` has left.
  const scenario = JSON.stringify({ seed: 1, workload: { duration_s: 3600, rate_per_s: 300 }, report: { detail_events: 200000 } });
  const r = spawnSync('bash', ['-c', 'set -o pipefail; "$0" run - | head -c 64 > /dev/null', bin], { input: scenario });
  const stderr = r.stderr.toString();
  assert.equal(r.status, 0, `status ${r.status}; stderr: ${stderr}`);
  assert.doesNotMatch(stderr, /panicked|Broken pipe/);
});
