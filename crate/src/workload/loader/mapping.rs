//! The column mapping: a row's cells to an event (key, event time, arrival, value), through
//! the join and the filter, with every reason a row is dropped counted.

use super::bytes::{MAX_INSTANT, MIN_INSTANT};
use super::spec::{Arrival, DelayUnit, FilterOp, Join, JoinHow, JoinKeyType, TimeColumn, TimeUnit};
use super::{ArrivalFrom, BadRow, Cell, DataSpec, Format, LoadStats, Loaded, MAX_EXAMPLES, MAX_JOIN_BYTES};
use crate::base::error::InputError;
use crate::base::time::{Micros, parse_rfc3339};
use crate::workload::event::{GivenEvent, MAX_EXPLICIT_EVENTS};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Where a mapped name is found: the file's cells, or the joined table's.
#[derive(Debug, Clone, Copy)]
enum Src {
    File(usize),
    Joined(usize),
}

/// A dimension table: key → the joined columns.
type JoinTable = BTreeMap<JoinKey, Vec<String>>;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum JoinKey {
    Int(i64),
    Text(String),
}

#[derive(Debug)]
pub(crate) struct Mapper {
    spec: DataSpec,
    columns: Vec<String>,
    event_time: usize,
    origin: Micros,
    arrival: Option<(Src, Option<DelayUnit>)>,
    key: Option<Src>,
    value: Option<Src>,
    size: Option<Src>,
    filters: Vec<(Src, FilterOp, serde_json::Value)>,
    /// The data's key column, how keys compare, which rows stay, the table.
    join: Option<(usize, JoinKeyType, JoinHow, JoinTable)>,
    // Results.
    events: Vec<GivenEvent>,
    key_index: BTreeMap<String, u32>,
    key_names: Vec<String>,
    rows: u64,
    bad_rows: u64,
    bad_examples: Vec<BadRow>,
    join_unmatched: u64,
    filtered_out: u64,
    clamped: u64,
    size_sum: f64,
    size_n: u64,
    too_many: bool,
}

impl Mapper {
    pub(crate) fn new(spec: &DataSpec, join_table: Option<&[u8]>) -> Result<Mapper, InputError> {
        let field = "workload.data";
        let mut names: Vec<String> = vec![spec.event_time.column.clone()];
        let joined: Vec<String> = spec.join.as_ref().map(|j| j.columns.clone()).unwrap_or_default();
        let src = |name: &str, names: &mut Vec<String>| -> Src {
            if let Some(i) = joined.iter().position(|c| c == name) {
                return Src::Joined(i);
            }
            match names.iter().position(|c| c == name) {
                Some(i) => Src::File(i),
                None => {
                    names.push(name.to_string());
                    Src::File(names.len() - 1)
                }
            }
        };
        if let Some(j) = &spec.join {
            src(&j.on, &mut names);
        }
        let arrival = match &spec.arrival {
            None => None,
            Some(Arrival::Column(c)) => {
                check_unit(c, &format!("{field}.arrival"))?;
                Some((src(&c.column, &mut names), None))
            }
            Some(Arrival::Delay { delay_column, unit }) => Some((src(delay_column, &mut names), Some(*unit))),
        };
        let key = spec.key.as_deref().map(|k| src(k, &mut names));
        let value = spec.value.as_deref().map(|k| src(k, &mut names));
        let size = spec.size.as_deref().map(|k| src(k, &mut names));
        let mut filters = Vec::new();
        for (i, f) in spec.filter.iter().enumerate() {
            if !(f.value.is_number() || f.value.is_string() || f.value.is_boolean()) {
                return Err(InputError::new(
                    format!("{field}.filter[{i}].value"),
                    "must be a number, a string or a boolean",
                ));
            }
            filters.push((src(&f.column, &mut names), f.op, f.value.clone()));
        }
        check_unit(&spec.event_time, &format!("{field}.event_time"))?;
        let origin = match &spec.event_time.origin {
            None => parse_rfc3339("2024-01-01T00:00:00Z").expect("a valid constant"),
            Some(o) => parse_rfc3339(o).ok_or_else(|| {
                InputError::new(
                    format!("{field}.event_time.origin"),
                    format!("'{o}' is not an RFC 3339 time"),
                )
            })?,
        };
        let join = match &spec.join {
            None => None,
            Some(j) => {
                let bytes = join_table.ok_or_else(|| {
                    InputError::new(
                        format!("{field}.join.file"),
                        format!("the table '{}' was not given", j.file),
                    )
                })?;
                let on = match src(&j.on, &mut names) {
                    Src::File(i) => i,
                    Src::Joined(_) => {
                        return Err(InputError::new(
                            format!("{field}.join.on"),
                            "must be a column of the data, not of the table",
                        ));
                    }
                };
                Some((on, j.key_type, j.how, read_table(bytes, j)?))
            }
        };
        Ok(Mapper {
            spec: spec.clone(),
            columns: names,
            event_time: 0,
            origin,
            arrival,
            key,
            value,
            size,
            filters,
            join,
            events: Vec::new(),
            key_index: BTreeMap::new(),
            key_names: Vec::new(),
            rows: 0,
            bad_rows: 0,
            bad_examples: Vec::new(),
            join_unmatched: 0,
            filtered_out: 0,
            clamped: 0,
            size_sum: 0.0,
            size_n: 0,
            too_many: false,
        })
    }

    /// The file columns the readers must provide, in order.
    pub(crate) fn file_columns(&self) -> &[String] {
        &self.columns
    }

    /// Takes one row from a reader.
    pub(crate) fn row(&mut self, line: u64, cells: Result<&[Cell<'_>], String>) {
        self.rows += 1;
        let outcome = cells.and_then(|c| self.map(c));
        match outcome {
            Ok(Some(ev)) => {
                if self.events.len() >= MAX_EXPLICIT_EVENTS {
                    self.too_many = true;
                } else {
                    self.events.push(ev);
                }
            }
            Ok(None) => {}
            Err(reason) => {
                self.bad_rows += 1;
                if self.bad_examples.len() < MAX_EXAMPLES {
                    self.bad_examples.push(BadRow { line, reason });
                }
            }
        }
    }

    /// A row to an event; `Ok(None)` when the join or the filter drops it (counted).
    fn map(&mut self, cells: &[Cell<'_>]) -> Result<Option<GivenEvent>, String> {
        // Borrowed from the table (no copy a row); only the counters below are mutated.
        let joined: Option<&Vec<String>> = match &self.join {
            None => None,
            Some((on, ty, how, table)) => match join_key(&cells[*on], *ty).and_then(|k| table.get(&k)) {
                Some(v) => Some(v),
                None => {
                    self.join_unmatched += 1;
                    if *how == JoinHow::Inner {
                        return Ok(None);
                    }
                    None
                }
            },
        };
        let get = |s: Src| -> Cell<'_> {
            match s {
                Src::File(i) => cells[i].clone(),
                Src::Joined(i) => joined.map_or(Cell::Null, |j| Cell::Str(j[i].as_str().into())),
            }
        };
        let et_col = &self.spec.event_time;
        let et = instant(&cells[self.event_time], et_col, self.origin)
            .map_err(|e| format!("{}: {e}", et_col.column))?;
        let arrival = match (&self.arrival, &self.spec.arrival) {
            (Some((s, None)), Some(super::Arrival::Column(c))) => {
                Some(instant(&get(*s), c, self.origin).map_err(|e| format!("{}: {e}", c.column))?)
            }
            (Some((s, Some(unit))), Some(super::Arrival::Delay { delay_column, .. })) => {
                let cell = get(*s);
                let d = cell
                    .number()
                    .ok_or_else(|| format!("{delay_column}: {} is not a number", shown(&cell)))?;
                Some(et.saturating_add((d * unit.micros()).round() as i64))
            }
            _ => None,
        };
        for (s, op, v) in &self.filters {
            if !holds(&get(*s), *op, v) {
                self.filtered_out += 1;
                return Ok(None);
            }
        }
        let key = match self.key {
            None => "all".to_string(),
            Some(s) => get(s)
                .text()
                .map(|t| t.into_owned())
                .unwrap_or_else(|| "null".into()),
        };
        let value = match self.value {
            None => crate::workload::event::NULL_VALUE,
            Some(s) => match get(s) {
                Cell::Null => crate::workload::event::NULL_VALUE,
                c => {
                    let n = c.number().ok_or_else(|| {
                        format!(
                            "{}: {} is not a number",
                            self.spec.value.as_deref().unwrap_or(""),
                            shown(&c)
                        )
                    })?;
                    // Spark's cast of a double to LONG truncates toward zero.
                    (n.trunc() as i64).max(crate::workload::event::NULL_VALUE + 1)
                }
            },
        };
        if let Some(s) = self.size {
            let c = get(s);
            let n = c.number().filter(|n| *n >= 0.0).ok_or_else(|| {
                format!(
                    "{}: {} is not a size",
                    self.spec.size.as_deref().unwrap_or(""),
                    shown(&c)
                )
            })?;
            self.size_sum += n;
            self.size_n += 1;
        }
        let arrival = arrival.map(|a| {
            if a < et {
                self.clamped += 1;
                et
            } else {
                a
            }
        });
        let next = self.key_names.len() as u32;
        let k = match self.key_index.get(&key) {
            Some(k) => *k,
            None => {
                self.key_index.insert(key.clone(), next);
                self.key_names.push(key);
                next
            }
        };
        Ok(Some((k, et, arrival, value)))
    }

    pub(crate) fn finish(mut self, format: Format) -> Result<Loaded, InputError> {
        let field = "workload.data";
        if self.too_many {
            return Err(InputError::new(
                field,
                format!(
                    "'{}' gives more than {MAX_EXPLICIT_EVENTS} events, the most one scenario \
                     holds: filter it or take a sample first",
                    self.spec.file
                ),
            ));
        }
        if self.events.is_empty() {
            let why = if self.rows == 0 {
                "it has no rows".to_string()
            } else if self.bad_rows == self.rows {
                let ex: Vec<String> = self
                    .bad_examples
                    .iter()
                    .map(|b| format!("line {}: {}", b.line, b.reason))
                    .collect();
                format!("none of its {} rows could be read ({})", self.rows, ex.join("; "))
            } else {
                format!(
                    "the join and filter keep none of its {} rows ({} unmatched, {} filtered out, {} bad)",
                    self.rows, self.join_unmatched, self.filtered_out, self.bad_rows
                )
            };
            return Err(InputError::new(
                field,
                format!("'{}' gives no events: {why}", self.spec.file),
            ));
        }
        // Event-time order gives the ids; ties keep file order (a stable sort).
        self.events.sort_by_key(|&(_, et, _, _)| et);
        let mut late: Vec<i64> = self
            .events
            .iter()
            .filter_map(|&(_, et, a, _)| a.map(|a| a - et))
            .collect();
        late.sort_unstable();
        let rank = |p: f64| -> Option<f64> {
            if late.is_empty() {
                return None;
            }
            let i = ((p * late.len() as f64).ceil() as usize).clamp(1, late.len()) - 1;
            Some(late[i] as f64 / 1e6)
        };
        let stats = LoadStats {
            file: self.spec.file.clone(),
            format,
            rows: self.rows,
            events: self.events.len() as u64,
            bad_rows: self.bad_rows,
            bad_examples: self.bad_examples,
            join_unmatched: self.join_unmatched,
            filtered_out: self.filtered_out,
            arrival_clamped: self.clamped,
            keys: self.key_names.len() as u64,
            arrival_from: match self.spec.arrival {
                None => ArrivalFrom::Model,
                Some(Arrival::Column(_)) => ArrivalFrom::Column,
                Some(Arrival::Delay { .. }) => ArrivalFrom::Delay,
            },
            lateness_p50_s: rank(0.5),
            lateness_p99_s: rank(0.99),
            lateness_max_s: late.last().map(|&l| l as f64 / 1e6),
            first_event_us: self.events[0].1,
            last_event_us: self.events[self.events.len() - 1].1,
            mean_size_bytes: (self.size_n > 0).then(|| self.size_sum / self.size_n as f64),
        };
        Ok(Loaded {
            spec: self.spec,
            events: Arc::from(self.events),
            key_names: Arc::from(self.key_names),
            stats,
        })
    }
}

fn check_unit(c: &TimeColumn, field: &str) -> Result<(), InputError> {
    if c.unit == TimeUnit::Format && c.format.is_none() {
        return Err(InputError::new(
            format!("{field}.format"),
            "unit \"format\" needs a chrono format string, e.g. \"%Y-%m-%d %H:%M:%S\"",
        ));
    }
    Ok(())
}

fn shown(c: &Cell<'_>) -> String {
    match c {
        Cell::Str(s) => {
            let cut: String = s.chars().take(40).collect();
            format!("'{cut}'")
        }
        c => c
            .text()
            .map(|t| t.into_owned())
            .unwrap_or_else(|| c.kind().into()),
    }
}

/// A cell as an instant, µs since the epoch.
fn instant(cell: &Cell<'_>, col: &TimeColumn, origin: Micros) -> Result<Micros, String> {
    if matches!(cell, Cell::Null) {
        return Err("no time (null or missing)".into());
    }
    let scaled = |per: f64| -> Result<Micros, String> {
        let n = cell
            .number()
            .ok_or_else(|| format!("{} is not a number", shown(cell)))?;
        Ok((n * per).round() as Micros)
    };
    let t = match col.unit {
        TimeUnit::EpochS => scaled(1e6)?,
        TimeUnit::EpochMs => scaled(1e3)?,
        TimeUnit::EpochUs => scaled(1.0)?,
        // Whole seconds: a float32 hour (the flights' `time`) is exact to about 4 ms only.
        TimeUnit::Hours => {
            origin.saturating_add(((scaled(3600e6)? as f64) / 1e6).round() as Micros * 1_000_000)
        }
        TimeUnit::Rfc3339 => {
            let s = cell.text().unwrap_or_default();
            parse_rfc3339(s.trim()).ok_or_else(|| format!("{} is not an RFC 3339 time", shown(cell)))?
        }
        TimeUnit::Clf => {
            let s = cell.text().unwrap_or_default();
            let d = chrono::DateTime::parse_from_str(s.trim(), "%d/%b/%Y:%H:%M:%S %z").map_err(|e| {
                format!(
                    "{} is not a time like 28/Sep/2025:10:00:00 +0000 ({e})",
                    shown(cell)
                )
            })?;
            d.timestamp_micros()
        }
        TimeUnit::Format => {
            let s = cell.text().unwrap_or_default();
            let f = col.format.as_deref().unwrap_or("");
            match chrono::DateTime::parse_from_str(s.trim(), f) {
                Ok(d) => d.timestamp_micros(),
                Err(_) => chrono::NaiveDateTime::parse_from_str(s.trim(), f)
                    .map_err(|e| format!("{} does not match '{f}' ({e})", shown(cell)))?
                    .and_utc()
                    .timestamp_micros(),
            }
        }
    };
    if !(MIN_INSTANT..=MAX_INSTANT).contains(&t) {
        return Err(format!(
            "{} is outside the years 1000–9999 as {:?}",
            shown(cell),
            col.unit
        ));
    }
    Ok(t)
}

fn holds(cell: &Cell<'_>, op: FilterOp, v: &serde_json::Value) -> bool {
    use std::cmp::Ordering;
    if matches!(cell, Cell::Null) {
        return false;
    }
    let ord = match (cell.number(), v.as_f64()) {
        (Some(a), Some(b)) => a.partial_cmp(&b),
        _ => {
            let a = cell.text().unwrap_or_default();
            let b = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some(a.as_ref().cmp(b.as_str()))
        }
    };
    let Some(o) = ord else { return false };
    match op {
        FilterOp::Eq => o == Ordering::Equal,
        FilterOp::Ne => o != Ordering::Equal,
        FilterOp::Gt => o == Ordering::Greater,
        FilterOp::Ge => o != Ordering::Less,
        FilterOp::Lt => o == Ordering::Less,
        FilterOp::Le => o != Ordering::Greater,
    }
}

fn join_key(c: &Cell<'_>, ty: JoinKeyType) -> Option<JoinKey> {
    match ty {
        JoinKeyType::Int => {
            let n = c.number()?;
            (n.fract() == 0.0).then_some(JoinKey::Int(n as i64))
        }
        JoinKeyType::String => c.text().map(|t| JoinKey::Text(t.into_owned())),
    }
}

/// The join's table: key → the wanted columns. A row without the key is skipped; a key
/// seen twice keeps its first row (a dimension table has one row a key).
fn read_table(bytes: &[u8], j: &Join) -> Result<JoinTable, InputError> {
    let field = "workload.data.join";
    if bytes.len() > MAX_JOIN_BYTES {
        return Err(InputError::new(
            format!("{field}.file"),
            format!(
                "'{}' is over {} MiB, too large for a dimension table",
                j.file,
                MAX_JOIN_BYTES >> 20
            ),
        ));
    }
    let mut cols = vec![j.table_key.clone()];
    cols.extend(j.columns.iter().cloned());
    let mut table = BTreeMap::new();
    let mut sink = |_line: u64, row: Result<&[Cell<'_>], String>| {
        if let Ok(cells) = row
            && let Some(k) = join_key(&cells[0], j.key_type)
        {
            let vals = cells[1..]
                .iter()
                .map(|c| c.text().map(|t| t.into_owned()).unwrap_or_default())
                .collect();
            table.entry(k).or_insert(vals);
        }
    };
    super::csv::read(bytes, &cols, &mut sink)
        .map_err(|m| InputError::new(format!("{field}.file"), format!("'{}': {m}", j.file)))?;
    Ok(table)
}
