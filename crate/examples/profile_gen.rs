//! Times the event generator alone (a profiling aid: `cargo run --release --example profile_gen`).
use pipeline_sim::ScenarioSpec;
use std::time::Instant;

fn main() {
    let sc = ScenarioSpec::from_json(
        r#"{"seed": 1, "workload": {"duration_s": 2000, "rate_per_s": 1000, "keys": 100}}"#,
    )
    .expect("valid scenario");
    let t0 = Instant::now();
    let n = pipeline_sim::workload::stream::EventStream::new(sc.workload.clone(), 1).count();
    println!("generator: {n} events in {:.3} s", t0.elapsed().as_secs_f64());
}
