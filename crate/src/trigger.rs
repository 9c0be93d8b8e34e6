//! When micro-batches start, as Spark's trigger executors decide it.

use crate::error::{InputError, positive};
use crate::time::{Micros, secs_to_micros};
use serde::{Deserialize, Serialize};

/// Spark's polling delay when the default trigger finds no new data
/// (`spark.sql.streaming.pollingDelay`, default 10 ms).
pub const POLLING_DELAY: Micros = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TriggerSpec {
    /// No `trigger()` call: the next batch starts as soon as the previous one ends.
    Default,
    /// `trigger(processingTime = "<interval_s> seconds")`.
    ProcessingTime { interval_s: f64 },
}

impl Default for TriggerSpec {
    fn default() -> Self {
        TriggerSpec::ProcessingTime { interval_s: 60.0 }
    }
}

/// A validated trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Default,
    /// Interval in µs, > 0.
    ProcessingTime(Micros),
}

impl TriggerSpec {
    pub fn validate(&self, field: &str) -> Result<Trigger, InputError> {
        match *self {
            TriggerSpec::Default => Ok(Trigger::Default),
            TriggerSpec::ProcessingTime { interval_s } => {
                let f = format!("{field}.interval_s");
                positive(&f, interval_s)?;
                // Spark's trigger intervals are whole milliseconds.
                let us = secs_to_micros(interval_s);
                if us < 1_000 {
                    return Err(InputError::new(
                        f,
                        "must be at least 0.001 s (Spark counts triggers in ms)",
                    ));
                }
                Ok(Trigger::ProcessingTime(us))
            }
        }
    }
}

impl Trigger {
    /// Spark's `ProcessingTimeExecutor.nextBatchTime`: the first interval boundary
    /// strictly after `batch_start`. The executor then waits until that time; a batch
    /// that ended later starts the next one at once ("falling behind").
    pub fn next_start(&self, batch_start: Micros, batch_end: Micros) -> Micros {
        match *self {
            Trigger::Default => batch_end,
            Trigger::ProcessingTime(iv) => {
                let next = batch_start.div_euclid(iv) * iv + iv;
                next.max(batch_end)
            }
        }
    }

    /// The first moment at or after `t` at which the trigger looks for new data.
    pub fn next_poll(&self, t: Micros) -> Micros {
        match *self {
            Trigger::Default => t,
            Trigger::ProcessingTime(iv) => {
                let r = t.rem_euclid(iv);
                if r == 0 { t } else { t - r + iv }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processing_time_aligns_and_falls_behind() {
        let t = TriggerSpec::ProcessingTime { interval_s: 10.0 }
            .validate("trigger")
            .unwrap();
        assert_eq!(t.next_start(0, 2_000_000), 10_000_000);
        // overran: the next batch starts at once
        assert_eq!(t.next_start(0, 12_000_000), 12_000_000);
        // and the one after is back on the grid
        assert_eq!(t.next_start(12_000_000, 13_000_000), 20_000_000);
        assert_eq!(t.next_poll(20_000_000), 20_000_000);
        assert_eq!(t.next_poll(20_000_001), 30_000_000);
    }

    #[test]
    fn bad_intervals() {
        for v in [0.0, -1.0, f64::NAN, f64::INFINITY, 0.0001] {
            let e = TriggerSpec::ProcessingTime { interval_s: v }
                .validate("trigger")
                .unwrap_err();
            assert_eq!(e.field, "trigger.interval_s", "{v}");
        }
    }
}
