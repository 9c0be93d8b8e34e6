//! A build without failure injection (feature `recovery` off: the page's core module): the
//! micro-batch loop's failure hooks do nothing. A scenario with a `failure` is refused at
//! validation (`scenario/validate.rs`), so no run reaches them with one.

use super::*;

/// No failure is ever injected in this build.
#[derive(Debug)]
pub(super) enum FailureRun {}

impl FailureRun {
    pub(super) fn new(failure: crate::engine::spark::recovery::Failure) -> Self {
        unreachable!(
            "a failure at {} is refused at validation in this build",
            failure.at
        )
    }

    pub(super) fn recovering(&mut self) -> Option<&mut Histogram> {
        match *self {}
    }
}

impl Sim<'_> {
    pub(super) fn failure_before_step(&mut self, now: Micros) -> Micros {
        now
    }

    pub(super) fn failure_in_batch(
        &mut self,
        start: Micros,
        duration: Micros,
        _out: &crate::operators::operator::BatchOutcome,
    ) -> (Micros, Micros, Option<Micros>) {
        (start, duration, None)
    }

    pub(super) fn failure_after_batch(
        &mut self,
        _i: usize,
        _n: u64,
        _limit: Option<u64>,
        _interval: Option<Micros>,
    ) {
    }
}
