//! The streaming query and the Spark settings that change its semantics.

use crate::error::{InputError, non_negative};
use crate::time::{Micros, secs_to_micros};
use crate::window::{WindowSpec, Windowing};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OutputMode {
    #[default]
    Append,
    Update,
    Complete,
}

/// `withWatermark("event_time", delay)` + `groupBy(window(...), key).count()`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuerySpec {
    pub window: WindowSpec,
    /// Watermark delay in seconds; `null` = no `withWatermark`. Default 60 s.
    pub watermark_delay_s: Option<f64>,
    pub output_mode: OutputMode,
}

impl Default for QuerySpec {
    fn default() -> Self {
        Self {
            window: WindowSpec::default(),
            watermark_delay_s: Some(60.0),
            output_mode: OutputMode::Append,
        }
    }
}

/// A validated query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    pub windowing: Windowing,
    pub watermark_delay: Option<Micros>,
    pub output_mode: OutputMode,
}

impl QuerySpec {
    pub fn validate(&self, field: &str) -> Result<Query, InputError> {
        let windowing = self.window.validate(&format!("{field}.window"))?;
        let watermark_delay = match self.watermark_delay_s {
            None => None,
            Some(d) => Some(secs_to_micros(non_negative(
                &format!("{field}.watermark_delay_s"),
                d,
            )?)),
        };
        if self.output_mode == OutputMode::Append && watermark_delay.is_none() {
            // Spark: "Append output mode not supported when there are streaming
            // aggregations on streaming DataFrames/DataSets without watermark".
            return Err(InputError::new(
                format!("{field}.output_mode"),
                "append mode needs a watermark for a windowed aggregation (Spark refuses it): \
                 set watermark_delay_s, or use update or complete mode",
            ));
        }
        Ok(Query {
            windowing,
            watermark_delay,
            output_mode: self.output_mode,
        })
    }
}

/// Spark SQL settings that change what a query does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EngineConf {
    /// `spark.sql.shuffle.partitions`; Spark's default is 200.
    pub shuffle_partitions: u32,
    /// `spark.sql.streaming.noDataMicroBatches.enabled`; default true.
    pub no_data_micro_batches: bool,
    /// `spark.sql.streaming.statefulOperator.allowMultiple`; default true.
    pub allow_multiple: bool,
}

impl Default for EngineConf {
    fn default() -> Self {
        Self {
            shuffle_partitions: 200,
            no_data_micro_batches: true,
            allow_multiple: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_without_watermark_is_refused() {
        let q = QuerySpec {
            watermark_delay_s: None,
            ..QuerySpec::default()
        };
        let e = q.validate("query").unwrap_err();
        assert_eq!(e.field, "query.output_mode");
        let q = QuerySpec {
            watermark_delay_s: None,
            output_mode: OutputMode::Update,
            ..QuerySpec::default()
        };
        assert!(q.validate("query").is_ok());
    }
}
