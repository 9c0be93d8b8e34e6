//! What a batch writes: the sink's files (by task and partition, as Spark's tasks write
//! them, `storage/sink.rs`), the table format's log and maintenance, and the checkpoint's
//! files — through the cost model, batch by batch.

use super::*;

impl Sim<'_> {
    /// Real rows an output row stands for: a scaled run's row of a row-preserving query (a
    /// select's, a deduplication's kept id) stands for k rows; a group's row for itself
    /// (`scale.rs`).
    pub(super) fn row_weight(&self) -> u64 {
        if crate::scenario::scale::row_preserving(&self.sc.query.operator) {
            self.sc.scale
        } else {
            1
        }
    }

    /// The batch's files: with a sink its data files (and their sizes), always its
    /// checkpoint; all to the cost model.
    pub(super) fn write_files(
        &mut self,
        start: Micros,
        end: Micros,
        out: &crate::operators::operator::BatchOutcome,
    ) {
        let weight = self.row_weight();
        let state_rows = self.query.state_rows() * weight;
        let mut out_state = out.state;
        out_state.updated *= weight;
        out_state.removed *= weight;
        if let Some(c) = self.cols.newest_visible_us.last_mut() {
            *c = self.newest_visible;
        }
        if self.sc.sink.is_none() {
            self.cost
                .batch(start, end, None, out_state.updated, out_state.removed, state_rows);
            return;
        }
        let (files, sizes) = self.files_of(out);
        if let Some(d) = self.cols.data_files.last_mut() {
            *d = files.data_files;
        }
        if let Some(e) = self.cols.empty_files.last_mut() {
            *e = files.empty_files;
        }
        if let Some(b) = self.cols.data_bytes.last_mut() {
            *b = sizes.iter().sum();
        }
        let f = &mut self.sum.files;
        f.data_files += files.data_files;
        f.empty_data_files += files.empty_files;
        f.partition_dirs_max = f.partition_dirs_max.max(files.partition_dirs);
        self.cost.batch(
            start,
            end,
            Some((&sizes, files.empty_files as usize, files.partition_dirs)),
            out.state.updated,
            out.state.removed,
            state_rows,
        );
    }

    /// The sink's part files of a batch's output `out` (rows in `self.rows` for a stateless
    /// query), and their sizes. Needs a sink.
    pub(super) fn files_of(
        &self,
        out: &crate::operators::operator::BatchOutcome,
    ) -> (crate::storage::sink::BatchFiles, Vec<u64>) {
        let sink = self.sc.sink.as_ref().expect("files need a sink");
        let weight = self.row_weight();
        let names = self.sc.workload.key_names.clone();
        let name = |k: u32| match &names {
            Some(n) => n.get(k as usize).cloned().unwrap_or_default(),
            None => format!("k{k}"),
        };
        let p = self.sc.engine.shuffle_partitions;
        let grouping = crate::storage::sink::grouping(&self.sc.query);
        let files = if grouping == crate::storage::sink::Grouping::Source {
            let tasks = self.source_tasks(&name);
            crate::storage::sink::files_by_task_weighted(
                tasks
                    .iter()
                    .zip(&out.output)
                    .map(|(&t, r)| Some((t, crate::storage::sink::key_of(r), weight))),
                sink.partition_by_key,
                sink.max_records_per_file,
            )
        } else {
            // A deduplicated row's k real rows have k ids, hashed to tasks of their own:
            // in a sparse batch spread over `copies` of them (`scale::copies`).
            let copies = crate::scenario::scale::copies(weight, out.output.len() as u64, p);
            crate::storage::sink::files_by_task_weighted(
                out.output.iter().flat_map(|r| {
                    let name = &name;
                    (0..copies).map(move |j| {
                        let row = crate::scenario::scale::copy_of(r, j, weight);
                        crate::storage::sink::task_of(&row, grouping, name, p).map(|t| {
                            (
                                t,
                                crate::storage::sink::key_of(r),
                                crate::scenario::scale::copy_weight(weight, copies, j),
                            )
                        })
                    })
                }),
                sink.partition_by_key,
                sink.max_records_per_file,
            )
        }
        .expect("every output row has a write task");
        let (row_bytes, ratio, footer) = crate::storage::sink::file_model(
            sink,
            &self.sc.query,
            self.key_len,
            f64::from(self.sc.workload.row_bytes),
        );
        let sizes: Vec<u64> = files
            .file_rows
            .iter()
            .map(|&r| crate::storage::sink::file_bytes(r, row_bytes, ratio, footer))
            .collect();
        (files, sizes)
    }

    /// The read task of each row of a stateless batch (its output, in input order): the
    /// Kafka partitions with rows, numbered in partition order; or, for a file source,
    /// Spark's packed splits of the batch's input files.
    pub(super) fn source_tasks(&self, name: &dyn Fn(u32) -> String) -> Vec<u32> {
        let n = self.rows.len() as u64;
        match self.sc.source.file_rows {
            None => {
                let parts = self.sc.source.kafka_partitions;
                // A key's partition, hashed once per batch rather than once per row.
                let mut by_key: rustc_hash::FxHashMap<u32, u32> = rustc_hash::FxHashMap::default();
                let of: Vec<u32> = self
                    .rows
                    .iter()
                    .map(|r| {
                        *by_key.entry(r.key).or_insert_with(|| {
                            crate::storage::sink::kafka_partition(name(r.key).as_bytes(), parts)
                        })
                    })
                    .collect();
                let mut used: Vec<u32> = of.clone();
                used.sort_unstable();
                used.dedup();
                of.iter()
                    .map(|p| used.binary_search(p).expect("a used partition") as u32)
                    .collect()
            }
            Some(per_file) => {
                // Scaled: the input files of the real rows; each thinned row stands for
                // k of them, so a split of `bytes` takes bytes ÷ (row bytes × k) rows.
                let k = self.sc.scale;
                let real = n * k;
                let rb = u64::from(self.sc.workload.row_bytes);
                let mut file_bytes = vec![per_file * rb; (real / per_file) as usize];
                if real % per_file != 0 {
                    file_bytes.push((real % per_file) * rb);
                }
                // spark.sql.files.maxPartitionBytes 128 MiB, openCostInBytes 4 MiB (defaults).
                let splits =
                    crate::storage::sink::file_splits(&file_bytes, 128 << 20, 4 << 20, self.sc.engine.cores);
                let mut tasks = Vec::with_capacity(n as usize);
                for (t, bytes) in splits.iter().enumerate() {
                    tasks.extend(std::iter::repeat_n(t as u32, (bytes / (rb.max(1) * k)) as usize));
                }
                tasks.resize(n as usize, splits.len().saturating_sub(1) as u32);
                tasks
            }
        }
    }
}
