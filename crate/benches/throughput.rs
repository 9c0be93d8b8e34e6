//! Throughput benchmark (not a timed test): events/s of the whole simulation (generator,
//! trigger loop, operator, report) for a 10 M-event tumbling-count scenario with a 1-minute
//! trigger. Run with `cargo bench --bench throughput`; `-- --events N` to change the size.

use pipeline_sim::ScenarioSpec;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let events: f64 = args
        .windows(2)
        .find(|w| w[0] == "--events")
        .and_then(|w| w[1].parse().ok())
        .unwrap_or(10_000_000.0);
    let rate = 1000.0;
    let scenarios = [
        (
            "tumbling 60 s count, append, 1-min trigger, 100 keys, exp. lateness 5 s",
            "append",
            100,
        ),
        ("same, update mode", "update", 100),
        ("same, 10 000 keys", "append", 10_000),
    ];
    for (name, mode, keys) in scenarios {
        let json = format!(
            r#"{{"seed": 1, "workload": {{"duration_s": {}, "rate_per_s": {rate}, "keys": {keys}}},
                 "trigger": {{"kind": "processing_time", "interval_s": 60}},
                 "query": {{"window": {{"kind": "tumbling", "size_s": 60}}, "watermark_delay_s": 60,
                            "output_mode": "{mode}"}}}}"#,
            events / rate
        );
        let sc = ScenarioSpec::from_json(&json).expect("benchmark scenario is valid");
        let t0 = Instant::now();
        let report = pipeline_sim::simulation::simulate(&sc).expect("within budget");
        let secs = t0.elapsed().as_secs_f64();
        let n = report.summary.events as f64;
        println!(
            "{name}: {} events, {} batches in {secs:.2} s = {:.1} M events/s (latency p95 {:.0} s)",
            report.summary.events,
            report.summary.batches,
            n / secs / 1e6,
            report.summary.latency.p95_s.unwrap_or(f64::NAN)
        );
    }
}
