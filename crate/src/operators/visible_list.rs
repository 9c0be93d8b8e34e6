//! Events waiting to become visible (or made visible by a batch's commit), kept compactly:
//! the engine needs, per event, only its arrival (latency = commit − arrival) and, for the
//! events in the report's per-event sample, its id.
//!
//! Encoding: **runs** of up to [`RUN`] entries, as 16-bit words. A run opens with a header
//! (its entry count, whether its arrivals never decrease, its length in words, its first
//! arrival and, sorted, its last) and holds each later entry as the delta from the one before: one
//! word for a gap under 65.5 ms, three for a gap under 71 minutes, five for any other
//! (a negative or a wrapping one). A window's list grows in arrival order (batches take
//! rows in arrival order), so at ordinary rates an entry takes one word plus a 256th of
//! a header: ~2.06 bytes, against 16 for an (id, arrival) pair. Ids are kept, with their
//! arrival, only for the entries the pusher marks as sampled.
//!
//! Why runs: a commit's latencies are `commit − arrival`, so a sorted run's latencies lie
//! between `commit − last` and `commit − first`. When both ends fall in one bucket of the
//! latency histogram (a bucket spans 1/128 to 1/64 of its value; a run of 256 arrivals at
//! 1,000 events/s spans ~256 ms), the whole run is counted at once from its header,
//! without reading its entries (`Histogram::record_span`).
//!
//! The words live in blocks of 32 KiB, filled to their end: a run that reaches its
//! block's end ends there (runs are never split between blocks). Equal blocks are what
//! wasm's allocator reuses without fragmenting (its memory never shrinks).
//!
//! Invariants: `arrivals()` yields exactly the pushed arrivals in push order (any order,
//! any i64: deltas wrap); `runs()` the same entries run by run, each run's `first`, `last`
//! and `sorted` true to its entries; `sampled()` the marked entries in push order;
//! `append` gives the entries of pushing the other list's entries one by one.

use crate::base::time::Micros;
use crate::workload::event::Row;

/// An event whose result became visible in this batch's commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visible {
    pub id: u64,
    pub arrival: Micros,
}

impl Visible {
    /// A row as an entry: its id and arrival.
    #[inline(always)]
    pub fn of(r: &Row) -> Visible {
        Visible {
            id: r.id,
            arrival: r.arrival,
        }
    }
}

/// Most entries of a run.
const RUN: u16 = 256;
/// Words of a run's header: entries (with [`SORTED`]), entry words, the first arrival (4
/// words, low word first) and, when sorted, last − first (2 words: a u32).
const HEADER: usize = 8;
/// The header's flag: the run's arrivals never decrease.
const SORTED: u16 = 0x8000;
/// An entry word below `WIDE` is the gap itself, µs; `WIDE` is followed by the gap as
/// two words (a u32), `FULL` by four (an i64 delta, wrapping).
const WIDE: u16 = 0xFFFE;
const FULL: u16 = 0xFFFF;
/// Words of the widest entry.
const WIDEST: usize = 5;
/// Words of a full block (32 KiB).
const BLOCK: usize = 16 << 10;

#[derive(Debug, Clone, Default)]
pub struct VisibleList {
    /// The runs, in blocks: the first block grows as a `Vec` does up to [`BLOCK`], later
    /// blocks are allocated at [`BLOCK`] words each.
    blocks: Vec<Vec<u16>>,
    len: u64,
    /// The open run, the last one of the last block (none when `run_n` is 0): where its
    /// header starts, its entries so far, whether they never decreased, its first arrival.
    /// Its header is written when it closes; readers take these instead.
    run_at: usize,
    run_n: u16,
    run_sorted: bool,
    run_first: Micros,
    /// Arrival of the last entry (the base of the next delta).
    last: Micros,
    /// Latest arrival of all entries (`Micros::MIN` when empty).
    max: Micros,
    /// Earliest arrival of all entries (`Micros::MAX` when empty).
    min: Micros,
    sampled: Vec<Visible>,
}

/// Equal when they hold the same entries (their runs may be cut differently).
impl PartialEq for VisibleList {
    fn eq(&self, o: &Self) -> bool {
        self.len == o.len && self.sampled == o.sampled && self.arrivals().eq(o.arrivals())
    }
}

impl Eq for VisibleList {}

fn words(v: i64) -> [u16; 4] {
    let v = v as u64;
    [v as u16, (v >> 16) as u16, (v >> 32) as u16, (v >> 48) as u16]
}

fn from_words(w: &[u16]) -> i64 {
    (u64::from(w[0]) | u64::from(w[1]) << 16 | u64::from(w[2]) << 32 | u64::from(w[3]) << 48) as i64
}

impl VisibleList {
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Latest arrival of the entries; None when empty.
    pub fn max_arrival(&self) -> Option<Micros> {
        (self.len > 0).then_some(self.max)
    }

    /// Earliest arrival of the entries; None when empty.
    pub fn min_arrival(&self) -> Option<Micros> {
        (self.len > 0).then_some(self.min)
    }

    /// Adds an event; its id is kept when `sampled`.
    #[inline(always)]
    pub fn push(&mut self, v: Visible, sampled: bool) {
        let a = v.arrival;
        if self.len == 0 {
            self.max = Micros::MIN;
            self.min = Micros::MAX;
        }
        match self.blocks.last_mut() {
            // Room for the widest entry: a run ends at its block's end.
            Some(b) if self.run_n != 0 && self.run_n < RUN && b.len() + WIDEST <= BLOCK => {
                let d = a.wrapping_sub(self.last);
                if (0..i64::from(WIDE)).contains(&d) {
                    b.push(d as u16);
                } else {
                    self.run_sorted &= d >= 0;
                    push_wide(b, d);
                }
                self.run_n += 1;
            }
            _ => self.start_run(a),
        }
        self.last = a;
        self.max = self.max.max(a);
        self.min = self.min.min(a);
        self.len += 1;
        if sampled {
            self.sampled.push(v);
        }
    }

    /// Pushes each row's arrival (and marks it sampled when `id & mask == 0`) as [`push`]
    /// one by one would, with the open run's state held in locals while the run has room
    /// for any entry: the dense step pushes a window's rows in runs.
    ///
    /// [`push`]: VisibleList::push
    pub fn push_rows(&mut self, rows: &[Row], mask: u64) {
        let mut k = 0;
        while k < rows.len() {
            // Entries the open run takes whatever their width (0: none open, or full).
            let room = match self.blocks.last() {
                Some(b) if self.run_n != 0 && self.run_n < RUN => {
                    ((BLOCK - b.len()) / WIDEST).min(usize::from(RUN - self.run_n))
                }
                _ => 0,
            };
            if room == 0 {
                let r = &rows[k];
                self.push(Visible::of(r), r.id & mask == 0);
                k += 1;
                continue;
            }
            let take = room.min(rows.len() - k);
            let b = self.blocks.last_mut().expect("an open run is in the last block");
            let run = &rows[k..k + take];
            // Natively only: in wasm its code (a second loop) put the page's first result
            // over its 250 KB gzip budget (tests/e2e/weight.test.mjs), for a gain measured
            // natively (3 % of #13's 10 M-event run).
            if !cfg!(target_arch = "wasm32") && push_narrow(b, &mut self.sampled, run, mask, self.last) {
                // Every gap was in [0, WIDE): the arrivals never decrease.
                let first = run[0].arrival;
                self.last = run[take - 1].arrival;
                (self.min, self.max) = (self.min.min(first), self.max.max(self.last));
                self.run_n += take as u16;
                self.len += take as u64;
                k += take;
                continue;
            }
            let (mut last, mut sorted) = (self.last, self.run_sorted);
            let (mut lo, mut hi) = (self.min, self.max);
            for r in run {
                let a = r.arrival;
                let d = a.wrapping_sub(last);
                if (0..i64::from(WIDE)).contains(&d) {
                    b.push(d as u16);
                } else {
                    sorted &= d >= 0;
                    push_wide(b, d);
                }
                last = a;
                lo = lo.min(a);
                hi = hi.max(a);
                if r.id & mask == 0 {
                    self.sampled.push(Visible::of(r));
                }
            }
            (self.last, self.run_sorted, self.min, self.max) = (last, sorted, lo, hi);
            // `take` ≤ RUN − run_n: the sum stays within a run.
            self.run_n += take as u16;
            self.len += take as u64;
            k += take;
        }
    }

    /// Closes the open run and opens one at `a` (in a new block when the last one has no
    /// room for a header and an entry).
    #[cold]
    #[inline(never)]
    fn start_run(&mut self, a: Micros) {
        self.close_run();
        let room = self
            .blocks
            .last()
            .is_some_and(|b| b.len() + HEADER + WIDEST <= BLOCK);
        if !room {
            let first = self.blocks.is_empty();
            self.blocks
                .push(Vec::with_capacity(if first { 64 } else { BLOCK }));
        }
        let b = self.blocks.last_mut().expect("a block was just ensured");
        self.run_at = b.len();
        b.extend_from_slice(&[0; HEADER]);
        self.run_n = 1;
        self.run_sorted = true;
        self.run_first = a;
    }

    /// Writes the open run's header; no run is open after (the list can then be copied:
    /// [`VisibleList::append_closed`]; a push after opens a new run).
    pub fn close_run(&mut self) {
        if self.run_n == 0 {
            return;
        }
        let b = self.blocks.last_mut().expect("an open run is in the last block");
        let h = &mut b[self.run_at..];
        let n_words = h.len() - HEADER;
        // At most HEADER + (RUN − 1) × WIDEST words: under 65,536.
        debug_assert!(n_words < 1 << 16);
        h[1] = n_words as u16;
        // A sorted run spanning over 71 minutes is marked unsorted (read entry by entry).
        let span = u32::try_from(self.last.wrapping_sub(self.run_first)).ok();
        let sorted = self.run_sorted && span.is_some();
        h[0] = self.run_n | if sorted { SORTED } else { 0 };
        h[2..6].copy_from_slice(&words(self.run_first));
        let span = span.unwrap_or(0);
        h[6..8].copy_from_slice(&[span as u16, (span >> 16) as u16]);
        self.run_n = 0;
    }

    /// Moves `other`'s entries to the end of this list: its runs are copied whole, as many
    /// as fit into the last block, the rest into new ones (a block's unused tail is less
    /// than a run).
    pub fn append(&mut self, mut other: VisibleList) {
        if self.len == 0 {
            if other.len != 0 {
                *self = other;
            }
            return;
        }
        other.close_run();
        self.append_closed(&other);
    }

    /// Copies the entries of `other`, a list with no open run (see [`append`]), to the end
    /// of this one: a list kept for many readers (`window_digest.rs`) is copied, not moved.
    ///
    /// [`append`]: VisibleList::append
    pub fn append_closed(&mut self, other: &VisibleList) {
        debug_assert_eq!(other.run_n, 0, "a list with no open run");
        if other.len == 0 {
            return;
        }
        if self.len == 0 {
            // Its blocks at their length, not a full block each: a point copies many small
            // windows' lists (the row-by-row step's first block also starts small).
            *self = other.clone();
            return;
        }
        self.close_run();
        for ob in &other.blocks {
            let mut at = 0;
            while at < ob.len() {
                let run = &ob[at..at + HEADER + usize::from(ob[at + 1])];
                at += run.len();
                match self.blocks.last_mut() {
                    Some(b) if b.len() + run.len() <= BLOCK => {
                        // A block copied at its length grows to a block's size, not past it
                        // (doubling would leave up to half of it unused).
                        if b.capacity() < b.len() + run.len() {
                            b.reserve_exact(BLOCK - b.len());
                        }
                        b.extend_from_slice(run);
                    }
                    _ => {
                        let mut b = Vec::with_capacity(BLOCK);
                        b.extend_from_slice(run);
                        self.blocks.push(b);
                    }
                }
            }
        }
        self.last = other.last;
        self.max = self.max.max(other.max);
        self.min = self.min.min(other.min);
        self.len += other.len;
        self.sampled.extend_from_slice(&other.sampled);
    }

    /// The runs, in push order.
    pub fn runs(&self) -> Runs<'_> {
        Runs {
            list: self,
            block: 0,
            at: 0,
        }
    }

    /// The arrivals, in push order.
    pub fn arrivals(&self) -> impl Iterator<Item = Micros> + '_ {
        self.runs().flat_map(|r| r.arrivals())
    }

    /// The entries pushed as sampled, in push order.
    pub fn sampled(&self) -> &[Visible] {
        &self.sampled
    }

    pub fn clear(&mut self) {
        self.blocks.clear();
        self.sampled.clear();
        self.len = 0;
        self.run_n = 0;
        self.last = 0;
        self.max = Micros::MIN;
        self.min = Micros::MAX;
    }

    /// Bytes of the encoding.
    #[cfg(test)]
    fn encoded_len(&self) -> usize {
        self.blocks.iter().map(|b| b.len() * 2).sum()
    }
}

/// Appends `rows`' entries to `b` (gaps from `last`) and their sampled ones to `sampled`
/// when every gap takes one word; else leaves both as they were and returns false.
///
/// Written as one `extend` of a mapped slice (whose length is known): the vector's length
/// stays in a register for the whole run. A loop of `push` stored and reloaded it at every
/// entry, since writing an entry might, for all the compiler knew, change it (perf: 18 %
/// of the loop waited on that one dependency).
#[inline]
fn push_narrow(b: &mut Vec<u16>, sampled: &mut Vec<Visible>, rows: &[Row], mask: u64, last: Micros) -> bool {
    let (words, picks) = (b.len(), sampled.len());
    let (mut prev, mut narrow) = (last, true);
    b.extend(rows.iter().map(|r| {
        let d = r.arrival.wrapping_sub(prev);
        prev = r.arrival;
        narrow &= (0..i64::from(WIDE)).contains(&d);
        if r.id & mask == 0 {
            sampled.push(Visible::of(r));
        }
        d as u16
    }));
    if !narrow {
        b.truncate(words);
        sampled.truncate(picks);
    }
    narrow
}

/// A gap that does not fit one word: `WIDE` and a u32, or `FULL` and an i64.
#[cold]
#[inline(never)]
fn push_wide(b: &mut Vec<u16>, d: i64) {
    match u32::try_from(d) {
        Ok(u) => b.extend_from_slice(&[WIDE, u as u16, (u >> 16) as u16]),
        Err(_) => {
            b.push(FULL);
            b.extend_from_slice(&words(d));
        }
    }
}

/// One run of a [`VisibleList`].
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// Entries.
    pub n: u64,
    /// Whether its arrivals never decrease (then `first` is the least, `last` the greatest).
    pub sorted: bool,
    pub first: Micros,
    /// The last arrival when `sorted` (else not kept: `first`).
    pub last: Micros,
    /// The entries after the first.
    words: &'a [u16],
}

impl<'a> Run<'a> {
    /// The arrivals, in push order.
    pub fn arrivals(&self) -> RunArrivals<'a> {
        RunArrivals {
            words: self.words,
            at: 0,
            left: self.n,
            prev: self.first,
            first: true,
        }
    }
}

/// The runs of a [`VisibleList`], in order.
#[derive(Debug)]
pub struct Runs<'a> {
    list: &'a VisibleList,
    block: usize,
    at: usize,
}

impl<'a> Iterator for Runs<'a> {
    type Item = Run<'a>;

    fn next(&mut self) -> Option<Run<'a>> {
        let l = self.list;
        loop {
            let b = l.blocks.get(self.block)?;
            if self.at >= b.len() {
                self.block += 1;
                self.at = 0;
                continue;
            }
            let at = self.at;
            let open = l.run_n > 0 && self.block + 1 == l.blocks.len() && at == l.run_at;
            let run = if open {
                Run {
                    n: u64::from(l.run_n),
                    sorted: l.run_sorted,
                    first: l.run_first,
                    last: l.last,
                    words: &b[at + HEADER..],
                }
            } else {
                let h = &b[at..at + HEADER];
                let first = from_words(&h[2..6]);
                Run {
                    n: u64::from(h[0] & !SORTED),
                    sorted: h[0] & SORTED != 0,
                    first,
                    last: first.wrapping_add(i64::from(h[6]) | i64::from(h[7]) << 16),
                    words: &b[at + HEADER..at + HEADER + usize::from(h[1])],
                }
            };
            self.at = at + HEADER + run.words.len();
            return Some(run);
        }
    }
}

/// The arrivals of one run, decoded in order.
#[derive(Debug, Clone)]
pub struct RunArrivals<'a> {
    words: &'a [u16],
    at: usize,
    left: u64,
    prev: Micros,
    first: bool,
}

impl Iterator for RunArrivals<'_> {
    type Item = Micros;

    #[inline(always)]
    fn next(&mut self) -> Option<Micros> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        if self.first {
            self.first = false;
            return Some(self.prev);
        }
        let w = self.words[self.at];
        let d = if w < WIDE {
            self.at += 1;
            i64::from(w)
        } else if w == WIDE {
            let d = i64::from(self.words[self.at + 1]) | i64::from(self.words[self.at + 2]) << 16;
            self.at += 3;
            d
        } else {
            let d = from_words(&self.words[self.at + 1..self.at + 5]);
            self.at += 5;
            d
        };
        self.prev = self.prev.wrapping_add(d);
        Some(self.prev)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = usize::try_from(self.left).unwrap_or(usize::MAX);
        (n, Some(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v(id: u64, arrival: Micros) -> Visible {
        Visible { id, arrival }
    }

    #[test]
    fn ordinary_gaps_take_a_word() {
        let mut l = VisibleList::default();
        for i in 0..1000 {
            l.push(v(i, 1_000_000_000 + i as i64 * 1000), i % 100 == 0);
        }
        // 4 runs (3 of 256 entries, one of 232): a header each and a word per gap of 1 ms.
        assert_eq!(l.encoded_len(), 4 * HEADER * 2 + (1000 - 4) * 2);
        assert_eq!(l.sampled().len(), 10);
        assert_eq!(l.max_arrival(), Some(1_000_000_000 + 999_000));
        let runs: Vec<Run> = l.runs().collect();
        assert_eq!(runs.len(), 4);
        assert!(runs.iter().all(|r| r.sorted));
        let ends = |rs: &[Run]| rs.iter().map(|r| (r.n, r.first, r.last)).collect::<Vec<_>>();
        assert_eq!(ends(&runs[3..]), vec![(232, 1_000_768_000, 1_000_999_000)]);
        // Closed runs (read from their headers) and the open one alike.
        let mut closed = VisibleList::default();
        closed.push(v(0, 0), false);
        closed.append(l.clone());
        let back: Vec<Run> = closed.runs().skip(1).collect();
        assert_eq!(ends(&back), ends(&runs));
        // A gap over 65.5 ms takes three words, a step back five and unsorts its run.
        let mut w = VisibleList::default();
        for t in [0, 100_000, 50_000] {
            w.push(v(0, t), false);
        }
        assert_eq!(w.encoded_len(), (HEADER + 3 + 5) * 2);
        let r = w.runs().next().unwrap();
        assert!(!r.sorted);
        assert_eq!(r.arrivals().collect::<Vec<_>>(), vec![0, 100_000, 50_000]);
        // A sorted run spanning over u32 µs is read entry by entry once closed.
        let mut long = VisibleList::default();
        long.push(v(0, 7), false);
        long.push(v(1, 7 + 5_000_000_000), false);
        assert!(long.runs().next().unwrap().sorted); // open: its bounds are at hand
        let mut closed = VisibleList::default();
        closed.push(v(2, 0), false);
        closed.append(long);
        let r = closed.runs().nth(1).unwrap();
        assert!(!r.sorted);
        assert_eq!(r.arrivals().collect::<Vec<_>>(), vec![7, 5_000_000_007]);
    }

    #[test]
    fn long_lists_span_blocks() {
        let mut a = VisibleList::default();
        let mut b = VisibleList::default();
        let mut want = Vec::new();
        for i in 0..100_000i64 {
            // Gaps of 1 µs … ~2 s, steps back too: entries of 1, 3 and 5 words.
            let t = i * i % 1_999_993;
            want.push(t);
            if i < 60_000 { &mut a } else { &mut b }.push(v(i as u64, t), false);
        }
        assert!(a.blocks.len() > 2 && a.blocks.iter().all(|x| x.len() <= BLOCK));
        // Pushed blocks are filled to their end (a run ends where its block does).
        let full = &a.blocks[..a.blocks.len() - 1];
        assert!(full.iter().all(|x| x.len() + HEADER + WIDEST > BLOCK));
        a.append(b);
        assert_eq!(a.arrivals().collect::<Vec<_>>(), want);
        assert_eq!(a.len(), 100_000);
        // Reading on from inside a run and a block.
        for skip in [0, 1, 30_001, 99_999] {
            let mut it = a.arrivals();
            it.by_ref().take(skip).for_each(drop);
            let mut got = Vec::new();
            it.for_each(|x| got.push(x));
            assert_eq!(got, want[skip..]);
        }
    }

    fn row(id: u64, arrival: Micros) -> Row {
        Row {
            id,
            key: 0,
            event_time: 0,
            arrival,
            value: 0,
        }
    }

    /// `push_rows` in pieces writes the very words, runs and samples of `push` one by one.
    fn same_as_pushing(arrivals: &[Micros], pieces: &[usize], mask: u64) {
        let rows: Vec<Row> = arrivals
            .iter()
            .enumerate()
            .map(|(i, &a)| row(i as u64, a))
            .collect();
        let mut one = VisibleList::default();
        for r in &rows {
            one.push(Visible::of(r), r.id & mask == 0);
        }
        let mut many = VisibleList::default();
        let (mut at, mut k) = (0, 0);
        while at < rows.len() {
            let n = pieces
                .get(k)
                .copied()
                .unwrap_or(usize::MAX)
                .max(1)
                .min(rows.len() - at);
            many.push_rows(&rows[at..at + n], mask);
            at += n;
            k += 1;
        }
        one.close_run();
        many.close_run();
        assert_eq!(one.blocks, many.blocks);
        assert_eq!(one.sampled, many.sampled);
        assert_eq!(
            (one.len, one.min, one.max, one.last),
            (many.len, many.min, many.max, many.last)
        );
    }

    #[test]
    fn pushing_rows_is_pushing_each() {
        // Ordinary gaps over many runs and blocks, wide gaps and steps back among them.
        let long: Vec<Micros> = (0..200_000i64)
            .map(|i| i * 997 + (i % 13) * 70_000 - (i % 101) * 3_000_000)
            .collect();
        same_as_pushing(&long, &[1, 255, 256, 257, 70_000], 7);
        same_as_pushing(&long, &[], 0);
        same_as_pushing(&[5, 5, i64::MIN, i64::MAX, -1, 0], &[2, 1], 1);
    }

    proptest! {
        #[test]
        fn rows_pushed_in_pieces(
            a in proptest::collection::vec(prop_oneof![0i64..70_000, any::<i64>()], 0..600),
            pieces in proptest::collection::vec(1usize..300, 0..8),
            mask in 0u64..8,
        ) {
            // Arrivals as running sums of the gaps (mostly increasing, as a window's are).
            let arrivals: Vec<i64> = a.iter().scan(0i64, |t, &g| { *t = t.wrapping_add(g); Some(*t) }).collect();
            same_as_pushing(&arrivals, &pieces, mask);
        }

        #[test]
        fn entries_come_back_exactly(
            a in proptest::collection::vec((any::<i64>(), any::<bool>()), 0..50),
            b in proptest::collection::vec((any::<i64>(), any::<bool>()), 0..50),
        ) {
            let build = |xs: &[(i64, bool)], from: u64| {
                let mut l = VisibleList::default();
                for (i, &(t, s)) in xs.iter().enumerate() {
                    l.push(v(from + i as u64, t), s);
                }
                l
            };
            let mut joined = build(&a, 0);
            joined.append(build(&b, a.len() as u64));
            let all: Vec<(i64, bool)> = a.iter().chain(&b).copied().collect();
            let one = build(&all, 0);
            prop_assert_eq!(&joined, &one);
            let back: Vec<i64> = joined.arrivals().collect();
            prop_assert_eq!(&back, &all.iter().map(|x| x.0).collect::<Vec<_>>());
            // `fold` (block by block) yields what `next` does, also after a partial read.
            let mut folded = Vec::new();
            joined.arrivals().for_each(|a| folded.push(a));
            prop_assert_eq!(&folded, &back);
            let mut it = joined.arrivals();
            let head: Vec<i64> = it.by_ref().take(back.len() / 2).collect();
            let mut rest = Vec::new();
            it.for_each(|a| rest.push(a));
            prop_assert_eq!([head, rest].concat(), back);
            prop_assert_eq!(joined.max_arrival(), all.iter().map(|x| x.0).max());
            prop_assert_eq!(joined.min_arrival(), all.iter().map(|x| x.0).min());
            let ids: Vec<u64> = joined.sampled().iter().map(|s| s.id).collect();
            let want: Vec<u64> = all.iter().enumerate().filter(|(_, x)| x.1).map(|(i, _)| i as u64).collect();
            prop_assert_eq!(ids, want);
        }
    }
}
