//! Arrow IPC, file format (`ARROW1` magic) or stream format, read by our own small reader of
//! the subset the loader needs. Integer, float, boolean, text, timestamp and date columns; a
//! timestamp becomes µs since the epoch (read it with unit `epoch_us`), a date its midnight.
//!
//! The format, from the Apache Arrow columnar format specification, sections "Serialization
//! and Interprocess Communication (IPC)": "Encapsulated message format", "IPC Streaming
//! Format", "IPC File Format", "Buffer Listing for Each Layout"
//! (<https://arrow.apache.org/docs/format/Columnar.html>, read 2026-11-28):
//! - A message is an optional 0xFFFFFFFF continuation marker, an int32 metadata length (all
//!   integers little-endian), a `Message` flatbuffer of that many bytes (padding included),
//!   then its body of `bodyLength` bytes. A stream is a `Schema` message, then
//!   `DictionaryBatch` and `RecordBatch` messages, until 0xFFFFFFFF 0x00000000 (or a bare
//!   0x00000000, or the end of the bytes).
//! - A file is `ARROW1`, 2 bytes of padding, a stream, a `Footer` flatbuffer, its int32 length
//!   and `ARROW1`. The footer holds the schema and one `Block` (offset, metadata length, body
//!   length) per record batch; the batches are read in the footer's order.
//! - A record batch has one `FieldNode` (length, null count) per field, the schema's fields
//!   walked depth first (a parent before its children), and its buffers (offset and length
//!   within the body) in the same order: none for Null and RunEndEncoded; validity for Struct
//!   and FixedSizeList; validity and values for the fixed-width types (Bool as bits) and for
//!   a dictionary-encoded field (its indices; its values come in dictionary batches); validity
//!   and offsets for List, LargeList and Map; validity, offsets and data for (Large)Binary and
//!   (Large)Utf8; validity, offsets and sizes for (Large)ListView; validity, views and the
//!   record batch's `variadicBufferCounts` entry of data buffers for BinaryView and
//!   Utf8View; type ids (and offsets when dense) for a Union, after a validity buffer before
//!   metadata version V5. A validity bitmap is used only when the null count is not 0 and
//!   the buffer not empty; bits are least-significant first.
//!
//! Only the flatbuffer metadata is decoded by `arrow_ipc` (`root_as_message_with_opts`,
//! `root_as_footer_with_opts`: the flatbuffers verifier, which allocates nothing, with limits
//! for the flatbuffer's size, see [`verified_message`]); every buffer is read here.
//! Invariants:
//! - Every read is bounds-checked against the file: a message's metadata and body lie within
//!   the bytes left before anything is read from them, every buffer of a record batch within
//!   its body, every value within its buffer (`slice::get`, never unchecked indexing), and
//!   a batch's selected columns are all checked (lengths, offsets, UTF-8) before its first
//!   row goes to the sink.
//! - No allocation is sized by a number from the file: the file's bytes are borrowed, not
//!   copied; the few vectors (field layout, column names, a string-view column's data
//!   buffers) are bounded by the flatbuffer metadata, itself within the file.
//! - Identical on 32-bit (wasm32) and 64-bit: lengths and offsets from the file are checked
//!   as i64/u64 and only then converted to `usize`, with a checked conversion.
//! - No more work than the file justifies: at most 8 rows per byte of the file in all (a
//!   boolean column's 8 values a byte), so that columns without buffers (Null) cannot make
//!   rows from nothing; a file's record batch blocks take at most the file's bytes together,
//!   so that a footer cannot name one batch many times; the verifier's work is a few times
//!   the flatbuffer's bytes.

use super::{Cell, RowSink};
use arrow_ipc::{
    DateUnit, Endianness, Field, Footer, Message, MessageHeader, MetadataVersion, Precision, RecordBatch,
    Schema, TimeUnit, Type, UnionMode,
};
use std::borrow::Cow;

const MAGIC: &[u8; 6] = b"ARROW1";
const CONTINUATION: [u8; 4] = [0xff; 4];
const COMPRESSED: &str = "compressed Arrow IPC is not read; write it uncompressed";

pub(crate) fn read(bytes: &[u8], columns: &[String], sink: &mut RowSink<'_>) -> Result<(), String> {
    let (layout, mut batches) = if bytes.starts_with(MAGIC) {
        open_file(bytes).map_err(|e| format!("not a readable Arrow IPC file: {e}"))?
    } else {
        open_stream(bytes).map_err(|e| format!("not an Arrow IPC file or stream: {e}"))?
    };
    // 8 rows a byte: a boolean column's bits. u64: 8 × 256 MiB is past u32.
    let max_rows = (bytes.len() as u64).saturating_mul(8);
    let mut selected: Option<Vec<Selected<'_>>> = None;
    let mut row_no: u64 = 0;
    let mut cells: Vec<Cell<'_>> = Vec::with_capacity(columns.len());
    loop {
        let damaged = |e: String| format!("a damaged record batch after row {row_no}: {e}");
        let Some((batch, version, body)) = batches.next().map_err(damaged)? else {
            break;
        };
        // The columns are looked up at the first batch, as before: a file without batches
        // has no rows, whatever it has for columns.
        let sel = match &selected {
            Some(s) => s,
            None => selected.insert(select(&layout, columns)?),
        };
        let (rows, cols) = decode(&layout, sel, batch, version, body, row_no, max_rows).map_err(damaged)?;
        for r in 0..rows {
            row_no += 1;
            cells.clear();
            for c in &cols {
                let cell = c.cell(r).ok_or_else(|| {
                    format!(
                        "a damaged record batch after row {}: column '{}' row {row_no} cannot be read",
                        row_no - 1,
                        c.name
                    )
                })?;
                cells.push(cell);
            }
            sink(row_no, Ok(&cells));
        }
    }
    Ok(())
}

// ---- Bytes -------------------------------------------------------------------------------

/// `bytes[start .. start + len]`, or `None` when any of it lies outside.
fn slice(bytes: &[u8], start: u64, len: u64) -> Option<&[u8]> {
    let end = start.checked_add(len)?;
    bytes.get(usize::try_from(start).ok()?..usize::try_from(end).ok()?)
}

/// The `index`-th little-endian `N`-byte word of `bytes`.
fn word<const N: usize>(bytes: &[u8], index: u64) -> Option<[u8; N]> {
    let w = slice(bytes, index.checked_mul(N as u64)?, N as u64)?;
    w.try_into().ok()
}

fn i32_at(bytes: &[u8], byte: u64) -> Option<i32> {
    let w = slice(bytes, byte, 4)?;
    Some(i32::from_le_bytes(w.try_into().ok()?))
}

/// Bytes for `bits` bits, u64 so that no length overflows.
fn bitmap_bytes(bits: u64) -> u64 {
    bits.div_ceil(8)
}

fn bit(bits: &[u8], i: usize) -> Option<bool> {
    Some(bits.get(i / 8)? & (1 << (i % 8)) != 0)
}

// The flatbuffers verifier's limits. Its defaults (64 levels, a million tables, 2 GiB of
// "apparent size", the bytes it checks counting shared ones each time) do not scale with the
// flatbuffer: a message of 500 KB, many offsets to one long name, has 2 GiB of names checked
// (and another message as much again). Here: 64 levels still, a table every 4 bytes (a table
// takes at least 4), and 4 times the bytes plus 4 KiB of apparent size (a well-formed
// flatbuffer's is under twice its size: its bytes, plus a shared vtable again for each table).
// The options' type, `flatbuffers::VerifierOptions`, is named by the `verify` closure: the
// flatbuffers crate is not a dependency of ours.

/// [`arrow_ipc::root_as_message`] with limits on the verifier's work for `meta.len()` bytes.
fn verified_message(meta: &[u8]) -> Result<Message<'_>, String> {
    let verify = |o: &_| arrow_ipc::root_as_message_with_opts(o, meta);
    let mut o = default_of_argument(&verify);
    o.max_tables = meta.len() / 4 + 64;
    o.max_apparent_size = meta.len().saturating_mul(4).saturating_add(4096);
    verify(&o).map_err(|e| verifier_says(&e))
}

/// [`arrow_ipc::root_as_footer`], the same way.
fn verified_footer(footer: &[u8]) -> Result<Footer<'_>, String> {
    let verify = |o: &_| arrow_ipc::root_as_footer_with_opts(o, footer);
    let mut o = default_of_argument(&verify);
    o.max_tables = footer.len() / 4 + 64;
    o.max_apparent_size = footer.len().saturating_mul(4).saturating_add(4096);
    verify(&o).map_err(|e| verifier_says(&e))
}

fn default_of_argument<O: Default, R>(_: &impl Fn(&O) -> R) -> O {
    O::default()
}

/// What the flatbuffers verifier found, in words, without its trace or positions: those are
/// `usize` and saturate on 32-bit targets, and a message must read the same on all.
fn verifier_says(e: &impl std::fmt::Display) -> String {
    let text = e.to_string();
    let first = text.lines().next().unwrap_or("").trim();
    const KINDS: [(&str, &str); 5] = [
        ("Utf8 error", "a name that is not UTF-8"),
        ("String in range", "a name without its terminating 0"),
        ("Type `", "a misaligned number"),
        ("Range [", "an offset past its end"),
        ("Signed offset", "a table offset past its end"),
    ];
    match KINDS.iter().find(|(prefix, _)| first.starts_with(prefix)) {
        Some((_, says)) => (*says).to_string(),
        // The others name a field or a limit, no position.
        None if !first.bytes().any(|b| b.is_ascii_digit()) => first.trim_end_matches('.').to_string(),
        None => "its metadata does not verify".to_string(),
    }
}

// ---- Messages ----------------------------------------------------------------------------

/// A message, its body and where the next message starts.
type Framed<'a> = (Message<'a>, &'a [u8], u64);

/// A record batch's metadata, its message's metadata version and its body.
type Batch<'a> = (RecordBatch<'a>, MetadataVersion, &'a [u8]);

/// The encapsulated message at `bytes[pos..]`: its metadata, its body and where the next one
/// starts. `Ok(None)` at the end of a stream: an end marker, or fewer than 4 bytes left.
fn message_at(bytes: &[u8], pos: u64) -> Result<Option<Framed<'_>>, String> {
    let Some(first) = slice(bytes, pos, 4) else {
        return Ok(None);
    };
    let (len, start) = if first == CONTINUATION {
        match i32_at(bytes, pos + 4) {
            Some(len) => (len, pos + 8),
            None => return Ok(None),
        }
    } else {
        // A stream from before the continuation marker (format < 0.15): the length alone.
        (
            i32::from_le_bytes([first[0], first[1], first[2], first[3]]),
            pos + 4,
        )
    };
    if len == 0 {
        return Ok(None);
    }
    let meta = u64::try_from(len)
        .ok()
        .and_then(|l| slice(bytes, start, l))
        .ok_or_else(|| {
            format!(
                "a message of {len} bytes at byte {pos}, where {} are left",
                (bytes.len() as u64).saturating_sub(start)
            )
        })?;
    let message = verified_message(meta).map_err(|e| format!("a damaged message at byte {pos}: {e}"))?;
    let body_start = start + meta.len() as u64;
    let body_len = message.bodyLength();
    let body = u64::try_from(body_len)
        .ok()
        .and_then(|l| slice(bytes, body_start, l))
        .ok_or_else(|| {
            format!(
                "a message body of {body_len} bytes at byte {body_start}, where {} are left",
                (bytes.len() as u64).saturating_sub(body_start)
            )
        })?;
    Ok(Some((message, body, body_start + body.len() as u64)))
}

/// Where the record batches come from.
enum Batches<'a> {
    Stream {
        bytes: &'a [u8],
        pos: u64,
    },
    File {
        bytes: &'a [u8],
        footer: Footer<'a>,
        next: usize,
        /// Bytes of the blocks read so far: at most the file's, as the blocks of a file do not
        /// overlap, so that a footer naming one block many times cannot make more work.
        read: u64,
    },
}

impl<'a> Batches<'a> {
    /// The next record batch: its metadata, the message's metadata version and its body.
    fn next(&mut self) -> Result<Option<Batch<'a>>, String> {
        match self {
            Batches::Stream { bytes, pos } => loop {
                let Some((message, body, next)) = message_at(bytes, *pos)? else {
                    return Ok(None);
                };
                let at = *pos;
                *pos = next;
                match message.header_type() {
                    MessageHeader::RecordBatch => {
                        let batch = message.header_as_record_batch().ok_or_else(|| {
                            format!("a record batch message without its header at byte {at}")
                        })?;
                        return Ok(Some((batch, message.version(), body)));
                    }
                    // Only dictionary-encoded columns use them, and none is read.
                    MessageHeader::DictionaryBatch => {}
                    other => {
                        let kind = other
                            .variant_name()
                            .map_or_else(|| format!("kind {}", other.0), str::to_string);
                        return Err(format!(
                            "a message of {kind} at byte {at} where a record batch should be"
                        ));
                    }
                }
            },
            Batches::File {
                bytes,
                footer,
                next,
                read,
            } => {
                let Some(blocks) = footer.recordBatches() else {
                    return Ok(None);
                };
                if *next >= blocks.len() {
                    return Ok(None);
                }
                let block = blocks.get(*next);
                *next += 1;
                let (offset, meta_len, body_len) =
                    (block.offset(), block.metaDataLength(), block.bodyLength());
                let span = |o: i64, l: i64| slice(bytes, u64::try_from(o).ok()?, u64::try_from(l).ok()?);
                let outside = || {
                    format!(
                        "record batch {} at byte {offset} ({meta_len} + {body_len} bytes) lies outside the file's {} bytes",
                        *next,
                        bytes.len()
                    )
                };
                let meta = span(offset, meta_len.into()).ok_or_else(outside)?;
                let body_at = offset.checked_add(meta_len.into()).ok_or_else(outside)?;
                let body = span(body_at, body_len).ok_or_else(outside)?;
                *read = read.saturating_add((meta.len() + body.len()) as u64);
                if *read > bytes.len() as u64 {
                    return Err(format!(
                        "the footer's first {} record batches take more than the file's {} bytes",
                        *next,
                        bytes.len()
                    ));
                }
                let skip = if meta.starts_with(&CONTINUATION) { 4 } else { 0 };
                let len = i32_at(meta, skip).ok_or_else(outside)?;
                let flatbuffer = u64::try_from(len)
                    .ok()
                    .filter(|&l| l > 0)
                    .and_then(|l| slice(meta, skip + 4, l))
                    .ok_or_else(|| format!("record batch {} has a metadata length of {len}", *next))?;
                let message = verified_message(flatbuffer)
                    .map_err(|e| format!("a damaged message at byte {offset}: {e}"))?;
                let batch = message
                    .header_as_record_batch()
                    .ok_or_else(|| format!("the footer's record batch {} is not a record batch", *next))?;
                Ok(Some((batch, message.version(), body)))
            }
        }
    }
}

fn open_stream(bytes: &[u8]) -> Result<(Layout<'_>, Batches<'_>), String> {
    let (message, _, next) = message_at(bytes, 0)?.ok_or("no schema message")?;
    let schema = message
        .header_as_schema()
        .ok_or("the first message is not a schema")?;
    let layout = Layout::of(schema)?;
    Ok((layout, Batches::Stream { bytes, pos: next }))
}

fn open_file(bytes: &[u8]) -> Result<(Layout<'_>, Batches<'_>), String> {
    let n = bytes.len() as u64;
    // `ARROW1`, 2 bytes of padding, …, the footer, its length, `ARROW1`.
    if n < 18 || !bytes.ends_with(MAGIC) {
        return Err("no ARROW1 at its end".into());
    }
    let len = i32_at(bytes, n - 10).ok_or("no footer")?;
    let footer = u64::try_from(len)
        .ok()
        .filter(|&l| l <= n - 18)
        .and_then(|l| slice(bytes, n - 10 - l, l))
        .ok_or_else(|| format!("a footer of {len} bytes in a file of {n}"))?;
    let footer = verified_footer(footer).map_err(|e| format!("a damaged footer: {e}"))?;
    let schema = footer.schema().ok_or("a footer without a schema")?;
    let layout = Layout::of(schema)?;
    Ok((
        layout,
        Batches::File {
            bytes,
            footer,
            next: 0,
            read: 0,
        },
    ))
}

// ---- The schema's layout -----------------------------------------------------------------

/// What the fields before a point consume of a record batch.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    nodes: usize,
    /// Buffers, without the unions' validity buffers before V5 and the variadic ones.
    buffers: usize,
    /// Union fields (one more buffer each before V5).
    unions: usize,
    /// BinaryView and Utf8View fields (one `variadicBufferCounts` entry each).
    views: usize,
}

/// A top-level field and where its node and buffers start.
struct Top<'a> {
    name: &'a str,
    field: Field<'a>,
    at: Counts,
}

struct Layout<'a> {
    fields: Vec<Top<'a>>,
    total: Counts,
}

impl<'a> Layout<'a> {
    fn of(schema: Schema<'a>) -> Result<Layout<'a>, String> {
        if schema.endianness() == Endianness::Big {
            return Err("a big-endian file is not read".into());
        }
        let mut total = Counts::default();
        let mut fields = Vec::new();
        for field in schema.fields().into_iter().flat_map(|v| v.iter()) {
            fields.push(Top {
                name: field.name().unwrap_or(""),
                field,
                at: total,
            });
            walk(field, Some(&mut total))?;
        }
        Ok(Layout { fields, total })
    }
}

/// Adds what `field` and its children consume to `counts` (`None`: a dictionary's values,
/// which consume nothing of a record batch, only checked). The verifier bounds the depth.
fn walk(field: Field<'_>, mut counts: Option<&mut Counts>) -> Result<(), String> {
    let name = field.name().unwrap_or("");
    let t = field.type_type();
    let dictionary = field.dictionary().is_some();
    let (buffers, children) = match t {
        Type::Null => (0, Some(0)),
        Type::RunEndEncoded => (0, Some(2)),
        Type::Struct_ => (1, None),
        Type::FixedSizeList => (1, Some(1)),
        Type::Int
        | Type::FloatingPoint
        | Type::Bool
        | Type::Decimal
        | Type::Date
        | Type::Time
        | Type::Timestamp
        | Type::Interval
        | Type::Duration
        | Type::FixedSizeBinary => (2, Some(0)),
        Type::List | Type::LargeList | Type::Map => (2, Some(1)),
        Type::Binary | Type::LargeBinary | Type::Utf8 | Type::LargeUtf8 => (3, Some(0)),
        Type::ListView | Type::LargeListView => (3, Some(1)),
        Type::BinaryView | Type::Utf8View => (2, Some(0)),
        Type::Union => match field.type_as_union().map(|u| u.mode()) {
            Some(UnionMode::Sparse) => (1, None),
            Some(UnionMode::Dense) => (2, None),
            _ => return Err(format!("field '{name}' is a union of no known mode")),
        },
        _ => return Err(format!("field '{name}' has an unknown type (id {})", t.0)),
    };
    let kids = field.children();
    let n = kids.map_or(0, |k| k.len());
    if let Some(want) = children
        && n != want
    {
        return Err(format!(
            "field '{name}' of type {} has {n} children, not {want}",
            t.variant_name().unwrap_or("?")
        ));
    }
    if let Some(c) = counts.as_deref_mut() {
        c.nodes += 1;
        if dictionary {
            c.buffers += 2; // validity and indices
        } else {
            c.buffers += buffers;
            c.unions += usize::from(t == Type::Union);
            c.views += usize::from(matches!(t, Type::BinaryView | Type::Utf8View));
        }
    }
    // A dictionary-encoded field's children are its values' (in dictionary batches).
    let mut counts = if dictionary { None } else { counts };
    for child in kids.into_iter().flat_map(|v| v.iter()) {
        walk(child, counts.as_deref_mut())?;
    }
    Ok(())
}

// ---- Selected columns --------------------------------------------------------------------

/// How a selected column's values are read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Null,
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F16,
    F32,
    F64,
    Utf8,
    LargeUtf8,
    Utf8View,
    /// A timestamp in a unit of this many µs (s, ms, µs).
    Timestamp(i64),
    TimestampNs,
    Date32,
    Date64,
}

impl Kind {
    fn of(field: Field<'_>) -> Option<Kind> {
        if field.dictionary().is_some() {
            return None;
        }
        Some(match field.type_type() {
            Type::Null => Kind::Null,
            Type::Bool => Kind::Bool,
            Type::Int => {
                let i = field.type_as_int()?;
                match (i.bitWidth(), i.is_signed()) {
                    (8, true) => Kind::I8,
                    (16, true) => Kind::I16,
                    (32, true) => Kind::I32,
                    (64, true) => Kind::I64,
                    (8, false) => Kind::U8,
                    (16, false) => Kind::U16,
                    (32, false) => Kind::U32,
                    (64, false) => Kind::U64,
                    _ => return None,
                }
            }
            Type::FloatingPoint => match field.type_as_floating_point()?.precision() {
                Precision::HALF => Kind::F16,
                Precision::SINGLE => Kind::F32,
                Precision::DOUBLE => Kind::F64,
                _ => return None,
            },
            Type::Utf8 => Kind::Utf8,
            Type::LargeUtf8 => Kind::LargeUtf8,
            Type::Utf8View => Kind::Utf8View,
            Type::Timestamp => match field.type_as_timestamp()?.unit() {
                TimeUnit::SECOND => Kind::Timestamp(1_000_000),
                TimeUnit::MILLISECOND => Kind::Timestamp(1_000),
                TimeUnit::MICROSECOND => Kind::Timestamp(1),
                TimeUnit::NANOSECOND => Kind::TimestampNs,
                _ => return None,
            },
            Type::Date => match field.type_as_date()?.unit() {
                DateUnit::DAY => Kind::Date32,
                DateUnit::MILLISECOND => Kind::Date64,
                _ => return None,
            },
            _ => return None,
        })
    }

    /// Bytes a value of a fixed-width kind.
    fn width(self) -> Option<u64> {
        Some(match self {
            Kind::I8 | Kind::U8 => 1,
            Kind::I16 | Kind::U16 | Kind::F16 => 2,
            Kind::I32 | Kind::U32 | Kind::F32 | Kind::Date32 => 4,
            Kind::I64 | Kind::U64 | Kind::F64 | Kind::Timestamp(_) | Kind::TimestampNs | Kind::Date64 => 8,
            Kind::Null | Kind::Bool | Kind::Utf8 | Kind::LargeUtf8 | Kind::Utf8View => return None,
        })
    }
}

/// A type's name for a message, in Arrow's words.
fn type_name(field: Field<'_>) -> String {
    if let Some(d) = field.dictionary() {
        // No index type: Int32, says the format. The field's type is its values'.
        let index = d
            .indexType()
            .map_or("Int32".to_string(), |i| int_name(i.bitWidth(), i.is_signed()));
        return format!("Dictionary({index}, {})", plain_type_name(field));
    }
    plain_type_name(field)
}

fn int_name(bits: i32, signed: bool) -> String {
    format!("{}Int{bits}", if signed { "" } else { "U" })
}

fn plain_type_name(field: Field<'_>) -> String {
    let t = field.type_type();
    match t {
        Type::Int => field
            .type_as_int()
            .map_or("Int".into(), |i| int_name(i.bitWidth(), i.is_signed())),
        Type::FloatingPoint => match field.type_as_floating_point().map(|f| f.precision()) {
            Some(Precision::HALF) => "Float16".into(),
            Some(Precision::SINGLE) => "Float32".into(),
            Some(Precision::DOUBLE) => "Float64".into(),
            _ => "FloatingPoint".into(),
        },
        Type::Bool => "Boolean".into(),
        Type::Decimal => field.type_as_decimal().map_or("Decimal".into(), |d| {
            format!("Decimal{}({}, {})", d.bitWidth(), d.precision(), d.scale())
        }),
        Type::Date => match field.type_as_date().map(|d| d.unit()) {
            Some(DateUnit::DAY) => "Date32".into(),
            Some(DateUnit::MILLISECOND) => "Date64".into(),
            _ => "Date".into(),
        },
        Type::Time => field
            .type_as_time()
            .map_or("Time".into(), |x| format!("Time{}", x.bitWidth())),
        Type::Struct_ => "Struct".into(),
        Type::FixedSizeBinary => field
            .type_as_fixed_size_binary()
            .map_or("FixedSizeBinary".into(), |b| {
                format!("FixedSizeBinary({})", b.byteWidth())
            }),
        Type::FixedSizeList => field
            .type_as_fixed_size_list()
            .map_or("FixedSizeList".into(), |l| {
                format!("FixedSizeList({})", l.listSize())
            }),
        _ => t.variant_name().unwrap_or("unknown").to_string(),
    }
}

/// A column asked for: its field and how it is read.
struct Selected<'c> {
    name: &'c str,
    top: usize,
    kind: Kind,
}

fn select<'c>(layout: &Layout<'_>, columns: &'c [String]) -> Result<Vec<Selected<'c>>, String> {
    columns
        .iter()
        .map(|c| {
            let Some(top) = layout.fields.iter().position(|f| f.name == c) else {
                let names: Vec<String> = layout.fields.iter().map(|f| f.name.to_string()).collect();
                return Err(format!(
                    "no column '{c}' (it has: {})",
                    super::csv::preview(&names)
                ));
            };
            let field = layout.fields[top].field;
            let kind = Kind::of(field)
                .ok_or_else(|| format!("column '{c}' has type {}, which is not read", type_name(field)))?;
            Ok(Selected { name: c, top, kind })
        })
        .collect()
}

// ---- A record batch ----------------------------------------------------------------------

/// A selected column of one record batch, checked: every value of its rows lies in its
/// buffers, and its text is UTF-8.
struct Column<'a, 'c> {
    name: &'c str,
    kind: Kind,
    /// `None`: every value is valid.
    validity: Option<&'a [u8]>,
    /// Values, bits (Bool), offsets (Utf8, LargeUtf8) or views (Utf8View).
    data: &'a [u8],
    /// Utf8 and LargeUtf8: the values from the first offset to the last, and that offset.
    text: &'a str,
    first: u64,
    /// Utf8View: the data buffers.
    variadic: Vec<&'a [u8]>,
}

/// Checks a record batch's metadata against the layout, and its selected columns against
/// its body: its rows and columns, or why it cannot be read.
fn decode<'a, 'c>(
    layout: &Layout<'_>,
    selected: &[Selected<'c>],
    batch: RecordBatch<'a>,
    version: MetadataVersion,
    body: &'a [u8],
    rows_before: u64,
    max_rows: u64,
) -> Result<(usize, Vec<Column<'a, 'c>>), String> {
    if batch.compression().is_some() {
        return Err(COMPRESSED.into());
    }
    let length = batch.length();
    let rows = u64::try_from(length).map_err(|_| format!("a record batch of {length} rows"))?;
    if rows_before.checked_add(rows).is_none_or(|r| r > max_rows) {
        return Err(format!(
            "a record batch of {rows} rows, more than a file of {} bytes holds",
            max_rows / 8
        ));
    }
    let rows_usize = usize::try_from(rows).map_err(|_| format!("a record batch of {rows} rows"))?;

    let nodes = batch.nodes();
    let n_nodes = nodes.map_or(0, |v| v.len());
    if n_nodes < layout.total.nodes {
        return Err(format!(
            "{n_nodes} field nodes for a schema of {}",
            layout.total.nodes
        ));
    }
    let node = |i: usize| nodes.filter(|v| i < v.len()).map(|v| v.get(i));
    for f in &layout.fields {
        let n = node(f.at.nodes).ok_or("a field node is missing")?;
        if n.length() != length {
            return Err(format!(
                "column '{}' has {} rows in a record batch of {length}",
                f.name,
                n.length()
            ));
        }
    }

    // Variadic buffer counts: one per view field, each ≥ 0, and with the other buffers no more
    // than there are.
    let counts = batch.variadicBufferCounts();
    let n_counts = counts.map_or(0, |v| v.len());
    if n_counts != layout.total.views {
        return Err(format!(
            "{n_counts} variadic buffer counts for {} view columns",
            layout.total.views
        ));
    }
    let buffers = batch.buffers();
    let n_buffers = buffers.map_or(0, |v| v.len()) as u64;
    let union_validity = usize::from(version < MetadataVersion::V5);
    let fixed = (layout.total.buffers as u64) + (layout.total.unions * union_validity) as u64;
    let mut needed = fixed;
    // Prefix sums of the counts (the variadic buffers before each view column).
    let mut variadic_before: Vec<u64> = Vec::with_capacity(n_counts + 1);
    variadic_before.push(0);
    for c in counts.into_iter().flat_map(|v| v.iter()) {
        let c = u64::try_from(c).map_err(|_| format!("a variadic buffer count of {c}"))?;
        needed = needed.saturating_add(c);
        if needed > n_buffers {
            break;
        }
        variadic_before.push(needed - fixed);
    }
    if needed > n_buffers {
        return Err(format!("{n_buffers} buffers where the schema needs {needed}"));
    }
    // Every buffer lies within the body.
    for (i, b) in buffers.into_iter().flat_map(|v| v.iter()).enumerate() {
        let (off, len) = (b.offset(), b.length());
        let inside = u64::try_from(off)
            .ok()
            .zip(u64::try_from(len).ok())
            .and_then(|(o, l)| o.checked_add(l))
            .is_some_and(|end| end <= body.len() as u64);
        if !inside {
            return Err(format!(
                "buffer {i} (at {off}, {len} bytes) lies outside the body of {} bytes",
                body.len()
            ));
        }
    }
    let buffer = |i: u64| -> Option<&'a [u8]> {
        let b = buffers?;
        let i = usize::try_from(i).ok().filter(|&i| i < b.len())?;
        let b = b.get(i);
        slice(
            body,
            u64::try_from(b.offset()).ok()?,
            u64::try_from(b.length()).ok()?,
        )
    };

    let mut cols = Vec::with_capacity(selected.len());
    for s in selected {
        let top = &layout.fields[s.top];
        let n = node(top.at.nodes).ok_or("a field node is missing")?;
        let name = s.name;
        let bad = |what: String| format!("column '{name}': {what}");
        let nulls = n.null_count();
        if nulls < 0 {
            return Err(bad(format!("a null count of {nulls}")));
        }
        // The variadic buffers before this column come before its buffers, after the
        // fixed ones before it.
        let views_before = variadic_before
            .get(top.at.views)
            .copied()
            .ok_or_else(|| bad("its buffers are missing".into()))?;
        let first = (top.at.buffers as u64) + (top.at.unions * union_validity) as u64 + views_before;
        let buf = |k: u64| buffer(first + k).ok_or_else(|| bad(format!("buffer {} is missing", first + k)));
        let mut col = Column {
            name,
            kind: s.kind,
            validity: None,
            data: &[],
            text: "",
            first: 0,
            variadic: Vec::new(),
        };
        if s.kind == Kind::Null {
            cols.push(col);
            continue;
        }
        let validity = buf(0)?;
        if nulls > 0 && !validity.is_empty() {
            if (validity.len() as u64) < bitmap_bytes(rows) {
                return Err(bad(format!(
                    "a validity bitmap of {} bytes for {rows} rows",
                    validity.len()
                )));
            }
            col.validity = Some(validity);
        }
        let data = buf(1)?;
        col.data = data;
        let need = match s.kind {
            Kind::Bool => Some(bitmap_bytes(rows)),
            Kind::Utf8 if rows > 0 => Some(rows.saturating_add(1).saturating_mul(4)),
            Kind::LargeUtf8 if rows > 0 => Some(rows.saturating_add(1).saturating_mul(8)),
            Kind::Utf8View => Some(rows.saturating_mul(16)),
            k => k.width().map(|w| rows.saturating_mul(w)),
        };
        if let Some(need) = need
            && (data.len() as u64) < need
        {
            return Err(bad(format!("{} bytes of values for {rows} rows", data.len())));
        }
        match s.kind {
            Kind::Utf8 | Kind::LargeUtf8 if rows > 0 => {
                let large = s.kind == Kind::LargeUtf8;
                let values = buf(2)?;
                let offset = |i: u64| -> Option<i64> {
                    if large {
                        word::<8>(data, i).map(i64::from_le_bytes)
                    } else {
                        word::<4>(data, i).map(|w| i32::from_le_bytes(w).into())
                    }
                };
                let at = |r: u64| rows_before + r + 1;
                let first = offset(0).ok_or_else(|| bad("no offsets".into()))?;
                let mut last = first;
                for i in 1..=rows {
                    let o = offset(i).ok_or_else(|| bad("no offsets".into()))?;
                    if o < last {
                        return Err(bad(format!("row {} has a negative length", at(i - 1))));
                    }
                    last = o;
                }
                let (Ok(lo), Ok(hi)) = (u64::try_from(first), u64::try_from(last)) else {
                    return Err(bad(format!("an offset of {first}")));
                };
                let bytes = slice(values, lo, hi - lo)
                    .ok_or_else(|| bad(format!("offsets up to {hi} in {} bytes of text", values.len())))?;
                let not_utf8 = |r: u64| bad(format!("row {} is not UTF-8", at(r)));
                // Offsets from here on are within lo..=hi (they only grow).
                let within = |i: u64| -> Option<u64> { u64::try_from(offset(i)?).ok()?.checked_sub(lo) };
                let text = match std::str::from_utf8(bytes) {
                    Ok(t) => t,
                    Err(e) => {
                        // The row the first bad byte is in.
                        let bad_at = e.valid_up_to() as u64;
                        let r = (1..=rows)
                            .find(|&i| within(i).is_some_and(|o| o > bad_at))
                            .unwrap_or(rows);
                        return Err(not_utf8(r - 1));
                    }
                };
                // A value may not start or end inside a character.
                for i in 0..=rows {
                    let inside = within(i).and_then(|o| usize::try_from(o).ok());
                    if !inside.is_some_and(|p| text.is_char_boundary(p)) {
                        return Err(not_utf8(i.saturating_sub(1).min(rows - 1)));
                    }
                }
                col.text = text;
                col.first = lo;
            }
            Kind::Utf8View => {
                let n = counts
                    .filter(|v| top.at.views < v.len())
                    .map(|v| v.get(top.at.views))
                    .ok_or_else(|| bad("no variadic buffer count".into()))?;
                // Bounded by the buffers there are (checked above).
                let n = u64::try_from(n).map_err(|_| bad(format!("a variadic buffer count of {n}")))?;
                col.variadic = (0..n).map(|k| buf(2 + k)).collect::<Result<_, _>>()?;
                for r in 0..rows_usize {
                    if col.is_null(r) == Some(false) && col.view(r).is_none() {
                        return Err(bad(format!(
                            "row {} is not a UTF-8 string view",
                            rows_before + r as u64 + 1
                        )));
                    }
                }
            }
            _ => {}
        }
        cols.push(col);
    }
    Ok((rows_usize, cols))
}

impl<'a> Column<'a, '_> {
    fn is_null(&self, r: usize) -> Option<bool> {
        match self.validity {
            None => Some(self.kind == Kind::Null),
            Some(v) => Some(!bit(v, r)?),
        }
    }

    /// Row `r` of a Utf8View column: inline (up to 12 bytes) or in a data buffer, whose first
    /// 4 bytes the view repeats.
    fn view(&self, r: usize) -> Option<&'a str> {
        let v: [u8; 16] = word::<16>(self.data, r as u64)?;
        let len = i32::from_le_bytes([v[0], v[1], v[2], v[3]]);
        let len = u64::try_from(len).ok()?;
        let bytes = if len <= 12 {
            slice(self.data, (r as u64).checked_mul(16)?.checked_add(4)?, len)?
        } else {
            let index = usize::try_from(i32::from_le_bytes([v[8], v[9], v[10], v[11]])).ok()?;
            let offset = u64::try_from(i32::from_le_bytes([v[12], v[13], v[14], v[15]])).ok()?;
            let bytes = slice(self.variadic.get(index)?, offset, len)?;
            if bytes.get(..4)? != &v[4..8] {
                return None;
            }
            bytes
        };
        std::str::from_utf8(bytes).ok()
    }

    /// Row `r`'s cell; `None` only if the checks of [`decode`] missed something.
    fn cell(&self, r: usize) -> Option<Cell<'a>> {
        if self.is_null(r)? {
            return Some(Cell::Null);
        }
        let d = self.data;
        let i = r as u64;
        Some(match self.kind {
            Kind::Null => Cell::Null,
            Kind::Bool => Cell::Bool(bit(d, r)?),
            Kind::I8 => Cell::Int(i8::from_le_bytes(word(d, i)?).into()),
            Kind::I16 => Cell::Int(i16::from_le_bytes(word(d, i)?).into()),
            Kind::I32 => Cell::Int(i32::from_le_bytes(word(d, i)?).into()),
            Kind::I64 => Cell::Int(i64::from_le_bytes(word(d, i)?)),
            Kind::U8 => Cell::Int(u8::from_le_bytes(word(d, i)?).into()),
            Kind::U16 => Cell::Int(u16::from_le_bytes(word(d, i)?).into()),
            Kind::U32 => Cell::Int(u32::from_le_bytes(word(d, i)?).into()),
            Kind::U64 => {
                let v = u64::from_le_bytes(word(d, i)?);
                i64::try_from(v).map_or(Cell::Float(v as f64), Cell::Int)
            }
            Kind::F16 => Cell::Float(f16_to_f64(u16::from_le_bytes(word(d, i)?))),
            // Exact decimal of the float32 (0.1f32 → 0.100000001…): time units round later.
            Kind::F32 => Cell::Float(f32::from_le_bytes(word(d, i)?).into()),
            Kind::F64 => Cell::Float(f64::from_le_bytes(word(d, i)?)),
            Kind::Utf8 | Kind::LargeUtf8 => {
                let (from, to) = if self.kind == Kind::Utf8 {
                    let o = |k| word::<4>(d, k).map(|w| i64::from(i32::from_le_bytes(w)));
                    (o(i)?, o(i + 1)?)
                } else {
                    let o = |k| word::<8>(d, k).map(i64::from_le_bytes);
                    (o(i)?, o(i + 1)?)
                };
                let at = |o: i64| usize::try_from(u64::try_from(o).ok()?.checked_sub(self.first)?).ok();
                Cell::Str(Cow::Borrowed(self.text.get(at(from)?..at(to)?)?))
            }
            Kind::Utf8View => Cell::Str(Cow::Borrowed(self.view(r)?)),
            Kind::Timestamp(per) => Cell::Int(i64::from_le_bytes(word(d, i)?).saturating_mul(per)),
            Kind::TimestampNs => Cell::Int(i64::from_le_bytes(word(d, i)?).div_euclid(1000)),
            // Saturating: past ±292,000 years a date is the end of time, not a wrapped one.
            Kind::Date32 => {
                Cell::Int(i64::from(i32::from_le_bytes(word(d, i)?)).saturating_mul(86_400_000_000))
            }
            Kind::Date64 => Cell::Int(i64::from_le_bytes(word(d, i)?).saturating_mul(1000)),
        })
    }
}

/// An IEEE 754 half-precision float, exactly as an f64.
fn f16_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 == 0 { 1.0 } else { -1.0 };
    let exponent = i32::from((h >> 10) & 0x1f);
    let fraction = f64::from(h & 0x3ff);
    match exponent {
        0 => sign * fraction * 2f64.powi(-24),
        0x1f if fraction == 0.0 => sign * f64::INFINITY,
        0x1f => f64::NAN,
        e => sign * (1024.0 + fraction) * 2f64.powi(e - 25),
    }
}

#[cfg(test)]
#[path = "arrow_tests.rs"]
mod tests;
