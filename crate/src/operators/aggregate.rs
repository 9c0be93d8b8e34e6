//! The stateful windowed count: `groupBy(window(event_time, ...), key).count()` as
//! Spark's `StateStoreRestoreExec` / `StateStoreSaveExec` run it per micro-batch.
//!
//! Per batch, rows are first aggregated per (window, key) — Spark's partial
//! `HashAggregate` before the state store — then each group touches the state once, in
//! (window start, key) order. The partial step is dense when it can be (keys are small
//! integers and the rows span few windows: an array of aggregates per window, indexed by
//! key), a hash map otherwise; both give the same groups in the same order.
//!
//! A batch may come in chunks ([`WindowCount::feed`] per chunk, then
//! [`WindowCount::finish`]): each chunk's partial groups merge into the batch's, so the
//! state sees each group once per batch whatever the chunking, and a batch of any size
//! needs memory for one chunk of rows plus its groups (the engine's `CHUNK_ROWS`).
//! `process` is one chunk and `finish`.
//!
//! Append mode holds back, per window, the events waiting for the window to be emitted
//! (for their latency), as compact [`VisibleList`]s: every group of a window is evicted
//! by the same watermark test (`start + size ≤ watermark`, whatever the key), so a list
//! per window equals the lists per group the window's groups would have held.

use crate::base::time::Micros;
use crate::operators::query::OutputMode;
use crate::operators::rows::{Agg, BatchOutcome, BatchWatermarks, Fate, Row, RowSpan, counted};
use crate::operators::state::StateStore;
use crate::operators::visible_list::Visible;
use crate::operators::visible_list::VisibleList;
use crate::operators::window::Windowing;
#[cfg(feature = "sweep_digest")]
use crate::operators::window_digest::{DigestKey, WindowDigest};
use crate::workload::shared_stream::Chunk;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Largest key index + 1 for the dense partial step.
const DENSE_KEYS: u64 = 1 << 16;
/// Most (window × key) cells the dense partial step may hold (24 bytes each).
const DENSE_CELLS: u64 = 1 << 20;

/// Partial groups, sorted by (window start, key), with their aggregates.
type Groups = Vec<((Micros, u32), Agg)>;
/// Per window (sorted by start), the events counted first in it.
type Lists = Vec<(Micros, VisibleList)>;

/// A row's fate after its windows: dropped when none counted it (`uncounted`).
#[inline]
fn fate(uncounted: bool, r: &Row, late: Option<Micros>) -> Fate {
    if uncounted {
        Fate::DroppedLate
    } else {
        counted(r, late)
    }
}

/// Puts `keys` (distinct, each with `set(k)` true among `slots` per-key slots) in key
/// order: sorted when few, else read off the slots (a sort costs about log₂ n per key, a
/// read one per slot; sorting many keys per window and chunk was 4 % of a day of
/// one-second batches).
fn in_key_order(keys: &mut Vec<u32>, slots: usize, set: impl Fn(u32) -> bool) {
    if keys.len() * 8 < slots {
        keys.sort_unstable();
    } else if !keys.is_empty() {
        keys.clear();
        keys.extend((0..slots as u32).filter(|&k| set(k)));
    }
}

/// One window's partial aggregates in a chunk (the dense step).
#[derive(Debug, Clone, Default)]
struct PartialWindow {
    /// By key index; zero where the key had no row in this chunk.
    aggs: Vec<Agg>,
    /// Keys with a row in this chunk, in first-seen order.
    touched: Vec<u32>,
    /// Events counted first in this window (append mode).
    pending: VisibleList,
    /// By key index: whether a late row of the key was dropped in this chunk.
    late_seen: Vec<bool>,
    /// Keys with a late row dropped in this chunk, in first-seen order.
    late_keys: Vec<u32>,
}

/// The dense step's table for a chunk: windows from `base` (one slot a slide), keys below
/// `keys`.
#[derive(Debug, Clone, Copy)]
struct DenseShape {
    base: Micros,
    windows: usize,
    keys: usize,
}

/// The partial step of the batch in progress (the chunks fed so far).
#[derive(Debug, Clone, Default)]
struct BatchPartial {
    groups: Groups,
    lists: Lists,
    /// Distinct late (window start, key) groups, sorted.
    late: Vec<(Micros, u32)>,
}

/// Where one chunk's per-row results go.
struct ChunkOut<'a> {
    fates: &'a mut Vec<Fate>,
    /// Rows visible at this batch's commit (update and complete mode).
    visible: &'a mut VisibleList,
    late: Vec<(Micros, u32)>,
}

#[derive(Debug, Clone)]
pub struct WindowCount {
    windowing: Windowing,
    mode: OutputMode,
    /// (window start, key) → aggregates.
    state: StateStore<(Micros, u32), Agg>,
    /// Append mode: window start → events waiting for the window's emission.
    pending: BTreeMap<Micros, VisibleList>,
    /// Ids kept in visible lists for `id & sample_mask == 0` (0: all).
    pub sample_mask: u64,
    batch: BatchPartial,
    /// Scratch of the dense partial step, reused across chunks.
    dense: Vec<PartialWindow>,
    /// Scratch of the hashed partial step.
    hashed: FxHashMap<(Micros, u32), Agg>,
    hashed_pending: FxHashMap<Micros, VisibleList>,
}

/// `acc` and `new` (both sorted by key, keys distinct) as one sorted list, equal keys
/// combined by `join`. The part of `acc` before `new`'s first key stays where it is: a
/// batch fed in many chunks (a day's job) adds its groups near the end, and merging the
/// whole list each time made the work grow with the square of the chunks.
#[inline(never)]
fn merge_sorted<K: Ord + Copy, V>(acc: &mut Vec<(K, V)>, new: Vec<(K, V)>, join: impl Fn(&mut V, V)) {
    if acc.is_empty() {
        *acc = new;
        return;
    }
    let Some(first) = new.first() else {
        return;
    };
    let old = acc.split_off(acc.partition_point(|x| x.0 < first.0));
    acc.reserve(old.len() + new.len());
    let mut a = old.into_iter().peekable();
    let mut b = new.into_iter().peekable();
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => {
                if x.0 == y.0 {
                    let (k, mut v) = a.next().expect("peeked");
                    join(&mut v, b.next().expect("peeked").1);
                    acc.push((k, v));
                    continue;
                }
                x.0 < y.0
            }
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return,
        };
        acc.push(if take_a { a.next() } else { b.next() }.expect("peeked"));
    }
}

impl WindowCount {
    pub fn new(windowing: Windowing, mode: OutputMode) -> Self {
        Self {
            windowing,
            mode,
            state: StateStore::default(),
            pending: BTreeMap::new(),
            sample_mask: 0,
            batch: BatchPartial::default(),
            dense: Vec::new(),
            hashed: FxHashMap::default(),
            hashed_pending: FxHashMap::default(),
        }
    }

    pub fn state_rows(&self) -> u64 {
        self.state.len()
    }

    /// Runs one micro-batch over `rows` (any order).
    pub fn process(&mut self, rows: &[Row], wm: BatchWatermarks) -> BatchOutcome {
        self.process_with(rows, wm, RowSpan::of(rows))
    }

    /// [`WindowCount::process`] with the rows' span known (one that [`RowSpan::covers`] them).
    pub fn process_with(&mut self, rows: &[Row], wm: BatchWatermarks, span: Option<RowSpan>) -> BatchOutcome {
        let mut fates = Vec::with_capacity(rows.len());
        let mut visible = VisibleList::default();
        self.feed(rows, wm, span, None, &mut fates, &mut visible);
        let mut out = self.finish(wm);
        out.fates = fates;
        visible.append(std::mem::take(&mut out.visible));
        out.visible = visible;
        out
    }

    /// Feeds one chunk of the batch in progress (`span` covers `rows`: [`RowSpan::covers`]):
    /// pushes each row's fate to `fates`, and in update and complete mode each counted row to
    /// `visible` (visible at this batch's commit).
    /// `whole`: the shared chunk `rows` are, all of it (a sweep's point reading it), whose
    /// digest the dense step may use (`window_digest.rs`).
    pub fn feed(
        &mut self,
        rows: &[Row],
        wm: BatchWatermarks,
        span: Option<RowSpan>,
        whole: Option<&Chunk>,
        fates: &mut Vec<Fate>,
        visible: &mut VisibleList,
    ) {
        let mut out = ChunkOut {
            fates,
            visible,
            late: Vec::new(),
        };
        let (groups, lists) = match span.and_then(|s| self.dense_span(s)) {
            Some(shape) => {
                #[cfg(feature = "sweep_digest")]
                let digested = self.partial_digest(whole, rows, wm, shape, &mut out);
                // The page's core module has no digest (it reads no shared stream).
                #[cfg(not(feature = "sweep_digest"))]
                let digested = whole.and(None);
                match digested {
                    Some(partial) => partial,
                    None => self.partial_dense(rows, wm, shape, &mut out),
                }
            }
            None => self.partial_hashed(rows, wm, &mut out),
        };
        let b = &mut self.batch;
        merge_sorted(&mut b.groups, groups, |a, x| a.merge(&x));
        merge_sorted(&mut b.lists, lists, |a, x| a.append(x));
        if !out.late.is_empty() {
            let mut late = out.late;
            // The dense step's come sorted and distinct.
            if !late.windows(2).all(|p| p[0] < p[1]) {
                late.sort_unstable();
                late.dedup();
            }
            // Mostly later windows than the chunks before: appended, no sort of the batch's list.
            let append = b.late.last().is_none_or(|l| *l < late[0]);
            b.late.extend(late);
            if !append {
                b.late.sort_unstable();
                b.late.dedup();
            }
        }
    }

    /// Ends the batch in progress: its groups go to the state, then output and eviction.
    /// The outcome's `fates` are empty (they went to `feed`'s list), its `visible` holds the
    /// events append mode emits now.
    pub fn finish(&mut self, wm: BatchWatermarks) -> BatchOutcome {
        let size = self.windowing.size;
        let append = self.mode == OutputMode::Append;
        let BatchPartial {
            groups: updated,
            lists: batch_pending,
            late,
        } = std::mem::take(&mut self.batch);
        // Spark drops late rows after its partial aggregation, so numRowsDroppedByWatermark
        // counts distinct late (window, key) groups, not rows (conformance case
        // tumbling_late_same_window_append: 7 late rows in 3 groups report 3). With one
        // input partition per batch, as here, a group is partially aggregated once.
        let mut out = BatchOutcome {
            dropped_late: late.len() as u64,
            ..BatchOutcome::default()
        };

        for (k, a) in &updated {
            self.state.upsert(*k, Agg::default, |s| s.merge(a));
        }
        for (start, list) in batch_pending {
            self.pending.entry(start).or_default().append(list);
        }

        let row = |(start, key): (Micros, u32), a: &Agg| a.row(start, start + size, key);
        match self.mode {
            OutputMode::Complete => {
                out.output.extend(self.state.iter().map(|(k, a)| row(*k, a)));
            }
            OutputMode::Update => {
                for (k, _) in &updated {
                    if let Some(a) = self.state.get(k) {
                        out.output.push(row(*k, a));
                    }
                }
                if let Some(w) = wm.evict {
                    self.state.remove_prefix(|(s, _)| s + size <= w);
                }
            }
            OutputMode::Append => {
                if let Some(w) = wm.evict {
                    // Keyed by (start, key): the windows ended by `w` are a prefix.
                    for (k, a) in self.state.remove_prefix(|(s, _)| s + size <= w) {
                        out.output.push(row(k, &a));
                    }
                    // Windows ending by the watermark, oldest first: all their groups went.
                    while let Some(e) = self.pending.first_entry() {
                        if *e.key() + size > w {
                            break;
                        }
                        out.emitted.push(e.remove());
                    }
                }
            }
        }
        debug_assert!(append || self.pending.is_empty());
        out.state = self.state.commit();
        out
    }

    /// The dense step's shape for a chunk of `span` (earliest window start, windows, keys),
    /// or None when keys are large or the chunk spans too many windows.
    fn dense_span(&self, span: RowSpan) -> Option<DenseShape> {
        let (lo, hi, kmax) = (span.min_event_time, span.max_event_time, span.max_key);
        if u64::from(kmax) >= DENSE_KEYS {
            return None;
        }
        let w = &self.windowing;
        let base = w.starts(lo).next()?;
        let last = hi.checked_sub(hi.rem_euclid(w.slide))?;
        let windows = u64::try_from(last.checked_sub(base)? / w.slide).ok()? + 1;
        let keys = u64::from(kmax) + 1;
        (windows.checked_mul(keys)? <= DENSE_CELLS).then_some(DenseShape {
            base,
            windows: windows as usize,
            keys: keys as usize,
        })
    }

    /// The dense step's first `windows` slots, each with room for `keys` keys.
    fn dense_slots(&mut self, windows: usize, keys: usize) -> &mut [PartialWindow] {
        if self.dense.len() < windows {
            self.dense.resize_with(windows, PartialWindow::default);
        }
        let dense = &mut self.dense[..windows];
        for d in dense.iter_mut() {
            if d.aggs.len() < keys {
                d.aggs.resize(keys, Agg::default());
                d.late_seen.resize(keys, false);
            }
        }
        dense
    }

    /// The dense step of a whole shared chunk from its digest, made once for the sweep's
    /// points (`window_digest.rs`): per window and key instead of per row. None (the caller
    /// takes the rows one by one) when `rows` are not a whole chunk, the query is not a
    /// tumbling count in append mode, or the chunk keeps no digest for this windowing (the
    /// first whole-chunk reader makes it when the stream has two readers or more).
    #[cfg(feature = "sweep_digest")]
    fn partial_digest(
        &mut self,
        whole: Option<&Chunk>,
        rows: &[Row],
        wm: BatchWatermarks,
        DenseShape { base, windows, keys }: DenseShape,
        out: &mut ChunkOut,
    ) -> Option<(Groups, Lists)> {
        let chunk = whole?;
        let size = self.windowing.size;
        if self.mode != OutputMode::Append || size != self.windowing.slide {
            return None;
        }
        let key = DigestKey {
            size,
            mask: self.sample_mask,
            base,
            keys,
        };
        let digest = chunk.memo(|| WindowDigest::of(chunk.events(), key, windows))?;
        if digest.key != key || digest.windows.len() != windows {
            return None;
        }
        debug_assert_eq!(rows.len(), chunk.events().len(), "a whole chunk");
        let dense = self.dense_slots(windows, keys);
        let fates_at = out.fates.len();
        out.fates.resize(fates_at + rows.len(), Fate::OnTime);
        let fates = &mut out.fates[fates_at..];
        for (i, (w, d)) in digest.windows.iter().zip(dense).enumerate() {
            let lo = base + i as Micros * size;
            if wm.late.is_some_and(|l| lo + size <= l) {
                // Dropped whole: one late group per key it had.
                for &(k, _) in &w.aggs {
                    d.late_seen[k as usize] = true;
                    d.late_keys.push(k);
                }
                for &(a, b) in &w.runs {
                    fates[a as usize..b as usize].fill(Fate::DroppedLate);
                }
                continue;
            }
            for (k, a) in &w.aggs {
                let x = &mut d.aggs[*k as usize];
                if x.count == 0 {
                    d.touched.push(*k);
                }
                x.merge(a);
            }
            d.pending.append_closed(&w.visible);
            if wm.late.is_some_and(|l| lo < l) {
                for &(a, b) in &w.runs {
                    for j in a as usize..b as usize {
                        fates[j] = counted(&rows[j], wm.late);
                    }
                }
            }
        }
        Some(self.dense_groups(base, windows, out))
    }

    fn partial_dense(
        &mut self,
        rows: &[Row],
        wm: BatchWatermarks,
        DenseShape { base, windows, keys }: DenseShape,
        out: &mut ChunkOut,
    ) -> (Groups, Lists) {
        let size = self.windowing.size;
        let slide = self.windowing.slide;
        let drop_late = self.mode != OutputMode::Complete;
        let append = self.mode == OutputMode::Append;
        let mask = self.sample_mask;
        let dense = self.dense_slots(windows, keys);
        let late = if drop_late { wm.late } else { None };
        // Windows per row, and the latest window start at or before the last row's time
        // (cached: consecutive rows mostly share it, and it saves a division per row).
        let per_row = ((size + slide - 1) / slide) as usize;
        if per_row == 1 {
            // Tumbling (one window per row): the window, its slot and whether the late-row
            // watermark drops it are known per window, not per row. Rows come in arrival
            // order, so consecutive rows mostly share a window: taken a run of one window's
            // rows at a time, each row's window is one compare, and the window's list takes
            // the run in one call (`push_rows`: 5 % of #13's 10 M run, 14 % of a native
            // 16-point day's sweep, against a loop that pushed row by row).
            let mut i = 0;
            // The last two windows' (start, slot): runs mostly alternate between the window
            // filling now and the one before (its late rows), and each lookup saved is two
            // 64-bit divisions (perf: 13 % of this step).
            let mut recent = [(Micros::MIN, 0usize); 2];
            let width = slide as u64; // > 0
            // Fates: `out.fates` holds those of the chunk's rows up to its length (from
            // `fates_at`); the on-time rows after them are written when another fate comes,
            // or at the end: one fill for many runs (there are ~12 rows a run in #13's
            // scenario).
            let fates_at = out.fates.len();
            let on_time_to = |fates: &mut Vec<Fate>, row: usize| fates.resize(fates_at + row, Fate::OnTime);
            while i < rows.len() {
                let t = rows[i].event_time;
                let in_window = |lo: Micros| lo <= t && t < lo + slide;
                if !in_window(recent[0].0) {
                    if in_window(recent[1].0) {
                        recent.swap(0, 1);
                    } else {
                        let lo = t - t.rem_euclid(slide);
                        recent = [(lo, ((lo - base) / slide) as usize), recent[0]];
                    }
                }
                let (lo, slot) = recent[0];
                // In [lo, lo + slide): `t − lo`, unsigned, below the slide (one compare; the
                // times are far inside i64's range, so the difference does not wrap).
                let inside = |r: &&Row| (r.event_time.wrapping_sub(lo) as u64) < width;
                let d = &mut dense[slot];
                let first = i;
                // The run's end is found in the same pass that counts (or flags) its rows.
                if late.is_some_and(|w| lo + size <= w) {
                    // Each late group once (a flag per key), not a pair per row to sort.
                    let (seen, keys) = (&mut d.late_seen[..], &mut d.late_keys);
                    while let Some(r) = rows.get(i).filter(inside) {
                        let seen = &mut seen[r.key as usize];
                        if !*seen {
                            *seen = true;
                            keys.push(r.key);
                        }
                        i += 1;
                    }
                    on_time_to(out.fates, first);
                    out.fates.resize(fates_at + i, Fate::DroppedLate);
                    continue;
                }
                // The slice apart from the touched list: its pointer and length stay in
                // registers while that list grows (a native 16-point sweep: 8 % fewer
                // instructions in this step).
                let (aggs, touched) = (&mut d.aggs[..], &mut d.touched);
                while let Some(r) = rows.get(i).filter(inside) {
                    let a = &mut aggs[r.key as usize];
                    if a.count == 0 {
                        touched.push(r.key);
                    }
                    a.add(r.value);
                    i += 1;
                }
                let run = &rows[first..i];
                let list = if append { &mut d.pending } else { &mut *out.visible };
                list.push_rows(run, mask);
                // A window that starts at or after the late-row watermark: all on time,
                // written later.
                if wm.late.is_some_and(|w| lo < w) {
                    on_time_to(out.fates, first);
                    out.fates.extend(run.iter().map(|r| counted(r, wm.late)));
                }
            }
            on_time_to(out.fates, rows.len());
            return self.dense_groups(base, windows, out);
        }
        let (mut last, mut last_slot) = (Micros::MIN, 0usize);
        for r in rows {
            let t = r.event_time;
            if last == Micros::MIN || !(last..last + slide).contains(&t) {
                last = t - t.rem_euclid(slide);
                last_slot = ((last - base) / slide) as usize;
            }
            let mut first = true;
            for i in (0..per_row).rev() {
                let start = last - i as Micros * slide;
                if start + size <= t {
                    continue; // this window ended before t
                }
                if late.is_some_and(|w| start + size <= w) {
                    out.late.push((start, r.key));
                    continue;
                }
                let d = &mut dense[last_slot - i];
                let a = &mut d.aggs[r.key as usize];
                if a.count == 0 {
                    d.touched.push(r.key);
                }
                a.add(r.value);
                if first {
                    // An event's latency is that of its first counted window.
                    let list = if append { &mut d.pending } else { &mut *out.visible };
                    list.push(Visible::of(r), r.id & mask == 0);
                }
                first = false;
            }
            out.fates.push(fate(first, r, wm.late));
        }
        self.dense_groups(base, windows, out)
    }

    /// The dense step's groups (by window, then key) and lists (by window), taken out of
    /// its first `windows` slots; its late groups go to `out`.
    fn dense_groups(&mut self, base: Micros, windows: usize, out: &mut ChunkOut) -> (Groups, Lists) {
        let slide = self.windowing.slide;
        let mut updated = Vec::new();
        let mut pending = Vec::new();
        for (i, d) in self.dense[..windows].iter_mut().enumerate() {
            let start = base + i as Micros * slide;
            let late_seen = &d.late_seen;
            in_key_order(&mut d.late_keys, late_seen.len(), |k| late_seen[k as usize]);
            for &k in &d.late_keys {
                d.late_seen[k as usize] = false;
                out.late.push((start, k));
            }
            d.late_keys.clear();
            let aggs = &d.aggs;
            in_key_order(&mut d.touched, aggs.len(), |k| aggs[k as usize].count != 0);
            for &k in &d.touched {
                updated.push(((start, k), std::mem::take(&mut d.aggs[k as usize])));
            }
            d.touched.clear();
            if !d.pending.is_empty() {
                pending.push((start, std::mem::take(&mut d.pending)));
            }
        }
        (updated, pending)
    }

    fn partial_hashed(&mut self, rows: &[Row], wm: BatchWatermarks, out: &mut ChunkOut) -> (Groups, Lists) {
        let size = self.windowing.size;
        let drop_late = self.mode != OutputMode::Complete;
        let append = self.mode == OutputMode::Append;
        let mask = self.sample_mask;
        // The hash maps' order never reaches a result: their groups are sorted first.
        let partial = &mut self.hashed;
        let pending = &mut self.hashed_pending;
        partial.clear();
        pending.clear();
        for r in rows {
            let mut first = true;
            for start in self.windowing.starts(r.event_time) {
                if drop_late && wm.late.is_some_and(|w| start + size <= w) {
                    out.late.push((start, r.key));
                    continue;
                }
                partial.entry((start, r.key)).or_default().add(r.value);
                if first {
                    let list = if append {
                        pending.entry(start).or_default()
                    } else {
                        &mut *out.visible
                    };
                    list.push(Visible::of(r), r.id & mask == 0);
                }
                first = false;
            }
            out.fates.push(fate(first, r, wm.late));
        }
        let mut updated: Groups = partial.drain().collect();
        updated.sort_unstable_by_key(|(k, _)| *k);
        let mut lists: Lists = pending.drain().collect();
        lists.sort_unstable_by_key(|(s, _)| *s);
        (updated, lists)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::operator::{OutRow, WindowRow};
    use crate::operators::state::StateMetrics;
    use crate::operators::window::{WindowKind, WindowSpec};

    const S: i64 = 1_000_000;

    fn op(mode: OutputMode) -> WindowCount {
        match (WindowSpec::Tumbling { size_s: 10.0 }).validate("w").unwrap() {
            WindowKind::Fixed(w) => WindowCount::new(w, mode),
            WindowKind::Session { .. } => unreachable!(),
        }
    }

    fn r(id: u64, key: u32, t: Micros) -> Row {
        Row {
            id,
            key,
            event_time: t,
            arrival: t + S,
            value: crate::operators::operator::NULL_VALUE,
        }
    }

    fn wm(late: i64, evict: i64) -> BatchWatermarks {
        BatchWatermarks {
            late: Some(late),
            evict: Some(evict),
        }
    }

    fn window(start: i64, count: u64) -> OutRow {
        OutRow::Window(WindowRow {
            start,
            end: start + 10 * S,
            key: 0,
            count,
            sum: 0,
            nonnull: 0,
        })
    }

    /// A test's draws: `next(n)` is a number below `n` (an LCG from `seed`).
    fn draws(mut seed: u64) -> impl FnMut(u64) -> u64 {
        move |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        }
    }

    /// The dense step (small keys) and the hashed one (keys past `DENSE_KEYS`) agree on
    /// every batch's late groups, fates and output, fed in chunks of any size: rows out of
    /// order, many late in the same groups, windows late and open in one chunk.
    #[test]
    fn dense_and_hashed_steps_agree_on_late_groups() {
        let mut next = draws(0x9e37_79b9_7f4a_7c15);
        let far = DENSE_KEYS as u32;
        let mut dropped = 0;
        for mode in [OutputMode::Append, OutputMode::Update] {
            let (mut dense, mut hashed) = (op(mode), op(mode));
            let mut id = 0;
            for batch in 0..30i64 {
                let rows: Vec<Row> = (0..next(400))
                    .map(|_| {
                        id += 1;
                        // Event times up to 60 s behind the batch's time: late windows too.
                        r(id, next(5) as u32, batch * 5 * S - next(60) as i64 * S)
                    })
                    .collect();
                let far_rows: Vec<Row> = rows
                    .iter()
                    .map(|x| Row {
                        key: x.key + far,
                        ..*x
                    })
                    .collect();
                let w = wm((batch - 4) * 5 * S, (batch - 4) * 5 * S);
                let mut at = 0;
                let (mut fd, mut fh) = (Vec::new(), Vec::new());
                let (mut vd, mut vh) = (VisibleList::default(), VisibleList::default());
                while at < rows.len() {
                    let n = (1 + next(90) as usize).min(rows.len() - at);
                    let (a, b) = (&rows[at..at + n], &far_rows[at..at + n]);
                    dense.feed(a, w, RowSpan::of(a), None, &mut fd, &mut vd);
                    hashed.feed(b, w, RowSpan::of(b), None, &mut fh, &mut vh);
                    at += n;
                }
                let (od, oh) = (dense.finish(w), hashed.finish(w));
                assert_eq!(fd, fh, "fates, batch {batch}");
                assert_eq!(od.dropped_late, oh.dropped_late, "late groups, batch {batch}");
                dropped += od.dropped_late;
                let back = |o: &OutRow| match o {
                    OutRow::Window(x) => OutRow::Window(WindowRow {
                        key: x.key - far,
                        ..*x
                    }),
                    other => *other,
                };
                assert_eq!(od.output, oh.output.iter().map(back).collect::<Vec<_>>());
            }
        }
        assert!(dropped > 20, "late groups were dropped: {dropped}");
    }

    /// A whole chunk taken from its digest (`window_digest.rs`) leaves what the row-by-row
    /// step leaves: the same fates, late groups, output, and waiting lists (entries and
    /// sampled ids), batch after batch, with the late-row watermark absent, behind every
    /// window, across some and past all, a key bound above the largest key, and values null
    /// or not. Each batch takes two chunks; the last one emits every window.
    #[test]
    #[cfg(feature = "sweep_digest")]
    fn a_chunk_digest_gives_the_row_by_row_step() {
        use crate::operators::window_digest::WindowDigest;
        let mut next = draws(0x2545_f491_4f6c_dd1d);
        let (mut via_rows, mut via_digest) = (op(OutputMode::Append), op(OutputMode::Append));
        via_rows.sample_mask = 7;
        via_digest.sample_mask = 7;
        let (mut id, mut arrival) = (0u64, 100 * S);
        let (mut dropped, mut straddled, mut digested) = (0, 0, 0);
        for batch in 0..24i64 {
            let late = match batch % 4 {
                0 => None,
                1 => Some(0),
                2 => Some(arrival + 5 * S),
                _ => Some(arrival + 100 * S),
            };
            let w = BatchWatermarks { late, evict: late };
            let (mut fr, mut fd) = (Vec::new(), Vec::new());
            let (mut vr, mut vd) = (VisibleList::default(), VisibleList::default());
            for _ in 0..2 {
                let rows: Vec<Row> = (0..1 + next(600))
                    .map(|_| {
                        id += 1;
                        arrival += next(40_000) as i64;
                        // Mostly a few seconds late, one in ten up to a minute.
                        let lateness = if next(10) == 0 {
                            next(60 * S as u64)
                        } else {
                            next(3 * S as u64)
                        };
                        Row {
                            id,
                            key: next(6) as u32,
                            event_time: arrival - lateness as i64,
                            arrival,
                            value: if next(4) == 0 {
                                crate::operators::operator::NULL_VALUE
                            } else {
                                next(1_000) as i64
                            },
                        }
                    })
                    .collect();
                let chunk = Chunk::new(rows.clone(), 2);
                let span = RowSpan::of(&rows).map(|s| RowSpan {
                    max_key: s.max_key + 3,
                    ..s
                });
                via_rows.feed(&rows, w, span, None, &mut fr, &mut vr);
                via_digest.feed(&rows, w, span, Some(&chunk), &mut fd, &mut vd);
                digested += u32::from(
                    chunk
                        .memo::<WindowDigest>(|| unreachable!("made by the feed"))
                        .is_some(),
                );
            }
            assert_eq!(fr, fd, "fates, batch {batch}");
            dropped += fr.iter().filter(|&&f| f == Fate::DroppedLate).count();
            straddled += fr.iter().filter(|&&f| f == Fate::LateCounted).count();
            assert_eq!(vr, vd, "visible at the commit, batch {batch}");
            let w = if batch == 23 {
                BatchWatermarks {
                    late,
                    evict: Some(Micros::MAX / 2),
                }
            } else {
                w
            };
            let (or, od) = (via_rows.finish(w), via_digest.finish(w));
            assert_eq!(or, od, "outcome, batch {batch}");
            for (a, b) in or.emitted.iter().zip(&od.emitted) {
                assert_eq!(a.sampled(), b.sampled());
            }
        }
        assert_eq!(digested, 48, "every chunk was taken from its digest");
        assert!(
            dropped > 100 && straddled > 50,
            "dropped {dropped}, late but counted {straddled}"
        );
    }

    #[test]
    fn append_emits_once_when_watermark_passes_end() {
        let mut q = op(OutputMode::Append);
        let out = q.process(&[r(1, 0, 5 * S), r(2, 0, 12 * S)], wm(0, 0));
        assert_eq!(
            out.state,
            StateMetrics {
                total: 2,
                updated: 2,
                removed: 0
            }
        );
        assert!(out.output.is_empty() && out.visible_lists().all(VisibleList::is_empty));
        assert_eq!(out.fates, vec![Fate::OnTime, Fate::OnTime]);
        // window [0,10) closes at watermark 10 s exactly (end ≤ watermark)
        let out = q.process(&[], wm(0, 10 * S));
        assert_eq!(out.output, vec![window(0, 1)]);
        assert!(out.visible.is_empty() && out.emitted.len() == 1);
        assert_eq!(
            out.emitted[0].sampled(),
            &[Visible {
                id: 1,
                arrival: 6 * S
            }]
        );
        assert_eq!(out.emitted[0].arrivals().collect::<Vec<_>>(), vec![6 * S]);
        let out = q.process(&[], wm(10 * S, 10 * S));
        assert!(out.output.is_empty());
    }

    #[test]
    fn late_filter_uses_its_own_watermark() {
        let mut q = op(OutputMode::Append);
        q.process(&[r(1, 0, 5 * S)], wm(0, 0));
        // late-row watermark 2 s keeps the row of [0,10); eviction at 15 s emits it
        let out = q.process(&[r(2, 0, 9 * S)], wm(2 * S, 15 * S));
        assert_eq!(out.dropped_late, 0);
        assert_eq!(out.output, vec![window(0, 2)]);
        assert_eq!(out.visible_lists().map(VisibleList::len).sum::<u64>(), 2);
        let out = q.process(
            &[r(3, 0, 9 * S), r(4, 0, 14 * S), r(5, 0, 16 * S)],
            wm(15 * S, 15 * S),
        );
        assert_eq!(out.dropped_late, 1);
        assert_eq!(
            out.fates,
            vec![Fate::DroppedLate, Fate::LateCounted, Fate::OnTime]
        );
    }

    #[test]
    fn update_mode_makes_rows_visible_at_once() {
        let mut q = op(OutputMode::Update);
        let out = q.process(&[r(1, 0, 5 * S), r(2, 0, 6 * S)], wm(0, 0));
        assert_eq!(out.output, vec![window(0, 2)]);
        assert_eq!(out.visible.len(), 2);
    }

    #[test]
    fn complete_keeps_everything() {
        let mut q = op(OutputMode::Complete);
        q.process(&[r(1, 0, 5 * S)], wm(0, 0));
        let out = q.process(&[r(2, 1, S)], wm(100 * S, 100 * S));
        assert_eq!(out.dropped_late, 0);
        assert_eq!(out.output.len(), 2);
        assert_eq!(out.state.total, 2);
    }
}
