//! Real event data in: a file (CSV, JSON Lines, a JSON document, an Apache access log or
//! Arrow IPC) and a column mapping become the scenario's events. The two clocks come from
//! the mapping: the event time from one column, the arrival from another column, from the
//! event time plus a delay column, or from the workload's lateness model.
//!
//! Pure like the rest of the core: the bytes come in from the CLI (a file) or the browser (a
//! fetched or dropped file). A bad row never stops a load: it is counted, with its line and
//! reason (the first [`MAX_EXAMPLES`] kept); a file that cannot be read at all, or that
//! gives no event, is one [`InputError`] naming `workload.data`.
//!
//! The readers and the mapping are behind the `formats` feature; the spec, the stats and
//! [`Loaded`] (with its byte encoding, `bytes.rs`) are always here, for the core module.

#[cfg(feature = "formats")]
mod access_log;
#[cfg(feature = "formats")]
mod arrow;
mod bytes;
#[cfg(feature = "formats")]
mod csv;
#[cfg(feature = "formats")]
mod json;
#[cfg(feature = "formats")]
mod mapping;
mod spec;

use crate::base::error::InputError;
use crate::base::time::Micros;
use serde::Serialize;
#[cfg(feature = "formats")]
use std::borrow::Cow;
use std::sync::Arc;

pub use bytes::VERSION as BYTES_VERSION;
pub use spec::{Arrival, DelayUnit, Filter, FilterOp, Join, JoinHow, JoinKeyType, TimeColumn, TimeUnit};

/// Largest file a load takes, bytes (256 MiB). A browser tab holds the file, its parse and
/// the events at once; beyond this, split the file or sample it first.
pub const MAX_FILE_BYTES: usize = 256 << 20;
/// Largest dimension table a join takes, bytes (16 MiB).
pub const MAX_JOIN_BYTES: usize = 16 << 20;
/// Bad rows kept as examples, with their line and reason.
pub const MAX_EXAMPLES: usize = 5;

/// A `workload.data` mapping from JSON text (the page sends it alone, before the
/// scenario): a refusal names the field's path under `workload.data`.
pub fn parse_spec(text: &str) -> Result<DataSpec, InputError> {
    crate::base::input::parse_json(text, "workload.data", "not a valid data mapping")
}

/// The file formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Comma-separated with a header row (RFC 4180 quoting).
    Csv,
    /// One JSON object a line.
    Jsonl,
    /// One JSON document: an array of objects, or a GeoJSON `FeatureCollection` (a column
    /// not found on a feature is looked up in its `properties`).
    Json,
    /// Apache access log lines (common or combined format), read with the lab's regex.
    AccessLog,
    /// Arrow IPC, file (`ARROW1` magic) or stream format.
    Arrow,
}

impl Format {
    /// The format a file name says, by its extension.
    pub fn from_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        let ext = lower.rsplit('.').next()?;
        Some(match ext {
            "csv" => Format::Csv,
            "jsonl" | "ndjson" => Format::Jsonl,
            "json" | "geojson" => Format::Json,
            "log" => Format::AccessLog,
            "arrow" | "feather" | "arrows" | "ipc" => Format::Arrow,
            _ => return None,
        })
    }
}

/// `workload.data`: which file and how its columns map to events.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DataSpec {
    /// The file: a path for the CLI (relative to the working directory), a bundled
    /// dataset's path (`datasets/…`) or a dropped file's name in the browser.
    pub file: String,
    /// `null`: by the file name's extension.
    #[serde(default)]
    pub format: Option<Format>,
    /// The event time column and its unit.
    pub event_time: TimeColumn,
    /// Where the arrival (processing-time) clock comes from; `null`: the workload's
    /// lateness model draws it with the seed.
    #[serde(default)]
    pub arrival: Option<Arrival>,
    /// The key column (e.g. `groupBy` key); `null`: one key, `all`.
    #[serde(default)]
    pub key: Option<String>,
    /// The `value` column (whole numbers; a fraction is cut off as Spark's cast to LONG
    /// does); `null`: null values.
    #[serde(default)]
    pub value: Option<String>,
    /// A row size column, bytes: its mean replaces `workload.row_bytes`.
    #[serde(default)]
    pub size: Option<String>,
    /// Rows kept only when every condition holds (`WHERE … AND …`).
    #[serde(default)]
    pub filter: Vec<Filter>,
    /// A join with a dimension table (CSV with a header), before the filter.
    #[serde(default)]
    pub join: Option<Join>,
}

/// One bad row: its line (1-based; the row number for Arrow and JSON arrays) and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BadRow {
    pub line: u64,
    pub reason: String,
}

/// What a load read, dropped and made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadStats {
    pub file: String,
    pub format: Format,
    /// Rows read (header excluded; every line of a log).
    pub rows: u64,
    /// Rows that became events.
    pub events: u64,
    /// Rows that could not be parsed or mapped.
    pub bad_rows: u64,
    /// The first few bad rows, in file order.
    pub bad_examples: Vec<BadRow>,
    /// Rows with no match in the join's table (null table columns; an inner join drops
    /// them).
    pub join_unmatched: u64,
    /// Rows the filter dropped.
    pub filtered_out: u64,
    /// Rows whose arrival was before their event time, set to the event time (an early
    /// flight, a clock skew): an event cannot arrive before it happens.
    pub arrival_clamped: u64,
    /// Distinct keys.
    pub keys: u64,
    /// `column`, `delay` or `model` (drawn from the workload's lateness).
    pub arrival_from: ArrivalFrom,
    /// Arrival − event time over the events, s (nearest rank; after clamping); null when
    /// the lateness model draws the arrivals.
    pub lateness_p50_s: Option<f64>,
    pub lateness_p99_s: Option<f64>,
    pub lateness_max_s: Option<f64>,
    /// First and last event time, µs since the epoch.
    pub first_event_us: Micros,
    pub last_event_us: Micros,
    /// Mean of the size column, bytes (`null` without one).
    pub mean_size_bytes: Option<f64>,
}

/// Where a load's arrivals come from (`LoadStats::arrival_from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArrivalFrom {
    /// A time column of the file.
    Column,
    /// The event time plus a delay column.
    Delay,
    /// The workload's lateness model, with the seed.
    Model,
}

/// A loaded file: events sorted by event time (ties in file order), ready for the workload.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The spec it was read with (a scenario must name the same).
    pub spec: DataSpec,
    /// (key index, event time, arrival if from the file, value).
    pub events: Arc<[crate::workload::event::GivenEvent]>,
    pub key_names: Arc<[String]>,
    pub stats: LoadStats,
}

#[cfg(feature = "formats")]
/// One cell of a row, as the file gave it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'a, str>),
}

#[cfg(feature = "formats")]
impl Cell<'_> {
    /// The cell as text (numbers in Rust's shortest round-trip form).
    pub(crate) fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Cell::Null => None,
            Cell::Bool(b) => Some(Cow::Owned(b.to_string())),
            Cell::Int(i) => Some(Cow::Owned(i.to_string())),
            Cell::Float(f) => Some(Cow::Owned(f.to_string())),
            Cell::Str(s) => Some(Cow::Borrowed(s.as_ref())),
        }
    }

    /// The cell as a number (a numeric string is parsed).
    pub(crate) fn number(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Float(f) if f.is_finite() => Some(*f),
            Cell::Str(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
            _ => None,
        }
    }

    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Cell::Null => "null",
            Cell::Bool(_) => "a boolean",
            Cell::Int(_) => "an integer",
            Cell::Float(_) => "a number",
            Cell::Str(_) => "a string",
        }
    }
}

#[cfg(feature = "formats")]
/// What a format reader hands over for each row: its line, and its cells in the order of
/// the columns asked for, or why the row cannot be read.
pub(crate) type RowSink<'s> = dyn FnMut(u64, Result<&[Cell<'_>], String>) + 's;

#[cfg(feature = "formats")]
/// Reads `bytes` as the spec says: every row mapped to an event or counted as bad,
/// filtered or unmatched. `join_table` is the bytes of `spec.join.file`.
pub fn load(bytes: &[u8], join_table: Option<&[u8]>, spec: &DataSpec) -> Result<Loaded, InputError> {
    let field = "workload.data";
    if bytes.len() > MAX_FILE_BYTES {
        return Err(InputError::new(
            field,
            format!(
                "'{}' is {:.1} MiB; at most {} MiB load (split or sample the file first)",
                spec.file,
                bytes.len() as f64 / 1048576.0,
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    let format = match spec.format.or_else(|| Format::from_name(&spec.file)) {
        Some(f) => f,
        None => {
            return Err(InputError::new(
                format!("{field}.format"),
                format!(
                    "cannot tell the format of '{}' from its name: set format to csv, jsonl, \
                     json, access_log or arrow",
                    spec.file
                ),
            ));
        }
    };
    let mut mapper = mapping::Mapper::new(spec, join_table)?;
    let columns = mapper.file_columns().to_vec();
    {
        let sink: &mut RowSink<'_> = &mut |line, row| mapper.row(line, row);
        match format {
            Format::Csv => csv::read(bytes, &columns, sink),
            Format::Jsonl => json::read_lines(bytes, &columns, sink),
            Format::Json => json::read_document(bytes, &columns, sink),
            Format::AccessLog => access_log::read(bytes, &columns, sink),
            Format::Arrow => arrow::read(bytes, &columns, sink),
        }
        .map_err(|m| InputError::new(field, format!("'{}' ({format:?}): {m}", spec.file)))?;
    }
    mapper.finish(format)
}

#[cfg(all(test, feature = "formats"))]
mod tests;

crate::read_names!(Format {
    "csv" => Csv, "jsonl" => Jsonl, "json" => Json, "access_log" => AccessLog, "arrow" => Arrow,
});
crate::read_names!(ArrivalFrom { "column" => Column, "delay" => Delay, "model" => Model });
crate::read_struct!(BadRow {
    line: req,
    reason: req
});
crate::read_struct!(LoadStats {
    file: req,
    format: req,
    rows: req,
    events: req,
    bad_rows: req,
    bad_examples: req,
    join_unmatched: req,
    filtered_out: req,
    arrival_clamped: req,
    keys: req,
    arrival_from: req,
    lateness_p50_s: req,
    lateness_p99_s: req,
    lateness_max_s: req,
    first_event_us: req,
    last_event_us: req,
    mean_size_bytes: req,
});
crate::read_struct!(DataSpec {
    file: req,
    format: opt,
    event_time: req,
    arrival: opt,
    key: opt,
    value: opt,
    size: opt,
    filter: opt,
    join: opt,
});
