// English and Korean labels. The default follows the browser's language; the choice is
// remembered in the URL (?lang=ko|en). The Korean table is its own module (i18n-ko.js),
// loaded by loadLang before a page first draws in Korean.

/** @typedef {'en' | 'ko'} Lang */

/** @type {Record<Lang, Record<string, string>>} */
export const STRINGS = {
  en: {
    title: 'Pipeline Simulator',
    // Keyboard and first-visit help (issue #15): the skip link, the view tabs, each view's
    // one-line introduction, the links to the lessons and docs, the timeline by keyboard.
    skipResults: 'Skip to results',
    viewsLabel: 'Views',
    introRun: 'What this configuration costs per month, how fresh its results are and how many files it writes. Try: move the Trigger interval control and watch the cost and the files follow.',
    learnLabel: 'Learn more',
    learnIntro: 'New here?',
    learnLessons: 'Start with a lesson',
    learnEmbed: 'Put the simulator in your page',
    learnModel: 'How every number is computed (docs/model.md)',
    introTimeline: 'Every drawn event, placed by when it arrived and when it happened, and what each micro-batch did with it. Try: press Play or Step, then point at an event (or focus the chart and press ← →) to read why it was counted or dropped.',
    introCompare: 'Up to 4 pinned configurations side by side: cost, freshness and files. Try: pin this configuration, change the trigger interval, and pin again.',
    sweepQuestion: 'Which trigger interval is cheapest within your freshness target?',
    introSweep: 'The sweep runs this configuration at trigger intervals from 1 s (5 min for a job) to 1 day and marks the cheapest whose p95 latency meets the target. Set the target, then run it.',
    tlPlayStep: 'Play one batch',
    tlPlayStepNote: 'Reduced motion is on: Play moves one micro-batch per press.',
    tlChartLabel: 'Timeline chart. Left and Right arrow keys: the events of the current micro-batch, each with the rule that decided its fate. Page Up and Page Down: the next or previous batch.',
    tlKeyNone: 'No drawn event was taken by batch {b} or an earlier one.',
    tagline: 'A Spark Structured Streaming query or a Flink job, simulated event by event in your browser.',
    language: 'Language',
    loading: 'Loading the simulator…',
    scenario: 'Scenario',
    result: 'Result',
    batches: 'Micro-batches',
    scenarioText: '{rate} events/s for {duration}, {keys} keys, {query}, watermark {delay}, trigger every {interval}, {mode} mode, seed {seed}.',
    scenarioTextData: '{events} events from {file}, {query}, watermark {delay}, trigger every {interval}, {mode} mode.',
    events: 'Events',
    microBatches: 'Micro-batches',
    noDataBatches: 'No-data batches',
    droppedLate: 'Events dropped as late',
    outputRows: 'Output rows',
    peakState: 'Peak state rows',
    maxBacklog: 'Max backlog rows',
    latencyP50: 'Latency p50',
    latencyP95: 'Latency p95',
    costTitle: 'Cost and freshness (per 30-day month)',
    costNote: 'Prices: S3 Standard and m6i.xlarge nodes on Databricks Jobs (AWS); sources and formulas in docs/model.md.',
    usdTotal: 'Total',
    usdCompute: 'Cluster',
    usdRequests: 'Storage requests',
    usdAtRest: 'Storage at rest',
    usdReaders: 'Readers',
    usdMaintenance: 'Maintenance',
    requestsPerDay: 'Requests per day',
    dataFiles: 'Data files written',
    dataFilesPerDay: 'Data files per day',
    scaledNote: 'Scaled run: the workload is {real} events, more than the {budget} this page simulates one by one, so each simulated event stands for {k} real ones ({sim} simulated). Counts, files, requests and dollars are weighed to the real volume; estimates: latency percentiles and late and dropped counts{groups}. The timeline shows an exact run of the first {slice}.',
    scaledGroups: ', output and state rows (corrected for the groups thinning left out: {cov} kept)',
    tlScaled: 'A scaled run: these are the exact events of its first {slice} (and their batches); a window still open when that slice ends keeps its events in state.',
    embedScaled: 'Scaled run: each simulated event stands for {k} real ones; latency percentiles and late counts are estimates.',
    sweepScaled: 'Scaled: each simulated event stands for {k} real ones; the p95 latencies are estimates.',
    monthSteady: 'Per month: the rates from {from} to {to} of the run (after a {warm} warm-up), over 30 days.',
    monthShort: 'The run is shorter than its {warm} warm-up plus a trigger period: the month is scaled from the whole run, warm-up included. Simulate longer for a steady month.',
    month_reader_lookback: 'Readers: estimated for a full 24 h lookback (longer than the run).',
    month_optimize_not_run: 'Maintenance: no OPTIMIZE ran in the run; estimated as one period of small files rewritten per run.',
    month_vacuum_retention: 'Storage: files removed by compaction are kept until VACUUM (estimated beyond the run).',
    month_at_rest_growth: 'Storage at rest is the first month’s and grows by {growth} each month after.',
    month_source_listing: 'Source: the file source lists its whole input directory every micro-batch, and the directory keeps growing; its LIST requests are estimated at the month’s mean directory size (in storage requests).',
    month_broker_throughput: 'Kafka brokers: not simulated; estimated from the topic’s mean ingest at the preset’s price per MiB/s, and at least the smallest cluster’s price (docs/model.md §5).',
    usdBrokers: 'Kafka brokers',
    month_rewrites_grow: 'Compaction rewrites the same small table again and again, so its cost grows with the table: estimated from the run’s end.',
    slaClass: 'Latency class',
    sla_real_time: 'real-time (p95 < 1 s)',
    sla_near_real_time: 'near-real-time (p95 < 5 min)',
    sla_batch: 'batch (p95 ≥ 5 min)',
    sla_none: 'nothing visible',
    ranIn: 'Simulated in {ms}',
    "group_trigger": "Trigger",
    "group_workload": "Workload",
    "group_query": "Query",
    "group_sink": "Table",
    "group_prices": "Prices",
    "f_trigger.every": "Trigger interval",
    "h_trigger.every": "How often a micro-batch (or a scheduled job) starts.",
    "f_trigger.mode": "Runs as",
    "h_trigger.mode": "A stream keeps a cluster up; a job starts one per run (4.5 min start-up).",
    "o_stream": "a stream (processingTime)",
    "o_job": "a scheduled job (availableNow)",
    "o_engines": "Spark and Flink (trigger = checkpoint interval)",
    "f_workload.rate_per_s": "Events per second",
    "h_workload.rate_per_s": "Mean arrival rate (Poisson).",
    "f_workload.duration_s": "Simulated time",
    "h_workload.duration_s": "How long events keep coming.",
    "f_workload.keys": "Distinct keys",
    "h_workload.keys": "Group-by keys, uniformly used.",
    "f_workload.lateness.mean_s": "Mean lateness",
    "h_workload.lateness.mean_s": "Mean of arrival − event time.",
    "f_query.window.size_s": "Window",
    "h_query.window.size_s": "Tumbling event-time window of the count.",
    "f_query.watermark_delay_s": "Watermark delay",
    "h_query.watermark_delay_s": "Rows older than max event time − delay are late.",
    "f_engine.shuffle_partitions": "Shuffle partitions",
    "h_engine.shuffle_partitions": "spark.sql.shuffle.partitions: files and state files per batch.",
    "f_sink.format": "Table format",
    "h_sink.format": "Spark file sink, Delta or Iceberg.",
    "o_parquet": "Parquet (Spark file sink)",
    "o_delta": "Delta Lake",
    "o_iceberg": "Apache Iceberg",
    "f_sink.delta.optimize_write": "Delta optimized writes",
    "h_sink.delta.optimize_write": "One file per partition value per batch (Delta only).",
    "f_sink.delta.auto_compact": "Delta auto compaction",
    "h_sink.delta.auto_compact": "Rewrite ≥ 50 small files into 128 MiB ones (Delta only).",
    "f_sink.partition_by": "partitionBy(key)",
    "h_sink.partition_by": "One directory per key: each task writes a file per key it holds.",
    "f_cost.storage.write_per_1k": "PUT/COPY per 1,000 (USD)",
    "h_cost.storage.write_per_1k": "Override the preset's write request price; empty = preset.",
    "f_cost.storage.read_per_1k": "GET per 1,000 (USD)",
    "h_cost.storage.read_per_1k": "Override the preset's read request price; empty = preset.",
    "f_cost.storage.per_gb_month": "Storage per GB-month (USD)",
    "h_cost.storage.per_gb_month": "Override the preset's at-rest price; empty = preset.",
    "f_cost.compute.vm_per_h": "VM per node-hour (USD)",
    "h_cost.compute.vm_per_h": "Override the instance price; empty = preset (m6i.xlarge on-demand).",
    "f_cost.compute.dbu_price": "Price per DBU (USD)",
    "h_cost.compute.dbu_price": "Override the platform's DBU price (Databricks only); empty = preset.",
    "preset": "preset",
    "dataTitle": "Events",
    "dataSource": "Source",
    "dataGenerated": "Generated (the controls below)",
    "dataEarthquakes": "USGS earthquakes, 1 week (1,707)",
    "dataFlights": "US flights (200,000)",
    "dataWeblog": "The lab's web-server log (3,252 lines)",
    "dataFile": "Your file…",
    "dataHelp": "Replay real events through any configuration: event time and arrival come from the data.",
    "dataChoose": "Choose a file (CSV, JSON Lines, JSON, access log, Arrow)",
    "dataDrop": "…or drop it here. It stays in your browser: nothing is uploaded.",
    "dataFetchFailed": "The bundled dataset could not be read (HTTP {status}).",
    "codeFetchFailed": "Part of the page's code could not be fetched ({message}); try again.",
    "dataTooLarge": "{name} is {mib} MiB; at most {max} MiB load. Split or sample it first.",
    "dataUnknownFormat": "Cannot tell the format of {name} from its name: use .csv, .jsonl, .json, .log or .arrow.",
    "d_format": "Format",
    "d_event_time": "Event time column",
    "d_event_unit": "Event time unit",
    "d_arrival_mode": "Arrival (processing time)",
    "d_arrival": "Arrival column",
    "d_arrival_unit": "Arrival unit",
    "d_key": "Key column (empty: one key)",
    "du_csv": "CSV", "du_jsonl": "JSON Lines", "du_json": "JSON / GeoJSON", "du_access_log": "Apache access log", "du_arrow": "Arrow IPC",
    "du_rfc3339": "RFC 3339 (2024-01-01T00:00:00Z)", "du_clf": "Access log (28/Sep/2025:10:00:00 +0000)",
    "du_epoch_s": "seconds since 1970", "du_epoch_ms": "milliseconds since 1970", "du_epoch_us": "microseconds since 1970",
    "du_hours": "hours after 2024-01-01",
    "du_column": "its own time column", "du_delay": "event time + a delay column", "du_model": "drawn from the lateness model",
    "du_us": "µs", "du_ms": "ms", "du_s": "s", "du_min": "min", "du_h": "h",
    "dRows": "rows read", "dEvents": "events", "dBad": "bad rows", "dKeys": "keys",
    "dUnmatched": "no match in the join", "dFiltered": "filtered out", "dClamped": "arrival before event time (set to it)",
    "dLateP50": "lateness p50", "dLateP99": "lateness p99", "dLateModel": "lateness", "dLateModelV": "from the model",
    "dLoadMs": "load time",
    "dBadLine": "line {line}: {reason}",
    "openFull": "Open in Pipeline Simulator ↗",
    "pysparkTitle": "Run it on a real cluster: the PySpark code",
    "pysparkNote": "The same source, watermark, query, trigger and sink as a PySpark Structured Streaming job (python3 job.py --help for its paths).",
    "pysparkCopy": "Copy the code",
    "pysparkCopied": "Copied.",
    "lessonGuess": "Your prediction",
    "lessonReveal": "Reveal",
    "lessonNeedGuess": "Predict first: type a number or pick an answer.",
    "lessonRight": "Right.",
    "lessonWrong": "Not quite.",
    "lessonValue": "The simulation says {value}; you said {guess} (within ±{tol} % counts).",
    "lessonChoice": "The answer: {choice}.",
    "lessonHidden": "Results are blurred until you answer the question above.",
    "lessonProblem": "This lesson cannot be used: {problem}",
    "galleryTitle": "Lessons",
    "galleryOpen": "Open",
    "galleryIntro": "Each lesson opens the simulator on a ready scenario and asks a question: predict, then reveal.",
    "galleryApp": "Open the simulator without a lesson",
    "galleryWrite": "Write your own lesson",
    "dJoin": "{how} join with {file} on {on} = {key} (as {type})",
    "dFilter": "WHERE {cond}",
    "exportTitle": "Take the results out",
    "exBatchesArrow": "Batches (Arrow IPC)", "exEventsArrow": "Events (Arrow IPC)",
    "exBatchesCsv": "Batches (CSV)", "exEventsCsv": "Events (CSV)",
    "exChartsPng": "Charts (PNG)", "exChartsSvg": "Charts (SVG)",
    "exportNote": "Made in your browser from this run. Arrow opens in pandas, Polars or DuckDB.",
    "exporting": "Preparing…",
    "exported": "Saved {name} ({bytes} bytes).",
    "exportedCharts": "Saved {n} charts.",
    "f_cost.storage.preset": "Storage",
    "h_cost.storage.preset": "Object store and tier; prices in docs/model.md.",
    "o_s3_standard": "S3 Standard",
    "o_s3_standard_ia": "S3 Standard-IA",
    "o_adls_hot": "ADLS Gen2 hot",
    "o_adls_cool": "ADLS Gen2 cool",
    "o_gcs_standard": "GCS Standard",
    "f_cost.compute.preset": "Compute",
    "h_cost.compute.preset": "Platform and rate of the cluster (m6i.xlarge nodes).",
    "o_databricks_jobs_aws": "Databricks Jobs",
    "o_databricks_all_purpose_aws": "Databricks All-Purpose",
    "o_databricks_serverless_aws": "Databricks Serverless",
    "o_emr_aws": "Amazon EMR",
    "o_ec2_aws": "Spark on EC2",
    "f_workload.row_bytes": "Row size",
    "h_workload.row_bytes": "Bytes of one event as the sink writes it (before compression).",
    "f_source.kafka_partitions": "Kafka partitions",
    "h_source.kafka_partitions": "Partitions of the source topic (read tasks of a stateless batch).",
    auto: 'auto',
    typedLabel: '{field}, typed',
    typedBadDuration: '“{text}” is not a duration: type e.g. 90, 15 min, 2 h or 30 d.',
    typedBadNumber: '“{text}” is not a number: type e.g. 50000, 50k or 10M.',
    cluster: 'Cluster',
    clusterAuto: '{nodes} nodes (auto), {busy} busy at peak',
    clusterFixed: '{nodes} nodes, {busy} busy at peak',
    clusterBehind: '{nodes} nodes, {busy} busy at peak: falling behind',
    "f_cost.compute.nodes": "Nodes",
    "f_cost.brokers.preset": "Kafka brokers",
    "h_cost.brokers.preset": "Price of the source topic’s cluster, the same for every trigger; none: not billed here.",
    "o_gcp_managed_kafka": "Google Managed Kafka",
    "c_brokers": "Kafka brokers",
    "h_cost.compute.nodes": "Cluster size, driver included; empty or “auto”: the smallest that keeps up at the peak.",
    "f_seed": "Seed",
    "h_seed": "Same seed, same events, same result.",
    "controls": "Scenario",
    "running": "Running…",
    "copyLink": "Copy link",
    "copied": "Link copied",
    "viewRun": "This configuration",
    "viewSweep": "Sweep the trigger interval",
    "chartFiles": "Data files in the table over time",
    "chartCost": "Cumulative cost (USD) over time",
    "chartState": "State rows and backlog per micro-batch",
    "sRequests": "requests",
    "sAtRest": "at rest",
    "sCompute": "cluster",
    "sFiles": "live data files",
    "sState": "state rows",
    "sBacklog": "backlog rows",
    "costBars": "Monthly cost by component",
    "c_compute": "Cluster",
    "c_requests": "Storage requests",
    "c_at_rest": "Storage at rest",
    "c_readers": "Readers",
    "c_maintenance": "Maintenance",
    "sweepRun": "Run the sweep",
    "sweepCancel": "Cancel",
    "sweepProgress": "{done} of {total} runs",
    "sweepCancelled": "Sweep cancelled.",
    "sweepMode": "Sweep over",
    "sla": "Freshness SLA (p95 latency, minutes)",
    "sweepAnswer": "Cheapest meeting p95 ≤ {sla}: {label} at {usd}/month (p95 {p95}).",
    "sweepNone": "No interval meets p95 ≤ {sla}.",
    "chartSweep": "Cost per month and p95 latency vs trigger interval",
    // The pooled sweep (sweep-pool.js, sweep-panel.js): refusals, failures, progress.
    sweepRefused: 'The sweep did not start, so nothing ran: {count} of {total} points cannot run.',
    sweepPoint: "(sweep point '{label}')",
    sweepWithControl: '{message}. Control to change: {control}.',
    sweepSomeFailed: '{ran} of {total} points ran; {failed} failed while running (the table says why).',
    sweepSomeRefused: '{ran} of {total} points ran; {refused} cannot run and were not started (the table says why).',
    sweepSoFar: 'So far ({done} of {total} points):',
    sweepOfRan: 'Of the {done} of {total} points that ran:',
    sweepFailedRow: 'Failed while running:',
    sweepRefusedRow: 'Cannot run (not started):',
    sweepWaiting: 'waiting…',
    sweepKnown: 'the page’s own run of this configuration, not run again',
    sweepNotRun: 'not run',
    "sUsd": "$/month",
    "sP95": "p95 latency",
    "sX": "Trigger interval",
    "sPareto": "Pareto front",
    "thTrigger": "Trigger",
    "thUsd": "$/month",
    "thP95": "p95 latency",
    "thFiles": "Data files/day",
    "thRequests": "Requests/day",
    "thPareto": "Pareto",
    "moreBatches": "Showing the first {shown} of {total} micro-batches.",
    "stripUsd": "$/month",
    "stripP95": "p95 latency",
    "stripFiles": "Data files/day",
    "stripRequests": "Requests/day",
    "stripClass": "Class",
    "stripRan": "Run time",
    "viewTimeline": "Timeline",
    "tlX": "processing time (min)",
    "tlY": "event time (min)",
    "tlPlay": "Play",
    "tlPause": "Pause",
    "tlStep": "Step ▶",
    "tlBack": "◀ Back",
    "tlScrub": "Micro-batch",
    "tlAt": "after batch {b} of {n}",
    "tlSampled": "Showing {shown} events: every {stride}th (a systematic sample). The legend counts these; the summary’s counts and percentiles use every event.",
    "tlLegendAll": "Events by fate (every event of the run):",
    "tlLegendDrawn": "Events drawn, by fate (the {shown} drawn, not the whole run):",
    "tlHelp": "Each point is an event: left to right when it arrived, bottom to top when it happened. The red step line is the watermark; green boxes are windows, filled once emitted.",
    "fate_on_time": "on time",
    "fate_late_counted": "late but counted",
    "fate_dropped": "dropped as late",
    "fate_duplicate": "duplicate",
    "fate_in_state": "still in state",
    "fate_unprocessed": "never processed",
    "ruleHead": "Event {id} (event time {et}, arrived {arr}):",
    "rule_on_time": "event time ≥ watermark {wm} of batch {b} → counted on time.",
    "rule_on_time_nowm": "no watermark yet in batch {b} → counted.",
    "rule_late_counted": "event time < watermark {wm} of batch {b}, but its window ends {we}, after the watermark → counted (late).",
    "rule_dropped_window": "window end {we} ≤ watermark {wm} of batch {b} → dropped.",
    "rule_dropped": "event time ≤ watermark {wm} of batch {b} → dropped.",
    "rule_duplicate": "its key was seen before (batch {b}) → dropped as a duplicate.",
    "rule_in_state": "counted in batch {b}; its window never closed before the input ended → still in state.",
    "rule_unprocessed": "no batch took it before the run ended.",
    "pin": "Pin to compare",
    "viewCompare": "Compare",
    "compareEmpty": "Pin up to 4 configurations (the Pin button above) to compare them here.",
    "pinStream": "stream",
    "pinJob": "job",
    "unpin": "Remove {label}",
    "latP50": "p50 latency",
    "latP95": "p95 latency",
    "latP99": "p99 latency",
    "cmpSizes": "Written data files by size",
    "pinFull": "At most 4 pinned: remove one first.",
    "pinned": "Pinned.",
    "f_query.window.kind": "Window kind",
    "h_query.window.kind": "Tumbling, sliding (slide = size / 2) or session (gap = size).",
    "o_tumbling": "tumbling",
    "o_sliding": "sliding",
    "o_session": "session",
    "f_workload.lateness.kind": "Lateness distribution",
    "h_workload.lateness.kind": "How late events arrive: none, fixed, uniform [0, 2×mean], exponential, log-normal (σ = 1).",
    "o_none": "none",
    "o_fixed": "fixed",
    "o_uniform": "uniform",
    "o_exponential": "exponential",
    "o_log_normal": "log-normal",
    "f_query.operator": "Operator",
    "h_query.operator": "Windowed count, dropDuplicates, dropDuplicatesWithinWatermark, or a stateless select.",
    "o_window_count": "windowed count",
    "o_dedup": "dropDuplicates",
    "o_dedup_within_watermark": "dropDuplicatesWithinWatermark",
    "o_select": "select (stateless)",
    "qTumbling": "{size} tumbling count",
    "qSliding": "{size} sliding count (every {slide})",
    "qSession": "session count (gap {gap})",
    "runCancelled": "Run cancelled: the results shown are from the previous scenario. Change a control to run again.",
    // Interactive runs (main.js: preview then full, cancel on change; issue #13 part 3).
    previewNote: 'Preview: first {first} — full {span} running…',
    previewPct: '({pct} %)',
    previewDay: 'day',
    previewStopped: 'Preview: first {first} only — the full {span} did not finish.',
    previewTag: 'preview',
    runCancelledPreview: 'Full run cancelled: the results shown are the preview (the first {first} of this scenario). Change a control to run again.',
    lateCounted: 'Late events still counted',
    "f_workload.offline.fraction": "Offline devices",
    "h_workload.offline.fraction": "Share of events that arrive very late (1 min – 2 h by default): devices that were offline send them on reconnect.",
    "f_workload.key_skew": "Key skew",
    "h_workload.key_skew": "Zipf exponent of key popularity; 0 = uniform.",
    "f_cost.reader.every_min": "Dashboard query every",
    "h_cost.reader.every_min": "A downstream reader opening the recent files (small files hurt here).",
    "f_cost.reader.lookback_h": "Dashboard reads the last",
    "h_cost.reader.lookback_h": "How much recent data each dashboard query opens.",
    "tlDetail": "Events drawn (at most)",
    "linkProblem": "The link could not be used ({problem}); showing the defaults.",
    colBatch: 'Batch', colStart: 'Start (s)', colDuration: 'Duration (s)', colInput: 'Input rows',
    wmNone: 'none yet',
    colWatermark: 'Watermark', colDropped: 'Late groups', colState: 'State rows', colOutput: 'Output rows',
    error: 'The simulation could not run: {message}',
    runInvalid: 'This scenario cannot run. {message}. The results shown, greyed, are from the last scenario that ran.',
    runInvalidNone: 'This scenario cannot run. {message}.',
    runCrashed: 'The run stopped: the simulator ran out of memory or hit an internal error while {stage}. It has been restarted, so the next run starts afresh. Make the run smaller and try again: {fields}.',
    runStuck: 'The run stopped: the simulator gave no sign of progress for {seconds} s while {stage}, so it was stopped and restarted. Make the run smaller or change the trigger, then try again: {fields}.',
    failFields: 'shorten the {duration}, lower the {rate}, draw fewer events in the timeline (report.detail_events), or change the {trigger}',
    stage_start: 'starting',
    stage_load: 'loading the data file',
    stage_simulate: 'simulating the scenario',
    stage_sweep: 'running the sweep',
    stage_export: 'making the export',
    stage_pyspark: 'writing the PySpark code',
    linkParts: 'Part of the link was not understood ({parts}); the defaults are used there.',
  },
  // Filled by loadLang('ko') from i18n-ko.js.
  ko: {},
};

/** @type {Promise<void> | null} */
let koLoading = null;

/**
 * Makes `lang`'s labels available to t(): the Korean table is fetched once, the first
 * time. @param {Lang} lang @returns {Promise<void>}
 */
export function loadLang(lang) {
  if (lang !== 'ko') return Promise.resolve();
  return (koLoading ??= import('./i18n-ko.js').then(({ KO }) => { Object.assign(STRINGS.ko, KO); }));
}

/** @returns {Lang} */
export function initialLang() {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'ko' || fromUrl === 'en') return fromUrl;
  return navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/**
 * @param {Lang} lang
 * @param {string} key
 * @param {Record<string, string | number>} [vars]
 */
export function t(lang, key, vars = {}) {
  const s = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  if (lang !== 'ko') return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? `{${k}}`));
  // Korean: a particle right after a value (not the start of a word, nor "은(는)") follows
  // the value's last sound: "15분을", "30초를".
  return s.replace(/\{(\w+)\}((?:으로|로|을|를|이|가|은|는|과|와)(?![가-힣(]))?/g, (_, k, p) => {
    const v = String(vars[k] ?? `{${k}}`);
    return p ? v + particle(v, p) : v;
  });
}

/** Korean particles: [after a final consonant, after a vowel]. */
const PARTICLES = [['을', '를'], ['이', '가'], ['은', '는'], ['과', '와'], ['으로', '로']];

/**
 * The final consonant (받침) `text` ends with, read aloud: 0 none, 8 ㄹ, another number
 * another consonant; -1 when it cannot tell (a Latin letter, a sign). A number ends as its
 * last digit reads in Sino-Korean (0 영/십/백, 1 일, 2 이, 3 삼, …).
 * @param {string} text
 */
export function finalConsonant(text) {
  const c = text.trimEnd().slice(-1);
  const code = c.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) return (code - 0xac00) % 28;
  const digit = '0123456789'.indexOf(c);
  // 영(ㅇ 21) 일(ㄹ 8) 이 삼(ㅁ 16) 사 오 육(ㄱ 1) 칠(ㄹ) 팔(ㄹ) 구
  return digit < 0 ? -1 : [21, 8, 0, 16, 0, 0, 1, 8, 8, 0][digit];
}

/**
 * The form of the particle `p` (either form as written) that follows `text`; `p` as
 * written when the text's last sound is unknown.
 * @param {string} text @param {string} p
 */
export function particle(text, p) {
  const pair = PARTICLES.find((q) => q.includes(p));
  const f = finalConsonant(text);
  if (!pair || f < 0) return p;
  if (pair[1] === '로') return f === 0 || f === 8 ? '로' : '으로';
  return f > 0 ? pair[0] : pair[1];
}

/** Fills every element carrying data-i18n. @param {Lang} lang */
export function applyStatic(lang) {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) {
    const key = /** @type {HTMLElement} */ (el).dataset.i18n ?? '';
    el.textContent = t(lang, key);
  }
  // Names without text of their own (a tab list's, a navigation's): data-i18n-label.
  for (const el of document.querySelectorAll('[data-i18n-label]')) {
    el.setAttribute('aria-label', t(lang, /** @type {HTMLElement} */ (el).dataset.i18nLabel ?? ''));
  }
}
