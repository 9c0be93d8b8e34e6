//! Apache access log lines, read with the network lab's regex (seed 004 §9):
//!
//! `(\S+) (\S+) (\S+) \[(.*?)\] "(\S+) (\S+) (\S+)" (\d{3}) (\d+)`
//!
//! Its groups are the columns `ip`, `ident`, `user`, `timestamp`, `method`, `endpoint`,
//! `protocol`, `response_code`, `content_size`. A line it does not match (a size of `-`, a
//! malformed request, an error-log line) is a bad row, as in the lab. Our one addition is
//! an optional tail for the combined format and `%D`: `referer`, `agent` and `serve_us`
//! (the microseconds Apache took to serve it: the line is written that much after `%t`).

use super::{Cell, RowSink};
use regex_lite::Regex;
use std::borrow::Cow;

/// The lab's pattern (verbatim) and our optional tail.
const PATTERN: &str = concat!(
    r#"(\S+) (\S+) (\S+) \[(.*?)\] "(\S+) (\S+) (\S+)" (\d{3}) (\d+)"#,
    r#"(?: "([^"]*)" "([^"]*)"(?: (\d+))?)?"#
);

/// Column names, by capture group (1-based).
pub(crate) const COLUMNS: [&str; 12] = [
    "ip",
    "ident",
    "user",
    "timestamp",
    "method",
    "endpoint",
    "protocol",
    "response_code",
    "content_size",
    "referer",
    "agent",
    "serve_us",
];

pub(crate) fn read(bytes: &[u8], columns: &[String], sink: &mut RowSink<'_>) -> Result<(), String> {
    let re = Regex::new(PATTERN).expect("the access-log pattern is a valid regex");
    let mut groups = Vec::with_capacity(columns.len());
    for c in columns {
        match COLUMNS.iter().position(|n| n == c) {
            Some(i) => groups.push(i + 1),
            None => {
                return Err(format!(
                    "an access log has no column '{c}' (it has: {})",
                    COLUMNS.join(", ")
                ));
            }
        }
    }
    let mut cells = Vec::with_capacity(columns.len());
    let mut lines = bytes.split(|&b| b == b'\n').enumerate().peekable();
    while let Some((i, raw)) = lines.next() {
        let line = i as u64 + 1;
        if raw.is_empty() && lines.peek().is_none() {
            break; // the newline that ends the file
        }
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let Ok(text) = std::str::from_utf8(raw) else {
            sink(line, Err("not UTF-8 text".into()));
            continue;
        };
        match re.captures(text) {
            None => sink(line, Err("does not match the access-log pattern".into())),
            Some(caps) => {
                cells.clear();
                cells.extend(groups.iter().map(|&g| match caps.get(g) {
                    Some(m) => Cell::Str(Cow::Borrowed(m.as_str())),
                    None => Cell::Null,
                }));
                sink(line, Ok(&cells));
            }
        }
    }
    Ok(())
}
