//! Arrow IPC, file format (`ARROW1` magic) or stream format (`arrow-ipc`). Integer, float,
//! boolean, text, timestamp and date columns; a timestamp becomes µs since the epoch (read
//! it with unit `epoch_us`), a date its midnight.

use super::{Cell, RowSink};
use arrow_array::cast::AsArray;
use arrow_array::types as t;
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit as ArrowUnit};
use std::borrow::Cow;
use std::io::Cursor;

pub(crate) fn read(bytes: &[u8], columns: &[String], sink: &mut RowSink<'_>) -> Result<(), String> {
    let batches: Box<dyn Iterator<Item = Result<RecordBatch, arrow_schema::ArrowError>>> =
        if bytes.starts_with(b"ARROW1") {
            let r = arrow_ipc::reader::FileReader::try_new(Cursor::new(bytes), None)
                .map_err(|e| format!("not a readable Arrow IPC file: {e}"))?;
            Box::new(r)
        } else {
            let r = arrow_ipc::reader::StreamReader::try_new(Cursor::new(bytes), None)
                .map_err(|e| format!("not an Arrow IPC file or stream: {e}"))?;
            Box::new(r)
        };
    let mut row_no: u64 = 0;
    for batch in batches {
        let batch = batch.map_err(|e| format!("a damaged record batch after row {row_no}: {e}"))?;
        let schema = batch.schema();
        let mut cols: Vec<&dyn Array> = Vec::with_capacity(columns.len());
        for c in columns {
            let Ok(i) = schema.index_of(c) else {
                let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
                return Err(format!(
                    "no column '{c}' (it has: {})",
                    super::csv::preview(&names)
                ));
            };
            let a = batch.column(i).as_ref();
            if !readable(a.data_type()) {
                return Err(format!(
                    "column '{c}' has type {}, which is not read",
                    a.data_type()
                ));
            }
            cols.push(a);
        }
        for r in 0..batch.num_rows() {
            row_no += 1;
            let cells: Vec<Cell<'_>> = cols.iter().map(|a| cell(*a, r)).collect();
            sink(row_no, Ok(&cells));
        }
    }
    Ok(())
}

fn readable(d: &DataType) -> bool {
    use DataType::*;
    matches!(
        d,
        Null | Boolean
            | Int8
            | Int16
            | Int32
            | Int64
            | UInt8
            | UInt16
            | UInt32
            | UInt64
            | Float16
            | Float32
            | Float64
            | Utf8
            | LargeUtf8
            | Utf8View
            | Timestamp(_, _)
            | Date32
            | Date64
    )
}

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
        // Exact decimal of the float32 (0.1f32 → 0.100000001…): time units round later.
        Float32 => Cell::Float(a.as_primitive::<t::Float32Type>().value(r).into()),
        Float64 => Cell::Float(a.as_primitive::<t::Float64Type>().value(r)),
        Utf8 => Cell::Str(Cow::Borrowed(a.as_string::<i32>().value(r))),
        LargeUtf8 => Cell::Str(Cow::Borrowed(a.as_string::<i64>().value(r))),
        Utf8View => Cell::Str(Cow::Borrowed(a.as_string_view().value(r))),
        Timestamp(unit, _) => {
            let (v, per): (i64, i64) = match unit {
                ArrowUnit::Second => (a.as_primitive::<t::TimestampSecondType>().value(r), 1_000_000),
                ArrowUnit::Millisecond => (a.as_primitive::<t::TimestampMillisecondType>().value(r), 1_000),
                ArrowUnit::Microsecond => (a.as_primitive::<t::TimestampMicrosecondType>().value(r), 1),
                ArrowUnit::Nanosecond => {
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
