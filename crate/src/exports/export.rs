//! The report's tables out: per-batch and per-event columns as Arrow IPC (file format,
//! `ARROW1`) or CSV, for pandas, DuckDB, Polars or a spreadsheet. Column names, order and
//! values are the JSON report's (`docs/scenario.md`): times are Int64 µs since the epoch,
//! and `i64::MIN` marks "none" (a batch without a watermark, nothing visible yet). One
//! exception: the CSV writes an event's `fate` as its name (`on_time`, …; [`FATE_NAMES`]),
//! where the Arrow file keeps the UInt8 code (its schema metadata names the codes).
//!
//! The Arrow writer is large and needed rarely, so it is behind the `formats` feature: the
//! page's core module hands a table over as [`table_bytes`] to the formats module, which
//! writes it with [`arrow_ipc_from_table_bytes`].

#[cfg(feature = "formats")]
use crate::base::error::InputError;
use crate::report::summary::Report;

/// Which table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Batches,
    Events,
}

impl Table {
    pub fn parse(s: &str) -> Option<Table> {
        match s {
            "batches" => Some(Table::Batches),
            "events" => Some(Table::Events),
            _ => None,
        }
    }
}

/// An event's fate by code (`EventColumns::fate`), as the CSV writes it.
pub const FATE_NAMES: [&str; 6] = [
    "on_time",
    "late_counted",
    "dropped_late",
    "duplicate",
    "in_state",
    "unprocessed",
];

enum Col<'a> {
    U64(&'a [u64]),
    I64(&'a [i64]),
    /// Fate codes: UInt8 in Arrow, names ([`FATE_NAMES`]) in CSV.
    Fate(&'a [u8]),
}

impl Col<'_> {
    fn len(&self) -> usize {
        match self {
            Col::U64(v) => v.len(),
            Col::I64(v) => v.len(),
            Col::Fate(v) => v.len(),
        }
    }
}

fn columns(r: &Report, t: Table) -> Vec<(&'static str, Col<'_>)> {
    match t {
        Table::Batches => {
            let b = &r.batches;
            vec![
                ("id", Col::U64(&b.id)),
                ("start_us", Col::I64(&b.start_us)),
                ("end_us", Col::I64(&b.end_us)),
                ("input_rows", Col::U64(&b.input_rows)),
                ("watermark_us", Col::I64(&b.watermark_us)),
                ("dropped_late", Col::U64(&b.dropped_late)),
                ("state_rows_total", Col::U64(&b.state_rows_total)),
                ("state_rows_updated", Col::U64(&b.state_rows_updated)),
                ("state_rows_removed", Col::U64(&b.state_rows_removed)),
                ("output_rows", Col::U64(&b.output_rows)),
                ("backlog_rows", Col::U64(&b.backlog_rows)),
                ("data_files", Col::U64(&b.data_files)),
                ("empty_files", Col::U64(&b.empty_files)),
                ("data_bytes", Col::U64(&b.data_bytes)),
                ("newest_visible_us", Col::I64(&b.newest_visible_us)),
                ("state_memory_bytes", Col::U64(&b.state_memory_bytes)),
            ]
        }
        Table::Events => {
            let e = &r.events;
            vec![
                ("id", Col::U64(&e.id)),
                ("event_time_us", Col::I64(&e.event_time_us)),
                ("arrival_us", Col::I64(&e.arrival_us)),
                ("batch", Col::I64(&e.batch)),
                ("fate", Col::Fate(&e.fate)),
                ("late_watermark_us", Col::I64(&e.late_watermark_us)),
                ("visible_us", Col::I64(&e.visible_us)),
            ]
        }
    }
}

const TABLE_MAGIC: &[u8; 4] = b"PSTB";
/// [`table_bytes`]' version: a module pair from different builds refuses, by name.
pub const TABLE_BYTES_VERSION: u32 = 1;

/// A report table as bytes for the formats module ([`arrow_ipc_from_table_bytes`]),
/// little-endian: `"PSTB"`, u32 version, u8 table (0 batches, 1 events), u64 stride, u64
/// rows, u32 columns; then each column: u8 type (0 u64, 1 i64, 2 fate u8), u8 name length,
/// the name, its values.
pub fn table_bytes(r: &Report, t: Table) -> Vec<u8> {
    let cols = columns(r, t);
    let rows = cols.first().map_or(0, |(_, c)| c.len());
    let mut out = Vec::with_capacity(32 + cols.len() * (rows * 8 + 24));
    out.extend_from_slice(TABLE_MAGIC);
    out.extend_from_slice(&TABLE_BYTES_VERSION.to_le_bytes());
    out.push(match t {
        Table::Batches => 0,
        Table::Events => 1,
    });
    out.extend_from_slice(&r.events.stride.to_le_bytes());
    out.extend_from_slice(&(rows as u64).to_le_bytes());
    out.extend_from_slice(&(cols.len() as u32).to_le_bytes());
    for (name, c) in &cols {
        out.push(match c {
            Col::U64(_) => 0,
            Col::I64(_) => 1,
            Col::Fate(_) => 2,
        });
        out.push(name.len() as u8);
        out.extend_from_slice(name.as_bytes());
        match c {
            Col::U64(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
            Col::I64(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
            Col::Fate(v) => out.extend_from_slice(v),
        }
    }
    out
}

/// A table read back from [`table_bytes`].
#[cfg(feature = "formats")]
struct OwnedTable {
    table: Table,
    stride: u64,
    cols: Vec<(String, OwnedCol)>,
}

#[cfg(feature = "formats")]
enum OwnedCol {
    U64(Vec<u64>),
    I64(Vec<i64>),
    Fate(Vec<u8>),
}

/// Reads [`table_bytes`]; a refusal names the field `export`.
#[cfg(feature = "formats")]
fn read_table_bytes(b: &[u8]) -> Result<OwnedTable, InputError> {
    let bad = |m: &str| InputError::new("export", format!("the table's bytes are not readable: {m}"));
    let mut at = 0usize;
    let mut take = |n: usize| -> Result<&[u8], InputError> {
        let end = at
            .checked_add(n)
            .filter(|&e| e <= b.len())
            .ok_or_else(|| bad("they end early"))?;
        let s = &b[at..end];
        at = end;
        Ok(s)
    };
    let word8 = |s: &[u8]| -> [u8; 8] {
        let mut w = [0u8; 8];
        w.copy_from_slice(s);
        w
    };
    if take(4)? != TABLE_MAGIC {
        return Err(bad("they do not start with PSTB (not made by the core module)"));
    }
    let mut w4 = [0u8; 4];
    w4.copy_from_slice(take(4)?);
    if u32::from_le_bytes(w4) != TABLE_BYTES_VERSION {
        return Err(bad("another version (reload the page)"));
    }
    let table = match take(1)?[0] {
        0 => Table::Batches,
        1 => Table::Events,
        _ => return Err(bad("no such table")),
    };
    let stride = u64::from_le_bytes(word8(take(8)?));
    let rows = u64::from_le_bytes(word8(take(8)?));
    let rows = usize::try_from(rows).map_err(|_| bad("too many rows"))?;
    w4.copy_from_slice(take(4)?);
    let ncols = u32::from_le_bytes(w4);
    let mut cols = Vec::new();
    for _ in 0..ncols {
        let ty = take(1)?[0];
        let len = usize::from(take(1)?[0]);
        let name = std::str::from_utf8(take(len)?)
            .map_err(|_| bad("a column name is not UTF-8"))?
            .to_string();
        let width = if ty == 2 { 1 } else { 8 };
        let data = take(rows.checked_mul(width).ok_or_else(|| bad("too many rows"))?)?;
        let col = match ty {
            0 => OwnedCol::U64(
                data.chunks_exact(8)
                    .map(|c| u64::from_le_bytes(word8(c)))
                    .collect(),
            ),
            1 => OwnedCol::I64(
                data.chunks_exact(8)
                    .map(|c| i64::from_le_bytes(word8(c)))
                    .collect(),
            ),
            2 => OwnedCol::Fate(data.to_vec()),
            _ => return Err(bad("a column of no known type")),
        };
        cols.push((name, col));
    }
    if at != b.len() {
        return Err(bad("bytes after the last column"));
    }
    Ok(OwnedTable { table, stride, cols })
}

/// The table as an Arrow IPC file (one record batch). Schema metadata says what the
/// table is and the units; the events table also records its sampling stride.
#[cfg(feature = "formats")]
pub fn arrow_ipc(r: &Report, t: Table) -> Vec<u8> {
    write_arrow(t, r.events.stride, &columns(r, t))
}

/// [`table_bytes`] as an Arrow IPC file: what [`arrow_ipc`] gives for the same table.
#[cfg(feature = "formats")]
pub fn arrow_ipc_from_table_bytes(b: &[u8]) -> Result<Vec<u8>, InputError> {
    let o = read_table_bytes(b)?;
    let cols: Vec<(&str, Col<'_>)> = o
        .cols
        .iter()
        .map(|(n, c)| {
            (
                n.as_str(),
                match c {
                    OwnedCol::U64(v) => Col::U64(v),
                    OwnedCol::I64(v) => Col::I64(v),
                    OwnedCol::Fate(v) => Col::Fate(v),
                },
            )
        })
        .collect();
    Ok(write_arrow(o.table, o.stride, &cols))
}

#[cfg(feature = "formats")]
fn write_arrow(t: Table, stride: u64, cols: &[(&str, Col<'_>)]) -> Vec<u8> {
    use arrow_array::{ArrayRef, Int64Array, RecordBatch, UInt8Array, UInt64Array};
    use arrow_schema::{DataType, Field, Schema};
    use std::collections::HashMap;
    use std::sync::Arc;
    let fields: Vec<Field> = cols
        .iter()
        .map(|(n, c)| {
            let ty = match c {
                Col::U64(_) => DataType::UInt64,
                Col::I64(_) => DataType::Int64,
                Col::Fate(_) => DataType::UInt8,
            };
            Field::new(*n, ty, false)
        })
        .collect();
    let mut meta = HashMap::new();
    meta.insert(
        "pipeline_sim.table".to_string(),
        match t {
            Table::Batches => "batches",
            Table::Events => "events",
        }
        .to_string(),
    );
    meta.insert(
        "pipeline_sim.units".to_string(),
        "*_us: microseconds since 1970-01-01T00:00:00Z; -9223372036854775808 = none".to_string(),
    );
    if t == Table::Events {
        meta.insert("pipeline_sim.stride".to_string(), stride.to_string());
        meta.insert(
            "pipeline_sim.fate".to_string(),
            "0 on time, 1 late but counted, 2 dropped late, 3 duplicate, 4 in state at the end, 5 never processed"
                .to_string(),
        );
    }
    let schema = Arc::new(Schema::new_with_metadata(fields, meta));
    let arrays: Vec<ArrayRef> = cols
        .iter()
        .map(|(_, c)| -> ArrayRef {
            match c {
                Col::U64(v) => Arc::new(UInt64Array::from(v.to_vec())),
                Col::I64(v) => Arc::new(Int64Array::from(v.to_vec())),
                Col::Fate(v) => Arc::new(UInt8Array::from(v.to_vec())),
            }
        })
        .collect();
    // Columns of one table have one length ([`table_bytes`] and [`columns`] make them so);
    // an empty file rather than a panic if they ever did not.
    let Ok(batch) = RecordBatch::try_new(schema.clone(), arrays) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    {
        let mut w = arrow_ipc::writer::FileWriter::try_new(&mut out, &schema)
            .expect("writing to memory does not fail");
        w.write(&batch).expect("writing to memory does not fail");
        w.finish().expect("writing to memory does not fail");
    }
    out
}

/// The table as CSV with a header row.
pub fn csv(r: &Report, t: Table) -> String {
    use std::fmt::Write;
    let cols = columns(r, t);
    let n = cols.first().map_or(0, |(_, c)| c.len());
    let mut s = String::with_capacity(n * cols.len() * 8 + 256);
    let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
    s.push_str(&names.join(","));
    s.push('\n');
    for i in 0..n {
        for (j, (_, c)) in cols.iter().enumerate() {
            if j > 0 {
                s.push(',');
            }
            let _ = match c {
                Col::U64(v) => write!(s, "{}", v[i]),
                Col::I64(v) => write!(s, "{}", v[i]),
                Col::Fate(v) => match FATE_NAMES.get(usize::from(v[i])) {
                    Some(name) => write!(s, "{name}"),
                    None => write!(s, "{}", v[i]),
                },
            };
        }
        s.push('\n');
    }
    s
}

#[cfg(all(test, feature = "formats"))]
mod tests {
    use super::*;
    use arrow_array::{RecordBatch, UInt8Array, UInt64Array};

    fn report() -> Report {
        let sc = crate::ScenarioSpec::from_json(
            r#"{"seed": 3, "workload": {"duration_s": 300, "rate_per_s": 20}}"#,
        )
        .expect("a valid scenario");
        crate::simulation::simulate(&sc).expect("within budget")
    }

    #[test]
    fn arrow_reads_back_with_the_report_values() {
        let r = report();
        for t in [Table::Batches, Table::Events] {
            let bytes = arrow_ipc(&r, t);
            assert!(bytes.starts_with(b"ARROW1"));
            let rd =
                arrow_ipc::reader::FileReader::try_new(std::io::Cursor::new(bytes), None).expect("readable");
            let batches: Vec<RecordBatch> = rd.map(|b| b.expect("a batch")).collect();
            let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
            let want = match t {
                Table::Batches => r.batches.id.len(),
                Table::Events => r.events.id.len(),
            };
            assert_eq!(rows, want);
            assert!(rows > 0);
            let b = &batches[0];
            let id = b.column_by_name("id").expect("an id column");
            let id = id.as_any().downcast_ref::<UInt64Array>().expect("u64 ids");
            let want_ids = match t {
                Table::Batches => &r.batches.id,
                Table::Events => &r.events.id,
            };
            assert_eq!(id.values().to_vec(), *want_ids);
        }
    }

    #[test]
    fn csv_has_a_header_and_a_line_a_row() {
        let r = report();
        let c = csv(&r, Table::Batches);
        let lines: Vec<&str> = c.lines().collect();
        assert_eq!(lines.len(), r.batches.id.len() + 1);
        assert!(lines[0].starts_with("id,start_us,end_us,input_rows,watermark_us"));
        let first: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(first[3], r.batches.input_rows[0].to_string());
        assert_eq!(first.len(), 16);
    }

    #[test]
    fn csv_names_each_fate_and_arrow_keeps_its_code() {
        let r = report();
        let c = csv(&r, Table::Events);
        let lines: Vec<&str> = c.lines().collect();
        assert_eq!(
            lines[0],
            "id,event_time_us,arrival_us,batch,fate,late_watermark_us,visible_us"
        );
        assert_eq!(lines.len(), r.events.id.len() + 1);
        for (line, &code) in lines[1..].iter().zip(&r.events.fate) {
            assert_eq!(
                line.split(',').nth(4),
                Some(FATE_NAMES[usize::from(code)]),
                "{line}"
            );
        }
        assert!(r.events.fate.contains(&0), "this run has events on time");
        let bytes = arrow_ipc(&r, Table::Events);
        let rd = arrow_ipc::reader::FileReader::try_new(std::io::Cursor::new(bytes), None).expect("readable");
        let b = rd.into_iter().next().expect("one batch").expect("a batch");
        let fate = b.column_by_name("fate").expect("a fate column");
        let fate = fate.as_any().downcast_ref::<UInt8Array>().expect("u8 fates");
        assert_eq!(fate.values().to_vec(), r.events.fate);
    }

    #[test]
    fn arrow_from_the_table_bytes_equals_the_direct_export() {
        let r = report();
        let read = |bytes: Vec<u8>| -> Vec<RecordBatch> {
            arrow_ipc::reader::FileReader::try_new(std::io::Cursor::new(bytes), None)
                .expect("readable")
                .map(|b| b.expect("a batch"))
                .collect()
        };
        for t in [Table::Batches, Table::Events] {
            let via = arrow_ipc_from_table_bytes(&table_bytes(&r, t)).expect("its own bytes");
            assert_eq!(read(via), read(arrow_ipc(&r, t)));
        }
        let good = table_bytes(&r, Table::Events);
        for cut in [0, 3, 8, 9, 20, good.len() - 1] {
            let e = arrow_ipc_from_table_bytes(&good[..cut]).expect_err("cut short");
            assert_eq!(e.field, "export");
        }
        let mut longer = good.clone();
        longer.push(0);
        assert!(arrow_ipc_from_table_bytes(&longer).is_err());
    }
}
