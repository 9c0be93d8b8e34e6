#!/usr/bin/env python3
"""Writes the small Arrow IPC base files of the loader's regression corpus.

    .tools/py/bin/python tests/fuzz/make_arrow_corpus.py   (pyarrow; .ci/setup.sh browser makes the venv)

Into tests/fuzz/corpus/arrow/:
  base-stream.arrows   `t` int64, `b` bool, one row, stream format (the fuzzed file of the issue)
  base-file.arrow      the same, file format (`ARROW1` … footer … `ARROW1`)
  types-stream.arrows  every type the loader reads, in two record batches (2 rows, 1 row) with nulls
  types-file.arrow     the same, file format
  skip-stream.arrows   `t` int64, then nested (struct with a string_view, list, large_list,
                       fixed_size_list, map, list_view) and dictionary columns the loader does not
                       read but must step over, then `tail` int32; one batch of 3 rows
  skip-file.arrow      the same, file format
  skip2-*.arrow(s)     the same with decimal, binary, binary_view, sparse and dense union and
                       run-end encoded columns
  compressed-stream.arrows  base-stream's batch with an lz4 body (refused: not read)
The Rust test crate/src/workload/loader/arrow_tests.rs mutates each (every aligned 32-bit word set to
0xffffffff, 0x7fffffff, 0, 65, 255, 0x80000000; every truncation) and loads it: never a
panic, never more rows than the file justifies.

regress-*.arrow are not written by this script: they are mutants of these files (word at byte
N of base B set to W) and one CSV, kept as found, on which the arrow-rs reader the loader used
before panicked, over-allocated or, in wasm32, read garbage (symptoms of its release build):
  immutable-287         base-stream @264=ffffffff  panic arrow-buffer immutable.rs:287 (slice offset)
  boolean-128           base-stream @344=ffffffff  panic arrow-buffer boolean.rs:128 (buffer not large enough)
  int-width-65          base-stream @168=00000041  panic arrow-ipc convert.rs:332 (Int bit width 65)
  type-255              base-stream @68=ffffffff   panic arrow-ipc convert.rs:514 (Type <UNKNOWN 255>)
  layout-error          base-stream @220=ffffffff  panic arrow-buffer mutable.rs:168 (LayoutError)
  convert-198-unwrap    base-stream @32=00000000   panic arrow-ipc convert.rs:198 (unwrap on None)
  alloc-4294967295      base-stream @216=ffffffff  4.2 GB resident; abort "memory allocation of 4294967295 bytes failed" under ulimit -v 1 GiB
  first-word-7fffffff   base-stream @0=7fffffff    2.1 GB resident before a clean error; abort under ulimit; wasm32 trap
  reader-1251-unwrap    base-file @408=00000000    panic arrow-ipc reader.rs:1251 (unwrap on None)
  reader-271-index      types-stream @772=ffffffff panic arrow-ipc reader.rs:271 (index out of bounds)
  variadic-617          types-stream @764=00000041 panic arrow-ipc reader.rs:617 (variadic_counts.is_empty())
  reader-895-unwrap     skip-stream @996=00000000  panic arrow-ipc reader.rs:895 (unwrap on None)
  unaligned-190         skip2-stream @1160=00000041 panic arrow-buffer scalar.rs:190 (pointer not aligned)
  462mb                 skip-stream @1000=00000041 462 MB resident before a clean error
  csv-31                a 31-byte CSV              1.6 GB resident before a clean error; abort under ulimit
  wasm-garbage-buffer-offset  base-stream @268=00000041  native panic; wasm32: loads 1 row
  wasm-garbage-node-length    base-stream @252=00000041  native error; wasm32: loads 1 row
  wasm-garbage-body-length    base-stream @220=00000041  native abort (279 GB allocation); wasm32: loads 1 row
"""
import datetime
import os
import sys

import pyarrow as pa
import pyarrow.ipc as ipc

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "arrow")


def write(name, schema, batches, file_format, options=None):
    sink = pa.BufferOutputStream()
    new = ipc.new_file if file_format else ipc.new_stream
    w = new(sink, schema, options=options)
    for b in batches:
        w.write_batch(b)
    w.close()
    data = sink.getvalue().to_pybytes()
    assert len(data) < 4096, (name, len(data))
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")


def small():
    schema = pa.schema([("t", pa.int64()), ("b", pa.bool_())])
    batch = pa.record_batch([pa.array([1704067200000000]), pa.array([True])], schema=schema)
    return schema, [batch]


def types():
    ts = datetime.datetime(2024, 1, 1, 0, 0, 30)
    cols = {
        "t": pa.array([1, None, -3], pa.int64()),
        "i8": pa.array([-8, 7, None], pa.int8()),
        "u64": pa.array([2**64 - 1, 5, None], pa.uint64()),
        "h": pa.array([1.5, None, -0.25], pa.float16()),
        "f": pa.array([0.1, 2.5, None], pa.float32()),
        "s": pa.array(["AA", None, "é"], pa.utf8()),
        "ls": pa.array(["x", "yy", None], pa.large_utf8()),
        "sv": pa.array(["short", "a string longer than twelve", None], pa.string_view()),
        "ts": pa.array([ts, None, ts], pa.timestamp("ns", tz="UTC")),
        "tss": pa.array([ts, ts, None], pa.timestamp("s")),
        "d32": pa.array([datetime.date(2024, 1, 2), None, datetime.date(1969, 12, 31)], pa.date32()),
        "d64": pa.array([datetime.date(2024, 1, 2), None, datetime.date(2024, 1, 3)], pa.date64()),
        "n": pa.nulls(3),
    }
    skipped = {
        "t": pa.array([1, None, -3], pa.int64()),
        "st": pa.array([{"a": 1, "b": "p"}, None, {"a": 3, "b": None}],
                       pa.struct([("a", pa.int32()), ("b", pa.string_view())])),
        "l": pa.array([[1, 2], None, []], pa.list_(pa.int64())),
        "ll": pa.array([["q"], [], None], pa.large_list(pa.utf8())),
        "fl": pa.array([[1, 2], [3, 4], None], pa.list_(pa.int16(), 2)),
        "m": pa.array([[("k", 1)], None, []], pa.map_(pa.utf8(), pa.int32())),
        "dict": pa.array(["u", None, "u"]).dictionary_encode(),
        "lv": pa.array([[1], None, [2, 3]], pa.list_view(pa.int8())),
        "tail": pa.array([10, 20, 30], pa.int32()),
    }
    skipped_b = {
        "t": pa.array([1, None, -3], pa.int64()),
        "dec": pa.array([1, 2, None], pa.decimal128(10, 2)),
        "bin": pa.array([b"\x00\xff", None, b""], pa.binary()),
        "bv": pa.array([b"\xff" * 20, None, b"z"], pa.binary_view()),
        "su": pa.UnionArray.from_sparse(pa.array([0, 1, 0], pa.int8()),
                                         [pa.array([1, 2, 3]), pa.array(["a", "b", "c"])]),
        "du": pa.UnionArray.from_dense(pa.array([0, 1, 0], pa.int8()), pa.array([0, 0, 1], pa.int32()),
                                        [pa.array([1.0, 2.0]), pa.array(["z"])]),
        "ree": pa.RunEndEncodedArray.from_arrays(pa.array([2, 3], pa.int32()), pa.array(["r", None])),
        "tail": pa.array([10, 20, 30], pa.int32()),
    }
    batch = pa.record_batch(list(cols.values()), names=list(cols.keys()))
    out = [(batch.schema, [batch.slice(0, 2), batch.slice(2, 1)])]
    for c in (skipped, skipped_b):
        b = pa.record_batch(list(c.values()), names=list(c.keys()))
        out.append((b.schema, [b]))
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    print("pyarrow", pa.__version__, file=sys.stderr)
    schema, batches = small()
    write("base-stream.arrows", schema, batches, False)
    write("base-file.arrow", schema, batches, True)
    # Body compression is refused with a clean error.
    write("compressed-stream.arrows", schema, batches, False, ipc.IpcWriteOptions(compression="lz4"))
    for name, (schema, batches) in zip(("types", "skip", "skip2"), types()):
        write(f"{name}-stream.arrows", schema, batches, False)
        write(f"{name}-file.arrow", schema, batches, True)


if __name__ == "__main__":
    main()
