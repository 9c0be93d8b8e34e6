//! Events waiting to become visible (or made visible by a batch's commit), kept compactly:
//! the engine needs, per event, only its arrival (latency = commit − arrival) and, for the
//! events in the report's per-event sample, its id.
//!
//! Encoding: arrivals as zigzag LEB128 deltas from the previous entry (the first from 0).
//! A window's list grows in arrival order (batches take rows in arrival order), so a delta
//! is the gap between two arrivals of the same window: one or two bytes at ordinary rates,
//! against 16 bytes for an (id, arrival) pair. Ids are kept, with their arrival, only for
//! the entries the pusher marks as sampled.
//!
//! Invariants: `arrivals()` yields exactly the pushed arrivals in push order (any order,
//! any i64: deltas wrap); `sampled()` the marked entries in push order; `append` equals
//! pushing the other list's entries one by one.

use crate::base::time::Micros;

/// An event whose result became visible in this batch's commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visible {
    pub id: u64,
    pub arrival: Micros,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisibleList {
    /// The encoding, in blocks: a list's first block grows as a `Vec` does up to
    /// [`BLOCK`], later blocks are allocated at [`BLOCK`] bytes each. Equal blocks are what
    /// wasm's allocator reuses without fragmenting (its memory never shrinks); growing one
    /// large `Vec` per window took 2.7× the bytes held. A varint may span two blocks.
    blocks: Vec<Vec<u8>>,
    len: u64,
    /// Arrival of the last entry (the base of the next delta); 0 when empty.
    last: Micros,
    /// Latest arrival of all entries (`Micros::MIN` when empty).
    max: Micros,
    /// Earliest arrival of all entries (`Micros::MAX` when empty).
    min: Micros,
    sampled: Vec<Visible>,
}

/// Bytes of a full block.
const BLOCK: usize = 32 << 10;

/// `v` as a LEB128 varint into `buf`; returns its length.
#[inline]
fn varint(mut v: u64, buf: &mut [u8; 10]) -> usize {
    let mut n = 0;
    while v >= 0x80 {
        buf[n] = (v as u8) | 0x80;
        v >>= 7;
        n += 1;
    }
    buf[n] = v as u8;
    n + 1
}

/// `v` as a LEB128 varint at the end of `bytes`.
#[inline]
fn push_varint(bytes: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        bytes.push((v as u8) | 0x80);
        v >>= 7;
    }
    bytes.push(v as u8);
}

#[inline]
fn zigzag(d: i64) -> u64 {
    ((d << 1) ^ (d >> 63)) as u64
}

#[inline]
fn unzigzag(z: u64) -> i64 {
    ((z >> 1) as i64) ^ -((z & 1) as i64)
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

    /// Appends bytes to the encoding, filling the last block first.
    #[cold]
    #[inline(never)]
    fn put(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let room = match self.blocks.last() {
                Some(b) if b.len() < BLOCK => BLOCK - b.len(),
                _ => {
                    let first = self.blocks.is_empty();
                    self.blocks
                        .push(Vec::with_capacity(if first { 16 } else { BLOCK }));
                    BLOCK
                }
            };
            let block = self.blocks.last_mut().expect("a block was just ensured");
            let n = room.min(bytes.len());
            block.extend_from_slice(&bytes[..n]);
            bytes = &bytes[n..];
        }
    }

    /// Adds an event; its id is kept when `sampled`.
    #[inline(always)]
    pub fn push(&mut self, v: Visible, sampled: bool) {
        if self.len == 0 {
            self.max = Micros::MIN;
            self.min = Micros::MAX;
        }
        let z = zigzag(v.arrival.wrapping_sub(self.last));
        match self.blocks.last_mut() {
            // Byte by byte: a 1–3 byte `extend_from_slice` is a call to memcpy (9 % of a
            // day's run at a 1 s trigger, measured).
            Some(b) if b.len() + 10 <= BLOCK => push_varint(b, z),
            _ => {
                let mut buf = [0u8; 10];
                let n = varint(z, &mut buf);
                self.put(&buf[..n]);
            }
        }
        self.last = v.arrival;
        self.max = self.max.max(v.arrival);
        self.min = self.min.min(v.arrival);
        self.len += 1;
        if sampled {
            self.sampled.push(v);
        }
    }

    /// Moves `other`'s entries to the end of this list (its first delta is re-based, the
    /// rest copied as they are).
    pub fn append(&mut self, mut other: VisibleList) {
        if other.len == 0 {
            return;
        }
        if self.len == 0 {
            *self = other;
            return;
        }
        let first = other
            .arrivals()
            .next()
            .expect("a non-empty list has a first entry");
        let mut buf = [0u8; 10];
        let n = varint(zigzag(first.wrapping_sub(self.last)), &mut buf);
        self.put(&buf[..n]);
        // The rest as they are: skip the first varint's bytes (it was encoded from 0).
        let mut skip = varint(zigzag(first), &mut buf);
        for block in &other.blocks {
            let from = skip.min(block.len());
            skip -= from;
            self.put(&block[from..]);
        }
        self.last = other.last;
        self.max = self.max.max(other.max);
        self.min = self.min.min(other.min);
        self.len += other.len;
        self.sampled.append(&mut other.sampled);
    }

    /// The arrivals, in push order.
    pub fn arrivals(&self) -> Arrivals<'_> {
        Arrivals {
            blocks: &self.blocks,
            block: 0,
            at: 0,
            left: self.len,
            prev: 0,
        }
    }

    /// The entries pushed as sampled, in push order.
    pub fn sampled(&self) -> &[Visible] {
        &self.sampled
    }

    pub fn clear(&mut self) {
        self.blocks.clear();
        self.sampled.clear();
        self.len = 0;
        self.last = 0;
        self.max = Micros::MIN;
        self.min = Micros::MAX;
    }

    /// Bytes of the encoding.
    #[cfg(test)]
    fn encoded_len(&self) -> usize {
        self.blocks.iter().map(Vec::len).sum()
    }
}

/// The arrivals of a [`VisibleList`], decoded in order.
#[derive(Debug)]
pub struct Arrivals<'a> {
    blocks: &'a [Vec<u8>],
    block: usize,
    at: usize,
    left: u64,
    prev: Micros,
}

impl Arrivals<'_> {
    /// The next varint, byte by byte (it may span two blocks).
    #[cold]
    fn next_varint_slow(&mut self) -> u64 {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let mut block = &self.blocks[self.block];
            if self.at == block.len() {
                self.block += 1;
                self.at = 0;
                block = &self.blocks[self.block];
            }
            let b = block[self.at];
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return v;
            }
            shift += 7;
        }
    }
}

impl Iterator for Arrivals<'_> {
    type Item = Micros;

    #[inline(always)]
    fn next(&mut self) -> Option<Micros> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let block = &self.blocks[self.block];
        let z = if self.at + 10 <= block.len() {
            // The whole varint is in this block (all but the last few bytes of a block).
            let bytes = &block[self.at..self.at + 10];
            let mut v = 0u64;
            let mut i = 0;
            loop {
                let b = bytes[i];
                v |= u64::from(b & 0x7f) << (7 * i);
                i += 1;
                if b < 0x80 {
                    break;
                }
            }
            self.at += i;
            v
        } else {
            self.next_varint_slow()
        };
        self.prev = self.prev.wrapping_add(unzigzag(z));
        Some(self.prev)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = usize::try_from(self.left).unwrap_or(usize::MAX);
        (n, Some(n))
    }

    /// The remaining arrivals block by block, byte by byte (a varint may span two blocks):
    /// no per-entry bounds checks, for consumers that take them all (`for_each`, `sum`).
    fn fold<B, F: FnMut(B, Micros) -> B>(self, init: B, mut f: F) -> B {
        let mut acc = init;
        let mut left = self.left;
        if left == 0 {
            return acc;
        }
        let mut prev = self.prev;
        let (mut v, mut shift) = (0u64, 0u32);
        let mut at = self.at;
        for block in self.blocks.iter().skip(self.block) {
            for &b in &block[at.min(block.len())..] {
                v |= u64::from(b & 0x7f) << shift;
                if b < 0x80 {
                    prev = prev.wrapping_add(unzigzag(v));
                    acc = f(acc, prev);
                    left -= 1;
                    if left == 0 {
                        return acc;
                    }
                    v = 0;
                    shift = 0;
                } else {
                    shift += 7;
                }
            }
            at = 0;
        }
        acc
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
    fn ordinary_gaps_take_one_or_two_bytes() {
        let mut l = VisibleList::default();
        for i in 0..1000 {
            l.push(v(i, 1_000_000_000 + i as i64 * 1000), i % 100 == 0);
        }
        // The first delta is the absolute arrival (5 bytes), then 999 gaps of 1 ms.
        assert_eq!(l.encoded_len(), 5 + 999 * 2);
        assert_eq!(l.sampled().len(), 10);
        assert_eq!(l.max_arrival(), Some(1_000_000_000 + 999_000));
    }

    #[test]
    fn long_lists_span_blocks() {
        let mut a = VisibleList::default();
        let mut b = VisibleList::default();
        let mut want = Vec::new();
        for i in 0..100_000i64 {
            // Gaps of 1 µs … ~2 s: varints of 1 to 3 bytes, some across a block's end.
            let t = i * i % 1_999_993;
            want.push(t);
            if i < 60_000 { &mut a } else { &mut b }.push(v(i as u64, t), false);
        }
        assert!(a.blocks.len() > 2 && a.blocks.iter().all(|x| x.len() <= BLOCK));
        a.append(b);
        assert_eq!(a.arrivals().collect::<Vec<_>>(), want);
        assert_eq!(a.len(), 100_000);
        // `fold` across blocks, from the start and from inside a block.
        for skip in [0, 1, 30_001, 99_999] {
            let mut it = a.arrivals();
            it.by_ref().take(skip).for_each(drop);
            let mut got = Vec::new();
            it.for_each(|x| got.push(x));
            assert_eq!(got, want[skip..]);
        }
    }

    proptest! {
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
