//! The wasm boundary: the only file that uses wasm-bindgen. Scenarios come in as JSON
//! text (small); results go out as a small JSON summary plus per-batch columns as typed
//! arrays (bulk data never crosses as JSON).
//!
//! This is the core module: it links no file reader. A data file is read by the formats
//! module (crate/formats), whose bytes [`data_from_bytes`] takes; an Arrow export is
//! written there from [`Run::table_bytes`].

use crate::report::summary::Report;
use wasm_bindgen::prelude::*;

/// A finished run, held on the wasm side; JS reads its columns as typed arrays.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Run {
    report: Report,
}

/// Validates and simulates a JSON scenario. A bad scenario throws an `Error` whose
/// message names the field, e.g. `trigger.interval_s: must be greater than 0, got 0`.
/// A scenario with `workload.data` runs through [`Data::simulate`] instead.
#[wasm_bindgen]
pub fn simulate(scenario_json: &str) -> Result<Run, JsError> {
    let sc = validated(scenario_json, None)?;
    Ok(Run {
        report: crate::simulation::simulate(&sc).map_err(|e| JsError::new(&e.to_string()))?,
    })
}

/// A loaded data file, held on the wasm side and reused by every run of a mapping.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Data {
    loaded: crate::workload::loader::Loaded,
}

/// A loaded file as the formats module's `load` gives it (`Loaded::to_bytes`). Bytes
/// that are not such a load throw an `Error` naming `workload.data`.
#[wasm_bindgen(js_name = dataFromBytes)]
pub fn data_from_bytes(bytes: &[u8]) -> Result<Data, JsError> {
    let loaded =
        crate::workload::loader::Loaded::from_bytes(bytes).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(Data { loaded })
}

#[wasm_bindgen]
impl Data {
    /// What the load read and dropped, as JSON (`loader::LoadStats`).
    #[wasm_bindgen(js_name = statsJson)]
    pub fn stats_json(&self) -> String {
        json(&self.loaded.stats)
    }

    /// Simulates a scenario whose `workload.data` is this file with this mapping.
    pub fn simulate(&self, scenario_json: &str) -> Result<Run, JsError> {
        let sc = validated(scenario_json, Some(self))?;
        Ok(Run {
            report: crate::simulation::simulate(&sc).map_err(|e| JsError::new(&e.to_string()))?,
        })
    }

    /// [`simulate_many`] for scenarios whose `workload.data` is this file.
    #[wasm_bindgen(js_name = simulateMany)]
    pub fn simulate_many(
        &self,
        scenarios_json: &str,
        on_progress: &ProgressCallback,
    ) -> Result<RunSet, JsError> {
        run_many(scenarios_json, Some(self), on_progress)
    }

    /// [`validate_scenario`] for a scenario whose `workload.data` is this file.
    pub fn validate(&self, scenario_json: &str) -> Result<f64, JsError> {
        validated(scenario_json, Some(self)).map(|sc| sc.expected_held_bytes())
    }

    /// [`Data::simulate`] with progress, as [`simulate_with_progress`].
    #[wasm_bindgen(js_name = simulateWithProgress)]
    pub fn simulate_with_progress(
        &self,
        scenario_json: &str,
        on_progress: &ProgressCallback,
    ) -> Result<Run, JsError> {
        run_with_progress(scenario_json, Some(self), on_progress)
    }
}

/// Checks a scenario as [`simulate`] would before running it — the format, every field,
/// the resource budget (`budget.rs`) and the browser's batch memory — without running it:
/// a sweep checks every point before the first one runs. Returns about how many bytes the
/// run would hold at its peak (`Scenario::expected_held_bytes`): a sweep packs its points
/// into workers by it.
#[wasm_bindgen(js_name = validateScenario)]
pub fn validate_scenario(scenario_json: &str) -> Result<f64, JsError> {
    validated(scenario_json, None).map(|sc| sc.expected_held_bytes())
}

/// A Flink scenario as a runnable PyFlink DataStream job (`exports::pyflink`, as
/// `pipeline-sim pyflink`); only the Flink module has it.
#[cfg(feature = "flink")]
#[wasm_bindgen(js_name = pyflinkScript)]
pub fn pyflink_script(scenario_json: &str) -> Result<String, JsError> {
    let spec = crate::ScenarioSpec::parse(scenario_json).map_err(|e| JsError::new(&e.to_string()))?;
    crate::exports::pyflink::generate(&spec).map_err(|e| JsError::new(&e.to_string()))
}

/// Bytes a run's largest batch, or a deduplication's state, may take in the browser
/// (`Scenario::check_memory`): with the rest of a run (~25–60 MB) wasm memory stays under
/// 256 MiB.
const WASM_MAX_BATCH_BYTES: f64 = 230e6;

/// The scenario, validated, and refused if one batch would not fit in wasm memory.
fn validated(scenario_json: &str, data: Option<&Data>) -> Result<crate::Scenario, JsError> {
    let spec = crate::ScenarioSpec::parse(scenario_json).map_err(|e| JsError::new(&e.to_string()))?;
    let sc = spec
        .validate_with(data.map(|d| &d.loaded))
        .map_err(|e| JsError::new(&e.to_string()))?;
    sc.check_memory(WASM_MAX_BATCH_BYTES)
        .map_err(|e| JsError::new(&e.to_string()))?;
    Ok(sc)
}

#[wasm_bindgen]
extern "C" {
    /// A JS function called with the fraction of the run done (0..1).
    pub type ProgressCallback;
    #[wasm_bindgen(method, js_name = call)]
    fn call_with(this: &ProgressCallback, this_arg: &JsValue, fraction: f64);
}

/// [`simulate`], calling `onProgress(fraction)` about every 1 % of the events.
#[wasm_bindgen(js_name = simulateWithProgress)]
pub fn simulate_with_progress(scenario_json: &str, on_progress: &ProgressCallback) -> Result<Run, JsError> {
    run_with_progress(scenario_json, None, on_progress)
}

fn run_with_progress(
    scenario_json: &str,
    data: Option<&Data>,
    on_progress: &ProgressCallback,
) -> Result<Run, JsError> {
    let sc = validated(scenario_json, data)?;
    let report = crate::simulation::simulate_with_progress(&sc, &mut |f| {
        on_progress.call_with(&JsValue::UNDEFINED, f)
    })
    .map_err(|e| JsError::new(&e.to_string()))?;
    Ok(Run { report })
}

/// Simulations of several scenarios that differ only in trigger (and cost or sink
/// settings) over **one** generated event stream, in lock-step: a sweep's points.
/// `scenariosJson` is a JSON array of scenarios. Every point is checked first (fields,
/// budget, batch memory, the same workload and seed); a refusal throws, naming the point as
/// `(sweep point 'N') field: message`. `onProgress(fraction)` follows the shared stream.
/// Each run equals `simulate` of its scenario.
#[wasm_bindgen(js_name = simulateMany)]
pub fn simulate_many(scenarios_json: &str, on_progress: &ProgressCallback) -> Result<RunSet, JsError> {
    run_many(scenarios_json, None, on_progress)
}

/// The runs of [`simulate_many`], by point.
#[wasm_bindgen]
#[derive(Debug)]
pub struct RunSet {
    runs: Vec<Option<Result<Report, String>>>,
}

#[wasm_bindgen]
impl RunSet {
    /// Points in the set.
    #[wasm_bindgen(getter)]
    pub fn count(&self) -> usize {
        self.runs.len()
    }

    /// Why point `i` stopped (`field: message`), or undefined when it ran.
    pub fn error(&self, i: usize) -> Option<String> {
        match self.runs.get(i) {
            Some(Some(Err(e))) => Some(e.clone()),
            _ => None,
        }
    }

    /// Point `i`'s run (once: it moves out of the set).
    pub fn take(&mut self, i: usize) -> Result<Run, JsError> {
        match self.runs.get_mut(i).and_then(Option::take) {
            Some(Ok(report)) => Ok(Run { report }),
            Some(Err(e)) => Err(JsError::new(&e)),
            None => Err(JsError::new(&format!(
                "no run {i} in this set (taken already, or past {})",
                self.runs.len()
            ))),
        }
    }
}

fn run_many(
    scenarios_json: &str,
    data: Option<&Data>,
    on_progress: &ProgressCallback,
) -> Result<RunSet, JsError> {
    let err = |e: crate::base::error::InputError| JsError::new(&e.to_string());
    let not_array = |e: &dyn std::fmt::Display| {
        JsError::new(&format!("scenarios: expected a JSON array of scenarios ({e})"))
    };
    let values = match crate::base::json::parse(scenarios_json).map_err(|e| not_array(&e))? {
        serde_json::Value::Array(values) => values,
        _ => return Err(not_array(&"not an array")),
    };
    let specs = values
        .iter()
        .map(|v| crate::ScenarioSpec::parse(&v.to_string()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(err)?;
    let labels: Vec<String> = (0..specs.len()).map(|i| i.to_string()).collect();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    let scs = crate::exports::sweep::validate_points(&specs, &labels, data.map(|d| &d.loaded), |sc| {
        sc.check_memory(WASM_MAX_BATCH_BYTES)
    })
    .map_err(err)?;
    let many =
        crate::simulation::simulate_many(&scs, Some(&mut |f| on_progress.call_with(&JsValue::UNDEFINED, f)));
    Ok(RunSet {
        runs: many
            .reports
            .into_iter()
            .map(|r| Some(r.map_err(|e| e.to_string())))
            .collect(),
    })
}

fn export_table(name: &str) -> Result<crate::exports::export::Table, JsError> {
    crate::exports::export::Table::parse(name)
        .ok_or_else(|| JsError::new(&format!("no table '{name}': batches or events")))
}

#[wasm_bindgen]
impl Run {
    /// The summary as JSON (a dozen numbers).
    #[wasm_bindgen(js_name = summaryJson)]
    pub fn summary_json(&self) -> String {
        json(&self.report.summary)
    }

    /// With `workload.data`: the load's stats as JSON; undefined otherwise.
    #[wasm_bindgen(js_name = dataJson)]
    pub fn data_json(&self) -> Option<String> {
        self.report.data.as_ref().map(json)
    }

    /// A scaled run (`scale.rs`): its factor and estimated figures as JSON; undefined for
    /// an exact run.
    #[wasm_bindgen(js_name = scaledJson)]
    pub fn scaled_json(&self) -> Option<String> {
        self.report.scaled.as_ref().map(json)
    }

    /// A run with an injected failure: the report's `recovery` section as JSON; undefined
    /// without one (and in the core module, which has no failure injection).
    #[wasm_bindgen(js_name = recoveryJson)]
    pub fn recovery_json(&self) -> Option<String> {
        #[cfg(feature = "recovery")]
        return self.report.recovery.as_ref().map(json);
        #[cfg(not(feature = "recovery"))]
        None
    }

    /// A stateful Spark query's state memory and its line (`cost/state_memory.rs`) as
    /// JSON; undefined without state and for Flink.
    #[wasm_bindgen(js_name = stateMemoryJson)]
    pub fn state_memory_json(&self) -> Option<String> {
        self.report
            .state_memory
            .as_ref()
            .map(|m| serde_json::to_string(m).expect("a state memory report always serializes"))
    }

    /// A report table (`batches` or `events`) as bytes for the formats module's
    /// `arrowIpc` (`export::table_bytes`), which writes the Arrow IPC file.
    #[wasm_bindgen(js_name = tableBytes)]
    pub fn table_bytes(&self, table: &str) -> Result<Vec<u8>, JsError> {
        Ok(crate::exports::export::table_bytes(
            &self.report,
            export_table(table)?,
        ))
    }

    /// A report table (`batches` or `events`) as CSV.
    #[wasm_bindgen(js_name = tableCsv)]
    pub fn table_csv(&self, table: &str) -> Result<String, JsError> {
        Ok(crate::exports::export::csv(&self.report, export_table(table)?))
    }

    /// Hash of the whole report (see `Report::digest`): equal to the CLI's
    /// `--format digest` for the same scenario.
    pub fn digest(&self) -> String {
        self.report.digest()
    }

    #[wasm_bindgen(getter, js_name = batchCount)]
    pub fn batch_count(&self) -> usize {
        self.report.batches.len()
    }

    /// A bulk column of the report as a `Float64Array`, by its index (www/run-result.js's
    /// `COLUMNS` names them in this order):
    ///
    /// - per batch: 0 start, 1 end (µs; exact below 2^53 µs ≈ year 2255), 2 watermark (µs;
    ///   NaN where the query has no watermark), 3 input rows, 4 state rows, 5 output rows,
    ///   6 dropped late, 7 data files, 8 data bytes, 9 the whole state's bytes after it
    ///   (heap or local disk by provider), 10 backlog rows;
    /// - sampled events (`EventColumns` in report/summary.rs; every `eventStride`-th id):
    ///   11 id, 12 event time, 13 arrival (µs), 14 batch (−1 if none), 15 the watermark its
    ///   batch tested lateness against (NaN if none), 16 visible at (NaN if never);
    /// - the cost model's series (step in `costJson`'s horizon ÷ samples): 17 time (µs),
    ///   18 live data files, 19 stored bytes, and the cumulative $ of 20 requests, 21 bytes at
    ///   rest and 22 the cluster;
    /// - histograms flattened as low0, high0, count0, low1, …: 23 latency (µs, the
    ///   non-empty buckets), 24 written data files by size (bytes).
    ///
    /// One accessor for them all, by number: 24 near-identical functions and their glue were
    /// ~400 B more of the page's first download with gzip (by name, ~300 B more than those).
    pub fn column(&self, index: u32) -> Result<Vec<f64>, JsError> {
        let r = &self.report;
        let (b, e, s) = (&r.batches, &r.events, &r.cost.series);
        let times = |v: &[i64]| floats(v, i64::MIN);
        let (lat, files) = (&r.latency_histogram, &r.cost.file_sizes);
        Ok(match index {
            0 => times(&b.start_us),
            1 => times(&b.end_us),
            2 => floats(&b.watermark_us, i64::MIN + 1),
            3 => to_f64(&b.input_rows),
            4 => to_f64(&b.state_rows_total),
            5 => to_f64(&b.output_rows),
            6 => to_f64(&b.dropped_late),
            7 => to_f64(&b.data_files),
            8 => to_f64(&b.data_bytes),
            9 => to_f64(&b.state_memory_bytes),
            10 => to_f64(&b.backlog_rows),
            11 => to_f64(&e.id),
            12 => times(&e.event_time_us),
            13 => times(&e.arrival_us),
            14 => times(&e.batch),
            15 => floats(&e.late_watermark_us, i64::MIN + 1),
            16 => floats(&e.visible_us, 0),
            17 => times(&s.t_us),
            18 => to_f64(&s.live_data_files),
            19 => to_f64(&s.stored_bytes),
            20 => s.requests_usd.clone(),
            21 => s.at_rest_usd.clone(),
            22 => s.compute_usd.clone(),
            23 => triples([times(&lat.low_us), times(&lat.high_us), to_f64(&lat.count)]),
            24 => triples([
                to_f64(&files.low_bytes),
                to_f64(&files.high_bytes),
                to_f64(&files.count),
            ]),
            _ => return Err(JsError::new(&format!("no report column {index}"))),
        })
    }

    /// Events in the whole run and the sampling stride of the event columns.
    #[wasm_bindgen(js_name = eventStride)]
    pub fn event_stride(&self) -> f64 {
        self.report.events.stride as f64
    }

    /// Fate codes: 0 on time, 1 late but counted, 2 dropped late, 3 duplicate, 4 in state
    /// at the end, 5 never processed.
    #[wasm_bindgen(js_name = eventFate)]
    pub fn event_fate(&self) -> Vec<u8> {
        self.report.events.fate.clone()
    }

    /// The cost report without its bulk columns (series, file sizes) as JSON: dollars by
    /// component over the horizon and per month, request counts, storage, readers,
    /// freshness.
    #[wasm_bindgen(js_name = costJson)]
    pub fn cost_json(&self) -> String {
        let mut c = self.report.cost.clone();
        c.series = Default::default();
        c.file_sizes = Default::default();
        json(&c)
    }
}

/// A Flink run's own figures (only in the Flink module: the page's core has no Flink
/// engine). Every getter is empty (or undefined) for a Spark run.
#[cfg(feature = "flink")]
#[wasm_bindgen]
impl Run {
    /// The Flink summary (`FlinkSummary`: checkpoints, watermarks, firings) as JSON;
    /// undefined for a Spark run.
    #[wasm_bindgen(js_name = flinkJson)]
    pub fn flink_json(&self) -> Option<String> {
        self.report.flink.as_ref().map(json)
    }

    /// The trace's forwarded watermarks (`report/flink_trace.rs`, bounded and thinned):
    /// the ticks' processing times, µs.
    #[wasm_bindgen(js_name = flinkWatermarkAtUs)]
    pub fn flink_watermark_at_us(&self) -> Vec<f64> {
        self.trace(|t| i64_f64(&t.watermark_at_us))
    }

    /// The forwarded watermarks' values, µs.
    #[wasm_bindgen(js_name = flinkWatermarkUs)]
    pub fn flink_watermark_us(&self) -> Vec<f64> {
        self.trace(|t| i64_f64(&t.watermark_us))
    }

    /// The trace's window firings (one point per processing time, window end and cause):
    /// processing times, µs.
    #[wasm_bindgen(js_name = flinkFiringAtUs)]
    pub fn flink_firing_at_us(&self) -> Vec<f64> {
        self.trace(|t| i64_f64(&t.firing_at_us))
    }

    /// The fired windows' ends (exclusive), µs.
    #[wasm_bindgen(js_name = flinkFiringEndUs)]
    pub fn flink_firing_end_us(&self) -> Vec<f64> {
        self.trace(|t| i64_f64(&t.firing_end_us))
    }

    /// Why each fired: 0 the watermark, 1 a late element within allowed lateness.
    #[wasm_bindgen(js_name = flinkFiringBy)]
    pub fn flink_firing_by(&self) -> Vec<f64> {
        self.trace(|t| t.firing_by.iter().map(|&b| f64::from(b)).collect())
    }

    /// Rows each firing point emitted (one per key and window fired).
    #[wasm_bindgen(js_name = flinkFiringRows)]
    pub fn flink_firing_rows(&self) -> Vec<f64> {
        self.trace(|t| to_f64(&t.firing_rows))
    }

    /// The trace's strides: [watermarks, firing points] (1: every one kept).
    #[wasm_bindgen(js_name = flinkTraceStrides)]
    pub fn flink_trace_strides(&self) -> Vec<f64> {
        self.trace(|t| vec![t.watermark_stride as f64, t.firing_stride as f64])
    }
}

#[cfg(feature = "flink")]
impl Run {
    /// A column of the Flink trace; empty for a Spark run.
    fn trace(&self, col: impl Fn(&crate::report::flink_trace::FlinkTrace) -> Vec<f64>) -> Vec<f64> {
        self.report.flink_trace.as_ref().map(col).unwrap_or_default()
    }
}

/// `v` as JSON. The report's types always serialize (string keys, no failing `Serialize`):
/// a plain panic says so where `.expect()` would link serde_json's `Debug` of its error
/// (~1 KB of the module) for a message no one sees.
fn json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    match serde_json::to_string(v) {
        Ok(s) => s,
        Err(_) => unreachable!("the report's types always serialize"),
    }
}

#[cfg(feature = "flink")]
fn i64_f64(v: &[i64]) -> Vec<f64> {
    v.iter().map(|&x| x as f64).collect()
}

// The column conversions are out of line: `Run::column`'s arms share them (inlined, each
// arm had a vector loop of its own: 900 B more of the page's download with gzip).
#[inline(never)]
fn to_f64(v: &[u64]) -> Vec<f64> {
    v.iter().map(|&x| x as f64).collect()
}

/// `v` as floats, NaN for the values below `least` (`i64::MIN`: none).
#[inline(never)]
fn floats(v: &[i64], least: i64) -> Vec<f64> {
    v.iter()
        .map(|&x| if x < least { f64::NAN } else { x as f64 })
        .collect()
}

/// Three equal-length columns interleaved: a0, b0, c0, a1, …
#[inline(never)]
fn triples([a, b, c]: [Vec<f64>; 3]) -> Vec<f64> {
    (0..a.len()).flat_map(|i| [a[i], b[i], c[i]]).collect()
}
