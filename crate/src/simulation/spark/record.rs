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
        // The rows not on time counted by fate (on time = the rest).
        let by_fate = count_fates(fates);
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

/// How many of `fates` are late-counted, dropped late and duplicates (index: the fate; the
/// on-time slot is 0). One pass of three sums over the fate bytes (0–3): Σb, Σ⌊b/2⌋ and
/// the threes, from which the counts follow. (A histogram's `by_fate[f] += 1` chains its
/// increments through memory, and a pass per fate is three passes: in the page's wasm,
/// built for size and not vectorized, these were 5 % of a day's run.) Eight bytes at a
/// time as one word: a byte's ⌊b/2⌋ is its bit 1, and b = 3 is bits 0 and 1 both; a word's
/// byte sum is the top byte of the word times 0x0101…01 (every sum here is under 256).
fn count_fates(fates: &[Fate]) -> [u64; 4] {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let byte_sum = |w: u64| w.wrapping_mul(ONES) >> 56;
    let (mut sum, mut halves, mut threes) = (0u64, 0u64, 0u64);
    let mut words = fates.chunks_exact(8);
    for c in &mut words {
        let w = u64::from_le_bytes(std::array::from_fn(|i| c[i] as u8));
        sum += byte_sum(w);
        halves += byte_sum((w >> 1) & ONES);
        threes += byte_sum(w & (w >> 1) & ONES);
    }
    for &f in words.remainder() {
        let b = f as u64;
        sum += b;
        halves += b >> 1;
        threes += u64::from(b == 3);
    }
    // sum = n1 + 2 n2 + 3 n3; halves = n2 + n3.
    let dup = threes;
    let dropped = halves - dup;
    let late = sum - 2 * dropped - 3 * dup;
    debug_assert_eq!(
        [late, dropped, dup],
        [Fate::LateCounted, Fate::DroppedLate, Fate::Duplicate]
            .map(|x| fates.iter().filter(|&&f| f == x).count() as u64)
    );
    [0, late, dropped, dup]
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every mixture of the four fates, in any order, counts as a tally does.
    #[test]
    fn fates_counted_from_three_sums() {
        let all = [
            Fate::OnTime,
            Fate::LateCounted,
            Fate::DroppedLate,
            Fate::Duplicate,
        ];
        let mut seed = 7u64;
        for len in [0usize, 1, 2, 5, 7, 8, 9, 17, 64, 1000] {
            for _ in 0..50 {
                let fates: Vec<Fate> = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                        all[(seed >> 62) as usize]
                    })
                    .collect();
                let mut tally = [0u64; 4];
                for &f in &fates {
                    tally[f as usize] += 1;
                }
                tally[0] = 0;
                assert_eq!(count_fates(&fates), tally, "{fates:?}");
            }
        }
    }
}
