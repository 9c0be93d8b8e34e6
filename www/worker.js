// The simulation worker: all runs happen here, off the main thread, in the wasm core.
// Messages in:  {type: 'run', id, scenario}   {type: 'sweep', id, scenario, points}
// Messages out: {type: 'result', id, result}  {type: 'progress', id, done, total}
//               (a run's progress: done ∈ 0..1 of total 1; a sweep's: runs done of total)
//               {type: 'sweep-result', id, rows}  {type: 'error', id, message}
import init, { simulate, simulateWithProgress } from './pkg/pipeline_sim.js';
import { extract, sweepRow } from './run-result.js';

const ready = init();
const ctx = /** @type {{postMessage: (m: any, t?: Transferable[]) => void, onmessage: any}} */ (
  /** @type {unknown} */ (self)
);

ctx.onmessage = async (/** @type {MessageEvent} */ e) => {
  const msg = e.data;
  await ready;
  try {
    if (msg.type === 'run') {
      const t0 = performance.now();
      // Progress messages, at most every 100 ms of wall time.
      let lastPost = t0;
      const run = simulateWithProgress(JSON.stringify(msg.scenario), (/** @type {number} */ f) => {
        const now = performance.now();
        if (now - lastPost < 100 && f < 1) return;
        lastPost = now;
        ctx.postMessage({ type: 'progress', id: msg.id, done: f, total: 1 });
      });
      const ms = performance.now() - t0;
      const result = extract(run, ms);
      run.free();
      ctx.postMessage({ type: 'result', id: msg.id, result }, result.transfer);
    } else if (msg.type === 'sweep') {
      /** @type {import('./run-result.js').SweepRow[]} */
      const rows = [];
      const points = /** @type {{label: string, trigger: any}[]} */ (msg.points);
      for (let i = 0; i < points.length; i++) {
        const sc = { ...msg.scenario, trigger: points[i].trigger };
        const run = simulate(JSON.stringify(sc));
        rows.push(sweepRow(points[i].label, points[i].trigger, run));
        run.free();
        ctx.postMessage({ type: 'progress', id: msg.id, done: i + 1, total: points.length });
      }
      ctx.postMessage({ type: 'sweep-result', id: msg.id, rows });
    }
  } catch (err) {
    ctx.postMessage({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) });
  }
};
