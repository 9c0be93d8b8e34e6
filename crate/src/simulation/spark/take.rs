//! Taking a batch's rows: the events that had arrived by the batch's bound (at most the
//! rate limit's), from the shared or own stream, fed to a chunked operator as they come
//! (`pretake` feeds a large batch's full chunks ahead of its step, so a sweep's shared
//! stream never holds them), and the backlog left behind.

use super::*;
use crate::workload::shared_stream::Chunk;

impl Sim<'_> {
    /// Records the backlog of pending batch `i` (the front of `pending`) and drops it. (Over
    /// fields, not `self`: `take_more` calls it while it reads the feed's buffer.)
    pub(super) fn settle(
        cols: &mut BatchColumns,
        sum: &mut Summary,
        pending: &mut std::collections::VecDeque<(usize, Micros, u64)>,
        i: usize,
        backlog: u64,
    ) {
        cols.backlog_rows[i] = backlog;
        sum.max_backlog_rows = sum.max_backlog_rows.max(backlog);
        pending.pop_front();
    }

    /// Finalizes the backlog of every pending batch that ended before `next_arrival` (the
    /// arrival of the next unconsumed event; None: the stream is exhausted).
    pub(super) fn settle_backlog(&mut self, next_arrival: Option<Micros>) {
        while let Some(&(i, end, taken_then)) = self.pending_backlog.front() {
            if next_arrival.is_some_and(|a| a <= end) {
                break;
            }
            let backlog = self.taken - taken_then;
            Self::settle(
                &mut self.cols,
                &mut self.sum,
                &mut self.pending_backlog,
                i,
                backlog,
            );
        }
    }

    /// Takes up to `limit` rows that arrived by `bound` into `self.rows`. The stream comes
    /// in arrival order, so a buffered run of it is taken at once (a binary search for the
    /// bound), and a pending batch's backlog is settled at the first row that arrived after
    /// its end.
    pub(super) fn take(&mut self, bound: Micros, limit: Option<u64>) {
        assert!(
            self.pretaken.is_none_or(|b| b == bound),
            "rows taken ahead are for this step's first take"
        );
        if self.pretaken != Some(bound) {
            self.rows.clear();
            self.span = None;
        }
        self.pretaken = None;
        self.take_more(bound, limit, true);
    }

    /// Takes ahead, into `self.rows`, the events of the next step's first take that are
    /// ready without generating more (a shared stream's chunks can then be dropped, since
    /// the rows hold them anyway). The step's `take` goes on from there: the same rows in
    /// the same order, the same backlogs.
    pub(super) fn pretake(&mut self) {
        let (bound, limit) = match self.phase {
            Phase::Streaming { now } => (now, self.sc.max_rows_per_batch),
            Phase::Scheduled { runs, tick } => (
                tick.saturating_add(runs.startup),
                if runs.once {
                    None
                } else {
                    self.sc.max_rows_per_batch
                },
            ),
            Phase::Continuous { epoch, epoch_start } => (epoch_start.saturating_add(epoch) - 1, None),
            Phase::Start | Phase::Done => return,
        };
        if self.pretaken != Some(bound) {
            debug_assert!(self.open.is_none(), "a batch begun ahead is for this bound");
            self.rows.clear();
            self.span = None;
        }
        self.pretaken = Some(bound);
        loop {
            self.take_more(bound, self.row_limit(limit), false);
            if !self.query.chunkable() || (self.rows.len() as u64) < self.chunk_rows {
                break;
            }
            // A full chunk of the next batch: feed it now (its watermarks are set), so that
            // the shared stream need not hold the batch's rows until the step.
            self.feed_chunk();
            self.rows.clear();
            self.span = None;
        }
    }

    /// Appends to `self.rows` (up to `limit` in all) the events that arrived by `bound`;
    /// without `generate`, only those ready in the feed.
    pub(super) fn take_more(&mut self, bound: Micros, limit: Option<u64>, generate: bool) {
        let limit = limit.unwrap_or(u64::MAX);
        // Rows fed straight from a shared chunk (`direct`): they count toward `limit` too.
        let mut fed = 0u64;
        while (self.rows.len() as u64).saturating_add(fed) < limit {
            let before = self.rows.len();
            let room = usize::try_from(limit - before as u64 - fed).unwrap_or(usize::MAX);
            let span = match &mut self.events {
                // Its own stream writes straight into the rows (no copy through a buffer),
                // and knows their span.
                Feed::Own(s) => s.take_spanned(&mut self.rows, bound, room).1,
                shared => {
                    if !generate && !shared.ready() {
                        break;
                    }
                    if shared.peek().is_none() {
                        break;
                    }
                    if self.direct {
                        let n = self.take_direct(bound, room);
                        if n == 0 {
                            break;
                        }
                        fed += n as u64;
                        continue;
                    }
                    let buf = shared.buffered();
                    let n = buf.partition_point(|e| e.arrival <= bound).min(room);
                    self.rows.extend_from_slice(&buf[..n]);
                    shared.consume(n);
                    RowSpan::of(&self.rows[before..])
                }
            };
            let n = self.rows.len() - before;
            if n == 0 {
                break;
            }
            let taken = &self.rows[before..];
            let parts = (&mut self.cols, &mut self.sum, &mut self.pending_backlog);
            Self::settle_ended(parts, self.taken, taken);
            debug_assert!(
                RowSpan::covers(span, taken),
                "the span of the rows taken: {span:?}"
            );
            RowSpan::widen(&mut self.span, span);
            self.taken += n as u64;
            if self.taken >= self.next_progress {
                self.report_progress();
            }
        }
        // Settled here only when the next event is at hand (a later take settles the rest
        // at the same position).
        if !self.pending_backlog.is_empty() && (generate || self.events.ready()) {
            let next = self.events.peek().map(|e| e.arrival);
            self.settle_backlog(next);
        }
    }

    /// Settles the backlog of each pending batch that ended before one of `taken`, the
    /// rows next in the stream after the `taken_before` already taken. (Over fields:
    /// `taken` may be `self.rows`.)
    #[allow(clippy::type_complexity)]
    fn settle_ended(
        (cols, sum, pending): (
            &mut BatchColumns,
            &mut Summary,
            &mut std::collections::VecDeque<(usize, Micros, u64)>,
        ),
        taken_before: u64,
        taken: &[Row],
    ) {
        while let Some(&(i, end, taken_then)) = pending.front() {
            let k = taken.partition_point(|e| e.arrival <= end);
            if k == taken.len() {
                break; // every row taken here had arrived by the batch's end
            }
            Self::settle(cols, sum, pending, i, taken_before + k as u64 - taken_then);
        }
    }

    /// `take_more`'s step for a `direct` simulation: feeds up to `room` rows of the shared
    /// chunk at hand that arrived by `bound` straight to the batch (no copy into `rows`);
    /// returns how many.
    #[inline(never)]
    fn take_direct(&mut self, bound: Micros, room: usize) -> usize {
        let Some((chunk, pos)) = self.events.shared_chunk() else {
            return 0;
        };
        let taken = &chunk.events()[pos..];
        let n = taken.partition_point(|e| e.arrival <= bound).min(room);
        self.events.consume(n);
        let taken = &taken[..n];
        if n == 0 {
            return 0;
        }
        // Their span, from the chunk's block spans (made once for every reader).
        let span = chunk.span(pos..pos + n);
        let parts = (&mut self.cols, &mut self.sum, &mut self.pending_backlog);
        Self::settle_ended(parts, self.taken, taken);
        self.taken += n as u64;
        debug_assert!(RowSpan::covers(span, taken), "{span:?}");
        let whole = (n == chunk.events().len()).then_some(&*chunk);
        self.feed_rows(taken, span, whole);
        if self.taken >= self.next_progress {
            self.report_progress();
        }
        n
    }

    pub(super) fn report_progress(&mut self) {
        let expected = self.sc.workload.expected_events().max(1.0);
        self.next_progress = self.taken + PROGRESS_EVERY.max((expected / 100.0) as u64);
        if let Some(p) = self.progress.as_mut() {
            p((self.taken as f64 / expected).min(0.99));
        }
    }

    /// The row limit of a take: a chunkable query's batch is taken (and run) in chunks of
    /// at most `chunk_rows`, and its rows already fed count toward `limit`.
    pub(super) fn row_limit(&self, limit: Option<u64>) -> Option<u64> {
        if self.direct {
            // Fed as taken: no rows are held, so no chunk bounds the take.
            let fed = self.open.as_ref().map_or(0, |o| o.n);
            limit.map(|l| l - fed)
        } else if self.query.chunkable() {
            let fed = self.open.as_ref().map_or(0, |o| o.n);
            Some(self.chunk_rows.min(limit.unwrap_or(u64::MAX) - fed))
        } else {
            limit
        }
    }

    /// Feeds the chunk in `self.rows` to the batch in progress (begun here if none is).
    pub(super) fn feed_chunk(&mut self) {
        let rows = std::mem::take(&mut self.rows);
        self.feed_rows(&rows, self.span, None);
        self.rows = rows;
    }

    /// Feeds `rows` (spanning `span`; all of the shared chunk `whole`, if given) to the
    /// batch in progress (begun here if none is).
    fn feed_rows(&mut self, rows: &[Row], span: Option<RowSpan>, whole: Option<&Chunk>) {
        let mut open = self.open.take().unwrap_or_else(|| OpenBatch {
            wm: self.query.batch_watermarks(),
            n: 0,
            max_event_time: None,
            visible: Vec::new(),
        });
        let batch_id = self.cols.id.len() as i64;
        let mut fates = std::mem::take(&mut self.fates);
        fates.clear();
        let mut visible = VisibleList::default();
        self.query
            .feed(open.wm, rows, span, whole, &mut fates, &mut visible);
        if !visible.is_empty() {
            open.visible.push(visible);
        }
        self.record_fates(Some(rows), &fates, batch_id, open.wm.late);
        self.fates = fates;
        open.n += rows.len() as u64;
        if let Some(s) = span {
            open.max_event_time = Some(
                open.max_event_time
                    .map_or(s.max_event_time, |m| m.max(s.max_event_time)),
            );
        }
        self.open = Some(open);
    }

    /// Whether the next step has a batch to run: rows taken, or chunks fed ahead.
    pub(super) fn has_rows(&self) -> bool {
        !self.rows.is_empty() || self.open.is_some()
    }
}
