//! JSON: one object a line (JSON Lines), or one document (an array of objects, or a
//! GeoJSON `FeatureCollection`). Columns are dotted paths (`properties.time`); on a GeoJSON
//! feature a column not found on the feature is looked up in its `properties`.

use super::{Cell, RowSink};
use serde_json::Value;
use std::borrow::Cow;

/// JSON Lines: each non-empty line an object; a line that is not is a bad row.
pub(crate) fn read_lines(bytes: &[u8], columns: &[String], sink: &mut RowSink<'_>) -> Result<(), String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let line = i as u64 + 1;
        match serde_json::from_slice::<Value>(raw) {
            Ok(v @ Value::Object(_)) => {
                let cells: Vec<Cell<'_>> = columns.iter().map(|c| cell(&v, c)).collect();
                sink(line, Ok(&cells));
            }
            Ok(other) => sink(
                line,
                Err(format!("a JSON {} where an object belongs", kind(&other))),
            ),
            Err(e) => sink(line, Err(format!("not JSON: {e}"))),
        }
    }
    Ok(())
}

/// One JSON document: an array of objects or a GeoJSON FeatureCollection; rows are numbered
/// from 1 in the array.
pub(crate) fn read_document(bytes: &[u8], columns: &[String], sink: &mut RowSink<'_>) -> Result<(), String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Value = serde_json::from_slice(bytes)
        .map_err(|e| format!("not a JSON document: {e} (for one object a line, use format \"jsonl\")"))?;
    let rows = match &doc {
        Value::Array(a) => a,
        Value::Object(o) => match o.get("features") {
            Some(Value::Array(f)) => f,
            _ => {
                return Err(
                    "a JSON object that is not a GeoJSON FeatureCollection: give an array of \
                     objects, or one object a line (format \"jsonl\")"
                        .into(),
                );
            }
        },
        other => {
            return Err(format!(
                "a JSON {} where an array of objects belongs",
                kind(other)
            ));
        }
    };
    let mut cells = Vec::with_capacity(columns.len());
    for (i, v) in rows.iter().enumerate() {
        let line = i as u64 + 1;
        if !v.is_object() {
            sink(
                line,
                Err(format!("element {line} is a JSON {}, not an object", kind(v))),
            );
            continue;
        }
        cells.clear();
        cells.extend(columns.iter().map(|c| cell(v, c)));
        sink(line, Ok(&cells));
    }
    Ok(())
}

fn lookup<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    if let Some(x) = v.get(path) {
        return Some(x);
    }
    let mut cur = v;
    for part in path.split('.') {
        cur = cur.get(part)?;
    }
    Some(cur)
}

fn cell<'v>(v: &'v Value, path: &str) -> Cell<'v> {
    let found = lookup(v, path).or_else(|| v.get("properties").and_then(|p| lookup(p, path)));
    match found {
        None | Some(Value::Null) => Cell::Null,
        Some(Value::Bool(b)) => Cell::Bool(*b),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) => Cell::Int(i),
            None => Cell::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Some(Value::String(s)) => Cell::Str(Cow::Borrowed(s.as_str())),
        Some(other) => Cell::Str(Cow::Owned(other.to_string())),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
