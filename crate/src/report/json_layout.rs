//! The layout of `pipeline-sim run`'s JSON report: indented like `serde_json`'s pretty printer, except that an array
//! of plain values (numbers, strings, booleans, nulls) stays on one line.
//!
//! Why: a report's event columns are arrays of ~10⁵ numbers. Printed one number a line, a
//! 10 M-event run's report was 20.4 MB, mostly indentation and newlines, and writing it was
//! a tenth of the run (perf, issue #13's scenario); on one line each it is 12.7 MB, and a
//! column reads as a row. Objects, and arrays of objects or arrays, are laid out as before.
//!
//! Rule: an array takes its layout from its first element. Reports have no arrays that
//! mix plain and compound elements; if one did, it would still be valid JSON, only laid
//! out on the first element's terms. The text parses to the same value as the pretty
//! printer's (tested below).

use serde_json::ser::{CompactFormatter, Formatter};
use std::io::{self, Write};

/// A [`Formatter`] for `serde_json::Serializer::with_formatter`.
#[derive(Debug, Default)]
pub struct Layout {
    indent: usize,
    /// Whether the innermost container written a value yet (as the pretty printer's).
    has_value: bool,
    /// Per open array, innermost last: its layout once its first element chose one (true:
    /// one line).
    arrays: Vec<Option<bool>>,
    /// An array element is about to start; `Some(first)` until it does.
    pending: Option<bool>,
}

/// Serializes `value` to `out` in the [`Layout`].
pub fn to_writer<W: Write, T: serde::Serialize + ?Sized>(out: W, value: &T) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, Layout::default());
    value.serialize(&mut ser)
}

fn newline_indent<W: ?Sized + Write>(w: &mut W, indent: usize) -> io::Result<()> {
    w.write_all(b"\n")?;
    for _ in 0..indent {
        w.write_all(b"  ")?;
    }
    Ok(())
}

impl Layout {
    /// Writes what goes before an array element, once its kind is known.
    #[inline(always)]
    fn value_start<W: ?Sized + Write>(&mut self, w: &mut W, plain: bool) -> io::Result<()> {
        let Some(first) = self.pending.take() else {
            return Ok(());
        };
        let layout = self
            .arrays
            .last_mut()
            .expect("an element is pending only inside an array");
        if *layout.get_or_insert(plain) {
            if !first {
                w.write_all(b", ")?;
            }
            Ok(())
        } else {
            if !first {
                w.write_all(b",")?;
            }
            newline_indent(w, self.indent)
        }
    }
}

/// Scalar writers: the element's separator, then the compact formatter's text.
macro_rules! plain {
    ($($name:ident($t:ty)),* $(,)?) => {$(
        #[inline]
        fn $name<W: ?Sized + Write>(&mut self, w: &mut W, v: $t) -> io::Result<()> {
            self.value_start(w, true)?;
            CompactFormatter.$name(w, v)
        }
    )*};
}

impl Formatter for Layout {
    plain!(
        write_bool(bool),
        write_i8(i8),
        write_i16(i16),
        write_i32(i32),
        write_i64(i64),
        write_i128(i128),
        write_u8(u8),
        write_u16(u16),
        write_u32(u32),
        write_u64(u64),
        write_u128(u128),
        write_f32(f32),
        write_f64(f64),
        write_number_str(&str),
        write_raw_fragment(&str),
    );

    #[inline]
    fn write_null<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.value_start(w, true)?;
        w.write_all(b"null")
    }

    #[inline]
    fn begin_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.value_start(w, true)?;
        w.write_all(b"\"")
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.value_start(w, false)?;
        self.indent += 1;
        self.has_value = false;
        self.arrays.push(None);
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.indent -= 1;
        let one_line = self.arrays.pop().expect("arrays end as they begin");
        if self.has_value && one_line == Some(false) {
            newline_indent(w, self.indent)?;
        }
        w.write_all(b"]")
    }

    #[inline]
    fn begin_array_value<W: ?Sized + Write>(&mut self, _: &mut W, first: bool) -> io::Result<()> {
        self.pending = Some(first);
        Ok(())
    }

    #[inline]
    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.value_start(w, false)?;
        self.indent += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.indent -= 1;
        if self.has_value {
            newline_indent(w, self.indent)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        newline_indent(w, self.indent)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn text(v: &Value) -> String {
        let mut out = Vec::new();
        to_writer(&mut out, v).expect("writing to a Vec");
        String::from_utf8(out).expect("JSON is UTF-8")
    }

    #[test]
    fn plain_arrays_on_one_line_the_rest_indented() {
        let v = json!({"a": [1, 2, 3], "b": [{"x": 1}, {"y": [true, null, "s"]}], "c": [], "d": {}, "e": [[1], []]});
        assert_eq!(
            text(&v),
            "{\n  \"a\": [1, 2, 3],\n  \"b\": [\n    {\n      \"x\": 1\n    },\n    {\n      \"y\": [true, null, \"s\"]\n    }\n  ],\n  \"c\": [],\n  \"d\": {},\n  \"e\": [\n    [1],\n    []\n  ]\n}"
        );
    }

    /// Random nested values: the layout parses back to the same value, as the pretty
    /// printer's text does.
    #[test]
    fn parses_to_the_same_value_as_the_pretty_printer() {
        use rand_core::{RngCore, SeedableRng};
        let mut rng = crate::workload::sampler::SimRng::seed_from_u64(5);
        fn random(rng: &mut crate::workload::sampler::SimRng, depth: u32) -> Value {
            let pick = rng.next_u64() % if depth == 0 { 5 } else { 7 };
            match pick {
                0 => Value::Null,
                1 => json!(rng.next_u64() % 2 == 0),
                2 => json!(rng.next_u64() as i64),
                3 => json!((rng.next_u64() % 1000) as f64 / 7.0),
                4 => json!(format!("s{}\"\n", rng.next_u64() % 10)),
                5 => Value::Array((0..rng.next_u64() % 4).map(|_| random(rng, depth - 1)).collect()),
                _ => Value::Object(
                    (0..rng.next_u64() % 4)
                        .map(|i| (format!("k{i}"), random(rng, depth - 1)))
                        .collect(),
                ),
            }
        }
        for _ in 0..500 {
            let v = random(&mut rng, 4);
            // (Compared with the pretty text parsed, not with `v`: serde_json's parse of a
            // float is not always the nearest, on either text alike.)
            let ours: Value = serde_json::from_str(&text(&v)).expect("the layout is JSON");
            let pretty: Value =
                serde_json::from_str(&serde_json::to_string_pretty(&v).expect("pretty")).expect("JSON");
            assert_eq!(ours, pretty);
        }
    }
}
