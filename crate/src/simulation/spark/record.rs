//! Per-event bookkeeping of a batch: each row's fate (counted, late, dropped, in state)
//! and, when its result becomes visible, its end-to-end latency into the histogram; the
//! report's per-event sample (`detail_slot`).

use super::*;

impl Sim<'_> {
    /// Folds the fates of the rows in `self.rows` (a batch or one of its chunks) into the
    /// summary and the sampled per-event columns.
    pub(super) fn record_fates(&mut self, fates: &[Fate], batch: i64, late_wm: Option<Micros>) {
        debug_assert_eq!(fates.len(), self.rows.len(), "a fate per row");
        let mask = self.detail.stride - 1;
        // Only the rows not on time are counted by fate (on time = the rest): a table of
        // counters incremented for every row chains each row to the last through memory.
        let mut by_fate = [0u64; 4];
        for (r, fate) in self.rows.iter().zip(fates) {
            if *fate != Fate::OnTime {
                by_fate[*fate as usize] += 1;
            }
            if r.id & mask != 0 {
                continue; // not in the sample
            }
            if let Some(i) = detail_slot(&mut self.detail, r.id, r.event_time, r.arrival) {
                let d = &mut self.detail;
                d.batch[i] = batch;
                d.fate[i] = *fate as u8;
                d.late_watermark_us[i] = late_wm.unwrap_or(i64::MIN);
            }
        }
        let on_time = self.rows.len().min(fates.len()) as u64 - by_fate.iter().sum::<u64>();
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
                self.latency
                    .record_all(list.arrivals().map(|a| end - a), end - last, end - first);
                if let Some(h) = self.failure.as_mut().and_then(|f| f.recovering()) {
                    h.record_all(list.arrivals().map(|a| end - a), end - last, end - first);
                }
            }
            Visibility::OnArrival => self.latency.record_all(
                list.arrivals().map(|_| CONTINUOUS_LATENCY),
                CONTINUOUS_LATENCY,
                CONTINUOUS_LATENCY,
            ),
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

/// The sample row of event `id` (`EventColumns::slot`).
pub(super) fn detail_slot(
    d: &mut EventColumns,
    id: u64,
    event_time: Micros,
    arrival: Micros,
) -> Option<usize> {
    d.slot(id, event_time, arrival)
}
