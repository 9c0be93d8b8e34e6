//! Puts generated events into arrival order. Events are made in event-time (id) order;
//! each arrives after a random lateness, so they must be re-sorted by (arrival, id) before
//! the engine sees them.
//!
//! A binary heap over every in-flight event costs O(log n) cache-missing steps per event.
//! Here events are collected into chunks of [`CHUNK`]; a full chunk is sorted once (a
//! cache-friendly pass) and the few live chunks are merged through a small heap of their
//! heads. Events arriving more than [`FAR_LATE`] after their event time (an offline
//! device's tail) go to a separate heap, so that one straggler does not keep a whole chunk
//! alive for hours. The order handed out is exactly (arrival, id): a total order, so the
//! result is the same as a single heap's.

use crate::base::time::Micros;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A generated event waiting to arrive: (arrival, id, key, event time, value). Ordered by
/// arrival, then id (ids are unique).
pub type InFlight = (Micros, u64, u32, Micros, i64);

/// Events per chunk: a power of two, so a position fits in [`POS_BITS`] bits.
const CHUNK: usize = 1 << POS_BITS;
const POS_BITS: u32 = 12;
/// Lateness beyond which an event waits in the far heap, µs (10 min).
const FAR_LATE: Micros = 600_000_000;

#[derive(Debug, Clone, Default)]
struct Chunk {
    /// Sorted ascending by (arrival, id).
    items: Vec<InFlight>,
    /// Next item to hand out.
    pos: usize,
}

#[derive(Debug, Clone, Default)]
pub struct ArrivalOrder {
    /// Events generated since the last seal, in id order.
    building: Vec<InFlight>,
    chunks: Vec<Chunk>,
    /// Slots of `chunks` that are empty and can be reused (their Vecs keep capacity).
    free: Vec<usize>,
    /// Scratch for sorting a chunk.
    keys: Vec<u64>,
    /// (head arrival, head id, chunk slot) of every chunk with items left.
    heads: BinaryHeap<Reverse<(Micros, u64, usize)>>,
    far: BinaryHeap<Reverse<InFlight>>,
    len: usize,
}

impl ArrivalOrder {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds an event (in id order).
    pub fn push(&mut self, e: InFlight) {
        self.len += 1;
        if e.0 - e.3 > FAR_LATE {
            self.far.push(Reverse(e));
        } else {
            self.building.push(e);
        }
    }

    /// Event time of the earliest event not sealed yet: no unsealed event arrives before it.
    pub fn unsealed_from(&self) -> Option<Micros> {
        self.building.first().map(|e| e.3)
    }

    /// Whether the chunk being built is full and should be sealed.
    pub fn wants_seal(&self) -> bool {
        self.building.len() >= CHUNK
    }

    /// Sorts the events collected so far into a chunk and makes them available.
    pub fn seal(&mut self) {
        if self.building.is_empty() {
            return;
        }
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.chunks.push(Chunk::default());
                self.chunks.len() - 1
            }
        };
        let c = &mut self.chunks[slot];
        c.items.clear();
        c.pos = 0;
        // `building` is in id order, so sorting (arrival − the chunk's earliest arrival,
        // position) packed in one u64 gives (arrival, id) order: a sort of plain integers
        // instead of 40-byte tuples. Arrivals in a chunk span less than 2^52 µs (143 years).
        let base = self.building.iter().map(|e| e.0).min().unwrap_or(0);
        let span_fits = self
            .building
            .iter()
            .all(|e| ((e.0 - base) as u64) < 1 << (64 - POS_BITS));
        if span_fits {
            self.keys.clear();
            self.keys.extend(
                self.building
                    .iter()
                    .enumerate()
                    .map(|(i, e)| ((e.0 - base) as u64) << POS_BITS | i as u64),
            );
            self.keys.sort_unstable();
            let mask = (1u64 << POS_BITS) - 1;
            c.items
                .extend(self.keys.iter().map(|k| self.building[(k & mask) as usize]));
            self.building.clear();
        } else {
            std::mem::swap(&mut c.items, &mut self.building);
            c.items.sort_unstable_by_key(|e| (e.0, e.1));
        }
        let (arrival, id, ..) = c.items[0];
        self.heads.push(Reverse((arrival, id, slot)));
    }

    /// The earliest sealed event (the chunk being built is not looked at).
    pub fn peek(&self) -> Option<InFlight> {
        let chunk = self.heads.peek().map(|Reverse((_, _, slot))| {
            let c = &self.chunks[*slot];
            c.items[c.pos]
        });
        let far = self.far.peek().map(|Reverse(e)| *e);
        match (chunk, far) {
            (Some(c), Some(f)) => Some(c.min(f)),
            (c, f) => c.or(f),
        }
    }

    /// Removes and returns the earliest sealed event.
    pub fn pop(&mut self) -> Option<InFlight> {
        let next = self.peek()?;
        self.len -= 1;
        if self.far.peek().is_some_and(|Reverse(f)| *f == next) {
            self.far.pop();
            return Some(next);
        }
        // Advance the head chunk in place: one sift instead of a pop and a push.
        let mut top = self.heads.peek_mut().expect("peek found a chunk head");
        let slot = (top.0).2;
        let c = &mut self.chunks[slot];
        c.pos += 1;
        if let Some(&(arrival, id, ..)) = c.items.get(c.pos) {
            *top = Reverse((arrival, id, slot));
        } else {
            std::collections::binary_heap::PeekMut::pop(top);
            self.free.push(slot);
        }
        Some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::sampler::SimRng as ChaCha8Rng;
    use rand_core::{RngCore, SeedableRng};

    /// Same pushes into this and into one binary heap, popping whatever is due as time
    /// advances (sealing first, as the generator does): both hand out the same sequence.
    fn agree(gap: u64, spread: u64, tail_every: u64, seed: u64) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut q = ArrivalOrder::default();
        let mut h: BinaryHeap<Reverse<InFlight>> = BinaryHeap::new();
        let (mut out_q, mut out_h) = (Vec::new(), Vec::new());
        let mut t = 0i64;
        let n = 30_000u64;
        for id in 0..n {
            t += (rng.next_u64() % (2 * gap + 1)) as i64;
            let mut late = (rng.next_u64() % spread) as i64;
            if tail_every > 0 && id % tail_every == 0 {
                late += 3_600_000_000;
            }
            let e = (t + late, id, (id % 7) as u32, t, id as i64);
            q.push(e);
            h.push(Reverse(e));
            if q.wants_seal() {
                q.seal();
                // everything sealed that arrived by `t` is due (later events arrive ≥ t)
                while q.peek().is_some_and(|x| x.0 <= t) {
                    out_q.push(q.pop().unwrap());
                }
                while h.peek().is_some_and(|Reverse(x)| x.0 <= t) {
                    out_h.push(h.pop().unwrap().0);
                }
            }
        }
        q.seal();
        while let Some(x) = q.pop() {
            out_q.push(x);
        }
        while let Some(Reverse(x)) = h.pop() {
            out_h.push(x);
        }
        assert_eq!(out_q.len(), n as usize);
        assert_eq!(out_q, out_h);
        assert!(q.is_empty());
    }

    #[test]
    fn same_order_as_one_heap() {
        agree(1_000, 5_000_000, 0, 1); // 1 ms gaps, up to 5 s late
        agree(1, 100, 0, 2); // 1 µs gaps: many ties in arrival
        agree(20_000, 400_000_000, 0, 3); // lateness spanning many chunks
        agree(1_000, 2_000_000, 50, 4); // an offline tail through the far heap
    }
}
