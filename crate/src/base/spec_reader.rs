//! The scenario format read from parsed JSON by hand, with the path of every value.
//!
//! serde's derived deserializers for the ~45 types of the format were a third of the page's
//! core wasm (271 KB of ~830 KB of code, #15): each type's visitor, instantiated for the
//! JSON reader and again for serde's buffered content inside tagged enums. Here the text is
//! parsed once into a [`serde_json::Value`] and each type reads its value with a few
//! non-generic helpers; a type's reader is one macro line beside the type
//! ([`read_defaults!`], [`read_tagged!`], [`read_names!`]).
//!
//! Rules (the format's, as serde's derive gave them):
//! - an object's unknown key is refused (`deny_unknown_fields`), naming the key;
//! - a struct read "with defaults" starts from its `Default` and takes the keys present;
//! - a tagged enum is an object whose `kind` names the variant; its other keys are the
//!   variant's fields;
//! - a unit enum is a string naming the variant (`snake_case`);
//! - `null` is `None` for an `Option`, and a wrong type elsewhere;
//! - integers must be whole and in range; a float field takes integers too.
//!
//! Invariant: every refusal names the deepest field there is (`workload.idle[1].to_s`), and
//! reading never panics.

use crate::base::error::InputError;
use serde_json::{Map, Value};

/// A value and its path in the document (`workload.lateness`; `""` for the document).
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    pub value: &'a Value,
    pub path: &'a str,
}

/// A type of the scenario format, read from its JSON value.
pub trait Read: Sized {
    fn read(at: At) -> Result<Self, InputError>;
}

/// `path.key` (or `key` at the top).
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// What a value is, in serde's words (`string "x"`, `integer `-1``), for messages.
fn what(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

/// The refusal of a value of the wrong type: `invalid type: string "x", expected f64`.
pub fn wrong(at: At, expected: &str) -> InputError {
    InputError::new(
        at.path,
        format!("invalid type: {}, expected {expected}", what(at.value)),
    )
}

impl Read for f64 {
    fn read(at: At) -> Result<Self, InputError> {
        at.value.as_f64().ok_or_else(|| wrong(at, "f64"))
    }
}

impl Read for bool {
    fn read(at: At) -> Result<Self, InputError> {
        at.value.as_bool().ok_or_else(|| wrong(at, "a boolean"))
    }
}

impl Read for String {
    fn read(at: At) -> Result<Self, InputError> {
        at.value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| wrong(at, "a string"))
    }
}

/// A whole number in `[0, max]`, named `ty` in messages.
fn unsigned(at: At, ty: &str, max: u64) -> Result<u64, InputError> {
    match at.value {
        Value::Number(n) => match n.as_u64() {
            Some(v) if v <= max => Ok(v),
            _ if n.is_f64() => Err(wrong(at, ty)),
            _ => Err(InputError::new(
                at.path,
                format!("invalid value: {}, expected {ty}", what(at.value)),
            )),
        },
        _ => Err(wrong(at, ty)),
    }
}

impl Read for u64 {
    fn read(at: At) -> Result<Self, InputError> {
        unsigned(at, "u64", u64::MAX)
    }
}

impl Read for u32 {
    fn read(at: At) -> Result<Self, InputError> {
        unsigned(at, "u32", u64::from(u32::MAX)).map(|v| v as u32)
    }
}

impl Read for i64 {
    fn read(at: At) -> Result<Self, InputError> {
        match at.value {
            Value::Number(n) if !n.is_f64() => n.as_i64().ok_or_else(|| {
                InputError::new(
                    at.path,
                    format!("invalid value: {}, expected i64", what(at.value)),
                )
            }),
            _ => Err(wrong(at, "i64")),
        }
    }
}

impl Read for Value {
    fn read(at: At) -> Result<Self, InputError> {
        Ok(at.value.clone())
    }
}

impl<T: Read> Read for Option<T> {
    fn read(at: At) -> Result<Self, InputError> {
        match at.value {
            Value::Null => Ok(None),
            _ => T::read(at).map(Some),
        }
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(at: At) -> Result<Self, InputError> {
        let items = at.value.as_array().ok_or_else(|| wrong(at, "a sequence"))?;
        items
            .iter()
            .enumerate()
            .map(|(i, value)| {
                let path = format!("{}[{i}]", at.path);
                T::read(At { value, path: &path })
            })
            .collect()
    }
}

/// An object being read: its keys, its path.
#[derive(Debug)]
pub struct Obj<'a> {
    pub map: &'a Map<String, Value>,
    pub path: &'a str,
}

impl<'a> Obj<'a> {
    /// The object at `at`, refused as `expected` (`struct TriggerSpec`) otherwise; `known`
    /// are its keys, the first other key is refused.
    pub fn of(at: At<'a>, expected: &str, known: &[&str]) -> Result<Self, InputError> {
        let map = at.value.as_object().ok_or_else(|| wrong(at, expected))?;
        if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
            let list = known
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(InputError::new(
                join(at.path, k),
                format!("unknown field `{k}`, expected one of {list}"),
            ));
        }
        Ok(Self { map, path: at.path })
    }

    /// Reads `key` into `into` when present (else leaves the default).
    pub fn get<T: Read>(&self, key: &str, into: &mut T) -> Result<(), InputError> {
        if let Some(value) = self.map.get(key) {
            let path = join(self.path, key);
            *into = T::read(At { value, path: &path })?;
        }
        Ok(())
    }

    /// Reads `key`, which must be there.
    pub fn req<T: Read>(&self, key: &str) -> Result<T, InputError> {
        let value = self
            .map
            .get(key)
            .ok_or_else(|| InputError::new(join(self.path, key), format!("missing field `{key}`")))?;
        let path = join(self.path, key);
        T::read(At { value, path: &path })
    }

    /// Reads `key` when present, else `T::default()`.
    pub fn opt<T: Read + Default>(&self, key: &str) -> Result<T, InputError> {
        let mut v = T::default();
        self.get(key, &mut v)?;
        Ok(v)
    }
}

/// The variant a unit enum's string names, among `names` (`snake_case`).
pub fn name_of<T: Copy>(at: At, names: &[(&str, T)]) -> Result<T, InputError> {
    let s = at.value.as_str().ok_or_else(|| wrong(at, "a string"))?;
    names
        .iter()
        .find(|(n, _)| *n == s)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let list = names
                .iter()
                .map(|(n, _)| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            InputError::new(at.path, format!("unknown variant `{s}`, expected one of {list}"))
        })
}

/// A tagged object's `kind`, among `kinds`; refused at `path.kind`.
pub fn kind_of(at: At, expected: &str, kinds: &[&'static str]) -> Result<&'static str, InputError> {
    let map = at.value.as_object().ok_or_else(|| wrong(at, expected))?;
    let path = join(at.path, "kind");
    let kind = map
        .get("kind")
        .ok_or_else(|| InputError::new(path.clone(), "missing field `kind`"))?;
    let s = kind.as_str().ok_or_else(|| {
        wrong(
            At {
                value: kind,
                path: &path,
            },
            "a string",
        )
    })?;
    kinds.iter().find(|k| **k == s).copied().ok_or_else(|| {
        let list = kinds
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        InputError::new(path, format!("unknown variant `{s}`, expected one of {list}"))
    })
}

/// A struct of the format read with defaults: `Default`, then each key present.
/// `read_defaults!(SourceSpec { max_rows_per_trigger, kafka_partitions, file_rows });`
#[macro_export]
macro_rules! read_defaults {
    ($ty:ty { $($field:ident),* $(,)? }) => {
        impl $crate::base::spec_reader::Read for $ty {
            fn read(at: $crate::base::spec_reader::At) -> Result<Self, $crate::base::error::InputError> {
                let o = $crate::read_struct!(@object at, $ty, $($field),*);
                let mut s = <$ty as Default>::default();
                $( o.get(stringify!($field), &mut s.$field)?; )*
                Ok(s)
            }
        }
    };
}

/// One field of a struct or a tagged variant: `req` (must be there), `opt` (its type's
/// default when absent), or `(expr)` (that default when absent).
#[macro_export]
macro_rules! read_field {
    ($o:ident, $f:ident, req) => {
        $o.req(stringify!($f))?
    };
    ($o:ident, $f:ident, opt) => {
        $o.opt(stringify!($f))?
    };
    ($o:ident, $f:ident, ($d:expr)) => {{
        let mut v = $d;
        $o.get(stringify!($f), &mut v)?;
        v
    }};
}

/// A struct of the format whose fields are each required or defaulted on their own.
/// `read_struct!(Idle { from_s: req, to_s: req });`
#[macro_export]
macro_rules! read_struct {
    ($ty:ident { $($field:ident : $mode:tt),* $(,)? }) => {
        impl $crate::base::spec_reader::Read for $ty {
            fn read(at: $crate::base::spec_reader::At) -> Result<Self, $crate::base::error::InputError> {
                let o = $crate::read_struct!(@object at, $ty, $($field),*);
                Ok($ty { $($field: $crate::read_field!(o, $field, $mode)),* })
            }
        }
    };
    // The struct's object, its keys checked (shared with read_defaults!).
    (@object $at:ident, $ty:ty, $($field:ident),*) => {
        $crate::base::spec_reader::Obj::of($at, concat!("struct ", stringify!($ty)), &[$(stringify!($field)),*])?
    };
}

/// An enum of the format tagged by `kind`: `"name" => Variant` or
/// `"name" => Variant { field: mode, … }` (modes as in [`read_field!`]).
#[macro_export]
macro_rules! read_tagged {
    ($ty:ident { $($kind:literal => $variant:ident $({ $($f:ident : $mode:tt),* $(,)? })?),* $(,)? }) => {
        impl $crate::base::spec_reader::Read for $ty {
            fn read(at: $crate::base::spec_reader::At) -> Result<Self, $crate::base::error::InputError> {
                let expected = concat!("internally tagged enum ", stringify!($ty));
                let kind = $crate::base::spec_reader::kind_of(at, expected, &[$($kind),*])?;
                $(
                    if kind == $kind {
                        let o = $crate::base::spec_reader::Obj::of(at, expected, &["kind" $($(, stringify!($f))*)?])?;
                        let _ = &o;
                        return Ok($ty::$variant $({ $($f: $crate::read_field!(o, $f, $mode)),* })?);
                    }
                )*
                Err($crate::base::error::InputError::new(at.path, concat!("no variant of ", stringify!($ty))))
            }
        }
    };
}

/// A unit enum of the format, read from its name.
/// `read_names!(OutputMode { "append" => Append, "update" => Update });`
#[macro_export]
macro_rules! read_names {
    ($ty:ident { $($name:literal => $variant:ident),* $(,)? }) => {
        impl $crate::base::spec_reader::Read for $ty {
            fn read(at: $crate::base::spec_reader::At) -> Result<Self, $crate::base::error::InputError> {
                $crate::base::spec_reader::name_of(at, &[$(($name, $ty::$variant)),*])
            }
        }
    };
}
