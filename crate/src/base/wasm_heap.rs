//! The wasm modules' heap: dlmalloc (the allocator Rust's std uses on wasm32) over linear
//! memory that grows **geometrically** — by a sixteenth of its size at least — instead of by
//! the 64 KiB pages each request needs.
//!
//! Why: every `memory.grow` costs V8 about 0.3–0.5 ms whatever its size (measured in Node
//! 20: 3,776 grows of one page to 256 MiB took 1.76 s; 15 grows of 16 MiB took 5 ms), and
//! std's dlmalloc asks for little more than each request. A run whose batch holds a day of
//! rows grows to ~234 MiB in ~3,700 grows: 2.6 s of a 5.2 s run (a daily trigger at
//! 1,000 events/s, Node), and the same run in a memory already grown took 2.5 s.
//!
//! Rules (the module's invariants):
//! - the core module is single-threaded (wasm32 without the `atomics` feature), so the heap
//!   is a plain cell: no lock, and no re-entry (dlmalloc calls no allocator);
//! - memory is never given back (wasm memory cannot shrink), as with std's allocator;
//! - each growth asks for `max(request, memory / 16, 1 MiB)`, rounded up to whole pages; when
//!   that cannot be had, for the request alone, so the limit where an allocation fails is
//!   the same as std's. Memory over what the run uses is at most a sixteenth of it (or 1 MiB).
//!
//! Source: dlmalloc's `Allocator` contract (crate docs, version 0.2.14): `alloc` returns
//! fresh zeroed memory and its size; the other hooks say that nothing is remapped or freed.
#![allow(unsafe_code)]

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;

/// A WebAssembly page, bytes.
const PAGE: usize = 64 * 1024;
/// The least growth, bytes.
const LEAST_GROWTH: usize = 1 << 20;

/// Linear memory as dlmalloc's system allocator, grown by a sixteenth at least.
struct Geometric;

/// The pages to grow by for a request of `size` bytes in a memory of `have` bytes.
fn growth_pages(size: usize, have: usize) -> usize {
    size.max(have / 16).max(LEAST_GROWTH).div_ceil(PAGE)
}

/// Grows memory by `pages`: the new region's start and size, or `None`.
fn grow(pages: usize) -> Option<(*mut u8, usize)> {
    let prev = wasm32::memory_grow::<0>(pages);
    if prev == usize::MAX {
        return None;
    }
    let start = prev * PAGE;
    let size = pages * PAGE;
    // A region that ends at the top of the 4 GiB address space would make its end pointer
    // wrap to 0: leave its last bytes out (as dlmalloc's own wasm system allocator does).
    let size = if start.wrapping_add(size) == 0 {
        size - 16
    } else {
        size
    };
    Some((core::ptr::with_exposed_provenance_mut(start), size))
}

// SAFETY: `alloc` returns a region of linear memory just grown, so unused by anything else,
// zeroed (the spec's memory.grow), and of the size it says; nothing is remapped or freed.
unsafe impl dlmalloc::Allocator for Geometric {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        // Saturating: a full 4 GiB memory's size does not fit a wasm32 usize.
        let have = wasm32::memory_size::<0>().saturating_mul(PAGE);
        match grow(growth_pages(size, have)).or_else(|| grow(size.div_ceil(PAGE))) {
            Some((start, size)) => (start, size, 0),
            None => (core::ptr::null_mut(), 0, 0),
        }
    }
    fn remap(&self, _ptr: *mut u8, _old: usize, _new: usize, _can_move: bool) -> *mut u8 {
        core::ptr::null_mut()
    }
    fn free_part(&self, _ptr: *mut u8, _old: usize, _new: usize) -> bool {
        false
    }
    fn free(&self, _ptr: *mut u8, _size: usize) -> bool {
        false
    }
    fn can_release_part(&self, _flags: u32) -> bool {
        false
    }
    fn allocates_zeros(&self) -> bool {
        true
    }
    fn page_size(&self) -> usize {
        PAGE
    }
}

/// The global heap: one dlmalloc over [`Geometric`].
struct Heap(UnsafeCell<dlmalloc::Dlmalloc<Geometric>>);

// SAFETY: wasm32 without atomics has one thread, so the cell is never shared across threads.
unsafe impl Sync for Heap {}

#[global_allocator]
static HEAP: Heap = Heap(UnsafeCell::new(dlmalloc::Dlmalloc::new_with_allocator(Geometric)));

// SAFETY: each call has the cell to itself (one thread, dlmalloc does not allocate), and
// passes the caller's layout through to dlmalloc, which keeps GlobalAlloc's contract.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { (*self.0.get()).malloc(layout.size(), layout.align()) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { (*self.0.get()).calloc(layout.size(), layout.align()) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { (*self.0.get()).free(ptr, layout.size(), layout.align()) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe { (*self.0.get()).realloc(ptr, layout.size(), layout.align(), new_size) }
    }
}
