//! JSON text to a [`serde_json::Value`]: the core's own reader of RFC 8259 text.
//!
//! Why its own: serde_json's text deserializer (its generic parser, with the visitors that
//! build a `Value`) was 64 KB of the page's core wasm, 26 KB with gzip (#15); this reader
//! is a few KB. serde_json stays for the `Value` type and for writing JSON.
//!
//! Rules (RFC 8259 §2–§7, read as serde_json reads it):
//! - whitespace is space, tab, LF and CR; the text is one value, then whitespace only;
//! - a number is `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`. Without a fraction
//!   or an exponent it is a `u64` (≥ 0) or an `i64` (< 0); one out of their range, and
//!   `-0`, is an `f64`, as serde_json makes them. Otherwise it is the nearest `f64` (Rust's
//!   correctly rounded `str::parse`); a number beyond `f64`'s range is refused;
//! - a string's escapes are `\" \\ \/ \b \f \n \r \t \uXXXX` (a surrogate pair for a code
//!   point beyond the BMP); a raw control character (U+0000–U+001F), a lone surrogate or
//!   another escape is refused;
//! - in an object, a later duplicate key replaces the earlier one (serde_json's map);
//! - arrays and objects nest at most [`MAX_DEPTH`] deep (serde_json's recursion limit),
//!   so reading never exhausts the stack.
//!
//! Invariant: reading never panics; a refusal says what was wrong (in serde_json's words)
//! and where: the byte offset, and its line and column (1-based; the column counts bytes).

use serde_json::{Map, Number, Value};
use std::fmt;

/// Arrays and objects nested deeper are refused (serde_json's limit).
pub const MAX_DEPTH: usize = 128;

/// Text that is not JSON: what was wrong, and the byte where the reader found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: &'static str,
    /// Byte offset in the text (its length at the end of the text).
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.message, self.line, self.column)
    }
}

/// The value of JSON text `text`.
pub fn parse(text: &str) -> Result<Value, SyntaxError> {
    let mut r = Reader {
        s: text,
        b: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    let v = r.value()?;
    r.ws();
    if r.i < r.b.len() {
        return Err(r.err("trailing characters"));
    }
    Ok(v)
}

struct Reader<'a> {
    s: &'a str,
    b: &'a [u8],
    /// The next byte to read.
    i: usize,
    /// Arrays and objects open.
    depth: usize,
}

type Res<T> = Result<T, SyntaxError>;

impl Reader<'_> {
    /// A refusal at the current byte.
    fn err(&self, message: &'static str) -> SyntaxError {
        let at = self.i.min(self.b.len());
        let line_start = self.b[..at]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |n| n + 1);
        SyntaxError {
            message,
            offset: at,
            line: 1 + self.b[..line_start].iter().filter(|&&c| c == b'\n').count(),
            column: at - line_start + 1,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Res<Value> {
        self.ws();
        match self.peek() {
            None => Err(self.err("EOF while parsing a value")),
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                self.i += 1;
                self.string().map(Value::String)
            }
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err("expected value")),
        }
    }

    fn literal(&mut self, word: &'static str, v: Value) -> Res<Value> {
        let rest = &self.b[self.i..];
        if rest.starts_with(word.as_bytes()) {
            self.i += word.len();
            return Ok(v);
        }
        // How far the text follows the word: the refusal is at the first byte that differs.
        let same = rest
            .iter()
            .zip(word.as_bytes())
            .take_while(|(a, b)| a == b)
            .count();
        self.i += same;
        Err(self.err(if self.i == self.b.len() {
            "EOF while parsing a value"
        } else {
            "expected ident"
        }))
    }

    /// Opens an array or an object (at its bracket).
    fn enter(&mut self) -> Res<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("recursion limit exceeded"));
        }
        self.i += 1;
        self.ws();
        Ok(())
    }

    /// After a member of an array or object: `true` at its closing bracket `close` (taken,
    /// and the container left), `false` after a comma, else the container's refusal.
    fn next_member(&mut self, close: u8, expected: &'static str, eof: &'static str) -> Res<bool> {
        self.ws();
        match self.peek() {
            Some(b',') => {
                self.i += 1;
                self.ws();
                if self.peek() == Some(close) {
                    return Err(self.err("trailing comma"));
                }
                Ok(false)
            }
            Some(c) if c == close => {
                self.i += 1;
                self.depth -= 1;
                Ok(true)
            }
            Some(_) => Err(self.err(expected)),
            None => Err(self.err(eof)),
        }
    }

    /// At an empty container's closing bracket: takes it and leaves the container.
    fn empty(&mut self, close: u8) -> bool {
        if self.peek() != Some(close) {
            return false;
        }
        self.i += 1;
        self.depth -= 1;
        true
    }

    fn array(&mut self) -> Res<Value> {
        self.enter()?;
        let mut items = Vec::new();
        if self.empty(b']') {
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            if self.next_member(b']', "expected `,` or `]`", "EOF while parsing a list")? {
                return Ok(Value::Array(items));
            }
        }
    }

    fn object(&mut self) -> Res<Value> {
        const EOF: &str = "EOF while parsing an object";
        self.enter()?;
        let mut map = Map::new();
        if self.empty(b'}') {
            return Ok(Value::Object(map));
        }
        loop {
            match self.peek() {
                Some(b'"') => self.i += 1,
                Some(_) => return Err(self.err("key must be a string")),
                None => return Err(self.err(EOF)),
            }
            let key = self.string()?;
            self.ws();
            match self.peek() {
                Some(b':') => self.i += 1,
                Some(_) => return Err(self.err("expected `:`")),
                None => return Err(self.err(EOF)),
            }
            let v = self.value()?;
            map.insert(key, v);
            if self.next_member(b'}', "expected `,` or `}`", EOF)? {
                return Ok(Value::Object(map));
            }
        }
    }

    /// A string's contents, from after its opening quote to after its closing one.
    fn string(&mut self) -> Res<String> {
        let mut out = String::new();
        let mut from = self.i;
        loop {
            match self.peek() {
                None => return Err(self.err("EOF while parsing a string")),
                Some(b'"') => {
                    // `from` and `i` sit on ASCII bytes (or the ends): char boundaries.
                    out.push_str(&self.s[from..self.i]);
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(&self.s[from..self.i]);
                    self.i += 1;
                    let Some(e) = self.peek() else {
                        return Err(self.err("EOF while parsing a string"));
                    };
                    self.i += 1;
                    out.push(match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode()?,
                        _ => {
                            self.i -= 1;
                            return Err(self.err("invalid escape"));
                        }
                    });
                    from = self.i;
                }
                Some(0..=0x1f) => {
                    return Err(self.err("control character (\\u0000-\\u001F) found while parsing a string"));
                }
                Some(_) => self.i += 1,
            }
        }
    }

    /// Four hex digits (after `\u`).
    fn hex4(&mut self) -> Res<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let Some(c) = self.peek() else {
                return Err(self.err("EOF while parsing a string"));
            };
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return Err(self.err("invalid escape")),
            };
            n = n * 16 + u32::from(d);
            self.i += 1;
        }
        Ok(n)
    }

    /// The character of a `\u` escape (after the `u`): a surrogate pair is one character.
    fn unicode(&mut self) -> Res<char> {
        let n = self.hex4()?;
        let code = match n {
            0xD800..=0xDBFF => {
                if !self.b[self.i..].starts_with(b"\\u") {
                    return Err(self.err("lone leading surrogate in hex escape"));
                }
                self.i += 2;
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.err("lone leading surrogate in hex escape"));
                }
                0x10000 + ((n - 0xD800) << 10) + (low - 0xDC00)
            }
            _ => n,
        };
        char::from_u32(code).ok_or_else(|| self.err("invalid unicode code point"))
    }

    fn digit(&self) -> Option<u64> {
        match self.peek() {
            Some(c @ b'0'..=b'9') => Some(u64::from(c - b'0')),
            _ => None,
        }
    }

    /// A number, read as serde_json 1.0 reads one (without its `float_roundtrip` feature),
    /// so that a scenario's numbers, and so its reports, are what they were: the digits into
    /// a `u64` significand (those beyond its range dropped, counted in the exponent), then
    /// `significand × 10^exponent` in `f64` through a table of powers of ten. Exact for up
    /// to 15 significant digits and |exponent| ≤ 22 (every number a scenario is likely to
    /// hold); beyond, within an ulp or so of the nearest.
    fn number(&mut self) -> Res<Value> {
        let start = self.i;
        let positive = self.peek() != Some(b'-');
        if !positive {
            self.i += 1;
        }
        let mut significand = match self.peek() {
            None => return Err(self.err("EOF while parsing a value")),
            Some(b'0') => {
                self.i += 1;
                if self.digit().is_some() {
                    return Err(self.err("invalid number"));
                }
                0
            }
            Some(b'1'..=b'9') => {
                let d = self.digit().unwrap_or(0);
                self.i += 1;
                d
            }
            Some(_) => return Err(self.err("invalid number")),
        };
        // Whole digits; those beyond the u64's range only raise the exponent.
        let mut exponent: i32 = 0;
        let mut dropping = false;
        while let Some(d) = self.digit() {
            self.i += 1;
            if dropping || overflows(significand, d, u64::MAX) {
                dropping = true;
                exponent = exponent.saturating_add(1);
            } else {
                significand = significand * 10 + d;
            }
        }
        let mut whole = !dropping;
        if self.peek() == Some(b'.') {
            self.i += 1;
            whole = false;
            let mut fraction_digits = 0;
            while let Some(d) = self.digit() {
                self.i += 1;
                fraction_digits += 1;
                if !dropping && !overflows(significand, d, u64::MAX) {
                    significand = significand * 10 + d;
                    exponent -= 1;
                } else {
                    dropping = true;
                }
            }
            if fraction_digits == 0 {
                return Err(self.err(if self.peek().is_some() {
                    "invalid number"
                } else {
                    "EOF while parsing a value"
                }));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            whole = false;
            let positive_exp = match self.peek() {
                Some(b'-') => {
                    self.i += 1;
                    false
                }
                Some(b'+') => {
                    self.i += 1;
                    true
                }
                _ => true,
            };
            let Some(first) = self.digit() else {
                return Err(self.err(if self.peek().is_some() {
                    "invalid number"
                } else {
                    "EOF while parsing a value"
                }));
            };
            self.i += 1;
            let mut exp = first as i32;
            let mut huge = false;
            while let Some(d) = self.digit() {
                self.i += 1;
                if huge || overflows(exp as u64, d, i32::MAX as u64) {
                    huge = true;
                } else {
                    exp = exp * 10 + d as i32;
                }
            }
            if huge {
                // An exponent beyond i32: zero, or out of range (as serde_json).
                if significand != 0 && positive_exp {
                    self.i = start;
                    return Err(self.err("number out of range"));
                }
                return Ok(float(if positive { 0.0 } else { -0.0 }));
            }
            exponent = if positive_exp {
                exponent.saturating_add(exp)
            } else {
                exponent.saturating_sub(exp)
            };
        }
        if whole {
            if positive {
                return Ok(Value::Number(significand.into()));
            }
            // -0 and negatives below i64's range are floats (as serde_json makes them).
            let neg = (significand as i64).wrapping_neg();
            return Ok(if neg < 0 {
                Value::Number(neg.into())
            } else {
                float(-(significand as f64))
            });
        }
        let mut f = significand as f64;
        loop {
            match POW10.get(exponent.unsigned_abs() as usize) {
                Some(&pow) => {
                    if exponent >= 0 {
                        f *= pow;
                        if f.is_infinite() {
                            self.i = start;
                            return Err(self.err("number out of range"));
                        }
                    } else {
                        f /= pow;
                    }
                    break;
                }
                None => {
                    if f == 0.0 {
                        break;
                    }
                    if exponent >= 0 {
                        self.i = start;
                        return Err(self.err("number out of range"));
                    }
                    f /= 1e308;
                    exponent += 308;
                }
            }
        }
        Ok(float(if positive { f } else { -f }))
    }
}

/// Whether `a × 10 + d` passes `max`.
fn overflows(a: u64, d: u64, max: u64) -> bool {
    a >= max / 10 && (a > max / 10 || d > max % 10)
}

/// A finite float as a JSON number.
fn float(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// 10^0 … 10^308, each the nearest f64 (the compiler reads the literals exactly).
#[rustfmt::skip]
static POW10: [f64; 309] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31,
    1e32, 1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39, 1e40, 1e41, 1e42, 1e43, 1e44, 1e45, 1e46,
    1e47, 1e48, 1e49, 1e50, 1e51, 1e52, 1e53, 1e54, 1e55, 1e56, 1e57, 1e58, 1e59, 1e60, 1e61,
    1e62, 1e63, 1e64, 1e65, 1e66, 1e67, 1e68, 1e69, 1e70, 1e71, 1e72, 1e73, 1e74, 1e75, 1e76,
    1e77, 1e78, 1e79, 1e80, 1e81, 1e82, 1e83, 1e84, 1e85, 1e86, 1e87, 1e88, 1e89, 1e90, 1e91,
    1e92, 1e93, 1e94, 1e95, 1e96, 1e97, 1e98, 1e99, 1e100, 1e101, 1e102, 1e103, 1e104, 1e105,
    1e106, 1e107, 1e108, 1e109, 1e110, 1e111, 1e112, 1e113, 1e114, 1e115, 1e116, 1e117, 1e118,
    1e119, 1e120, 1e121, 1e122, 1e123, 1e124, 1e125, 1e126, 1e127, 1e128, 1e129, 1e130, 1e131,
    1e132, 1e133, 1e134, 1e135, 1e136, 1e137, 1e138, 1e139, 1e140, 1e141, 1e142, 1e143, 1e144,
    1e145, 1e146, 1e147, 1e148, 1e149, 1e150, 1e151, 1e152, 1e153, 1e154, 1e155, 1e156, 1e157,
    1e158, 1e159, 1e160, 1e161, 1e162, 1e163, 1e164, 1e165, 1e166, 1e167, 1e168, 1e169, 1e170,
    1e171, 1e172, 1e173, 1e174, 1e175, 1e176, 1e177, 1e178, 1e179, 1e180, 1e181, 1e182, 1e183,
    1e184, 1e185, 1e186, 1e187, 1e188, 1e189, 1e190, 1e191, 1e192, 1e193, 1e194, 1e195, 1e196,
    1e197, 1e198, 1e199, 1e200, 1e201, 1e202, 1e203, 1e204, 1e205, 1e206, 1e207, 1e208, 1e209,
    1e210, 1e211, 1e212, 1e213, 1e214, 1e215, 1e216, 1e217, 1e218, 1e219, 1e220, 1e221, 1e222,
    1e223, 1e224, 1e225, 1e226, 1e227, 1e228, 1e229, 1e230, 1e231, 1e232, 1e233, 1e234, 1e235,
    1e236, 1e237, 1e238, 1e239, 1e240, 1e241, 1e242, 1e243, 1e244, 1e245, 1e246, 1e247, 1e248,
    1e249, 1e250, 1e251, 1e252, 1e253, 1e254, 1e255, 1e256, 1e257, 1e258, 1e259, 1e260, 1e261,
    1e262, 1e263, 1e264, 1e265, 1e266, 1e267, 1e268, 1e269, 1e270, 1e271, 1e272, 1e273, 1e274,
    1e275, 1e276, 1e277, 1e278, 1e279, 1e280, 1e281, 1e282, 1e283, 1e284, 1e285, 1e286, 1e287,
    1e288, 1e289, 1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299, 1e300,
    1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn refusal(text: &str) -> String {
        parse(text).expect_err(text).to_string()
    }

    #[test]
    fn values_as_serde_json_reads_them() {
        for text in [
            "null",
            " true ",
            "false",
            "0",
            "-1",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "-0",
            "1.5",
            "-2.5e-3",
            "1E+2",
            "0.1",
            "\"a\\n\\u00e9\\ud83d\\ude00 \\\" \\\\ \\/ \\b\\f\\r\\t\"",
            "\"한국어\"",
            "[]",
            "[1, [2, {}], {\"a\": [null]}]",
            "{\"a\": 1, \"a\": 2, \"b\": {\"c\": \"d\"}}",
            "\n\r\t {\"x\" : -0.0 }",
        ] {
            let ours = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
        assert!(parse("-0").unwrap().as_f64().unwrap().is_sign_negative());
        assert!(parse("18446744073709551616").unwrap().is_f64());
        assert!(parse("5").unwrap().is_u64() && parse("-5").unwrap().is_i64());
        assert!(parse("5.0").unwrap().is_f64());
    }

    #[test]
    fn refusals_say_what_and_where() {
        let cases = [
            ("", "EOF while parsing a value at line 1 column 1"),
            ("{\"a\": 1,}", "trailing comma at line 1 column 9"),
            ("[1 2]", "expected `,` or `]` at line 1 column 4"),
            ("{\"a\" 1}", "expected `:` at line 1 column 6"),
            ("{1: 2}", "key must be a string at line 1 column 2"),
            ("{\"a\": 1\n  \"b\": 2}", "expected `,` or `}` at line 2 column 3"),
            ("[1", "EOF while parsing a list at line 1 column 3"),
            ("{\"a\"", "EOF while parsing an object at line 1 column 5"),
            ("\"abc", "EOF while parsing a string at line 1 column 5"),
            (
                "\"a\u{1}\"",
                "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3",
            ),
            ("\"\\x\"", "invalid escape at line 1 column 3"),
            (
                "\"\\ud800\"",
                "lone leading surrogate in hex escape at line 1 column 8",
            ),
            ("\"\\udc00\"", "invalid unicode code point at line 1 column 8"),
            ("01", "invalid number at line 1 column 2"),
            ("-", "EOF while parsing a value at line 1 column 2"),
            ("-a", "invalid number at line 1 column 2"),
            ("1.", "EOF while parsing a value at line 1 column 3"),
            ("1e400", "number out of range at line 1 column 1"),
            ("tru", "EOF while parsing a value at line 1 column 4"),
            ("trux", "expected ident at line 1 column 4"),
            ("1 2", "trailing characters at line 1 column 3"),
            ("@", "expected value at line 1 column 1"),
        ];
        for (text, want) in cases {
            assert_eq!(refusal(text), want, "{text:?}");
            assert!(serde_json::from_str::<Value>(text).is_err(), "{text:?}");
        }
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&deep).is_ok());
        let deeper = "[".repeat(MAX_DEPTH + 1);
        assert_eq!(
            refusal(&deeper),
            format!("recursion limit exceeded at line 1 column {}", MAX_DEPTH + 1)
        );
        // Far deeper than any stack would take by recursion: refused, never a crash.
        assert!(refusal(&"{\"a\":".repeat(1_000_000)).starts_with("recursion limit exceeded"));
    }

    /// A JSON value with short numbers (ones serde_json and `str::parse` round alike).
    fn arb_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| Value::Number(n.into())),
            any::<u64>().prop_map(|n| Value::Number(n.into())),
            (-1_000_000i32..1_000_000, 0u32..4).prop_map(|(m, e)| {
                let f = f64::from(m) / 10f64.powi(e as i32);
                Number::from_f64(f).map_or(Value::Null, Value::Number)
            }),
            "\\PC{0,12}".prop_map(Value::String),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::btree_map("\\PC{0,6}", inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// What serde_json writes, this reads back to the same value (compact and pretty).
        #[test]
        fn reads_back_what_serde_json_writes(v in arb_value()) {
            prop_assert_eq!(&parse(&serde_json::to_string(&v).unwrap()).unwrap(), &v);
            prop_assert_eq!(&parse(&serde_json::to_string_pretty(&v).unwrap()).unwrap(), &v);
        }

        /// Numbers of every shape (long digit strings, large exponents, any f64 as written
        /// out): the same value as serde_json reads, to the bit, or refused by both.
        #[test]
        fn numbers_to_the_bit(whole in "-?[0-9]{1,30}", frac in proptest::option::of("[0-9]{1,30}"),
                              exp in proptest::option::of(-400i32..400), f in any::<f64>()) {
            let mut t = whole;
            if let Some(d) = frac { t = format!("{t}.{d}"); }
            if let Some(e) = exp { t = format!("{t}e{e}"); }
            for text in [t, serde_json::to_string(&f).unwrap()] {
                let ours = parse(&text);
                let theirs = serde_json::from_str::<Value>(&text);
                prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{}", text);
                if let (Ok(a), Ok(b)) = (ours, theirs) {
                    prop_assert_eq!(&a, &b, "{}", text);
                    if let (Some(x), Some(y)) = (a.as_f64(), b.as_f64()) {
                        prop_assert_eq!(x.to_bits(), y.to_bits(), "{}", text);
                    }
                }
            }
        }

        /// Any text, and any text cut or changed by a byte: accepted exactly when serde_json
        /// accepts it, to the same value, floats to the bit.
        #[test]
        fn accepts_what_serde_json_accepts(v in arb_value(), cut in any::<prop::sample::Index>(),
                                           at in any::<prop::sample::Index>(), byte in any::<u8>(),
                                           noise in "\\PC{0,20}") {
            let text = serde_json::to_string(&v).unwrap();
            let mut variants = vec![noise];
            let cut = cut.index(text.len() + 1);
            if text.is_char_boundary(cut) {
                variants.push(text[..cut].to_string());
            }
            let mut bytes = text.clone().into_bytes();
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            if let Ok(s) = String::from_utf8(bytes) {
                variants.push(s);
            }
            for t in variants {
                let ours = parse(&t);
                let theirs = serde_json::from_str::<Value>(&t);
                prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: {:?} vs {:?}", t, ours, theirs.map_err(|e| e.to_string()));
                if let (Ok(a), Ok(b)) = (ours, theirs) {
                    prop_assert_eq!(a, b, "{:?}", t);
                }
            }
        }
    }
}
