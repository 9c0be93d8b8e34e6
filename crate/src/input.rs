//! JSON input to typed values, with the path of the field that failed: the one way the
//! core reads a scenario or a data mapping (CLI, page, sweep, lessons alike).
//!
//! serde's own errors give a position (`line 1 column 31`): the byte where the parser
//! stood when the value it was reading proved wrong. [`path_at`] walks the document's
//! tokens up to that byte and names the value there (`workload.keys`,
//! `workload.idle[0].to_s`): the key just read (an unknown field), the value being read or
//! just read (a wrong type or value), or the object just closed (a missing field). Inside an
//! internally tagged enum (`{"kind": "processing_time", "interval_s": …}`) serde buffers
//! the whole object first, so its errors stand at the object's end and the path names the
//! object; [`refine_tagged`] then finds the key the error is about from the error's own
//! words (a missing or unknown field, an unknown `kind`, or the one key whose value is of
//! the type the error names).
//!
//! One pass of serde over the text, no tracking wrapper: a wrapper such as
//! `serde_path_to_error` instantiates every type's deserializer once more, which was a
//! quarter of the page's wasm (#15); the walk runs only on the error path.
//!
//! Invariant: every refusal names the deepest field that can be known, or the prefix
//! (`""` for a scenario) when the document as a whole is not JSON.

use crate::error::InputError;
use serde_json::Value;

/// JSON text to `T`, an error naming the path of the field that failed (below `prefix`,
/// e.g. `workload.data`), with `what` and serde's reason.
pub fn parse_json<T: serde::de::DeserializeOwned>(
    text: &str,
    prefix: &str,
    what: &str,
) -> Result<T, InputError> {
    serde_json::from_str::<T>(text).map_err(|e| {
        let at = path_at(text, offset_of(text, e.line(), e.column()));
        let mut segments = match at.closed {
            // Right after a container closed: serde_json stamps an error with the position
            // it has when the error leaves its innermost frame, and that frame eats its
            // closing bracket first. So the error is the container's (a missing field) or
            // came late from its last member (a tagged enum, checked after buffering).
            // Probe: with one more member after the last, the last member's error stops at
            // the added comma; the container's own error does not.
            Some(Closed {
                bracket,
                last: Some(last),
            }) => {
                let probe = if text.as_bytes()[bracket] == b'}' {
                    r#","\u0000probe":0"#
                } else {
                    ",0"
                };
                let probed = format!("{}{probe}{}", &text[..bracket], &text[bracket..]);
                match serde_json::from_str::<T>(&probed) {
                    Err(p) if offset_of(&probed, p.line(), p.column()) <= bracket => last,
                    _ => at.segments,
                }
            }
            _ => at.segments,
        };
        let message = e.to_string();
        if let Some(key) = refine_tagged(text, &segments, &message) {
            segments.push(key);
        }
        InputError::new(join(prefix, &segments), format!("{what}: {message}"))
    })
}

/// The byte offset of serde_json's error position `line`:`column` (1-based line; column =
/// bytes into the line) in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text.as_bytes()[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    (start + column).min(text.len())
}

/// One open container on the way to a position.
#[derive(Debug)]
enum Frame {
    /// An object; `key` is the key read last (its value may be pending or done).
    Object { key: Option<String> },
    /// An array; `index` counts the values begun before the current one; `any` whether
    /// one has begun.
    Array { index: usize, any: bool },
}

/// A container that closed right before the position.
#[derive(Debug)]
struct Closed {
    /// Its closing bracket's byte.
    bracket: usize,
    /// Its last member's path, when it has members.
    last: Option<Vec<String>>,
}

/// What [`path_at`] finds at a position.
#[derive(Debug)]
struct At {
    /// The path of the value there: the key just read, the value being read or just
    /// read, the container just closed, or the open container.
    segments: Vec<String>,
    /// Set when that value is a container that closed right before the position.
    closed: Option<Closed>,
}

/// The path of the value at byte `end` of `text`: the document's tokens up to `end` are
/// walked with a stack of open objects and arrays.
fn path_at(text: &str, end: usize) -> At {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    // The value that was read last, until another token comes.
    let mut done: Option<At> = None;
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
                begin_value(&mut stack);
                stack.push(if b == b'{' {
                    Frame::Object { key: None }
                } else {
                    Frame::Array { index: 0, any: false }
                });
                i += 1;
            }
            b'}' | b']' => {
                let last = match stack.last() {
                    Some(Frame::Object { key: Some(_) } | Frame::Array { any: true, .. }) => {
                        Some(segments_of(&stack, stack.len()))
                    }
                    _ => None,
                };
                stack.pop();
                done = Some(At {
                    segments: segments_of(&stack, stack.len()),
                    closed: Some(Closed { bracket: i, last }),
                });
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Object { key }) => *key = None,
                    Some(Frame::Array { index, .. }) => *index += 1,
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
                    *key = Some(
                        serde_json::from_str::<String>(raw)
                            .unwrap_or_else(|_| raw.trim_matches('"').to_string()),
                    );
                } else {
                    begin_value(&mut stack);
                    if next <= end {
                        done = Some(At {
                            segments: segments_of(&stack, stack.len()),
                            closed: None,
                        });
                    }
                }
                i = next;
            }
        }
    }
    done.unwrap_or_else(|| At {
        segments: segments_of(&stack, stack.len()),
        closed: None,
    })
}

/// Marks that a value begins in the innermost array, if that is where it is.
fn begin_value(stack: &mut [Frame]) {
    if let Some(Frame::Array { any, .. }) = stack.last_mut() {
        *any = true;
    }
}

/// The path of the slot the innermost of `stack`'s first `depth` frames is at: each
/// frame's key or index, as far as they are known.
fn segments_of(stack: &[Frame], depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    for frame in &stack[..depth] {
        match frame {
            Frame::Object { key: Some(k) } => out.push(k.clone()),
            Frame::Object { key: None } => break,
            Frame::Array { index, .. } => out.push(format!("[{index}]")),
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

/// The key inside the object at `segments` that `message` is about, when the path stopped
/// at the object: a missing field (any object), or in a tagged object (serde buffered it)
/// an unknown field, an unknown `kind` or a value of the wrong type; None when it cannot
/// be told.
fn refine_tagged(text: &str, segments: &[String], message: &str) -> Option<String> {
    let doc: Value = serde_json::from_str(text).ok()?;
    let mut node = &doc;
    for s in segments {
        node = match s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            Some(i) => node.get(i.parse::<usize>().ok()?)?,
            None => node.get(s)?,
        };
    }
    let obj = node.as_object()?;
    let quoted = |pat: &str| {
        let rest = message.split(pat).nth(1)?;
        let name = rest.split('`').next()?;
        Some(name.to_string())
    };
    if let Some(k) = quoted("missing field `").filter(|k| !obj.contains_key(k)) {
        return Some(k);
    }
    if !obj.contains_key("kind") {
        return None;
    }
    if message.starts_with("unknown variant") {
        return Some("kind".into());
    }
    if let Some(k) = quoted("unknown field `").filter(|k| obj.contains_key(k)) {
        return Some(k);
    }
    // "invalid type: string \"x\", expected f64" / "invalid value: integer `-1`, …":
    // the one key (besides kind) whose value is of that kind.
    let what = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))?;
    let matches = |v: &Value| match v {
        Value::Null => what.starts_with("null"),
        Value::Bool(_) => what.starts_with("boolean"),
        Value::Number(n) => {
            (what.starts_with("integer") || what.starts_with("floating point"))
                && what.contains(&n.to_string())
        }
        Value::String(s) => what.starts_with("string") && what.contains(&format!("{s:?}")),
        Value::Array(_) => what.starts_with("sequence"),
        Value::Object(_) => what.starts_with("map"),
    };
    let mut keys = obj
        .iter()
        .filter(|(k, v)| *k != "kind" && matches(v))
        .map(|(k, _)| k);
    let first = keys.next()?;
    keys.next().is_none().then(|| first.clone())
}

#[cfg(test)]
mod tests {
    use crate::scenario::ScenarioSpec;

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
