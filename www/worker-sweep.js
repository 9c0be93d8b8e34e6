// One worker's sweep (worker.js, for SimClient.sweep; the page's and the JS API's sweeps run
// in the pool: sweep-pool.js): every point is checked (fields and the resource budget)
// before the first one runs — a sweep never spends minutes to fail at its last point — then
// the points run one after another. Fetched by the worker with its first sweep.
// It imports nothing the worker's own code imports (that would split the shared code into a
// file every first result fetches): the worker hands it its tools. The sweep pool's workers
// (sweep-worker.js) take `sweepRow` from here.

/**
 * @typedef {object} SweepTools the worker's own
 * @property {(sc: any, trigger: any, engine?: 'spark' | 'flink') => any} atPoint worker-core.js's
 * @property {(sc: any) => Promise<any>} coreFor worker-core.js's
 * @property {(sc: any, core: any) => Promise<any>} dataFor the scenario's loaded data, or null
 * @property {(sc: any, progress: null, what: string) => Promise<{run: any}>} runScenario
 * @property {(err: unknown) => boolean} isTrap
 * @property {(done: number, total: number) => void} progress
 */

/**
 * The sweep's rows, one per point, in order.
 * @param {any} scenario @param {{label: string, trigger: any, engine?: 'spark' | 'flink'}[]} points
 * @param {SweepTools} tools @returns {Promise<import('./run-result.js').SweepRow[]>}
 */
export async function sweepHere(scenario, points, tools) {
  for (const p of points) {
    const sc = tools.atPoint(scenario, p.trigger, p.engine);
    const core = await tools.coreFor(sc);
    const d = await tools.dataFor(sc, core);
    try {
      if (d) d.data.validate(JSON.stringify(sc));
      else core.validateScenario(JSON.stringify(sc));
    } catch (err) {
      if (tools.isTrap(err)) throw err;
      throw new Error(`(sweep point '${p.label}') ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  /** @type {import('./run-result.js').SweepRow[]} */
  const rows = [];
  for (let i = 0; i < points.length; i++) {
    const sc = tools.atPoint(scenario, points[i].trigger, points[i].engine);
    const { run } = await tools.runScenario(sc, null, 'sweep');
    rows.push(sweepRow(points[i].label, points[i].trigger, run));
    run.free();
    tools.progress(i + 1, points.length);
  }
  return rows;
}

/**
 * A sweep point's row from its run (its cost report's figures).
 * @param {string} label
 * @param {any} trigger
 * @param {import('./pkg/pipeline_sim.js').Run} run
 * @returns {import('./run-result.js').SweepRow}
 */
export function sweepRow(label, trigger, run) {
  return rowOf(label, trigger, JSON.parse(run.costJson()), JSON.parse(run.scaledJson() ?? '{"factor": 1}').factor);
}

/**
 * A sweep point's row from its run's cost report and scale factor (1 when exact): the page
 * makes the row of its own run's point with it.
 * @param {string} label @param {any} trigger @param {any} c @param {number} scale
 * @returns {import('./run-result.js').SweepRow}
 */
export function rowOf(label, trigger, c, scale) {
  return {
    label,
    trigger,
    usdPerMonth: c.usd_per_month.total,
    usd: c.usd_per_month,
    p95s: c.freshness.p95_latency_s,
    dataFilesPerDay: c.data_files_per_day,
    requestsPerDay: c.requests_per_day,
    sla: c.freshness.sla_class,
    scale,
  };
}
