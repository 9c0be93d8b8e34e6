//! Fuzzing, as part of the project: every parser of user input (the scenario, a data
//! mapping, each loader's format) fed thousands of mutated inputs, each of which must give
//! a result or an error naming a field — never a panic, a hang or a runaway allocation.
//!
//! The rule checked per input: no panic (caught and counted, with the input saved); wall
//! time under `time_bound` (a watchdog ends the process past 4× that, with the input
//! saved); peak resident memory under `memory_bound` (Linux's `VmHWM`, reset before each
//! input through `/proc/self/clear_refs`). Inputs come from [`mutate`], seeded: the same
//! (target, seed, count) gives the same inputs, so a failure reproduces.
//!
//! Tooling, not the core: it reads the wall clock and `/proc`, so it is built natively
//! only. The CLI runs it (`pipeline-sim fuzz`), `make test` runs a bounded pass in
//! release and another in the debug build (overflow checks on), `make fuzz` a long one.
//! `--emit` writes each input and its outcome, for the wasm build to be checked against
//! (tests/e2e/fuzz-wasm.test.mjs).

pub mod mutate;
pub mod targets;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
pub use targets::{Outcome, Replay, TARGETS, Target, target};

/// How a fuzz run is bounded.
#[derive(Debug, Clone)]
pub struct Config {
    /// Generated inputs per target (the corpus is replayed on top).
    pub inputs: u64,
    pub seed: u64,
    /// Runs with more expected events are validated only.
    pub max_events: f64,
    /// One input's wall time at most.
    pub time_bound: Duration,
    /// Peak resident memory at most, bytes.
    pub memory_bound: u64,
    /// Saved inputs to replay first: `<corpus>/<target>/*`.
    pub corpus: Option<PathBuf>,
    /// Where failing inputs are saved.
    pub out_dir: PathBuf,
}

/// What went wrong with one input.
#[derive(Debug, Clone)]
pub struct Failure {
    pub kind: &'static str,
    pub message: String,
    pub saved: PathBuf,
}

/// One target's figures.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub target: &'static str,
    pub inputs: u64,
    pub ran: u64,
    pub refused: u64,
    pub large: u64,
    pub failures: Vec<Failure>,
    pub max_ms: f64,
    pub total_ms: f64,
    pub peak_rss: u64,
    /// Every input and its outcome, when asked for (`emit`).
    pub emitted: Vec<(Vec<u8>, Outcome)>,
}

impl Stats {
    /// The header of [`Stats::row`].
    pub fn header() -> String {
        format!(
            "{:<11} {:>7} {:>7} {:>8} {:>6} {:>8} {:>9} {:>9} {:>9}",
            "target", "inputs", "ran", "refused", "large", "failures", "mean ms", "max ms", "peak MiB"
        )
    }

    /// One line of figures: inputs, how they ended, time per input, peak memory.
    pub fn row(&self) -> String {
        format!(
            "{:<11} {:>7} {:>7} {:>8} {:>6} {:>8} {:>9.2} {:>9.1} {:>9}",
            self.target,
            self.inputs,
            self.ran,
            self.refused,
            self.large,
            self.failures.len(),
            self.total_ms / self.inputs.max(1) as f64,
            self.max_ms,
            self.peak_rss >> 20
        )
    }
}

static PANIC_MESSAGE: Mutex<Option<String>> = Mutex::new(None);

fn read_peak_rss() -> u64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/status") else {
        return 0;
    };
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The inputs of `<corpus>/<target>/`, sorted by name.
fn corpus_inputs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
        .collect()
}

/// Runs one target; `emit` keeps every input and outcome in the stats.
pub fn run_target(t: &Target, cfg: &Config, emit: bool) -> Stats {
    std::fs::create_dir_all(&cfg.out_dir).ok();
    let mut st = Stats {
        target: t.name,
        ..Stats::default()
    };
    let current = cfg.out_dir.join(format!("current-{}.bin", t.name));
    // The watchdog: an input running past 4× the bound (at least 30 s) ends the process.
    let started = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    let hang_ms = (cfg.time_bound.as_millis() as u64 * 4).max(30_000);
    let origin = Instant::now();
    let dog = {
        let (started, done, current) = (started.clone(), done.clone(), current.clone());
        std::thread::spawn(move || {
            while done.load(Ordering::Relaxed) == 0 {
                std::thread::sleep(Duration::from_millis(100));
                let s = started.load(Ordering::Relaxed);
                if s != 0 && origin.elapsed().as_millis() as u64 > s + hang_ms {
                    eprintln!(
                        "fuzz: HANG: an input ran over {} s; it is saved at {}",
                        hang_ms / 1000,
                        current.display()
                    );
                    std::process::exit(3);
                }
            }
        })
    };
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut m) = PANIC_MESSAGE.lock() {
            *m = Some(info.to_string());
        }
    }));
    let mut rng = mutate::Rng::new(cfg.seed ^ fnv(t.name));
    let replay = cfg
        .corpus
        .as_ref()
        .map(|c| corpus_inputs(&c.join(t.name)))
        .unwrap_or_default();
    let total = replay.len() as u64 + cfg.inputs;
    let mut replay = replay.into_iter();
    for i in 0..total {
        let input = match replay.next() {
            Some((_, b)) => b,
            None => (t.input)(&mut rng),
        };
        std::fs::write(&current, &input).ok();
        reset_peak_rss();
        let t0 = Instant::now();
        started.store(origin.elapsed().as_millis() as u64 + 1, Ordering::Relaxed);
        let result = std::panic::catch_unwind(|| (t.run)(&input, cfg.max_events));
        started.store(0, Ordering::Relaxed);
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        let rss = read_peak_rss();
        st.inputs += 1;
        st.total_ms += ms;
        if ms > st.max_ms {
            st.max_ms = ms;
            std::fs::write(cfg.out_dir.join(format!("{}-slowest.bin", t.name)), &input).ok();
        }
        if rss > st.peak_rss {
            st.peak_rss = rss;
            std::fs::write(cfg.out_dir.join(format!("{}-peak-memory.bin", t.name)), &input).ok();
        }
        let mut fail = |kind: &'static str, message: String| {
            let saved = cfg.out_dir.join(format!("{}-{kind}-{i}.bin", t.name));
            std::fs::write(&saved, &input).ok();
            st.failures.push(Failure { kind, message, saved });
        };
        match result {
            Err(_) => {
                let msg = PANIC_MESSAGE
                    .lock()
                    .ok()
                    .and_then(|mut m| m.take())
                    .unwrap_or_default();
                fail("panic", msg);
                continue;
            }
            Ok(outcome) => {
                if ms > cfg.time_bound.as_secs_f64() * 1e3 {
                    fail("slow", format!("{ms:.0} ms"));
                }
                if rss > cfg.memory_bound {
                    fail("memory", format!("peak {} MiB", rss >> 20));
                }
                match &outcome {
                    Outcome::Ran(_) => st.ran += 1,
                    Outcome::Refused { field, message } => {
                        st.refused += 1;
                        if message.is_empty() || (field.is_empty() && !is_whole_document(message)) {
                            fail("unnamed", format!("a refusal that names no field: {message}"));
                        }
                    }
                    Outcome::Large => st.large += 1,
                }
                if emit {
                    st.emitted.push((input, outcome));
                }
            }
        }
    }
    std::panic::set_hook(previous_hook);
    done.store(1, Ordering::Relaxed);
    dog.join().ok();
    std::fs::remove_file(&current).ok();
    st
}

/// Refusals about the document as a whole (not JSON, not UTF-8) rightly name no field.
fn is_whole_document(message: &str) -> bool {
    message.contains("not valid JSON")
        || message.contains("larger than")
        || message.contains("not UTF-8")
        || message.contains("trailing characters")
        || message.contains("EOF while parsing")
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

/// One line of `--emit`: the target, what the wasm module is to be given (bytes in hex),
/// and the native outcome (`ran:<digest>`, `refused:<the error as the page shows it>` or
/// `large`).
pub fn emit_line(out: &mut dyn Write, t: &Target, input: &[u8], outcome: &Outcome) -> std::io::Result<()> {
    let o = match outcome {
        Outcome::Ran(d) => format!("ran:{d}"),
        Outcome::Refused { field, message } => {
            format!(
                "refused:{}",
                crate::InputError::new(field.clone(), message.clone())
            )
        }
        Outcome::Large => "large".into(),
    };
    let line = match (t.replay)(input) {
        Replay::Scenario(s) => serde_json::json!({"target": t.name, "scenario": hex(&s), "outcome": o}),
        Replay::Data { file, join, spec } => serde_json::json!({
            "target": t.name, "file": hex(&file), "join": join.map(|j| hex(&j)),
            "spec": hex(&spec), "outcome": o
        }),
    };
    writeln!(out, "{line}")
}
