//! The Arrow IPC reader: the same rows as arrow-rs's reader on good files, and on damaged
//! ones (tests/fuzz/corpus/arrow/, written by tests/fuzz/make_arrow_corpus.py) never a panic
//! and never more rows than the file holds.

use super::{Cell, f16_to_f64, read};
use std::borrow::Cow;

macro_rules! corpus {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!("../../../../tests/fuzz/corpus/arrow/", $name)) as &[u8],
        )
    };
}

const CORPUS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fuzz/corpus/arrow");

const BASE_STREAM: Named = corpus!("base-stream.arrows");
const BASE_FILE: Named = corpus!("base-file.arrow");
const TYPES_STREAM: Named = corpus!("types-stream.arrows");
const TYPES_FILE: Named = corpus!("types-file.arrow");
const SKIP_STREAM: Named = corpus!("skip-stream.arrows");
const SKIP_FILE: Named = corpus!("skip-file.arrow");
const SKIP2_STREAM: Named = corpus!("skip2-stream.arrows");
const SKIP2_FILE: Named = corpus!("skip2-file.arrow");
const COMPRESSED: Named = corpus!("compressed-stream.arrows");

/// Every column of the types files the loader reads.
const READ_TYPES: [&str; 13] = [
    "t", "i8", "u64", "h", "f", "s", "ls", "sv", "ts", "tss", "d32", "d64", "n",
];
/// The skip files' columns the loader does not read.
const NOT_READ: [&str; 13] = [
    "st", "l", "ll", "fl", "m", "dict", "lv", "dec", "bin", "bv", "su", "du", "ree",
];

type Row = (u64, Result<Vec<Cell<'static>>, String>);
/// A corpus file: its name and bytes.
type Named = (&'static str, &'static [u8]);

fn owned(c: &Cell<'_>) -> Cell<'static> {
    match c {
        Cell::Null => Cell::Null,
        Cell::Bool(b) => Cell::Bool(*b),
        Cell::Int(i) => Cell::Int(*i),
        // NaN ≠ NaN: compared as text.
        Cell::Float(f) if f.is_nan() => Cell::Str(Cow::Borrowed("NaN")),
        Cell::Float(f) => Cell::Float(*f),
        Cell::Str(s) => Cell::Str(Cow::Owned(s.to_string())),
    }
}

fn strings(columns: &[&str]) -> Vec<String> {
    columns.iter().map(|c| c.to_string()).collect()
}

fn rows(bytes: &[u8], columns: &[&str]) -> Result<Vec<Row>, String> {
    let mut out = Vec::new();
    read(bytes, &strings(columns), &mut |line, row| {
        out.push((line, row.map(|cells| cells.iter().map(owned).collect())));
    })?;
    Ok(out)
}

/// The reader this one replaced (arrow-rs's), as it was: the oracle for good files.
fn arrow_rs_rows(bytes: &[u8], columns: &[&str]) -> Result<Vec<Row>, String> {
    use arrow_array::cast::AsArray;
    use arrow_array::types as t;
    use arrow_array::{Array, RecordBatch};
    use arrow_schema::{DataType, TimeUnit as U};
    use std::io::Cursor;
    fn cell(a: &dyn Array, r: usize) -> Cell<'_> {
        use DataType::*;
        if a.is_null(r) {
            return Cell::Null;
        }
        match a.data_type() {
            Boolean => Cell::Bool(a.as_boolean().value(r)),
            Int8 => Cell::Int(a.as_primitive::<t::Int8Type>().value(r).into()),
            Int16 => Cell::Int(a.as_primitive::<t::Int16Type>().value(r).into()),
            Int32 => Cell::Int(a.as_primitive::<t::Int32Type>().value(r).into()),
            Int64 => Cell::Int(a.as_primitive::<t::Int64Type>().value(r)),
            UInt8 => Cell::Int(a.as_primitive::<t::UInt8Type>().value(r).into()),
            UInt16 => Cell::Int(a.as_primitive::<t::UInt16Type>().value(r).into()),
            UInt32 => Cell::Int(a.as_primitive::<t::UInt32Type>().value(r).into()),
            UInt64 => match i64::try_from(a.as_primitive::<t::UInt64Type>().value(r)) {
                Ok(v) => Cell::Int(v),
                Err(_) => Cell::Float(a.as_primitive::<t::UInt64Type>().value(r) as f64),
            },
            Float16 => Cell::Float(a.as_primitive::<t::Float16Type>().value(r).to_f64()),
            Float32 => Cell::Float(a.as_primitive::<t::Float32Type>().value(r).into()),
            Float64 => Cell::Float(a.as_primitive::<t::Float64Type>().value(r)),
            Utf8 => Cell::Str(Cow::Borrowed(a.as_string::<i32>().value(r))),
            LargeUtf8 => Cell::Str(Cow::Borrowed(a.as_string::<i64>().value(r))),
            Utf8View => Cell::Str(Cow::Borrowed(a.as_string_view().value(r))),
            Timestamp(unit, _) => {
                let (v, per): (i64, i64) = match unit {
                    U::Second => (a.as_primitive::<t::TimestampSecondType>().value(r), 1_000_000),
                    U::Millisecond => (a.as_primitive::<t::TimestampMillisecondType>().value(r), 1_000),
                    U::Microsecond => (a.as_primitive::<t::TimestampMicrosecondType>().value(r), 1),
                    U::Nanosecond => {
                        return Cell::Int(
                            a.as_primitive::<t::TimestampNanosecondType>()
                                .value(r)
                                .div_euclid(1000),
                        );
                    }
                };
                Cell::Int(v.saturating_mul(per))
            }
            Date32 => Cell::Int(i64::from(a.as_primitive::<t::Date32Type>().value(r)) * 86_400_000_000),
            Date64 => Cell::Int(a.as_primitive::<t::Date64Type>().value(r).saturating_mul(1000)),
            _ => Cell::Null,
        }
    }
    let batches: Box<dyn Iterator<Item = Result<RecordBatch, arrow_schema::ArrowError>>> = if bytes
        .starts_with(b"ARROW1")
    {
        Box::new(arrow_ipc::reader::FileReader::try_new(Cursor::new(bytes), None).map_err(|e| e.to_string())?)
    } else {
        Box::new(
            arrow_ipc::reader::StreamReader::try_new(Cursor::new(bytes), None).map_err(|e| e.to_string())?,
        )
    };
    let mut out = Vec::new();
    for batch in batches {
        let batch = batch.map_err(|e| e.to_string())?;
        let cols: Vec<_> = columns
            .iter()
            .map(|c| {
                batch
                    .column(batch.schema().index_of(c).expect("a column of the corpus"))
                    .clone()
            })
            .collect();
        for r in 0..batch.num_rows() {
            let cells = cols.iter().map(|a| owned(&cell(a.as_ref(), r))).collect();
            out.push((out.len() as u64 + 1, Ok(cells)));
        }
    }
    Ok(out)
}

#[test]
fn good_files_read_as_arrow_rs_read_them() {
    let mut selections: Vec<(&Named, Vec<&str>)> = Vec::new();
    for f in [&BASE_STREAM, &BASE_FILE] {
        selections.extend([(f, vec!["t", "b"]), (f, vec!["b"]), (f, vec!["b", "t", "b"])]);
    }
    for f in [&TYPES_STREAM, &TYPES_FILE] {
        selections.push((f, READ_TYPES.to_vec()));
        selections.extend(READ_TYPES.iter().map(|c| (f, vec![*c])));
    }
    for f in [&SKIP_STREAM, &SKIP_FILE, &SKIP2_STREAM, &SKIP2_FILE] {
        // `tail` comes after every column stepped over.
        selections.extend([(f, vec!["t", "tail"]), (f, vec!["tail"])]);
    }
    for ((name, bytes), columns) in selections {
        let ours = rows(bytes, &columns).unwrap_or_else(|e| panic!("{name} {columns:?}: {e}"));
        let theirs = arrow_rs_rows(bytes, &columns).expect("arrow-rs reads it");
        assert!(!ours.is_empty(), "{name}");
        assert_eq!(ours, theirs, "{name} {columns:?}");
    }
    // Spot checks, so that the oracle is not trusted blindly.
    let r = rows(TYPES_STREAM.1, &READ_TYPES).expect("reads");
    let row3 = r[2].1.as_ref().expect("a row");
    assert_eq!(r.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(row3[0], Cell::Int(-3));
    assert_eq!(
        r[0].1.as_ref().expect("a row")[2],
        Cell::Float(18446744073709551615.0)
    );
    assert_eq!(r[0].1.as_ref().expect("a row")[3], Cell::Float(1.5));
    assert_eq!(row3[5], Cell::Str("é".into()));
    assert_eq!(
        r[1].1.as_ref().expect("a row")[7],
        Cell::Str("a string longer than twelve".into())
    );
    // 2024-01-01T00:00:30Z in ns and in s; 1969-12-31 is a day before the epoch.
    assert_eq!(row3[8], Cell::Int(1_704_067_230_000_000));
    assert_eq!(
        r[0].1.as_ref().expect("a row")[9],
        Cell::Int(1_704_067_230_000_000)
    );
    assert_eq!(row3[10], Cell::Int(-86_400_000_000));
    assert_eq!(row3[12], Cell::Null);
    let r = rows(SKIP2_STREAM.1, &["tail", "t"]).expect("reads");
    assert_eq!(r[2].1, Ok(vec![Cell::Int(30), Cell::Int(-3)]));
}

#[test]
fn columns_not_read_are_named_with_their_type() {
    for (name, bytes) in [SKIP_STREAM, SKIP_FILE, SKIP2_STREAM, SKIP2_FILE] {
        for c in NOT_READ {
            let Err(e) = rows(bytes, &["t", c]) else {
                panic!("{name}: '{c}' is read");
            };
            assert!(
                e.contains("has type") && e.ends_with("which is not read") || e.starts_with("no column"),
                "{name} {c}: {e}"
            );
        }
    }
    let e = rows(SKIP_STREAM.1, &["dict"]).unwrap_err();
    assert_eq!(
        e,
        "column 'dict' has type Dictionary(Int32, Utf8), which is not read"
    );
    let e = rows(SKIP2_STREAM.1, &["dec"]).unwrap_err();
    assert_eq!(e, "column 'dec' has type Decimal128(10, 2), which is not read");
    let e = rows(SKIP_FILE.1, &["nope"]).unwrap_err();
    assert_eq!(
        e,
        "no column 'nope' (it has: 't', 'st', 'l', 'll', 'fl', 'm', 'dict', 'lv', 'tail')"
    );
}

#[test]
fn compressed_bodies_are_refused() {
    let e = rows(COMPRESSED.1, &["t"]).unwrap_err();
    assert_eq!(
        e,
        "a damaged record batch after row 0: compressed Arrow IPC is not read; write it uncompressed"
    );
}

/// The stream's messages: (metadata with its prefix, body).
fn messages(stream: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos + 8 <= stream.len() {
        let len = u32::from_le_bytes(stream[pos + 4..pos + 8].try_into().expect("4 bytes")) as usize;
        if len == 0 {
            break;
        }
        let m = arrow_ipc::root_as_message(&stream[pos + 8..pos + 8 + len]).expect("a message");
        let end = pos + 8 + len + m.bodyLength() as usize;
        out.push((&stream[pos..pos + 8 + len], &stream[pos + 8 + len..end]));
        pos = end;
    }
    out
}

#[test]
fn streams_end_at_the_end_marker_or_the_end_of_bytes() {
    let (_, s) = BASE_STREAM;
    let want = rows(s, &["t", "b"]).expect("reads");
    assert_eq!(
        want,
        vec![(1, Ok(vec![Cell::Int(1_704_067_200_000_000), Cell::Bool(true)]))]
    );
    assert_eq!(&s[s.len() - 8..], [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
    // No end marker; 1 to 3 stray bytes after it; a bare 0x00000000 end marker.
    for tail in [
        &[][..],
        &[0xff],
        &[0xff, 0xff, 0xff],
        &[0xff, 0xff, 0xff, 0xff],
        &[0, 0, 0, 0],
    ] {
        let mut b = s[..s.len() - 8].to_vec();
        b.extend_from_slice(tail);
        assert_eq!(rows(&b, &["t", "b"]), Ok(want.clone()), "{tail:?}");
    }
    // The legacy framing, without the continuation marker, and the two batches twice.
    let mut legacy = Vec::new();
    for (meta, body) in messages(s).into_iter().chain(messages(s).into_iter().skip(1)) {
        legacy.extend_from_slice(&meta[4..]);
        legacy.extend_from_slice(body);
    }
    let twice = rows(&legacy, &["t", "b"]).expect("reads");
    assert_eq!(twice.len(), 2);
    assert_eq!(twice[1], (2, want[0].1.clone()));
    // Garbage after the end marker is not read; garbage instead of it is an error.
    let mut b = s.to_vec();
    b.extend_from_slice(b"garbage!");
    assert_eq!(rows(&b, &["t"]).map(|r| r.len()), Ok(1));
    let mut b = s[..s.len() - 8].to_vec();
    b.extend_from_slice(b"garbage!");
    let e = rows(&b, &["t"]).unwrap_err();
    assert!(
        e.starts_with("a damaged record batch after row 1: a message of"),
        "{e}"
    );
    // A second schema where a record batch should be.
    let mut b = s[..s.len() - 8].to_vec();
    b.extend_from_slice(messages(s)[0].0);
    let e = rows(&b, &["t"]).unwrap_err();
    assert!(e.contains("a message of Schema at byte 384"), "{e}");
}

#[test]
fn a_file_needs_its_footer() {
    let (_, f) = TYPES_FILE;
    let n = f.len();
    // The footer's length, its first bytes, the end magic: each broken is an error, never a
    // fallback to the stream inside the file.
    let footer_len = i32::from_le_bytes(f[n - 10..n - 6].try_into().expect("4 bytes")) as usize;
    for (at, bytes) in [
        (n - 10, &[0xff, 0xff, 0xff, 0x7f][..]),
        (n - 10, &[0, 0, 0, 0]),
        (n - 10 - footer_len, &[0xff, 0xff, 0xff, 0xff]),
        (n - 10 - footer_len + 4, &[0x41, 0, 0, 0]),
        (n - 6, b"ARROW2"),
    ] {
        let mut b = f.to_vec();
        b[at..at + bytes.len()].copy_from_slice(bytes);
        let e = rows(&b, &["t"]).unwrap_err();
        assert!(e.starts_with("not a readable Arrow IPC file: "), "{at}: {e}");
    }
    let e = rows(&f[..n - 1], &["t"]).unwrap_err();
    assert_eq!(e, "not a readable Arrow IPC file: no ARROW1 at its end");
    let e = rows(b"ARROW1\0\0", &["t"]).unwrap_err();
    assert_eq!(e, "not a readable Arrow IPC file: no ARROW1 at its end");
}

/// Writes one record batch with arrow-rs.
fn arrow_rs_file(columns: Vec<(&str, arrow_array::ArrayRef)>) -> Vec<u8> {
    let batch = arrow_array::RecordBatch::try_from_iter(columns).expect("a batch");
    let mut out = Vec::new();
    let mut w = arrow_ipc::writer::FileWriter::try_new(&mut out, &batch.schema()).expect("a writer");
    w.write(&batch).expect("written");
    w.finish().expect("finished");
    drop(w);
    out
}

/// Replaces the one occurrence of `from` in `bytes` by `to`.
fn patch(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at: Vec<usize> = (0..=bytes.len() - from.len())
        .filter(|&i| &bytes[i..i + from.len()] == from)
        .collect();
    assert_eq!(at.len(), 1, "{from:?} occurs once");
    let mut b = bytes.to_vec();
    b[at[0]..at[0] + to.len()].copy_from_slice(to);
    b
}

fn words<const N: usize>(values: &[i64]) -> Vec<u8> {
    values
        .iter()
        .flat_map(|v| v.to_le_bytes()[..N].to_vec())
        .collect()
}

#[test]
fn large_utf8_offsets_are_checked_in_64_bits() {
    use arrow_array::{ArrayRef, Int64Array, LargeStringArray};
    use std::sync::Arc;
    let f = arrow_rs_file(vec![
        ("t", Arc::new(Int64Array::from(vec![1, 2])) as ArrayRef),
        ("s", Arc::new(LargeStringArray::from(vec!["x", "yy"])) as ArrayRef),
    ]);
    assert_eq!(
        rows(&f, &["s"])
            .expect("reads")
            .iter()
            .map(|r| r.1.clone())
            .collect::<Vec<_>>(),
        [Ok(vec![Cell::Str("x".into())]), Ok(vec![Cell::Str("yy".into())])]
    );
    // Offsets whose low 32 bits are right: cut to 32 bits they would read as before.
    let offsets = words::<8>(&[0, 1, 3]);
    for bad in [
        [0, 1, 3 + (1 << 32)],
        [1 << 32, 1 + (1 << 32), 3 + (1 << 32)],
        [0, 1 + (1 << 32), 3],
    ] {
        let b = patch(&f, &offsets, &words::<8>(&bad));
        let e = rows(&b, &["t", "s"]).unwrap_err();
        assert!(
            e.starts_with("a damaged record batch after row 0: column 's': "),
            "{bad:?}: {e}"
        );
    }
    let b = patch(&f, &offsets, &words::<8>(&[0, 1, i64::MIN]));
    let e = rows(&b, &["s"]).unwrap_err();
    assert!(e.contains("row 2 has a negative length"), "{e}");
}

#[test]
fn text_that_is_not_utf8_names_its_column_and_row() {
    use arrow_array::{ArrayRef, StringArray};
    use std::sync::Arc;
    let f = arrow_rs_file(vec![(
        "s",
        Arc::new(StringArray::from(vec!["AA", "é", "b"])) as ArrayRef,
    )]);
    // A bad byte in row 2.
    let b = patch(&f, "AAéb".as_bytes(), b"AA\xc3\x41b");
    assert_eq!(
        rows(&b, &["s"]).unwrap_err(),
        "a damaged record batch after row 0: column 's': row 2 is not UTF-8"
    );
    // Valid text, but row 2 ends inside 'é'.
    let b = patch(&f, &words::<4>(&[0, 2, 4, 5]), &words::<4>(&[0, 2, 3, 5]));
    assert_eq!(
        rows(&b, &["s"]).unwrap_err(),
        "a damaged record batch after row 0: column 's': row 2 is not UTF-8"
    );
}

#[test]
fn rows_are_bounded_by_the_file_even_without_buffers() {
    use arrow_array::{ArrayRef, NullArray};
    use std::sync::Arc;
    // A null column has no buffers: 8 rows a byte is the most a file gives.
    let small = arrow_rs_file(vec![("n", Arc::new(NullArray::new(100)) as ArrayRef)]);
    assert_eq!(rows(&small, &["n"]).expect("reads").len(), 100);
    let big = arrow_rs_file(vec![("n", Arc::new(NullArray::new(10_000_000)) as ArrayRef)]);
    let e = rows(&big, &["n"]).unwrap_err();
    assert!(
        e.contains("a record batch of 10000000 rows, more than a file of"),
        "{e}"
    );
}

#[test]
fn a_footer_naming_one_batch_many_times_is_an_error() {
    use arrow_array::{ArrayRef, Int64Array, RecordBatch};
    use std::sync::Arc;
    // One batch of 500 rows, then 40 of 1 row.
    let batch = |n: i64| {
        RecordBatch::try_from_iter([("t", Arc::new(Int64Array::from_iter_values(0..n)) as ArrayRef)])
            .expect("a batch")
    };
    let mut f = Vec::new();
    let mut w = arrow_ipc::writer::FileWriter::try_new(&mut f, &batch(1).schema()).expect("a writer");
    w.write(&batch(500)).expect("written");
    for _ in 0..40 {
        w.write(&batch(1)).expect("written");
    }
    w.finish().expect("finished");
    drop(w);
    assert_eq!(rows(&f, &["t"]).expect("reads").len(), 540);
    // Every block of the footer made the first: 41 × 500 rows from a file of a few KB.
    let n = f.len();
    let footer_len = u32::from_le_bytes(f[n - 10..n - 6].try_into().expect("4 bytes")) as usize;
    let footer_at = n - 10 - footer_len;
    let block = |b: &arrow_ipc::Block| {
        let mut bytes = b.offset().to_le_bytes().to_vec();
        bytes.extend(b.metaDataLength().to_le_bytes());
        bytes.extend([0; 4]);
        bytes.extend(b.bodyLength().to_le_bytes());
        bytes
    };
    let blocks: Vec<Vec<u8>> = arrow_ipc::root_as_footer(&f[footer_at..n - 10])
        .expect("a footer")
        .recordBatches()
        .expect("blocks")
        .iter()
        .map(block)
        .collect();
    assert_eq!(blocks.len(), 41);
    let mut b = f[..footer_at].to_vec();
    b.extend(patch_all(&f[footer_at..], &blocks[1..], &blocks[0]));
    let e = rows(&b, &["t"]).unwrap_err();
    assert!(
        e.contains("after row 1500: the footer's first 4 record batches take more than the file's"),
        "{e}"
    );
}

/// Replaces each of `from` (each once in `bytes`) by `to`.
fn patch_all(bytes: &[u8], from: &[Vec<u8>], to: &[u8]) -> Vec<u8> {
    from.iter().fold(bytes.to_vec(), |b, f| patch(&b, f, to))
}

#[test]
fn wide_schemas_are_within_the_verifiers_limits() {
    use arrow_array::{ArrayRef, Int8Array};
    use std::sync::Arc;
    // 3000 columns with long names: a flatbuffer of many tables, every one checked.
    let names: Vec<String> = (0..3000)
        .map(|i| format!("column number {i} {}", "x".repeat(i % 200)))
        .collect();
    let f = arrow_rs_file(
        names
            .iter()
            .map(|n| (n.as_str(), Arc::new(Int8Array::from(vec![1, 2])) as ArrayRef))
            .collect(),
    );
    let last = names.last().expect("a name").as_str();
    assert_eq!(
        rows(&f, &[last, "column number 0 "]).expect("reads")[1].1,
        Ok(vec![Cell::Int(2), Cell::Int(2)])
    );
}

/// A stream of one `Message` flatbuffer, hand-made: no header, and `custom_metadata` of
/// `n` offsets to one key-value table whose key is `len` bytes long.
fn one_name_many_times(n: usize, len: usize) -> Vec<u8> {
    let u32le = |v: usize| (v as u32).to_le_bytes();
    let mut b = Vec::new();
    b.extend(u32le(20)); // the root: the message table at 20
    b.extend([14, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0]); // its vtable at 4: field 4 at +4
    b.extend(16i32.to_le_bytes()); // the table at 20: its vtable 16 bytes before
    b.extend(u32le(4)); // custom_metadata: the vector at 28
    b.extend(u32le(n));
    let kv_vtable = 32 + 4 * n;
    let kv = kv_vtable + 8;
    for i in 0..n {
        b.extend(u32le(kv - (32 + 4 * i)));
    }
    b.extend([8, 0, 8, 0, 4, 0, 0, 0]); // the key-value vtable: key at +4
    b.extend(8i32.to_le_bytes());
    b.extend(u32le(4)); // the key: the string right after
    b.extend(u32le(len));
    b.extend(std::iter::repeat_n(b'a', len));
    b.extend([0; 4]);
    b.truncate(b.len() / 4 * 4);
    let mut stream = vec![0xff; 4];
    stream.extend(u32le(b.len()));
    stream.extend(b);
    stream.extend([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
    stream
}

#[test]
fn the_verifiers_work_is_bounded_by_the_bytes() {
    // Well-formed: read, and refused for what it is (not a schema).
    let e = rows(&one_name_many_times(3, 5), &["t"]).unwrap_err();
    assert_eq!(
        e,
        "not an Arrow IPC file or stream: the first message is not a schema"
    );
    // 100,000 × 100,000 bytes of names to check in 500 KB: with the verifier's defaults,
    // 2 GiB of UTF-8 checked before it gives up; here 4 times the bytes.
    let t = std::time::Instant::now();
    let e = rows(&one_name_many_times(100_000, 100_000), &["t"]).unwrap_err();
    assert_eq!(
        e,
        "not an Arrow IPC file or stream: a damaged message at byte 0: Apparent size too large"
    );
    assert!(t.elapsed().as_millis() < 2000, "{:?}", t.elapsed());
}

#[test]
fn half_floats_convert_exactly() {
    type F16 = <arrow_array::types::Float16Type as arrow_array::ArrowPrimitiveType>::Native;
    for h in 0..=u16::MAX {
        let (ours, theirs) = (f16_to_f64(h), F16::from_bits(h).to_f64());
        assert!(
            ours == theirs && ours.is_sign_negative() == theirs.is_sign_negative()
                || ours.is_nan() && theirs.is_nan(),
            "{h:#x}"
        );
    }
}

#[test]
fn a_csv_read_as_arrow_is_refused_before_any_allocation() {
    let csv = b"day_ms,key\n1,a\n2,b\n3,c\n4,d\n5,e\n";
    assert_eq!(csv.len(), 31);
    let t = std::time::Instant::now();
    let e = rows(csv, &["day_ms"]).unwrap_err();
    assert_eq!(
        e,
        "not an Arrow IPC file or stream: a message of 1601790308 bytes at byte 0, where 27 are left"
    );
    assert!(t.elapsed().as_millis() < 1000);
}

/// FNV-1a, 64-bit: a digest of every outcome, to compare a native run with a wasm32 one.
struct Fnv(u64);

impl Fnv {
    fn write(&mut self, s: &str) {
        for b in s.bytes() {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
}

/// Runs the reader on `bytes`: no panic, and at most `per_byte` rows a byte of the file, in
/// order from 1. Ok(rows) or the error; every row and the error go into `digest`.
fn survive_into(bytes: &[u8], columns: &[String], per_byte: u64, digest: &mut Fnv) -> Result<u64, String> {
    let mut n = 0u64;
    let result = read(bytes, columns, &mut |line, row| {
        n += 1;
        assert_eq!(line, n);
        if let Ok(cells) = &row {
            assert_eq!(cells.len(), columns.len());
        }
        digest.write(&format!("{line} {row:?}\n"));
    });
    digest.write(&format!("{result:?}\n"));
    result?;
    assert!(
        n <= bytes.len() as u64 * per_byte,
        "{n} rows from {} bytes",
        bytes.len()
    );
    Ok(n)
}

fn survive(bytes: &[u8], columns: &[String], per_byte: u64) -> Result<u64, String> {
    survive_into(bytes, columns, per_byte, &mut Fnv(0))
}

/// Every aligned word of each base file set to each of these, and every truncation.
const WORDS: [u32; 6] = [0xffff_ffff, 0x7fff_ffff, 0, 0x41, 0xff, 0x8000_0000];

#[test]
fn mutated_files_never_panic_nor_give_more_rows_than_they_hold() {
    let bases: [(Named, &[&str]); 9] = [
        (BASE_STREAM, &["t", "b"]),
        (BASE_FILE, &["t", "b"]),
        (TYPES_STREAM, &READ_TYPES),
        (TYPES_FILE, &READ_TYPES),
        (SKIP_STREAM, &["t", "tail"]),
        (SKIP_FILE, &["t", "tail"]),
        (SKIP2_STREAM, &["t", "tail"]),
        (SKIP2_FILE, &["t", "tail"]),
        (COMPRESSED, &["t", "b"]),
    ];
    let (mut inputs, mut accepted) = (0u64, 0u64);
    let mut digest = Fnv(0xcbf2_9ce4_8422_2325);
    let mut errors = std::collections::BTreeSet::new();
    for ((name, base), columns) in bases {
        // With an int64 column selected a row takes 8 bytes; with booleans alone, one bit.
        let int64 = strings(columns);
        let bools: Vec<String> = strings(if columns.contains(&"b") { &["b"] } else { &["n"] });
        let mut run = |bytes: &[u8]| {
            inputs += 1;
            match survive_into(bytes, &int64, 1, &mut digest) {
                Ok(_) => accepted += 1,
                // The message without its numbers: its kind.
                Err(e) => {
                    errors.insert(e.chars().filter(|c| !c.is_ascii_digit()).collect::<String>());
                }
            }
            let _ = survive_into(bytes, &bools, 8, &mut digest);
        };
        for at in (0..base.len().saturating_sub(3)).step_by(4) {
            for w in WORDS {
                let mut m = base.to_vec();
                m[at..at + 4].copy_from_slice(&w.to_le_bytes());
                run(&m);
            }
        }
        for len in 0..base.len() {
            run(&base[..len]);
        }
        eprintln!("{name}: {} bytes", base.len());
    }
    // The same on 32-bit targets (wasm32) as on 64-bit ones: compare this line of the two.
    eprintln!(
        "{inputs} mutated inputs, {accepted} accepted, {} kinds of error, digest {:016x}",
        errors.len(),
        digest.0
    );
    assert!(inputs > 40_000, "{inputs}");
    // The checks that the mutations reach, each at least once.
    for kind in [
        "lies outside the body",
        "bytes of values for",
        "rows in a record batch of",
        "has an unknown type",
        "is not UTF-",
        "variadic buffer counts for",
        "more than a file of",
        "a damaged footer",
        "a damaged message at byte",
        "children, not",
        "has type Int",
    ] {
        assert!(errors.iter().any(|e| e.contains(kind)), "no error says '{kind}'");
    }
}

#[test]
fn inputs_that_crashed_the_old_reader_give_a_clean_answer() {
    let mut files: Vec<_> = std::fs::read_dir(CORPUS_DIR)
        .expect("the corpus")
        .map(|e| e.expect("an entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("regress-"))
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 18, "{files:?}");
    for p in files {
        let bytes = std::fs::read(&p).expect("readable");
        // Columns of each base file, so that the damage is reached, not a missing column.
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let mut accepted = false;
        for columns in [&["t", "b"][..], &["t", "tail"], &READ_TYPES] {
            let got = survive(&bytes, &strings(columns), 1);
            if !got.as_ref().is_err_and(|e| e.starts_with("no column")) {
                eprintln!("{name}: {got:?}");
            }
            accepted |= got.is_ok();
        }
        // Damage the reader steps over: an empty validity buffer with a null count (all
        // valid), an unaligned buffer and a dictionary batch, both of columns not read.
        let readable = [
            "regress-boolean-128.arrow",
            "regress-reader-895-unwrap.arrow",
            "regress-unaligned-190.arrow",
        ];
        assert_eq!(accepted, readable.contains(&name.as_str()), "{name}");
        // Through the loader too: an InputError naming workload.data, or events.
        let spec: crate::workload::loader::DataSpec = crate::base::input::from_str(
            r#"{"file": "x.arrow", "event_time": {"column": "t", "unit": "epoch_us"}}"#,
        )
        .expect("a spec");
        if let Err(e) = crate::workload::loader::load(&bytes, None, &spec) {
            assert_eq!(e.field, "workload.data");
        }
    }
}
