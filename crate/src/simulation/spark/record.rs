//! Per-event bookkeeping of a batch: each row's fate (counted, late, dropped, in state)
//! and, when its result becomes visible, its end-to-end latency into the histogram; the
//! report's per-event sample (`detail_slot`).

use super::*;

impl Sim<'_> {
    /// Folds the fates of `rows` (default: `self.rows`; a batch or one of its chunks) into
    /// the summary and the sampled per-event columns.
    pub(super) fn record_fates(
        &mut self,
        rows: Option<&[Row]>,
        fates: &[Fate],
        batch: i64,
        late_wm: Option<Micros>,
    ) {
        let rows = rows.unwrap_or(&self.rows);
        debug_assert_eq!(fates.len(), rows.len(), "a fate per row");
        let rows = &rows[..rows.len().min(fates.len())];
        let fates = &fates[..rows.len()];
        // Only the rows not on time are counted by fate (on time = the rest); most chunks
        // have none, which one pass over the fate bytes says.
        let mut by_fate = [0u64; 4];
        if !fates.iter().all(|&f| f == Fate::OnTime) {
            // A count per fate: each pass vectorizes (a histogram's `by_fate[f] += 1` does
            // not, and chains its increments through memory).
            for f in [Fate::LateCounted, Fate::DroppedLate, Fate::Duplicate] {
                by_fate[f as usize] = fates.iter().filter(|&&x| x == f).count() as u64;
            }
        }
        let stride = self.detail.stride;
        let mask = stride - 1;
        // Consecutive ids (a generated stream): the sampled rows are every stride-th, from
        // the first sampled one; else every row is looked at.
        let (mut i, step) = match (rows.first(), rows.last()) {
            (Some(first), Some(last)) if last.id.wrapping_sub(first.id) == rows.len() as u64 - 1 => (
                usize::try_from((stride - (first.id & mask)) & mask).unwrap_or(usize::MAX),
                usize::try_from(stride).unwrap_or(usize::MAX),
            ),
            _ => (0, 1),
        };
        while i < rows.len() {
            let r = &rows[i];
            if r.id & mask == 0 {
                if let Some(j) = detail_slot(&mut self.detail, r.id, r.event_time, r.arrival) {
                    let d = &mut self.detail;
                    d.batch[j] = batch;
                    d.fate[j] = fates[i] as u8;
                    d.late_watermark_us[j] = late_wm.unwrap_or(i64::MIN);
                }
            }
            i = i.saturating_add(step);
        }
        let on_time = rows.len() as u64 - by_fate.iter().sum::<u64>();
        let late = by_fate[Fate::LateCounted as usize];
        let f = &mut self.sum.fates;
        f.on_time += on_time;
        f.late_counted += late;
        f.dropped_late += by_fate[Fate::DroppedLate as usize];
        f.duplicate += by_fate[Fate::Duplicate as usize];
        self.counted += on_time + late;
    }

    /// Folds events made visible into the latency histogram and the sample's columns.
    pub(super) fn record_visible(&mut self, list: &VisibleList, visibility: Visibility) {
        let at = |arrival: Micros| match visibility {
            Visibility::AtCommit(end) => end,
            Visibility::OnArrival => arrival + CONTINUOUS_LATENCY,
        };
        let (Some(first), Some(last)) = (list.min_arrival(), list.max_arrival()) else {
            return;
        };
        match visibility {
            Visibility::AtCommit(end) => {
                record_at_commit(&mut self.latency, list, end, (first, last));
                if let Some(h) = self.failure.as_mut().and_then(|f| f.recovering()) {
                    record_at_commit(h, list, end, (first, last));
                }
            }
            Visibility::OnArrival => {
                let recorded = self
                    .latency
                    .record_span(list.len(), CONTINUOUS_LATENCY, CONTINUOUS_LATENCY);
                debug_assert!(recorded, "one value is one bucket");
            }
        }
        self.newest_visible = self.newest_visible.max(last);
        let mask = self.detail.stride - 1;
        let shift = self.detail.stride.trailing_zeros();
        for v in list.sampled() {
            if v.id & mask == 0 {
                if let Some(slot) = self.detail.visible_us.get_mut((v.id >> shift) as usize) {
                    *slot = at(v.arrival);
                }
            }
        }
        self.visible += list.len();
    }
}

/// Records the latencies `end − arrival` of `list`, whose arrivals lie in `[first, last]`:
/// a sorted run whose latencies fall in one bucket at once from its header, the others
/// entry by entry.
fn record_at_commit(h: &mut Histogram, list: &VisibleList, end: Micros, (first, last): (Micros, Micros)) {
    for run in list.runs() {
        if run.sorted && h.record_span(run.n, end - run.last, end - run.first) {
            continue;
        }
        h.record_all(run.arrivals().map(|a| end - a), end - last, end - first);
    }
}

/// The sample row of event `id` (`EventColumns::slot`).
pub(super) fn detail_slot(
    d: &mut EventColumns,
    id: u64,
    event_time: Micros,
    arrival: Micros,
) -> Option<usize> {
    d.slot(id, event_time, arrival)
}
