//! CSV with a header row (RFC 4180 quoting, `csv` crate). Cells are text; the mapping
//! parses numbers and times.

use super::{Cell, RowSink};
use std::borrow::Cow;

/// Reads every record; a record with the wrong number of fields, or bytes that are not
/// UTF-8, is a bad row. A header missing a wanted column fails the whole file.
pub(crate) fn read(bytes: &[u8], columns: &[String], sink: &mut RowSink<'_>) -> Result<(), String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = rdr
        .byte_headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .clone();
    let names: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    if names.iter().all(|n| n.is_empty()) {
        return Err("the file is empty or has no header row".into());
    }
    let mut idx = Vec::with_capacity(columns.len());
    for c in columns {
        match names.iter().position(|n| n == c) {
            Some(i) => idx.push(i),
            None => {
                return Err(format!(
                    "no column '{c}' in the header (it has: {})",
                    preview(&names)
                ));
            }
        }
    }
    let mut rec = csv::ByteRecord::new();
    loop {
        let line = rdr.position().line();
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                sink(line, Err(format!("unreadable record: {e}")));
                continue;
            }
        }
        let line = rec.position().map_or(line, |p| p.line());
        if rec.len() != names.len() {
            sink(
                line,
                Err(format!(
                    "{} fields where the header has {}",
                    rec.len(),
                    names.len()
                )),
            );
            continue;
        }
        let mut cells: Vec<Cell<'_>> = Vec::with_capacity(columns.len());
        let mut bad = None;
        for &i in &idx {
            let raw = &rec[i];
            match std::str::from_utf8(raw) {
                Ok("") => cells.push(Cell::Null),
                Ok(s) => cells.push(Cell::Str(Cow::Borrowed(s))),
                Err(_) => {
                    bad = Some(format!("column '{}' is not UTF-8 text", names[i]));
                    break;
                }
            }
        }
        match bad {
            Some(b) => sink(line, Err(b)),
            None => sink(line, Ok(&cells)),
        }
    }
    Ok(())
}

/// The first few names of a list, for a message.
pub(crate) fn preview(names: &[String]) -> String {
    let mut s: Vec<String> = names.iter().take(12).map(|n| format!("'{n}'")).collect();
    if names.len() > 12 {
        s.push(format!("… {} in all", names.len()));
    }
    s.join(", ")
}
