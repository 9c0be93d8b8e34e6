//! JSON input to typed values, with the path of the field that failed: the one way the
//! core reads a scenario or a data mapping (CLI, page, sweep, lessons alike).
//!
//! The text is parsed once into a `serde_json::Value` ([`crate::base::json`]); a syntax error (or
//! a number out of range) comes with the byte where the reader stood, and [`path_at`] walks
//! the document's tokens up to that byte to name the value there (`workload.lateness.s`). The value is then read by the format's own reader
//! ([`crate::base::spec_reader`]), which names every field it refuses.
//!
//! Invariant: every refusal names the deepest field that can be known, or the prefix
//! (`""` for a scenario) when the document as a whole is not JSON.

use crate::base::error::InputError;
use serde_json::Value;

/// JSON text to `T`, an error naming the path of the field that failed (below `prefix`,
/// e.g. `workload.data`), with `what` and the reason. The text is parsed once into a
/// value (a syntax error is placed by [`path_at`]), then read by `T`'s reader
/// ([`crate::base::spec_reader`]), which names the fields it refuses.
pub fn parse_json<T: crate::base::spec_reader::Read>(
    text: &str,
    prefix: &str,
    what: &str,
) -> Result<T, InputError> {
    let value: Value = crate::base::json::parse(text).map_err(|e| {
        // The walk takes the byte the reader stood on (`path_at` reads up to `end`).
        let at = path_at(text, (e.offset + 1).min(text.len()));
        InputError::new(join(prefix, &at), format!("{what}: {e}"))
    })?;
    T::read(crate::base::spec_reader::At {
        value: &value,
        path: prefix,
    })
    .map_err(|e| InputError::new(e.field, format!("{what}: {}", e.message)))
}

/// `T` from JSON text (a test's or a tool's): [`parse_json`] at the top.
pub fn from_str<T: crate::base::spec_reader::Read>(text: &str) -> Result<T, InputError> {
    parse_json(text, "", "not valid for this format")
}

/// One open container on the way to a position.
#[derive(Debug)]
enum Frame {
    /// An object; `key` is the key read last (its value may be pending or done).
    Object { key: Option<String> },
    /// An array; `index` counts the values before the current one.
    Array { index: usize },
}

/// The path of the value at byte `end` of `text`: the document's tokens up to `end` are
/// walked with a stack of open objects and arrays.
fn path_at(text: &str, end: usize) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    // The path of the value that was read last, until another token comes.
    let mut done: Option<Vec<String>> = None;
    let mut i = 0;
    while i < end {
        let b = bytes[i];
        if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
            continue;
        }
        done = None;
        match b {
            b'{' | b'[' => {
                stack.push(if b == b'{' {
                    Frame::Object { key: None }
                } else {
                    Frame::Array { index: 0 }
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                done = Some(segments_of(&stack));
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Object { key }) => *key = None,
                    Some(Frame::Array { index }) => *index += 1,
                    None => {}
                }
                i += 1;
            }
            b':' => i += 1,
            _ => {
                // A string (a key or a value), a number or a literal.
                let next = if b == b'"' {
                    string_end(bytes, i)
                } else {
                    bytes[i..]
                        .iter()
                        .position(|c| matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                        .map_or(bytes.len(), |n| i + n)
                };
                if let Some(Frame::Object { key: key @ None }) = stack.last_mut() {
                    let raw = &text[i..next];
                    *key = Some(match crate::base::json::parse(raw) {
                        Ok(Value::String(k)) => k,
                        _ => raw.trim_matches('"').to_string(),
                    });
                } else if next <= end {
                    done = Some(segments_of(&stack));
                }
                i = next;
            }
        }
    }
    done.unwrap_or_else(|| segments_of(&stack))
}

/// The path of the slot the innermost frame of `stack` is at: each frame's key or index,
/// as far as they are known.
fn segments_of(stack: &[Frame]) -> Vec<String> {
    let mut out = Vec::new();
    for frame in stack {
        match frame {
            Frame::Object { key: Some(k) } => out.push(k.clone()),
            Frame::Object { key: None } => break,
            Frame::Array { index } => out.push(format!("[{index}]")),
        }
    }
    out
}

/// The byte after the JSON string that starts at byte `start` (a `"`), or the text's end.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// `prefix` and the path's segments as one dotted path (`a.b[2].c`).
fn join(prefix: &str, segments: &[String]) -> String {
    let mut path = prefix.to_string();
    for s in segments {
        if !path.is_empty() && !s.starts_with('[') {
            path.push('.');
        }
        path.push_str(s);
    }
    path
}

#[cfg(test)]
mod tests {
    use crate::scenario::spec::ScenarioSpec;

    fn field(json: &str) -> String {
        ScenarioSpec::parse(json).unwrap_err().field
    }

    #[test]
    fn refusals_name_the_deepest_field() {
        for (json, want) in [
            (r#"{"seed": 1, "workload": {"keys": -1}}"#, "workload.keys"),
            (
                r#"{"seed": 1, "workload": {"idle": [{"from_s": 0, "to_s": "x"}]}}"#,
                "workload.idle[0].to_s",
            ),
            (
                r#"{"seed": 1, "trigger": {"kind": "processing_time", "interval_s": "x"}}"#,
                "trigger.interval_s",
            ),
            (
                r#"{"seed": 1, "trigger": {"kind": "scheduled", "every_s": 60, "startup_s": null}}"#,
                "trigger.startup_s",
            ),
            (
                r#"{"seed": 1, "trigger": {"kind": "processing_time"}}"#,
                "trigger.interval_s",
            ),
            (
                r#"{"seed": 1, "trigger": {"kind": "processing_time", "interval_s": 1, "x": 2}}"#,
                "trigger.x",
            ),
            (r#"{"seed": 1, "trigger": {"kind": "hourly"}}"#, "trigger.kind"),
            (
                r#"{"seed": 1, "query": {"window": {"kind": "sliding", "size_s": 60, "slide_s": [1]}}}"#,
                "query.window.slide_s",
            ),
            (
                r#"{"seed": 1, "workload": {"lateness": {"kind": "fixed", "s": -1e999}}}"#,
                "workload.lateness.s",
            ),
            (r#"{"seed": 1, "query": null}"#, "query"),
            ("\"x\"", ""),
            (r#"{"seed": 1} x"#, ""),
            // A tagged member's late error, followed by another member or the end.
            (
                r#"{"seed": 1, "trigger": {"kind": "processing_time", "interval_s": "x"}, "query": {}}"#,
                "trigger.interval_s",
            ),
            (
                "{\n  \"seed\": 1,\n  \"workload\": {\"keys\": -1}\n}\n",
                "workload.keys",
            ),
            (
                "{\"seed\": 1,\n \"workload\": {\"lateness\": {\"kind\": \"fixed\"}}\n}",
                "workload.lateness.s",
            ),
            (
                r#"{"seed": 1, "workload": {"idle": [{"from_s": 0, "to_s": 1}, {"from_s": 0}]}}"#,
                "workload.idle[1].to_s",
            ),
        ] {
            assert_eq!(field(json), want, "{json}");
        }
    }
}
