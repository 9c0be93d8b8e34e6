//! JSON input to typed values, with the path of the field that failed: the one way the
//! core reads a scenario or a data mapping (CLI, page, sweep, lessons alike).
//!
//! serde's own errors give a position (`line 1 column 31`); `serde_path_to_error` adds the
//! path (`workload.keys`, `workload.idle[0].to_s`). Inside an internally tagged enum
//! (`{"kind": "processing_time", "interval_s": …}`) serde buffers the object and the path
//! stops at the enum; [`refine_tagged`] then finds the key the error is about from the
//! error's own words (a missing or unknown field, an unknown `kind`, or the one key whose
//! value is of the type the error names).
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
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let value = parsed.map_err(|e| {
        let mut segments: Vec<String> = Vec::new();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => segments.push(format!("[{index}]")),
                serde_path_to_error::Segment::Map { key }
                | serde_path_to_error::Segment::Enum { variant: key } => segments.push(key.clone()),
                // Where serde buffered the input: the path ends here.
                serde_path_to_error::Segment::Unknown => break,
            }
        }
        let inner = e.into_inner();
        if let Some(key) = refine_tagged(text, &segments, &inner.to_string()) {
            segments.push(key);
        }
        InputError::new(join(prefix, &segments), format!("{what}: {inner}"))
    })?;
    de.end()
        .map_err(|e| InputError::new(prefix, format!("{what}: {e}")))?;
    Ok(value)
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

/// The key inside a tagged object at `segments` that `message` is about, when the path
/// stopped at the object; None when it cannot be told.
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
    if !obj.contains_key("kind") {
        return None;
    }
    let quoted = |pat: &str| {
        let rest = message.split(pat).nth(1)?;
        let name = rest.split('`').next()?;
        Some(name.to_string())
    };
    if message.starts_with("unknown variant") {
        return Some("kind".into());
    }
    if let Some(k) = quoted("missing field `").or_else(|| quoted("unknown field `")) {
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
        ] {
            assert_eq!(field(json), want, "{json}");
        }
    }
}
