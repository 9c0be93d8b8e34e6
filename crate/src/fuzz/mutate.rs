//! Mutators: the ways a careless user or an attacker changes an input. Structured
//! mutations of JSON (a number made extreme, a section made null, a key dropped or
//! misspelt, an enum swapped for another kind, a subtree grafted from another seed) and
//! byte-level ones (flips, truncations, splices, repeated lines, extreme numbers in text).
//! All driven by [`Rng`], a seeded SplitMix64, so every input is reproducible from
//! (target, seed, index).

use serde_json::Value;

/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): small, fast and good enough to pick mutations.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Numbers that break naive code: zero, negatives, sub-µs, the edges of u32/i64/f64.
const EXTREME_NUMBERS: &[f64] = &[
    0.0,
    -1.0,
    1e-7,
    1e-6,
    0.0005,
    0.5,
    1.0,
    2.0,
    59.999,
    86_400.0,
    4_294_967_295.0,
    4_294_967_296.0,
    9_007_199_254_740_993.0,
    9.223_372_036_854_776e18,
    1.8e19,
    3e10,
    31_536_000_000.0,
    1e12,
    1e15,
    1e300,
    1e308,
    -1e308,
    5e-324,
];

/// Strings of every enum the formats know, so a mutation can swap one kind for another.
const KINDS: &[&str] = &[
    "default",
    "processing_time",
    "once",
    "available_now",
    "scheduled",
    "continuous",
    "tumbling",
    "sliding",
    "session",
    "none",
    "fixed",
    "uniform",
    "exponential",
    "log_normal",
    "flat",
    "bursty",
    "diurnal",
    "constant",
    "poisson",
    "window_count",
    "dedup",
    "dedup_within_watermark",
    "select",
    "append",
    "update",
    "complete",
    "count",
    "sum",
    "avg",
    "parquet",
    "delta",
    "iceberg",
    "always_on",
    "job",
    "serverless",
    "s3_standard",
    "adls_hot",
    "gcs_standard",
    "csv",
    "jsonl",
    "json",
    "access_log",
    "arrow",
    "rfc3339",
    "clf",
    "epoch_s",
    "epoch_ms",
    "epoch_us",
    "hours",
    "key",
    "value",
    "",
    "\u{1b}]0;x\u{7}",
    "__proto__",
];

/// Every path into `v` (objects' keys and arrays' indices), the root included.
fn paths(v: &Value, here: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                here.push(PathStep::Key(k.clone()));
                paths(c, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                here.push(PathStep::Index(i));
                paths(c, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn at<'a>(v: &'a mut Value, path: &[PathStep]) -> Option<&'a mut Value> {
    let mut cur = v;
    for s in path {
        cur = match (s, cur) {
            (PathStep::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (PathStep::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn extreme(rng: &mut Rng) -> Value {
    let x = if rng.chance(4) {
        // A random magnitude, either sign.
        let e = rng.below(40) as i32 - 12;
        let m = (rng.next_u64() % 1000) as f64 / 100.0;
        if rng.chance(3) {
            -m * 10f64.powi(e)
        } else {
            m * 10f64.powi(e)
        }
    } else {
        *rng.pick(EXTREME_NUMBERS)
    };
    if x.fract() == 0.0 && x.abs() < 9e15 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

/// One structured mutation of `v`; `donors` are other seeds to graft subtrees from.
fn mutate_once(v: &mut Value, donors: &[Value], rng: &mut Rng) {
    let mut all = Vec::new();
    paths(v, &mut Vec::new(), &mut all);
    // The root is all[0]: replaced only now and then (that is one refusal, always the same).
    let path = if all.len() > 1 && !rng.chance(50) {
        all[1 + rng.below(all.len() - 1)].clone()
    } else {
        all[0].clone()
    };
    let Some(node) = at(v, &path) else { return };
    // Mostly a value changed in place (the input still parses and reaches the engine);
    // less often a change of shape.
    match rng.below(16) {
        0..=8 => {
            *node = match node {
                Value::Number(_) | Value::Null => extreme(rng),
                Value::String(_) => Value::from(*rng.pick(KINDS)),
                Value::Bool(b) => Value::Bool(!*b),
                _ => extreme(rng),
            }
        }
        9 => *node = Value::Null,
        10 => {
            if let Value::Object(m) = node {
                if !m.is_empty() {
                    let k = m.keys().nth(rng.below(m.len())).cloned();
                    if let Some(k) = k {
                        m.remove(&k);
                    }
                }
            }
        }
        11 => {
            if let Value::Object(m) = node {
                let k =
                    (*rng.pick(&["kind", "extra", "__proto__", "constructor", "s", "every_s"])).to_string();
                m.insert(k, extreme(rng));
            }
        }
        12 => {
            // Graft: the donor's subtree at the same key, anywhere it has one.
            let donor = rng.pick(donors);
            if let Some(PathStep::Key(k)) = path.last() {
                let mut found = Vec::new();
                find_key(donor, k, &mut found);
                if !found.is_empty() {
                    *node = rng.pick(&found).clone();
                }
            }
        }
        13 => {
            *node = match rng.below(4) {
                0 => Value::from("x"),
                1 => Value::Array(vec![node.clone()]),
                2 => Value::Object(serde_json::Map::new()),
                _ => Value::from("9".repeat(rng.below(400) + 1)),
            }
        }
        14 => {
            if let Value::Array(a) = node {
                // Many copies: long lists (idle periods, events, filters).
                if let Some(first) = a.first().cloned() {
                    let n = [2, 10, 100, 2000][rng.below(4)];
                    a.extend(std::iter::repeat_n(first, n));
                }
            } else if let Value::String(s) = node {
                s.push_str(&"ä\u{0}".repeat(rng.below(50)));
            }
        }
        _ => {
            // Deep nesting where an object goes.
            let mut deep = Value::Null;
            for _ in 0..rng.below(200) {
                deep = Value::Array(vec![deep]);
            }
            *node = deep;
        }
    }
}

fn find_key(v: &Value, key: &str, out: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                if k == key {
                    out.push(c.clone());
                }
                find_key(c, key, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|c| find_key(c, key, out)),
        _ => {}
    }
}

/// A mutated JSON document: 1–4 structured mutations of a seed, and now and then a
/// byte-level one on the text.
pub fn json(seeds: &[Value], rng: &mut Rng) -> Vec<u8> {
    let mut v = rng.pick(seeds).clone();
    // Mostly one mutation (most then still parse, and reach the engine); now and then more.
    let n = if rng.chance(3) { 2 + rng.below(3) } else { 1 };
    for _ in 0..n {
        mutate_once(&mut v, seeds, rng);
    }
    let mut text = serde_json::to_vec(&v).unwrap_or_default();
    text.truncate(MAX_INPUT_BYTES);
    if rng.chance(8) { bytes(&text, rng) } else { text }
}

/// Largest input a mutation makes (repeats compound; past this they add nothing new).
const MAX_INPUT_BYTES: usize = 1 << 20;

/// A byte-level mutation of `seed` (1–3 edits), at most [`MAX_INPUT_BYTES`].
pub fn bytes(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..=rng.below(3) {
        b.truncate(MAX_INPUT_BYTES);
        let n = b.len();
        match rng.below(9) {
            0 if n > 0 => {
                let i = rng.below(n);
                b[i] ^= 1 << rng.below(8);
            }
            1 if n > 0 => {
                let i = rng.below(n);
                b[i] = *rng.pick(&[0u8, 0xff, 0x7f, 0x80, b'"', b',', b'\n', b'-', b'9', b'{']);
            }
            2 => b.truncate(rng.below(n + 1)),
            3 if n > 0 => {
                let i = rng.below(n);
                let len = rng.below(n - i).min(64);
                let chunk: Vec<u8> = b[i..i + len].to_vec();
                let at = rng.below(b.len() + 1);
                for _ in 0..[1, 2, 50][rng.below(3)] {
                    b.splice(at..at, chunk.iter().copied());
                }
            }
            4 if n >= 4 => {
                // A 32-bit word overwritten (binary formats' lengths and offsets).
                let i = rng.below(n - 3) & !3;
                let w: u32 = *rng.pick(&[0xffff_ffff, 0x7fff_ffff, 0, 65, 0xff, 0x8000_0000, 1 << 20]);
                b[i..i + 4].copy_from_slice(&w.to_le_bytes());
            }
            5 if n > 0 => {
                // A digit run replaced by an extreme number.
                let i = rng.below(n);
                if b[i].is_ascii_digit() {
                    let mut j = i;
                    while j < b.len() && b[j].is_ascii_digit() {
                        j += 1;
                    }
                    let num = rng.pick(&[
                        "0",
                        "99999999999999999999",
                        "-1",
                        "1e308",
                        "4294967296",
                        "9223372036854775808",
                    ]);
                    b.splice(i..j, num.bytes());
                }
            }
            6 if n > 0 => {
                // A line repeated: many rows.
                let i = rng.below(n);
                let start = b[..i].iter().rposition(|&c| c == b'\n').map_or(0, |p| p + 1);
                let end = b[i..].iter().position(|&c| c == b'\n').map_or(n, |p| i + p + 1);
                let line: Vec<u8> = b[start..end].to_vec();
                for _ in 0..rng.below(200) {
                    b.splice(end..end, line.iter().copied());
                }
            }
            7 if n > 0 => {
                let i = rng.below(n);
                let len = rng.below(n - i).min(256);
                b.drain(i..i + len);
            }
            _ => {
                let at = rng.below(b.len() + 1);
                let junk: Vec<u8> = (0..rng.below(16)).map(|_| rng.next_u64() as u8).collect();
                b.splice(at..at, junk);
            }
        }
    }
    b.truncate(MAX_INPUT_BYTES);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_are_reproducible_and_vary() {
        let seeds = vec![
            serde_json::json!({"seed": 1, "workload": {"duration_s": 60, "idle": [{"from_s": 1, "to_s": 2}]}}),
        ];
        let run = |s| {
            let mut r = Rng::new(s);
            (0..50).map(|_| json(&seeds, &mut r)).collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        let a = run(7);
        let distinct: std::collections::BTreeSet<_> = a.iter().collect();
        assert!(distinct.len() > 30, "{}", distinct.len());
        let mut r = Rng::new(1);
        let seed = b"a,b\n1,2\n3,4\n";
        let outs: Vec<Vec<u8>> = (0..100).map(|_| bytes(seed, &mut r)).collect();
        assert!(outs.iter().any(|o| o.len() < seed.len()) && outs.iter().any(|o| o.len() > seed.len()));
    }
}
