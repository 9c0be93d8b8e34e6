//! One generated event stream read by several simulations (the points of a sweep).
//!
//! The stream is generated once, in chunks, into a buffer that every reader walks with its
//! own [`Feed`]. A reader that reaches the end of the buffer makes the next chunk, so the
//! readers see exactly the events a stream of their own would give, whatever order they
//! run in (correctness never depends on the driver). Memory is the driver's concern: run
//! in lock-step (`engine::simulate_many`), readers stay close to the newest chunk, and a
//! chunk is dropped as soon as every reader has moved past it.
//!
//! Invariant: chunk `n` holds events `n·CHUNK ..` of the stream, in arrival order; the
//! stream generator runs once per `Shared` (counted in `streams`).

use crate::base::time::Micros;
use crate::workload::event::{Event, RowSpan};
use crate::workload::stream::EventStream;
use std::any::Any;
use std::cell::{OnceCell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

/// Events per shared chunk.
pub const CHUNK: usize = 1 << 14;
/// Events per block of a chunk's spans.
const BLOCK: usize = 64;

/// A chunk of the stream, with the [`RowSpan`] of each block of [`BLOCK`] of its events:
/// made once, so that each reader finds the span of what it takes from a few blocks
/// (16 points of a sweep each took a pass of their own: 8 % of a native day's sweep).
pub struct Chunk {
    events: Vec<Event>,
    blocks: Vec<RowSpan>,
    /// What its readers derive from it once for all of them (`operators/window_digest.rs`).
    memo: OnceCell<Box<dyn Any>>,
    /// Readers of its stream when it was made.
    readers: usize,
}

impl std::fmt::Debug for Chunk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chunk")
            .field("events", &self.events.len())
            .field("memo", &self.memo.get().is_some())
            .finish()
    }
}

impl Chunk {
    /// A chunk of `events`, its stream read by `readers`.
    pub fn new(events: Vec<Event>, readers: usize) -> Self {
        let blocks = events.chunks(BLOCK).filter_map(RowSpan::of).collect();
        Chunk {
            events,
            blocks,
            memo: OnceCell::new(),
            readers,
        }
    }

    /// The chunk's memo, made by `make` for the first reader that asks and kept with the
    /// chunk; None when its stream has one reader (who would do the work twice) and when
    /// the memo made is of another type.
    pub fn memo<T: Any>(&self, make: impl FnOnce() -> T) -> Option<&T> {
        if self.readers < 2 {
            return None;
        }
        self.memo.get_or_init(|| Box::new(make())).downcast_ref()
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The span of `events()[range]`; None when it is empty. Whole blocks are read from
    /// their spans, the rows at either end one by one.
    pub fn span(&self, range: std::ops::Range<usize>) -> Option<RowSpan> {
        let rows = |r: std::ops::Range<usize>| RowSpan::of(&self.events[r]);
        let (from, to) = (range.start.div_ceil(BLOCK), range.end / BLOCK);
        if from >= to {
            return rows(range);
        }
        let head = rows(range.start..from * BLOCK);
        let middle = self.blocks[from..to].iter().copied().reduce(RowSpan::union);
        let tail = rows(to * BLOCK..range.end);
        [head, middle, tail].into_iter().flatten().reduce(RowSpan::union)
    }
}

#[derive(Debug)]
struct Buffer {
    stream: EventStream,
    /// Chunks `first ..` still held.
    chunks: VecDeque<Rc<Chunk>>,
    first: u64,
    exhausted: bool,
    /// Per reader: the chunk it reads (readers hold it; older ones may go).
    readers: Vec<u64>,
    /// Events generated so far.
    generated: u64,
    /// Chunks dropped that had a memo made.
    memos: u64,
}

impl Buffer {
    /// Chunk `n`, generating up to it; None past the end of the stream.
    fn chunk(&mut self, n: u64) -> Option<Rc<Chunk>> {
        while !self.exhausted && self.first + self.chunks.len() as u64 <= n {
            let mut v = Vec::with_capacity(CHUNK);
            // The direct generator writes straight into the chunk (no copy through the
            // stream's buffer: 2.7 % of a native 16-point sweep was that copy).
            while v.len() < CHUNK {
                let room = CHUNK - v.len();
                if self.stream.take_into(&mut v, Micros::MAX, room) == 0 {
                    self.exhausted = true;
                    break;
                }
            }
            self.generated += v.len() as u64;
            if v.is_empty() {
                break;
            }
            self.chunks.push_back(Rc::new(Chunk::new(v, self.readers.len())));
        }
        let i = usize::try_from(n.checked_sub(self.first)?).ok()?;
        self.chunks.get(i).cloned()
    }

    /// Drops chunks every reader has left.
    fn trim(&mut self) {
        let low = self.readers.iter().copied().min().unwrap_or(u64::MAX);
        while self.first < low {
            let Some(c) = self.chunks.pop_front() else { break };
            self.memos += u64::from(c.memo.get().is_some());
            self.first += 1;
        }
    }
}

/// A stream shared by readers.
#[derive(Debug, Clone)]
pub struct Shared(Rc<RefCell<Buffer>>);

impl Shared {
    pub fn new(stream: EventStream) -> Self {
        Shared(Rc::new(RefCell::new(Buffer {
            stream,
            chunks: VecDeque::new(),
            first: 0,
            exhausted: false,
            readers: Vec::new(),
            generated: 0,
            memos: 0,
        })))
    }

    /// A new reader at the stream's start (create every reader before reading).
    pub fn reader(&self) -> Feed {
        let mut b = self.0.borrow_mut();
        assert!(
            b.first == 0,
            "readers are created before the first chunk is dropped"
        );
        b.readers.push(0);
        Feed::Shared {
            buf: self.clone(),
            reader: b.readers.len() - 1,
            chunk_no: 0,
            chunk: None,
            pos: 0,
        }
    }

    /// The arrival of the newest generated event (None before any), and whether the stream
    /// is over: every event arriving before it is generated.
    pub fn frontier(&self) -> (Option<i64>, bool) {
        let b = self.0.borrow();
        (
            b.chunks.back().and_then(|c| c.events.last()).map(|e| e.arrival),
            b.exhausted,
        )
    }

    /// Makes one more chunk; false when the stream is over.
    pub fn advance(&self) -> bool {
        let mut b = self.0.borrow_mut();
        let next = b.first + b.chunks.len() as u64;
        b.chunk(next).is_some()
    }

    /// Drops the chunks every reader has left.
    pub fn trim(&self) {
        self.0.borrow_mut().trim();
    }

    /// Chunks whose memo was made (their readers shared a digest), so far.
    pub fn memos(&self) -> u64 {
        let b = self.0.borrow();
        b.memos + b.chunks.iter().filter(|c| c.memo.get().is_some()).count() as u64
    }

    /// Events generated so far, and chunks held now.
    pub fn stats(&self) -> (u64, usize) {
        let b = self.0.borrow();
        (b.generated, b.chunks.len())
    }
}

/// A simulation's view of its event stream: its own, or a reader of a shared one.
#[derive(Debug)]
pub enum Feed {
    Own(Box<EventStream>),
    Shared {
        buf: Shared,
        reader: usize,
        chunk_no: u64,
        /// The chunk being read (None before the first read or past the end).
        chunk: Option<Rc<Chunk>>,
        pos: usize,
    },
}

impl Feed {
    /// The next event without taking it (generating it if need be).
    #[inline]
    pub fn peek(&mut self) -> Option<&Event> {
        match self {
            Feed::Own(s) => s.peek(),
            Feed::Shared { .. } => {
                self.ensure();
                self.buffered().first()
            }
        }
    }

    /// Events ready to take now (possibly empty; [`Feed::peek`] makes more).
    #[inline]
    pub fn buffered(&self) -> &[Event] {
        match self {
            Feed::Own(s) => s.buffered(),
            Feed::Shared { chunk, pos, .. } => chunk.as_deref().map_or(&[], |c| &c.events[*pos..]),
        }
    }

    /// A shared reader's chunk and its position in it (the events of [`Feed::buffered`],
    /// held by a handle of their own so that a caller can read them while it changes
    /// other state); None for a stream of its own.
    pub fn shared_chunk(&self) -> Option<(Rc<Chunk>, usize)> {
        match self {
            Feed::Own(_) => None,
            Feed::Shared { chunk, pos, .. } => chunk.clone().map(|c| (c, *pos)),
        }
    }

    /// Takes the first `n` buffered events.
    #[inline]
    pub fn consume(&mut self, n: usize) {
        match self {
            Feed::Own(s) => s.consume(n),
            Feed::Shared { chunk, pos, .. } => {
                *pos = (*pos + n).min(chunk.as_deref().map_or(0, |c| c.events.len()));
            }
        }
    }

    /// Moves a shared reader to a chunk with events left, if the stream has one.
    fn ensure(&mut self) {
        let Feed::Shared {
            buf,
            reader,
            chunk_no,
            chunk,
            pos,
        } = self
        else {
            return;
        };
        loop {
            match chunk {
                Some(c) if *pos < c.events.len() => return,
                Some(_) => {
                    *chunk_no += 1;
                    *pos = 0;
                }
                None => {}
            }
            let mut b = buf.0.borrow_mut();
            *chunk = b.chunk(*chunk_no);
            b.readers[*reader] = *chunk_no;
            if chunk.is_none() {
                return;
            }
        }
    }

    /// Whether the next event is ready without generating (or the stream is known to be
    /// over): what a reader that only drains may look at.
    pub fn ready(&mut self) -> bool {
        match self {
            Feed::Own(_) => true,
            Feed::Shared {
                buf,
                chunk_no,
                chunk,
                pos,
                ..
            } => {
                if chunk.as_ref().is_some_and(|c| *pos < c.events.len()) {
                    return true;
                }
                let b = buf.0.borrow();
                let next = if chunk.is_some() { *chunk_no + 1 } else { *chunk_no };
                b.exhausted || next < b.first + b.chunks.len() as u64
            }
        }
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        if let Feed::Shared { buf, reader, .. } = self {
            if let Ok(mut b) = buf.0.try_borrow_mut() {
                b.readers[*reader] = u64::MAX; // gone: never holds a chunk back
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A range's span from the blocks equals a pass over its events, for every kind of
    /// range: inside one block, across block edges, whole chunks, empty.
    #[test]
    fn block_spans_are_a_pass_over_the_range() {
        let events: Vec<Event> = (0..1_000u64)
            .map(|i| Event {
                id: i,
                key: ((i * 7_919) % 97) as u32,
                event_time: ((i * 104_729) % 10_007) as i64 - 5_000,
                arrival: i as i64,
                value: 0,
            })
            .collect();
        let c = Chunk::new(events.clone(), 1);
        let pass = |r: std::ops::Range<usize>| RowSpan::of(&events[r]);
        for start in [0, 1, 63, 64, 65, 127, 128, 500, 999, 1_000] {
            for len in [0, 1, 2, 63, 64, 65, 128, 129, 300, 1_000] {
                let end = (start + len).min(events.len());
                assert_eq!(c.span(start..end), pass(start..end), "{start}..{end}");
            }
        }
    }
}
