//! A Flink job's settings in a scenario (the `flink` section, read when `engine.name` is
//! `"flink"`): the checkpoint that commits the exactly-once file sink, the periodic
//! watermark, the window operator's lateness handling and the job's parallelism.
//!
//! Defaults and their sources (Flink 2.3 configuration reference, read 2026-11):
//! - `pipeline.auto-watermark-interval` = 200 ms;
//! - `parallelism.default` = 1; the max parallelism (key groups) of a job with parallelism
//!   ≤ 128 is 128 (`KeyGroupRangeAssignment.computeDefaultMaxParallelism`);
//! - `state.checkpoints.num-retained` = 1;
//! - `state.storage.fs.memory-threshold` = 20 KiB (state smaller than this is inlined into
//!   the checkpoint's `_metadata` file);
//! - `allowedLateness` = 0 and no late side output (`WindowedStream`).
//!
//! Assumptions (not Flink defaults): checkpointing is **off** by default in Flink, but the
//! exactly-once `FileSink` only commits files on checkpoints, so a job with a file sink
//! must set an interval — 60 s here, a common choice, not a measurement. A checkpoint's
//! duration (barrier to completion: snapshots uploaded, `_metadata` written, the
//! `notifyCheckpointComplete` that commits the sink's files) is 1 s, an assumption for a
//! small state on object storage; set it from your job's checkpoint metrics.
//!
//! Invariants (validation): the interval is at least 10 ms (Flink's minimum checkpoint
//! interval) and longer than the duration (Flink's default `max-concurrent-checkpoints` is
//! 1, so a checkpoint that outlasts the interval delays the next — not modelled, refused);
//! all times whole ms.

use crate::base::error::{InputError, Unit, duration};
use crate::base::time::{MICROS_PER_MS, Micros};
use serde::Serialize;

/// The `flink` section of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct FlinkSpec {
    /// `execution.checkpointing.interval`, s. Default 60 (an assumption, see above).
    pub checkpoint_interval_s: f64,
    /// Barrier to completed checkpoint, s. Default 1 (an assumption).
    pub checkpoint_duration_s: f64,
    /// `pipeline.auto-watermark-interval`, ms. Default 200.
    pub watermark_interval_ms: f64,
    /// `.allowedLateness(...)`, s. Default 0.
    pub allowed_lateness_s: f64,
    /// `.sideOutputLateData(tag)`: late elements go to a side output instead of being
    /// dropped (counted by `numLateRecordsDropped`). Default false.
    pub late_side_output: bool,
    /// The job's parallelism (window operator and sink subtasks). Default 1.
    pub parallelism: u32,
    /// `state.checkpoints.num-retained`. Default 1.
    pub retained_checkpoints: u32,
    /// `state.storage.fs.memory-threshold`, bytes. Default 20 480.
    pub state_inline_bytes: u64,
    /// `WatermarkStrategy.withIdleness(...)`, s: a Kafka partition without records for
    /// this long stops holding the watermark back. `null` (default): none, so a partition
    /// without data stalls every window.
    pub idleness_s: Option<f64>,
}

impl Default for FlinkSpec {
    fn default() -> Self {
        Self {
            checkpoint_interval_s: 60.0,
            checkpoint_duration_s: 1.0,
            watermark_interval_ms: 200.0,
            allowed_lateness_s: 0.0,
            late_side_output: false,
            parallelism: 1,
            retained_checkpoints: 1,
            state_inline_bytes: 20_480,
            idleness_s: None,
        }
    }
}

/// Most subtasks a scenario may run (Flink's largest max parallelism is 32 768; the
/// simulator keeps per-subtask files per checkpoint).
pub const MAX_PARALLELISM: u32 = 1024;

/// A validated `flink` section, µs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlinkConf {
    pub checkpoint_interval: Micros,
    pub checkpoint_duration: Micros,
    pub watermark_interval: Micros,
    pub allowed_lateness: Micros,
    pub late_side_output: bool,
    pub parallelism: u32,
    /// Key groups (`maxParallelism`): 128 up to parallelism 128, else the next power of
    /// two of 1.5 × parallelism (`computeDefaultMaxParallelism`).
    pub max_parallelism: u32,
    pub retained_checkpoints: u32,
    pub state_inline_bytes: u64,
    pub idleness: Option<Micros>,
}

/// Whole ms, as Flink's durations are.
fn whole_ms(us: Micros) -> Micros {
    us - us.rem_euclid(MICROS_PER_MS)
}

impl FlinkSpec {
    pub fn validate(&self, field: &str) -> Result<FlinkConf, InputError> {
        let f = |name: &str| format!("{field}.{name}");
        let interval = whole_ms(duration(
            &f("checkpoint_interval_s"),
            self.checkpoint_interval_s,
            Unit::Seconds,
            false,
        )?);
        if interval < 10 * MICROS_PER_MS {
            return Err(InputError::new(
                f("checkpoint_interval_s"),
                "must be at least 0.01 s (Flink's minimum checkpoint interval is 10 ms)",
            ));
        }
        let dur = whole_ms(duration(
            &f("checkpoint_duration_s"),
            self.checkpoint_duration_s,
            Unit::Seconds,
            true,
        )?);
        if dur >= interval {
            return Err(InputError::new(
                f("checkpoint_duration_s"),
                format!(
                    "a checkpoint of {} s does not finish within the {} s interval (Flink would \
                     delay the next one; not simulated): lower the duration or raise \
                     {field}.checkpoint_interval_s",
                    crate::base::number::display(self.checkpoint_duration_s),
                    crate::base::number::display(self.checkpoint_interval_s)
                ),
            ));
        }
        let wm = duration(
            &f("watermark_interval_ms"),
            self.watermark_interval_ms / 1000.0,
            Unit::Seconds,
            false,
        )?;
        let wm = whole_ms(wm);
        if wm > 86_400 * 1_000_000 {
            return Err(InputError::new(
                f("watermark_interval_ms"),
                "must be at most a day (86 400 000 ms; Flink's default is 200 ms)",
            ));
        }
        if wm < MICROS_PER_MS {
            return Err(InputError::new(
                f("watermark_interval_ms"),
                "must be at least 1 ms (0 turns periodic watermarks off, which an event-time window needs)",
            ));
        }
        let lateness = whole_ms(duration(
            &f("allowed_lateness_s"),
            self.allowed_lateness_s,
            Unit::Seconds,
            true,
        )?);
        if !(1..=MAX_PARALLELISM).contains(&self.parallelism) {
            return Err(InputError::new(
                f("parallelism"),
                format!("must be 1 to {MAX_PARALLELISM}"),
            ));
        }
        if self.retained_checkpoints == 0 {
            return Err(InputError::new(f("retained_checkpoints"), "must be at least 1"));
        }
        let max_parallelism = if self.parallelism <= 128 {
            128
        } else {
            (self.parallelism + self.parallelism / 2).next_power_of_two()
        };
        let idleness = match self.idleness_s {
            None => None,
            Some(v) => {
                let t = whole_ms(duration(&f("idleness_s"), v, Unit::Seconds, false)?);
                if t < MICROS_PER_MS {
                    return Err(InputError::new(
                        f("idleness_s"),
                        "must be at least 0.001 s (1 ms), or null",
                    ));
                }
                Some(t)
            }
        };
        Ok(FlinkConf {
            idleness,
            checkpoint_interval: interval,
            checkpoint_duration: dur,
            watermark_interval: wm,
            allowed_lateness: lateness,
            late_side_output: self.late_side_output,
            parallelism: self.parallelism,
            max_parallelism,
            retained_checkpoints: self.retained_checkpoints,
            state_inline_bytes: self.state_inline_bytes,
        })
    }
}

/// A build without the Flink engine (the page's first wasm module) refuses the section
/// rather than reading settings it cannot use.
#[cfg(not(feature = "flink"))]
impl crate::base::spec_reader::Read for FlinkSpec {
    fn read(at: crate::base::spec_reader::At) -> Result<Self, InputError> {
        Err(InputError::new(
            at.path,
            "this module simulates Spark only (the page runs a scenario with a flink section \
             in its Flink module, www/pkg-flink; the pipeline-sim command line has both): \
             remove the flink section",
        ))
    }
}

#[cfg(feature = "flink")]
crate::read_defaults!(FlinkSpec {
    checkpoint_interval_s,
    checkpoint_duration_s,
    watermark_interval_ms,
    allowed_lateness_s,
    late_side_output,
    parallelism,
    retained_checkpoints,
    state_inline_bytes,
    idleness_s,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_refusals_name_the_field() {
        let c = FlinkSpec::default().validate("flink").unwrap();
        assert_eq!(c.checkpoint_interval, 60_000_000);
        assert_eq!(c.watermark_interval, 200_000);
        assert_eq!(c.max_parallelism, 128);
        let e = FlinkSpec {
            checkpoint_duration_s: 60.0,
            ..FlinkSpec::default()
        }
        .validate("flink")
        .unwrap_err();
        assert_eq!(e.field, "flink.checkpoint_duration_s");
        let e = FlinkSpec {
            checkpoint_interval_s: 0.001,
            ..FlinkSpec::default()
        }
        .validate("flink")
        .unwrap_err();
        assert_eq!(e.field, "flink.checkpoint_interval_s");
        let e = FlinkSpec {
            parallelism: 0,
            ..FlinkSpec::default()
        }
        .validate("flink")
        .unwrap_err();
        assert_eq!(e.field, "flink.parallelism");
        let big = FlinkSpec {
            parallelism: 200,
            ..FlinkSpec::default()
        }
        .validate("flink")
        .unwrap();
        assert_eq!(big.max_parallelism, 512);
    }
}
