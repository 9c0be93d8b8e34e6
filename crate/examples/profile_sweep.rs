//! Times the page's 16-point stream sweep of a day natively: each point alone, and in
//! groups over one shared stream (a profiling aid: `cargo run --release --example
//! profile_sweep -- [GROUP]`).
use pipeline_sim::ScenarioSpec;
use std::time::Instant;

const GRID: [f64; 16] = [
    1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 21600.0, 43200.0,
    86400.0,
];

fn scenario(t: f64) -> pipeline_sim::Scenario {
    let json = format!(
        r#"{{"version": 1, "seed": 42, "workload": {{"duration_s": 86400, "rate_per_s": 1000, "keys": 100,
        "lateness": {{"kind": "exponential", "mean_s": 5}}}}, "trigger": {{"kind": "processing_time", "interval_s": {t}}},
        "query": {{"operator": "window_count", "window": {{"kind": "tumbling", "size_s": 60}}, "watermark_delay_s": 60,
        "output_mode": "append"}}, "engine": {{"shuffle_partitions": 200}}, "sink": {{"format": "parquet"}}}}"#
    );
    ScenarioSpec::from_json(&json).expect("valid scenario")
}

fn main() {
    let group: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(0);
    let all: Vec<_> = GRID.iter().map(|&t| scenario(t)).collect();
    let t0 = Instant::now();
    if group == 0 {
        for (t, sc) in GRID.iter().zip(&all) {
            let t1 = Instant::now();
            pipeline_sim::simulation::simulate(sc).expect("runs");
            println!("{t:>6} s alone: {:.2} s", t1.elapsed().as_secs_f64());
        }
    } else {
        for chunk in all.chunks(group) {
            let t1 = Instant::now();
            let m = pipeline_sim::simulation::simulate_many(chunk, None);
            println!(
                "group of {}: {:.2} s ({} streams)",
                chunk.len(),
                t1.elapsed().as_secs_f64(),
                m.streams
            );
        }
    }
    println!("total {:.2} s", t0.elapsed().as_secs_f64());
}
