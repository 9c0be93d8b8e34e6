//! When micro-batches start, as Spark's trigger executors decide it.

use crate::base::error::{InputError, Unit, duration};
use crate::base::time::Micros;
use serde::Serialize;

/// Spark's polling delay when the default trigger finds no new data
/// (`spark.sql.streaming.pollingDelay`, default 10 ms).
pub const POLLING_DELAY: Micros = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TriggerSpec {
    /// No `trigger()` call: the next batch starts as soon as the previous one ends.
    Default,
    /// `trigger(processingTime = "<interval_s> seconds")`.
    ProcessingTime { interval_s: f64 },
    /// `trigger(once = True)`: one batch with everything available, then the query stops.
    /// `at_s`: when it runs, s after the workload's start; `null` = after the last arrival.
    Once {
        #[serde(default)]
        at_s: Option<f64>,
    },
    /// `trigger(availableNow = True)`: rate-limited batches until everything available at
    /// the start is processed, a final no-data batch when the watermark moved, then stop.
    AvailableNow {
        #[serde(default)]
        at_s: Option<f64>,
    },
    /// A scheduled batch job: every `every_s` a cluster starts (`startup_s`, default 270 s:
    /// a classic cluster takes ~4-5 min) and runs the query with `availableNow` (or `once`).
    Scheduled {
        every_s: f64,
        #[serde(default = "default_startup_s")]
        startup_s: f64,
        #[serde(default)]
        once: bool,
    },
    /// `trigger(continuous = "<checkpoint_interval_s> seconds")`: rows are processed as they
    /// arrive; epochs commit every interval. Spark allows it for stateless queries only.
    Continuous { checkpoint_interval_s: f64 },
}

fn default_startup_s() -> f64 {
    270.0
}

impl Default for TriggerSpec {
    fn default() -> Self {
        TriggerSpec::ProcessingTime { interval_s: 60.0 }
    }
}

/// A validated trigger; all times µs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Default,
    /// Interval, > 0.
    ProcessingTime(Micros),
    /// Query runs that each process what has arrived by their start, then stop.
    Runs(Runs),
    /// Epoch (checkpoint) interval, > 0.
    Continuous(Micros),
}

/// When the runs of a run-and-stop trigger happen, relative to the workload's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Runs {
    /// First run; `None` = after the last arrival (a single run).
    pub first: Option<Micros>,
    /// Period of a scheduled job; `None` = a single run.
    pub every: Option<Micros>,
    /// Cluster start-up before each run.
    pub startup: Micros,
    /// `true`: one unlimited batch (`once`); `false`: `availableNow`.
    pub once: bool,
}

impl TriggerSpec {
    pub fn validate(&self, field: &str) -> Result<Trigger, InputError> {
        // Spark's trigger intervals are whole milliseconds.
        let ms_interval = |name: &str, v: f64| -> Result<Micros, InputError> {
            let f = format!("{field}.{name}");
            let us = duration(&f, v, Unit::Seconds, false)?;
            if us < 1_000 {
                return Err(InputError::new(
                    f,
                    "must be at least 0.001 s (Spark counts triggers in ms)",
                ));
            }
            Ok(us)
        };
        let at = |v: Option<f64>| -> Result<Option<Micros>, InputError> {
            v.map(|s| duration(&format!("{field}.at_s"), s, Unit::Seconds, true))
                .transpose()
        };
        Ok(match *self {
            TriggerSpec::Default => Trigger::Default,
            TriggerSpec::ProcessingTime { interval_s } => {
                Trigger::ProcessingTime(ms_interval("interval_s", interval_s)?)
            }
            TriggerSpec::Once { at_s } => Trigger::Runs(Runs {
                first: at(at_s)?,
                every: None,
                startup: 0,
                once: true,
            }),
            TriggerSpec::AvailableNow { at_s } => Trigger::Runs(Runs {
                first: at(at_s)?,
                every: None,
                startup: 0,
                once: false,
            }),
            TriggerSpec::Scheduled {
                every_s,
                startup_s,
                once,
            } => {
                let every = ms_interval("every_s", every_s)?;
                let startup = duration(&format!("{field}.startup_s"), startup_s, Unit::Seconds, true)?;
                Trigger::Runs(Runs {
                    first: Some(every),
                    every: Some(every),
                    startup,
                    once,
                })
            }
            TriggerSpec::Continuous {
                checkpoint_interval_s,
            } => Trigger::Continuous(ms_interval("checkpoint_interval_s", checkpoint_interval_s)?),
        })
    }
}

impl Trigger {
    /// Spark's `ProcessingTimeExecutor.nextBatchTime`: the first interval boundary
    /// strictly after `batch_start`. The executor then waits until that time; a batch
    /// that ended later starts the next one at once ("falling behind").
    pub fn next_start(&self, batch_start: Micros, batch_end: Micros) -> Micros {
        match *self {
            Trigger::Default | Trigger::Runs(_) | Trigger::Continuous(_) => batch_end,
            Trigger::ProcessingTime(iv) => {
                let next = batch_start.div_euclid(iv) * iv + iv;
                next.max(batch_end)
            }
        }
    }

    /// The first moment at or after `t` at which the trigger looks for new data.
    pub fn next_poll(&self, t: Micros) -> Micros {
        match *self {
            Trigger::Default | Trigger::Runs(_) | Trigger::Continuous(_) => t,
            Trigger::ProcessingTime(iv) => {
                let r = t.rem_euclid(iv);
                if r == 0 { t } else { t - r + iv }
            }
        }
    }
}

crate::read_tagged!(TriggerSpec {
    "default" => Default,
    "processing_time" => ProcessingTime { interval_s: req },
    "once" => Once { at_s: opt },
    "available_now" => AvailableNow { at_s: opt },
    "scheduled" => Scheduled { every_s: req, startup_s: (default_startup_s()), once: opt },
    "continuous" => Continuous { checkpoint_interval_s: req },
});

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
    fn run_triggers() {
        let t = TriggerSpec::Scheduled {
            every_s: 3600.0,
            startup_s: 270.0,
            once: false,
        }
        .validate("trigger")
        .unwrap();
        assert_eq!(
            t,
            Trigger::Runs(Runs {
                first: Some(3_600_000_000),
                every: Some(3_600_000_000),
                startup: 270_000_000,
                once: false
            })
        );
        let t: TriggerSpec = crate::base::input::from_str(r#"{"kind": "available_now"}"#).unwrap();
        assert_eq!(t, TriggerSpec::AvailableNow { at_s: None });
        let e = TriggerSpec::Once { at_s: Some(-1.0) }
            .validate("trigger")
            .unwrap_err();
        assert_eq!(e.field, "trigger.at_s");
        let e = TriggerSpec::Continuous {
            checkpoint_interval_s: 0.0,
        }
        .validate("trigger")
        .unwrap_err();
        assert_eq!(e.field, "trigger.checkpoint_interval_s");
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
