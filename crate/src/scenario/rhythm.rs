//! A scenario's rhythm: the warm-up before its operator emits, the cycle its files come
//! in, and its trigger period — what the steady month (`cost/month.rs`) cuts its window
//! on. Read off the validated scenario: the trigger, and the query's window and
//! watermark delay.

use crate::base::time::Micros;
use crate::cost::month::Rhythm;
use crate::scenario::spec::Scenario;

impl Rhythm {
    pub fn of(sc: &Scenario) -> Self {
        Self {
            warm_up: warm_up(sc),
            cycle: cycle(sc),
            period: trigger_period(sc),
        }
    }
}

/// The cycle a steady window spans a whole number of: the trigger period and, for fixed
/// windows, their slide (a window closes every slide, so files come in waves); their
/// least common multiple, or the trigger period when that would exceed a day.
pub fn cycle(sc: &Scenario) -> Micros {
    use crate::operators::query::Operator;
    use crate::operators::window::WindowKind;
    let period = trigger_period(sc);
    let Operator::WindowCount(WindowKind::Fixed(w)) = sc.query.operator else {
        return period;
    };
    if period <= 0 {
        return w.slide;
    }
    let (mut x, mut y) = (period, w.slide);
    while y != 0 {
        (x, y) = (y, x % y);
    }
    match (period / x).checked_mul(w.slide) {
        Some(l) if l <= 86_400_000_000 => l,
        _ => period,
    }
}

/// A trigger's period, µs (0 for back-to-back batches and single runs).
fn trigger_period(sc: &Scenario) -> Micros {
    use crate::engine::spark::trigger::Trigger;
    match sc.trigger {
        Trigger::Default => 0,
        Trigger::ProcessingTime(i) | Trigger::Continuous(i) => i,
        Trigger::Runs(r) => r.every.unwrap_or(0),
    }
}

/// The warm-up of a scenario: the time its event-time operator takes to emit its first
/// results (window + watermark delay; session gap + delay; the dedup delay) plus a trigger
/// period, and for a stream with such an operator one more (the watermark a batch uses
/// comes from the batch before).
pub fn warm_up(sc: &Scenario) -> Micros {
    use crate::operators::query::Operator;
    use crate::operators::window::WindowKind;
    let period = trigger_period(sc);
    let delay = sc.query.watermark_delay.unwrap_or(0);
    let lag = match sc.query.operator {
        Operator::WindowCount(WindowKind::Fixed(w)) => w.size.saturating_add(delay),
        Operator::WindowCount(WindowKind::Session { gap }) => gap.saturating_add(delay),
        Operator::Dedup(_) | Operator::DedupWithinWatermark(_) => delay,
        Operator::Select => 0,
    };
    // A stream's watermark reaches a batch one batch late (Spark computes batch N's
    // watermark from batch N−1's events): one more period before windows close. A
    // run-and-stop job closes them within its run (its final no-data batch).
    let periods = match sc.trigger {
        crate::engine::spark::trigger::Trigger::Runs(_) => 1,
        _ if lag > 0 => 2,
        _ => 1,
    };
    period.saturating_mul(periods).saturating_add(lag)
}
