//! The `workload.data` mapping's types: part of every scenario, so they stay in the core
//! module; the mapping itself (`mapping.rs`) is read by the formats module.

use serde::Serialize;

/// How a time column is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// `2025-09-28T10:00:00Z`, `2025-09-28T10:00:00+09:00`.
    Rfc3339,
    /// The access log's `28/Sep/2025:10:00:00 +0000` (chrono `%d/%b/%Y:%H:%M:%S %z`).
    Clf,
    /// Seconds, milliseconds or microseconds since 1970-01-01T00:00:00Z.
    EpochS,
    EpochMs,
    EpochUs,
    /// Hours after `origin` (a time of day given as a fraction of hours, as in the flights
    /// data), rounded to whole seconds.
    Hours,
    /// A chrono format string in `format` (no zone in it: UTC).
    Format,
}

/// A time column: `{"column": "time", "unit": "epoch_ms"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimeColumn {
    pub column: String,
    pub unit: TimeUnit,
    /// `hours` only: the instant hour 0 is, RFC 3339. Default `2024-01-01T00:00:00Z`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// `format` only: e.g. `%Y-%m-%d %H:%M:%S`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

/// Unit of a delay column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DelayUnit {
    Us,
    Ms,
    S,
    Min,
    H,
}

impl DelayUnit {
    #[cfg(feature = "formats")]
    pub(crate) fn micros(self) -> f64 {
        match self {
            DelayUnit::Us => 1.0,
            DelayUnit::Ms => 1e3,
            DelayUnit::S => 1e6,
            DelayUnit::Min => 60e6,
            DelayUnit::H => 3600e6,
        }
    }
}

/// Where the arrival clock comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum Arrival {
    /// Its own time column (e.g. the earthquakes' `updated`).
    Column(TimeColumn),
    /// Event time + a delay column (e.g. the flights' `delay`, minutes).
    Delay { delay_column: String, unit: DelayUnit },
}

/// A comparison of a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

/// `{"column": "size", "op": "gt", "value": 100}`: numbers compare as numbers when both sides
/// are numbers, otherwise as text. A null cell fails every condition (SQL's `WHERE`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    pub column: String,
    pub op: FilterOp,
    pub value: serde_json::Value,
}

/// How join keys compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinKeyType {
    /// Both sides cast to a whole number (`"200"`, `200` and `200.0` match; the lab's fix).
    Int,
    /// Both sides compared as text, exactly (`"200"` ≠ `"200.0"`).
    String,
}

/// Which rows a join keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinHow {
    /// Every row; an unmatched one gets null table columns (the lab's `left_outer`).
    #[default]
    Left,
    /// Matched rows only.
    Inner,
}

/// A join with a CSV dimension table: rows whose `on` matches the table's `table_key` get
/// the table's `columns`. Unmatched rows are counted (and dropped by an inner join).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Join {
    /// The table's file (CSV with a header), found like `file`.
    pub file: String,
    /// The data's column.
    pub on: String,
    /// The table's key column.
    pub table_key: String,
    /// The table's columns added to the row (usable as key, value or filter columns).
    pub columns: Vec<String>,
    pub key_type: JoinKeyType,
    #[serde(default)]
    pub how: JoinHow,
}

crate::read_names!(TimeUnit {
    "rfc3339" => Rfc3339, "clf" => Clf, "epoch_s" => EpochS, "epoch_ms" => EpochMs,
    "epoch_us" => EpochUs, "hours" => Hours, "format" => Format,
});
crate::read_struct!(TimeColumn {
    column: req,
    unit: req,
    origin: opt,
    format: opt
});
crate::read_names!(DelayUnit { "us" => Us, "ms" => Ms, "s" => S, "min" => Min, "h" => H });
crate::read_names!(FilterOp { "eq" => Eq, "ne" => Ne, "gt" => Gt, "ge" => Ge, "lt" => Lt, "le" => Le });
crate::read_struct!(Filter {
    column: req,
    op: req,
    value: req
});
crate::read_names!(JoinKeyType { "int" => Int, "string" => String });
crate::read_names!(JoinHow { "left" => Left, "inner" => Inner });
crate::read_struct!(Join {
    file: req,
    on: req,
    table_key: req,
    columns: req,
    key_type: req,
    how: opt
});

/// An arrival is a time column (`{"column", "unit", …}`) or a delay column
/// (`{"delay_column", "unit"}`), told apart by `delay_column`.
impl crate::base::spec_reader::Read for Arrival {
    fn read(at: crate::base::spec_reader::At) -> Result<Self, crate::base::error::InputError> {
        if at.value.get("delay_column").is_some() {
            let o = crate::base::spec_reader::Obj::of(at, "struct Arrival", &["delay_column", "unit"])?;
            Ok(Arrival::Delay {
                delay_column: o.req("delay_column")?,
                unit: o.req("unit")?,
            })
        } else {
            TimeColumn::read(at).map(Arrival::Column)
        }
    }
}
