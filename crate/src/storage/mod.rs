//! Layer 4, storage: what lands on object storage and what reads it back: the sink's files
//! and commit log, table formats (Delta, Iceberg), the checkpoint (the RocksDB state
//! store's files in it apart), the object store's requests and bytes, downstream readers
//! and the message broker the source reads.

pub mod broker;
pub mod checkpoint;
pub mod flink_checkpoint;
pub mod object_store;
pub mod reader;
pub mod rerun;
pub mod rocksdb_checkpoint;
pub mod sink;
pub mod table_format;
