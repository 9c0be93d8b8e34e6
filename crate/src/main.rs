//! `pipeline-sim`: the command-line face of the simulator, for scripting and workshops.

use pipeline_sim::report::summary::Report;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage:
  pipeline-sim run SCENARIO.json [--format json|table|digest]
                                                         simulate a scenario (- reads stdin); digest:
                                                         a hash of the JSON report
  pipeline-sim conform CASE.json [--check]               answer a conformance case in the schema of its
                                                         `expected`; --check compares and fails on a difference
  pipeline-sim sweep SCENARIO.json [--format table|json] run the scenario under the standard triggers
                                                         (streams of 1 s … 1 h, jobs every 15 min … 1 d)
                                                         and compare files, requests, $/month, latency
  pipeline-sim compare SCENARIO.json [--intervals 10,60,900] [--format table|json]
                                                         the scenario as a Spark stream (trigger interval)
                                                         and as a Flink job (checkpoint interval) at each
                                                         interval: latency p50/p95, files/day,
                                                         requests/day, $/month
  pipeline-sim export SCENARIO.json --table batches|events --format arrow|csv --out FILE
                                                         write a report table as Arrow IPC or CSV
  pipeline-sim data SCENARIO.json                        load workload.data's file only: rows, bad rows
                                                         (first reasons), lateness p50/p99, time range
  pipeline-sim pyspark SCENARIO.json                     print a runnable PySpark Structured Streaming script
                                                         of the scenario (source, watermark, query, trigger,
                                                         sink; python3 job.py --help for its options)
  pipeline-sim pyflink SCENARIO.json                     print a runnable PyFlink DataStream job of the scenario
                                                         (watermark, window, count, a FileSink rolled on
                                                         checkpoints; python3 job.py --help)
  pipeline-sim flink-case SCENARIO.json [--name NAME]    a small window scenario's events as a Flink
                                                         conformance case (answer it with `conform`)
  pipeline-sim events SCENARIO.json                      print the scenario's events as JSON Lines, in
                                                         arrival order (what the PySpark script reads)
  pipeline-sim case SCENARIO.json [--name NAME]          a small scenario as a conformance case: its query
                                                         and the events of each micro-batch the engine ran
                                                         (answer it with `conform`; tests/pyspark/ runs it
                                                         on Spark)
  pipeline-sim default-scenario                          print a scenario with every default
  pipeline-sim fuzz [--target NAME] [--inputs N] [--seed S] [--max-events E] [--time-bound-s T]
                    [--memory-bound-mib M] [--corpus DIR] [--out DIR] [--emit FILE]
                                                         feed mutated inputs to every parser (scenario,
                                                         mapping, csv, jsonl, json, access_log, arrow);
                                                         fails on a panic, a slow or memory-hungry input,
                                                         or a refusal that names no field

A scenario's workload.data.file (and join.file) is read from the working directory, or
else from the scenario's folder or a folder above it.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) if out.is_empty() => ExitCode::SUCCESS,
        Ok(out) => {
            use std::io::Write;
            match writeln!(std::io::stdout().lock(), "{out}") {
                Ok(()) => ExitCode::SUCCESS,
                // The reader left (`| head`, `| cmp`): nothing more to say, and no panic.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("pipeline-sim: writing the output: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Err(msg) => {
            // Input echoed in a message never drives the terminal: control characters
            // (ESC, BEL, …) are shown escaped.
            eprintln!("pipeline-sim: {}", escape_controls(&msg));
            ExitCode::from(2)
        }
    }
}

/// `s` with every control character but newline and tab written as `\u{…}`.
fn escape_controls(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Writes straight to standard output, buffered, and returns the empty output (`main` then
/// prints nothing more). A reader that stopped early (`| head`) is not an error.
fn to_stdout(
    write: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>,
) -> Result<String, String> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("stdout: {e}")),
        _ => Ok(String::new()),
    }
}

fn run(args: &[String]) -> Result<String, String> {
    match args.first().map(String::as_str) {
        Some("fuzz") => fuzz(&args[1..]),
        Some("run") => {
            let path = args
                .get(1)
                .ok_or_else(|| format!("run needs a scenario file\n{USAGE}"))?;
            let format = format_option(&args[2..], &["json", "table", "digest"])?;
            let report = simulate_file(path)?;
            Ok(match format {
                "table" => table(&report),
                "digest" => report.digest(),
                // Streamed: a long run's report (tens of MB) is not built as one string first
                // (its growth copied it over and over: 5 % of a 10 M-event run, perf).
                _ => to_stdout(|out| {
                    pipeline_sim::report::json_layout::to_writer(&mut *out, &report)?;
                    writeln!(out)
                })?,
            })
        }
        Some("conform") => {
            let path = args
                .get(1)
                .ok_or_else(|| format!("conform needs a case file\n{USAGE}"))?;
            let check = match args.get(2).map(String::as_str) {
                None => false,
                Some("--check") => true,
                Some(other) => return Err(format!("unknown option {other}\n{USAGE}")),
            };
            let text = read_input(path)?;
            let case: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("{path}: not JSON: {e}"))?;
            let flink = case.pointer("/engine/name").and_then(serde_json::Value::as_str) == Some("flink");
            type RunCase = fn(&serde_json::Value) -> Result<serde_json::Value, pipeline_sim::InputError>;
            type Compare = fn(&serde_json::Value, &serde_json::Value) -> Vec<String>;
            let (run_case, compare, engine): (RunCase, Compare, &str) = if flink {
                (
                    pipeline_sim::exports::flink_case::run_case,
                    pipeline_sim::exports::flink_case::compare,
                    "Flink",
                )
            } else {
                (
                    pipeline_sim::exports::conform::run_case,
                    pipeline_sim::exports::conform::compare,
                    "Spark",
                )
            };
            let actual = run_case(&case).map_err(|e| format!("{path}: {e}"))?;
            if check {
                let expected = case
                    .get("expected")
                    .ok_or_else(|| format!("{path}: no expected section"))?;
                let diffs = compare(expected, &actual);
                if !diffs.is_empty() {
                    return Err(format!(
                        "{path}: {} difference(s) from {engine}:\n  {}",
                        diffs.len(),
                        diffs.join("\n  ")
                    ));
                }
                return Ok(format!("{path}: matches {engine}"));
            }
            serde_json::to_string_pretty(&actual).map_err(|e| e.to_string())
        }
        Some("sweep") => {
            let path = args
                .get(1)
                .ok_or_else(|| format!("sweep needs a scenario file\n{USAGE}"))?;
            let format = format_option(&args[2..], &["table", "json"])?;
            let base = read_spec(path)?;
            let data = load_data(&base, path)?;
            let rows = pipeline_sim::exports::sweep::sweep(
                &base,
                &pipeline_sim::exports::sweep::standard_triggers(),
                data.as_ref(),
            )
            .map_err(|e| format!("{path}: {e}"))?;
            Ok(match format {
                "json" => serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?,
                _ => sweep_table(&rows),
            })
        }
        Some("compare") => {
            let path = args
                .get(1)
                .ok_or_else(|| format!("compare needs a scenario file\n{USAGE}"))?;
            let opts = options(&args[2..], &["--intervals", "--format"])?;
            let intervals: Vec<f64> = match opts.get("--intervals") {
                None => pipeline_sim::exports::compare::STANDARD_INTERVALS_S.to_vec(),
                Some(list) => list
                    .split(',')
                    .map(|s| s.trim().parse::<f64>().ok().filter(|v| v.is_finite() && *v > 0.0))
                    .collect::<Option<Vec<f64>>>()
                    .ok_or_else(|| {
                        format!("--intervals takes seconds > 0 separated by commas, got '{list}'")
                    })?,
            };
            let base = read_spec(path)?;
            let data = load_data(&base, path)?;
            let rows = pipeline_sim::exports::compare::compare(&base, &intervals, data.as_ref())
                .map_err(|e| format!("{path}: {e}"))?;
            Ok(match opts.get("--format").copied() {
                Some("json") => serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?,
                None | Some("table") => compare_table(&rows),
                Some(other) => return Err(format!("--format takes table or json, got '{other}'")),
            })
        }
        Some("export") => {
            let path = args
                .get(1)
                .ok_or_else(|| format!("export needs a scenario file\n{USAGE}"))?;
            let opts = options(&args[2..], &["--table", "--format", "--out"])?;
            let table = opts
                .get("--table")
                .and_then(|t| pipeline_sim::exports::export::Table::parse(t))
                .ok_or_else(|| format!("export needs --table batches or --table events\n{USAGE}"))?;
            let out = opts
                .get("--out")
                .ok_or_else(|| format!("export needs --out FILE\n{USAGE}"))?;
            let bytes = match opts.get("--format").copied() {
                Some("arrow") => pipeline_sim::exports::export::arrow_ipc(&simulate_file(path)?, table),
                Some("csv") => pipeline_sim::exports::export::csv(&simulate_file(path)?, table).into_bytes(),
                _ => return Err(format!("export needs --format arrow or --format csv\n{USAGE}")),
            };
            std::fs::write(out, &bytes).map_err(|e| format!("{out}: {e}"))?;
            Ok(format!("{out}: {} bytes", bytes.len()))
        }
        Some("data") => {
            let path = args
                .get(1)
                .ok_or_else(|| format!("data needs a scenario file\n{USAGE}"))?;
            let spec = read_spec(path)?;
            let loaded = load_data(&spec, path)?
                .ok_or_else(|| format!("{path}: the scenario has no workload.data"))?;
            serde_json::to_string_pretty(&loaded.stats).map_err(|e| e.to_string())
        }
        Some("pyspark") => {
            let path = only_path(args, "pyspark")?;
            let spec = read_spec(path)?;
            let script =
                pipeline_sim::exports::pyspark::generate(&spec).map_err(|e| format!("{path}: {e}"))?;
            // `main` adds the final newline.
            Ok(script.trim_end().to_string())
        }
        Some("events") => {
            let path = only_path(args, "events")?;
            let spec = read_spec(path)?;
            let data = load_data(&spec, path)?;
            let sc = spec
                .validate_with(data.as_ref())
                .map_err(|e| format!("{path}: {e}"))?;
            // Streamed: a long scenario's events need not fit in memory.
            to_stdout(|out| {
                pipeline_sim::exports::spark_case::events_jsonl(&sc)
                    .try_for_each(|line| writeln!(out, "{line}"))
            })
        }
        Some("case") => {
            let path = args
                .get(1)
                .ok_or_else(|| format!("case needs a scenario file\n{USAGE}"))?;
            let opts = options(&args[2..], &["--name"])?;
            let name = case_name(path, &opts);
            let spec = read_spec(path)?;
            let data = load_data(&spec, path)?;
            let case = pipeline_sim::exports::spark_case::conformance_case(&spec, data.as_ref(), name)
                .map_err(|e| format!("{path}: {e}"))?;
            serde_json::to_string_pretty(&case).map_err(|e| e.to_string())
        }
        Some("pyflink") => {
            let path = only_path(args, "pyflink")?;
            let spec = read_spec(path)?;
            let script =
                pipeline_sim::exports::pyflink::generate(&spec).map_err(|e| format!("{path}: {e}"))?;
            // `main` adds the final newline.
            Ok(script.trim_end().to_string())
        }
        Some("flink-case") => {
            let path = args
                .get(1)
                .ok_or_else(|| format!("flink-case needs a scenario file\n{USAGE}"))?;
            let opts = options(&args[2..], &["--name"])?;
            let name = case_name(path, &opts);
            let spec = read_spec(path)?;
            let case = pipeline_sim::exports::pyflink::flink_case(&spec, name)
                .map_err(|e| format!("{path}: {e}"))?;
            serde_json::to_string_pretty(&case).map_err(|e| e.to_string())
        }
        Some("default-scenario") => {
            let spec = pipeline_sim::ScenarioSpec {
                seed: Some(42),
                ..Default::default()
            };
            serde_json::to_string_pretty(&spec).map_err(|e| e.to_string())
        }
        Some("-h" | "--help" | "help") => Ok(USAGE.to_string()),
        _ => Err(USAGE.to_string()),
    }
}

/// `[--format F]` among `allowed`; the first allowed one when absent.
fn format_option<'a>(opts: &'a [String], allowed: &[&'a str]) -> Result<&'a str, String> {
    match opts {
        [] => Ok(allowed[0]),
        [flag, f] if flag == "--format" && allowed.contains(&f.as_str()) => Ok(f.as_str()),
        _ => Err(format!("unknown options {opts:?}\n{USAGE}")),
    }
}

/// `--name value` pairs among `allowed`, each at most once.
fn options<'a>(
    opts: &'a [String],
    allowed: &[&'a str],
) -> Result<std::collections::BTreeMap<&'a str, &'a str>, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut it = opts.iter();
    while let Some(flag) = it.next() {
        let name = allowed
            .iter()
            .find(|a| **a == flag.as_str())
            .ok_or_else(|| format!("unknown option {flag}\n{USAGE}"))?;
        let v = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        if out.insert(*name, v.as_str()).is_some() {
            return Err(format!("{flag} given twice"));
        }
    }
    Ok(out)
}

/// `pipeline-sim fuzz`: a table of figures per target; an error when any input failed.
fn fuzz(args: &[String]) -> Result<String, String> {
    use pipeline_sim::fuzz::{Config, TARGETS, emit_line, run_target, target};
    let opts = options(
        args,
        &[
            "--target",
            "--inputs",
            "--seed",
            "--max-events",
            "--time-bound-s",
            "--memory-bound-mib",
            "--corpus",
            "--out",
            "--emit",
        ],
    )?;
    let num = |name: &str, default: f64| -> Result<f64, String> {
        match opts.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x >= 0.0)
                .ok_or_else(|| format!("{name}: not a number ≥ 0: {v}")),
        }
    };
    let cfg = Config {
        inputs: num("--inputs", 2000.0)? as u64,
        seed: num("--seed", 1.0)? as u64,
        max_events: num("--max-events", 200_000.0)?,
        time_bound: std::time::Duration::from_secs_f64(num("--time-bound-s", 10.0)?),
        memory_bound: (num("--memory-bound-mib", 1024.0)? as u64) << 20,
        corpus: opts.get("--corpus").map(std::path::PathBuf::from),
        out_dir: std::path::PathBuf::from(opts.get("--out").copied().unwrap_or("test-results/fuzz")),
    };
    let chosen: Vec<_> = match opts.get("--target") {
        None | Some(&"all") => TARGETS.iter().collect(),
        Some(name) => vec![target(name).ok_or_else(|| {
            let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
            format!("--target: no target '{name}' ({})", names.join(", "))
        })?],
    };
    let mut emit = match opts.get("--emit") {
        Some(p) => Some(std::fs::File::create(p).map_err(|e| format!("{p}: {e}"))?),
        None => None,
    };
    let mut out = format!("{}\n", pipeline_sim::fuzz::Stats::header());
    let mut failures = Vec::new();
    for t in chosen {
        let st = run_target(t, &cfg, emit.is_some());
        if let Some(f) = emit.as_mut() {
            for (input, outcome) in &st.emitted {
                emit_line(f, t, input, outcome).map_err(|e| e.to_string())?;
            }
        }
        out.push_str(&format!("{}\n", st.row()));
        for f in &st.failures {
            failures.push(format!(
                "{} {}: {} (input saved at {})",
                t.name,
                f.kind,
                f.message,
                f.saved.display()
            ));
        }
    }
    if failures.is_empty() {
        Ok(out.trim_end().to_string())
    } else {
        let shown: Vec<&String> = failures.iter().take(20).collect();
        Err(format!(
            "{}\n{} failing input(s):\n  {}",
            out.trim_end(),
            failures.len(),
            shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  ")
        ))
    }
}

fn read_spec(path: &str) -> Result<pipeline_sim::ScenarioSpec, String> {
    let text = read_input(path)?;
    pipeline_sim::ScenarioSpec::parse(&text).map_err(|e| format!("{path}: {e}"))
}

/// Reads a scenario and its data, and simulates it.
fn simulate_file(path: &str) -> Result<Report, String> {
    let spec = read_spec(path)?;
    let data = load_data(&spec, path)?;
    let sc = spec
        .validate_with(data.as_ref())
        .map_err(|e| format!("{path}: {e}"))?;
    pipeline_sim::simulation::simulate(&sc).map_err(|e| format!("{path}: {e}"))
}

/// `workload.data`'s file (and its join table), read and loaded; None without one.
fn load_data(
    spec: &pipeline_sim::ScenarioSpec,
    scenario_path: &str,
) -> Result<Option<pipeline_sim::workload::loader::Loaded>, String> {
    let Some(d) = &spec.workload.data else {
        return Ok(None);
    };
    let find = |file: &str| -> Result<Vec<u8>, String> {
        // The working directory first, then the scenario's folder and each folder above it
        // (so a scenario in datasets/scenarios/ finds datasets/vega/… from anywhere).
        let mut chosen = std::path::PathBuf::from(file);
        if !chosen.exists() {
            let dir = std::path::Path::new(scenario_path).parent();
            if let Some(found) = dir
                .into_iter()
                .flat_map(|d| d.ancestors())
                .map(|a| a.join(file))
                .find(|p| p.exists())
            {
                chosen = found;
            }
        }
        let meta = std::fs::metadata(&chosen).map_err(|e| format!("workload.data: {file}: {e}"))?;
        if meta.len() > pipeline_sim::workload::loader::MAX_FILE_BYTES as u64 {
            return Err(format!(
                "workload.data: {file} is {:.1} MiB; at most {} MiB load (split or sample the file first)",
                meta.len() as f64 / 1048576.0,
                pipeline_sim::workload::loader::MAX_FILE_BYTES >> 20
            ));
        }
        std::fs::read(&chosen).map_err(|e| format!("workload.data: {file}: {e}"))
    };
    let bytes = find(&d.file)?;
    let table = match &d.join {
        Some(j) => Some(find(&j.file)?),
        None => None,
    };
    pipeline_sim::workload::loader::load(&bytes, table.as_deref(), d)
        .map(Some)
        .map_err(|e| format!("{scenario_path}: {e}"))
}

/// A scenario or case file's text, refused before it is read when larger than
/// [`pipeline_sim::scenario::spec::MAX_SCENARIO_BYTES`].
fn read_input(path: &str) -> Result<String, String> {
    use std::io::Read;
    let max = pipeline_sim::scenario::spec::MAX_SCENARIO_BYTES;
    let too_big = |name: &str| {
        format!(
            "{name}: larger than {} MiB, the most a scenario may be (put large event data in workload.data)",
            max >> 20
        )
    };
    let mut text = String::new();
    if path == "-" {
        std::io::stdin()
            .take(max as u64 + 1)
            .read_to_string(&mut text)
            .map_err(|e| format!("stdin: {e}"))?;
        if text.len() > max {
            return Err(too_big("stdin"));
        }
    } else {
        let len = std::fs::metadata(path).map_err(|e| format!("{path}: {e}"))?.len();
        if len > max as u64 {
            return Err(too_big(path));
        }
        text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(text)
}

fn table(r: &Report) -> String {
    let s = &r.summary;
    let secs = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |x| format!("{x:.3}"));
    let mut rows: Vec<(&str, String)> = vec![
        ("events processed", s.events.to_string()),
        ("  on time", s.fates.on_time.to_string()),
        ("  late but counted", s.fates.late_counted.to_string()),
        ("  dropped as late", s.fates.dropped_late.to_string()),
        ("  duplicates", s.fates.duplicate.to_string()),
        ("  still in state", s.fates.in_state_at_end.to_string()),
        ("events never processed", s.unprocessed_events.to_string()),
        ("micro-batches", s.batches.to_string()),
        ("  of which no-data", s.no_data_batches.to_string()),
        ("  falling behind", s.falling_behind_batches.to_string()),
        ("query runs", s.runs.to_string()),
        ("  overlapping", s.overlapping_runs.to_string()),
        ("late groups dropped", s.dropped_late.to_string()),
        ("output rows", s.output_rows.to_string()),
        ("peak state rows", s.peak_state_rows.to_string()),
        ("final state rows", s.final_state_rows.to_string()),
        ("max backlog rows", s.max_backlog_rows.to_string()),
        ("sink part files", s.files.data_files.to_string()),
        ("  of which empty", s.files.empty_data_files.to_string()),
        ("checkpoint + log files", {
            let st = &r.cost.storage;
            (st.table_log_files
                + st.checkpoint_offsets
                + st.checkpoint_commits
                + st.state_delta_files
                + st.state_snapshot_files
                + st.state_changelog_files
                + st.state_zip_files
                + st.state_sst_files)
                .to_string()
        }),
        ("latency p50 (s)", secs(s.latency.p50_s)),
        ("latency p95 (s)", secs(s.latency.p95_s)),
        ("latency p99 (s)", secs(s.latency.p99_s)),
        ("latency max (s)", secs(s.latency.max_s)),
        ("processing span (s)", format!("{:.3}", s.processing_span_s)),
    ];
    if let Some(m) = &r.state_memory {
        let on = match m.provider {
            pipeline_sim::operators::query::StateStore::Hdfs => "state on heap, peak (MB)",
            pipeline_sim::operators::query::StateStore::Rocksdb => "state on disk, peak (MB)",
        };
        rows.push((on, format!("{:.1}", m.peak_bytes as f64 / 1e6)));
        rows.push(("  line (MB)", format!("{:.1}", m.line_bytes as f64 / 1e6)));
        rows.push(("  line (rows)", m.line_rows.to_string()));
    }
    let mut text = rows
        .iter()
        .map(|(k, v)| format!("{k:<24}{v:>14}"))
        .collect::<Vec<_>>()
        .join("\n");
    if let Some(c) = r.state_memory.as_ref().and_then(|m| m.out_of_memory) {
        text.push_str(&format!(
            "\nout of memory: batch {} put {} rows in state, past the line; it failed \
             (java.lang.OutOfMemoryError) and the query stopped there",
            c.batch, c.state_rows
        ));
    }
    if let Some(c) = r.state_memory.as_ref().and_then(|m| m.block_cache_exceeded) {
        text.push_str(&format!(
            "\nblock cache exceeded: from batch {} ({} rows in state) the state on disk is larger \
             than RocksDB's block cache; reads go to disk",
            c.batch, c.state_rows
        ));
    }
    if let Some(sc) = &r.scaled {
        text.push_str(&format!(
            "\nscaled: each simulated event stands for {} ({} simulated); estimates: {}",
            sc.factor,
            sc.simulated_events,
            sc.estimates.join(", ")
        ));
    }
    text
}

/// The scenario file of a subcommand that takes nothing else (`args[1]`).
fn only_path<'a>(args: &'a [String], cmd: &str) -> Result<&'a str, String> {
    let path = args
        .get(1)
        .ok_or_else(|| format!("{cmd} needs a scenario file\n{USAGE}"))?;
    if let Some(other) = args.get(2) {
        return Err(format!("unknown option {other}\n{USAGE}"));
    }
    Ok(path)
}

/// A case's name: `--name`, or the scenario file's stem.
fn case_name<'a>(path: &'a str, opts: &std::collections::BTreeMap<&str, &'a str>) -> &'a str {
    opts.get("--name").copied().unwrap_or_else(|| {
        std::path::Path::new(path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("scenario")
    })
}

/// Spark against Flink as a Markdown table: counts per day, dollars per 30-day month.
fn compare_table(rows: &[pipeline_sim::exports::compare::CompareRow]) -> String {
    let mut out = String::from(
        "| engine | interval | latency p50 | latency p95 | data files/day | requests/day | $ requests | $ compute | $ total/month | dropped late |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let secs = |s: f64| {
        if s < 0.0 {
            "–".to_string()
        } else if s < 120.0 {
            format!("{s:.1} s")
        } else {
            format!("{:.1} min", s / 60.0)
        }
    };
    for r in rows {
        let d = &r.usd_per_month;
        let engine = match r.engine {
            pipeline_sim::operators::query::EngineName::Spark => "Spark",
            pipeline_sim::operators::query::EngineName::Flink => "Flink",
        };
        out.push_str(&format!(
            "| {engine} | {} | {} | {} | {:.0} | {:.0} | {:.2} | {:.2} | {:.2} | {} |\n",
            secs(r.interval_s),
            secs(r.p50_latency_s),
            secs(r.p95_latency_s),
            r.data_files_per_day,
            r.requests_per_day,
            d.sink_requests + d.checkpoint_requests + d.reader_requests + d.source_requests,
            d.compute,
            d.total,
            r.dropped_late
        ));
    }
    out
}

/// The sweep as a Markdown table: counts per day, dollars per 30-day month.
fn sweep_table(rows: &[pipeline_sim::exports::sweep::SweepRow]) -> String {
    let mut out = String::from(
        "| trigger | data files/day | all files/day | requests/day | $ sink req | $ checkpoint req | \
         $ maintenance | $ readers | $ source req | $ at rest | $ compute | $ total/month | p95 latency | class |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for r in rows {
        let d = &r.usd_per_month;
        let latency = if r.p95_latency_s < 0.0 {
            "–".to_string()
        } else if r.p95_latency_s < 120.0 {
            format!("{:.1} s", r.p95_latency_s)
        } else if r.p95_latency_s < 7200.0 {
            format!("{:.1} min", r.p95_latency_s / 60.0)
        } else {
            format!("{:.1} h", r.p95_latency_s / 3600.0)
        };
        let class = serde_json::to_value(r.sla_class)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out.push_str(&format!(
            "| {} | {:.0} | {:.0} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {} | {} |\n",
            r.label,
            r.data_files_per_day,
            r.files_written_per_day,
            r.requests_per_day,
            d.sink_requests,
            d.checkpoint_requests,
            d.maintenance_requests + d.maintenance_compute,
            d.reader_requests,
            d.source_requests,
            d.at_rest,
            d.compute,
            d.total,
            latency,
            class
        ));
    }
    if let Some(b) = rows
        .iter()
        .map(|r| r.usd_per_month.source_brokers)
        .find(|&b| b > 0.0)
    {
        out.push_str(&format!(
            "\n$ total includes the Kafka brokers, ${b:.2}/month for every trigger: an estimate from the \
             topic's mean ingest (docs/model.md §5).\n"
        ));
    }
    out
}
