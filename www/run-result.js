// What one run hands to the page: the small JSON parts parsed, the bulk columns as typed
// arrays (transferred, not copied, out of the worker).

/**
 * @typedef {object} RunResult
 * @property {any} summary the report's summary (docs/scenario.md)
 * @property {any} cost the cost report without its bulk columns (docs/model.md)
 * @property {number} ms wasm run time
 * @property {any} data with `workload.data`: what the load read and dropped (`LoadStats`); else null
 * @property {any} scaled a scaled run (`scale.rs` `Scaled`): its factor and estimates; else null
 * @property {number | null} loadMs ms the data's load took in the worker (once)
 * @property {string} digest
 * @property {Float64Array} batchStartUs
 * @property {Float64Array} batchEndUs
 * @property {Float64Array} batchWatermarkUs NaN without a watermark
 * @property {Float64Array} batchInputRows
 * @property {Float64Array} batchDroppedLate
 * @property {Float64Array} batchOutputRows
 * @property {Float64Array} batchDataFiles
 * @property {Float64Array} batchStateRows
 * @property {Float64Array} batchBacklogRows
 * @property {Float64Array} batchDataBytes
 * @property {Float64Array} seriesTimeUs
 * @property {Float64Array} seriesLiveDataFiles
 * @property {Float64Array} seriesStoredBytes
 * @property {Float64Array} seriesRequestsUsd
 * @property {Float64Array} seriesAtRestUsd
 * @property {Float64Array} seriesComputeUsd
 * @property {Float64Array} eventIds sampled events (every `eventStride`-th id)
 * @property {Float64Array} eventTimeUs
 * @property {Float64Array} eventArrivalUs
 * @property {Float64Array} eventBatch
 * @property {Float64Array} eventLateWatermarkUs
 * @property {Float64Array} eventVisibleUs
 * @property {Uint8Array} eventFate 0 on time, 1 late counted, 2 dropped late, 3 duplicate, 4 in state, 5 unprocessed
 * @property {number} eventStride
 * @property {Float64Array} latencyHistogram low, high, count triples (µs)
 * @property {Float64Array} fileSizeHistogram low, high, count triples (bytes)
 * @property {any} flink a Flink run's summary (`FlinkSummary`: checkpoints, watermarks, firings); else null
 * @property {FlinkTrace | null} flinkTrace a Flink run's watermark steps and window firings; else null
 * @property {any} recovery a run with an injected failure: the report's `recovery` section; else null
 * @property {any} stateMemory a stateful Spark query's `state_memory` section; else null
 * @property {Float64Array} batchStateMemoryBytes the state's bytes after each batch
 * @property {Transferable[]} transfer
 */

/**
 * A Flink run's trace (crate/src/report/flink_trace.rs): every `strides[0]`-th forwarded
 * watermark (and the last) and every `strides[1]`-th firing point, over the whole run.
 * @typedef {object} FlinkTrace
 * @property {Float64Array} watermarkAtUs processing time of each forwarded watermark, µs
 * @property {Float64Array} watermarkUs its value, µs
 * @property {Float64Array} firingAtUs processing time of each firing point, µs
 * @property {Float64Array} firingEndUs the fired windows' end, µs
 * @property {Float64Array} firingBy 0 by the watermark, 1 by a late element
 * @property {Float64Array} firingRows rows the point emitted (one per key and window)
 * @property {Float64Array} strides [watermarks, firing points]: 1 when every one is kept
 */

/**
 * @typedef {object} SweepRow
 * @property {string} label
 * @property {any} trigger
 * @property {number} usdPerMonth
 * @property {any} usd the monthly cost by component
 * @property {number} p95s p95 latency, s (-1: nothing visible)
 * @property {number} dataFilesPerDay
 * @property {number} requestsPerDay
 * @property {string} sla
 * @property {number} scale real events per simulated one (1: exact; crate/src/scenario/scale.rs)
 */

/**
 * The bulk columns of a run, in the order of `Run::column`'s index (crate/src/wasm.rs).
 * One accessor for them all: 24 wasm functions and their glue were ~400 B more with gzip.
 * `extract` takes each under its name.
 */
const COLUMNS = /** @type {const} */ ([
  'batchStartUs', 'batchEndUs', 'batchWatermarkUs', 'batchInputRows',
  'batchStateRows', 'batchOutputRows', 'batchDroppedLate', 'batchDataFiles',
  'batchDataBytes', 'batchStateMemoryBytes', 'batchBacklogRows', 'eventIds',
  'eventTimeUs', 'eventArrivalUs', 'eventBatch', 'eventLateWatermarkUs',
  'eventVisibleUs', 'seriesTimeUs', 'seriesLiveDataFiles', 'seriesStoredBytes',
  'seriesRequestsUsd', 'seriesAtRestUsd', 'seriesComputeUsd', 'latencyHistogram',
  'fileSizeHistogram',
]);

/**
 * @param {import('./pkg/pipeline_sim.js').Run} run
 * @param {number} ms
 * @param {number | null} [loadMs] ms the data's load took (once: later runs reuse it)
 * @returns {RunResult}
 */
export function extract(run, ms, loadMs = null) {
  // Every bulk column (`Run::column` in crate/src/wasm.rs, by its index in COLUMNS) under
  // its name: a Float64Array of its own, transferable.
  const columns = /** @type {Record<(typeof COLUMNS)[number], Float64Array>} */ (
    Object.fromEntries(COLUMNS.map((name, i) => [name, run.column(i)])));
  const dataJson = run.dataJson();
  const scaledJson = run.scaledJson();
  const r = {
    summary: JSON.parse(run.summaryJson()),
    /** What `workload.data`'s load read and dropped (`loader::LoadStats`), or null. @type {any} */
    data: dataJson ? JSON.parse(dataJson) : null,
    /** A scaled run's factor and estimates (`scale.rs` `Scaled`), or null when exact. @type {any} */
    scaled: scaledJson ? JSON.parse(scaledJson) : null,
    loadMs,
    cost: JSON.parse(run.costJson()),
    ms,
    digest: run.digest(),
    ...columns,
    eventFate: Uint8Array.from(run.eventFate()),
    eventStride: run.eventStride(),
    // A run of the extended module's: filled by flink-result.js (fetched for those only).
    /** @type {any} */
    flink: null,
    /** @type {FlinkTrace | null} */
    flinkTrace: null,
    /** @type {any} */
    recovery: null,
    // A stateful Spark query's state memory and its line (cost/state_memory.rs), or null.
    /** @type {any} */
    stateMemory: JSON.parse(run.stateMemoryJson() ?? 'null'),
    /** @type {Transferable[]} */
    transfer: [],
  };
  for (const v of Object.values(r)) if (v instanceof Float64Array || v instanceof Uint8Array) r.transfer.push(v.buffer);
  return r;
}
