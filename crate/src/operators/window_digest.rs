//! A chunk of a sweep's shared stream summarized once, per tumbling window, for every
//! windowed count that reads the chunk whole (`WindowCount::feed`).
//!
//! The points of a sweep run one query over one stream and differ only in their trigger.
//! A point whose batch takes a whole chunk does, row by row, what every other such point
//! does: find the row's window, add its value to the (window, key) aggregate, append its
//! arrival to the window's list of events waiting for emission. What depends on the
//! point is only which windows its batch drops as late (the late-row watermark, the same
//! for the whole batch) and which counted rows are late but counted. So the row-by-row
//! part is done once per chunk, here, and each point then works per window and key: a
//! digest holds, for each tumbling window the chunk's rows fall in, its keys' partial
//! aggregates, the chunk positions of its rows (as runs of consecutive positions), and
//! its rows' arrivals as a closed [`VisibleList`] (their ids for `id & mask == 0`).
//!
//! Rule (what makes it exact): Spark's partial aggregation of a batch sums each (window,
//! key) group's rows; count, sum (wrapping) and non-null count are sums, so adding a
//! chunk's partial sums gives what adding its rows one by one gives. A window whose rows
//! are dropped is dropped whole (`start + size ≤ late watermark` does not depend on the
//! row), with one late group per key that had a row in it.
//!
//! Invariants: the windows are `base + i·size` for `i` in `0..windows.len()`, the span of
//! the chunk's event times; each window's `aggs` has one entry per key with a row in it
//! (keys distinct), its `runs` cover exactly its rows' positions, in order, and its
//! `visible` holds their arrivals in position order with no open run. Applied to a point
//! (`WindowCount::partial_digest`) it leaves the same partial groups, late groups, fates
//! and waiting lists (the same entries, in the same order) as the row-by-row step: checked
//! side by side in `aggregate.rs` (`a_chunk_digest_gives_the_row_by_row_step`), and on
//! whole sweeps in `simulation/spark/tests.rs`, each point's report against its standalone
//! run (which never uses a digest).
//!
//! Cost: the first reader that takes a chunk whole makes its digest (about one row-by-row
//! pass) when the stream has two readers or more, even if no other reader takes that chunk
//! whole; the digest is held with the chunk (about the chunk's size at most).

use crate::base::time::Micros;
use crate::operators::rows::{Agg, Row};
use crate::operators::visible_list::VisibleList;

/// What a digest was made for: readers whose windowing or sample differ make their own
/// partial step instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestKey {
    /// Tumbling window size, µs.
    pub size: Micros,
    /// Ids kept in the lists for `id & mask == 0`.
    pub mask: u64,
    /// The earliest window start and the key slots of the chunk's dense step.
    pub base: Micros,
    pub keys: usize,
}

/// One tumbling window's part of a chunk.
#[derive(Debug, Default)]
pub struct DigestWindow {
    /// (key, its rows' partial aggregate) for each key with a row in it, in key order.
    pub aggs: Vec<(u32, Agg)>,
    /// Positions of its rows in the chunk, as `start..end` runs, in order.
    pub runs: Vec<(u32, u32)>,
    /// Its rows' arrivals, in position order (closed: ready to copy).
    pub visible: VisibleList,
}

/// A chunk's rows by tumbling window.
#[derive(Debug)]
pub struct WindowDigest {
    pub key: DigestKey,
    pub windows: Vec<DigestWindow>,
}

impl WindowDigest {
    /// The digest of `rows` (a whole chunk, whose event times lie in `windows` tumbling
    /// windows from `key.base` and whose keys are below `key.keys`).
    pub fn of(rows: &[Row], key: DigestKey, windows: usize) -> WindowDigest {
        let size = key.size;
        let width = size as u64; // > 0
        let mut out: Vec<DigestWindow> = (0..windows).map(|_| DigestWindow::default()).collect();
        // Per window, its aggregates by key slot (sized when the window has a row).
        let mut dense: Vec<Vec<Agg>> = vec![Vec::new(); windows];
        let mut i = 0;
        while i < rows.len() {
            let t = rows[i].event_time;
            let lo = t - t.rem_euclid(size);
            let slot = ((lo - key.base) / size) as usize;
            let inside = |r: &&Row| (r.event_time.wrapping_sub(lo) as u64) < width;
            let aggs = &mut dense[slot];
            if aggs.is_empty() {
                aggs.resize(key.keys, Agg::default());
            }
            let first = i;
            while let Some(r) = rows.get(i).filter(inside) {
                aggs[r.key as usize].add(r.value);
                i += 1;
            }
            let w = &mut out[slot];
            w.runs.push((first as u32, i as u32));
            w.visible.push_rows(&rows[first..i], key.mask);
        }
        for (w, aggs) in out.iter_mut().zip(dense) {
            w.aggs = (0u32..).zip(aggs).filter(|(_, a)| a.count > 0).collect();
            w.visible.close_run();
        }
        WindowDigest { key, windows: out }
    }
}
