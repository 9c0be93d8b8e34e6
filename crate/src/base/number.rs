//! Numbers as text, exactly as `format!` writes them, without `core::fmt`'s float code.
//!
//! `format!("{}", x)` of an `f64` links core's float printer (Grisu with a Dragon4
//! fallback, a 1,280-bit bignum and their tables): ~20 KB of the page's core wasm module
//! (~6 KB gzipped) for a few error messages. These functions give the same text from what
//! the module has anyway: the shortest digits of `zmij` (serde_json's float writer,
//! already linked for the report's JSON) and a small base-10⁹ integer for the exact,
//! correctly rounded digits of a fixed precision. Nothing in the core's wasm path may
//! format an `f64` with `format!`/`write!`/`to_string()` again, or the printer comes back.
//!
//! - [`display`] is `format!("{v}")`: shortest round-trip digits, never an exponent
//!   (`1e21` is `1000000000000000000000`, `1.0` is `1`, `-0.0` is `-0`), `NaN`, `inf`,
//!   `-inf`. Where two shortest candidates are equally near (16 or 17 digits), core takes
//!   the upper one and zmij the even one: `shortest` checks for that tie exactly;
//! - [`exp`] is `format!("{v:e}")`: the same digits as `d.ddd` and `e` with the exponent
//!   (`1e12`, `1.5e-7`, `0e0`);
//! - [`fixed`] is `format!("{v:.N}")`: the exact binary value rounded to `N` decimals,
//!   a tie to the even digit (`0.125` → `0.12`, `0.375` → `0.38`, `2.5` → `2` at `N` 0).
//!
//! A `{}` with a width or alignment would not carry over (a `String` pads on the left,
//! a number on the right): call sites format plain `{}`. The tests compare each with
//! `format!` over random bit patterns, integers, ties and the extremes.

/// `format!("{v}")`.
pub fn display(v: f64) -> String {
    match shortest(v) {
        Some((digits, k)) => place(v, &digits, k),
        None => special(v),
    }
}

/// `format!("{v:e}")`.
pub fn exp(v: f64) -> String {
    let Some((digits, k)) = shortest(v) else {
        return special(v);
    };
    let mut out = sign(v);
    out.push(digits[0]);
    if digits.len() > 1 {
        out.push(b'.');
        out.extend_from_slice(&digits[1..]);
    }
    out.push(b'e');
    let e = k - 1;
    if e < 0 {
        out.push(b'-');
    }
    // At most 3 digits (|e| ≤ 324).
    let e = e.unsigned_abs();
    for (place, min) in [(100, 100), (10, 10), (1, 0)] {
        if e >= min {
            out.push(b'0' + (e / place % 10) as u8);
        }
    }
    text(out)
}

/// `format!("{v:.decimals$}")`.
pub fn fixed(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return special(v);
    }
    let bits = v.to_bits();
    let raw_exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    // v = m × 2^e exactly.
    let (m, e) = if raw_exp == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, raw_exp - 1075)
    };
    // The answer is v × 10^decimals rounded to an integer, with the point put back.
    let mut big = Big::from(m);
    for _ in 0..decimals {
        big.mul_small(10);
    }
    let mut s = e;
    while s > 0 {
        let step = s.min(29);
        big.mul_small(1 << step);
        s -= step;
    }
    // Divide by 2^-e, 29 bits at a time; the remainder against half of 2^-e decides the
    // rounding: its top bit is the last chunk's top bit, the rest is "sticky".
    let (mut last, mut half, mut sticky) = (0, 0, false);
    while s < 0 {
        let step = (-s).min(29);
        sticky |= last != 0;
        last = big.div_small(1 << step);
        half = 1 << (step - 1);
        s += step;
    }
    if last & half != 0 && (sticky || last & (half - 1) != 0 || big.is_odd()) {
        big.add_one();
    }
    let digits = big.digits();
    place(v, &digits, digits.len() as i32 - decimals as i32)
}

/// `digits` with the point after the first `k` (before them and `-k` zeros when `k` ≤ 0;
/// zeros after them up to `k`); no point when there is nothing after it.
fn place(v: f64, digits: &[u8], k: i32) -> String {
    let mut out = sign(v);
    let n = digits.len() as i32;
    if k <= 0 {
        out.push(b'0');
    } else {
        out.extend_from_slice(&digits[..k.min(n) as usize]);
        zeros(&mut out, k - n);
    }
    if k < n {
        out.push(b'.');
        zeros(&mut out, -k);
        out.extend_from_slice(&digits[k.max(0) as usize..]);
    }
    text(out)
}

/// The shortest digits of |v| (no leading or trailing zero) and `k` with
/// |v| = 0.digits × 10^k; `None` for NaN and the infinities. Zero is `0` with `k` 1
/// (core's `0`, `0e0`).
fn shortest(v: f64) -> Option<(Vec<u8>, i32)> {
    if !v.is_finite() {
        return None;
    }
    if v == 0.0 {
        return Some((vec![b'0'], 1));
    }
    let mut buffer = zmij::Buffer::new();
    // zmij writes `12.5`, `0.001234`, `1.2e+30` or `5e-324`.
    let text = buffer.format_finite(v.abs()).as_bytes();
    let mut digits = Vec::with_capacity(text.len());
    let (mut k, mut point, mut i) = (0, false, 0);
    while let Some(&c) = text.get(i) {
        i += 1;
        match c {
            b'.' => point = true,
            b'e' => break,
            // A leading zero: before the point it is nothing, after it a place further down.
            b'0' if digits.is_empty() => k -= i32::from(point),
            _ => {
                digits.push(c);
                k += i32::from(!point);
            }
        }
    }
    let (mut e, negative) = (0, text.get(i) == Some(&b'-'));
    for &c in &text[i..] {
        if c.is_ascii_digit() {
            e = e * 10 + i32::from(c - b'0');
        }
    }
    k += if negative { -e } else { e };
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits.len() >= 16 && halfway_above(v.abs(), &digits, k) {
        // Rounded down to an even digit; core rounds a tie up.
        loop {
            match digits.pop() {
                Some(b'9') => {}
                Some(d) => {
                    digits.push(d + 1);
                    break;
                }
                None => {
                    digits.push(b'1');
                    k += 1;
                    break;
                }
            }
        }
    }
    Some((digits, k))
}

/// Whether `v` (finite, > 0) is exactly halfway between `0.digits × 10^k` and the next
/// number of as many digits up. Two candidates of the shortest length can be equally near
/// only with 16 or 17 digits (they are an ulp or less apart); zmij then takes the even
/// one, core the upper one.
fn halfway_above(v: f64, digits: &[u8], k: i32) -> bool {
    // The midpoint is t × 10^p, t = digits·5 (odd); v = m × 2^e with m odd. Equal iff
    // e = p and m = t × 5^p (p ≥ 0) or t = m × 5^-p (p < 0).
    let t = digits.iter().fold(0u64, |t, b| t * 10 + u64::from(b - b'0')) * 10 + 5;
    let p = k - digits.len() as i32 - 1;
    let bits = v.to_bits();
    let raw_exp = ((bits >> 52) & 0x7ff) as i32;
    if raw_exp == 0 {
        return false; // subnormal: its exact decimal has hundreds of digits
    }
    let m = bits & ((1 << 52) - 1) | 1 << 52;
    let zeros = m.trailing_zeros();
    let (m, e) = (m >> zeros, raw_exp - 1075 + zeros as i32);
    if e != p {
        return false;
    }
    let pow5 = |n: i32| (0..n).try_fold(1u64, |x, _| x.checked_mul(5));
    if p >= 0 {
        pow5(p).and_then(|f| t.checked_mul(f)) == Some(m)
    } else {
        pow5(-p).and_then(|f| m.checked_mul(f)) == Some(t)
    }
}

/// `-` for a negative number (-0.0 too), as core writes it.
fn sign(v: f64) -> Vec<u8> {
    let mut out = Vec::with_capacity(24);
    if v.is_sign_negative() {
        out.push(b'-');
    }
    out
}

/// NaN, inf and -inf as `format!` writes them.
fn special(v: f64) -> String {
    String::from(if v.is_nan() {
        "NaN"
    } else if v < 0.0 {
        "-inf"
    } else {
        "inf"
    })
}

fn zeros(out: &mut Vec<u8>, n: i32) {
    for _ in 0..n {
        out.push(b'0');
    }
}

/// ASCII to text (never lossy here).
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_default()
}

/// A natural number in base 10⁹, least significant limb first, no zero limb on top.
struct Big(Vec<u32>);

const LIMB: u64 = 1_000_000_000;

impl Big {
    fn from(m: u64) -> Self {
        let mut big = Big(Vec::with_capacity(8));
        big.carry(m);
        big
    }

    /// Appends `carry` as limbs.
    fn carry(&mut self, mut carry: u64) {
        while carry > 0 {
            self.0.push((carry % LIMB) as u32);
            carry /= LIMB;
        }
    }

    /// × `x` (at most 2^32).
    fn mul_small(&mut self, x: u32) {
        let mut carry = 0;
        for limb in &mut self.0 {
            let p = u64::from(*limb) * u64::from(x) + carry;
            *limb = (p % LIMB) as u32;
            carry = p / LIMB;
        }
        self.carry(carry);
    }

    /// ÷ `x` (at most 2^29), returning the remainder.
    fn div_small(&mut self, x: u32) -> u32 {
        let mut rem = 0;
        for limb in self.0.iter_mut().rev() {
            let cur = rem * LIMB + u64::from(*limb);
            *limb = (cur / u64::from(x)) as u32;
            rem = cur % u64::from(x);
        }
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        rem as u32
    }

    /// The base (10⁹) is even: the lowest limb's parity is the number's.
    fn is_odd(&self) -> bool {
        self.0.first().is_some_and(|l| l & 1 == 1)
    }

    fn add_one(&mut self) {
        self.0.push(0);
        for limb in &mut self.0 {
            *limb += 1;
            if *limb < LIMB as u32 {
                break;
            }
            *limb = 0;
        }
        if self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    /// Decimal digits, no leading zero (`0` for zero).
    fn digits(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(9 * self.0.len() + 1);
        for limb in self.0.iter().rev() {
            let mut div = LIMB as u32;
            while div > 1 {
                div /= 10;
                let d = (limb / div % 10) as u8;
                if d != 0 || !out.is_empty() {
                    out.push(b'0' + d);
                }
            }
        }
        if out.is_empty() {
            out.push(b'0');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// splitmix64: a fixed, fast stream of bit patterns.
    fn stream(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
    }

    /// `display`, `exp` and `fixed` at 0 to 4 decimals and one more of 5 to 19.
    fn check(v: f64) {
        assert_eq!(display(v), format!("{v}"), "display {:#x}", v.to_bits());
        assert_eq!(exp(v), format!("{v:e}"), "exp {:#x}", v.to_bits());
        let more = 5 + (v.to_bits() % 15) as usize;
        for d in (0..=4).chain([more]) {
            assert_eq!(fixed(v, d), format!("{v:.d$}"), "fixed {d} {:#x}", v.to_bits());
        }
    }

    fn check_all_decimals(v: f64) {
        for d in (0..=20).chain([40, 330, 1100]) {
            assert_eq!(fixed(v, d), format!("{v:.d$}"), "fixed {d} {:#x}", v.to_bits());
        }
    }

    #[test]
    fn special_values() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.125,
            0.375,
            0.05,
            0.15,
            0.25,
            1e21,
            1e22,
            1e23,
            123456789012345680.0,
            1e-7,
            1e15,
            1e16,
            1e12,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            f64::from_bits(1),
            f64::from_bits((1 << 52) - 1),
            9007199254740992.0,
            9007199254740993.0,
            4503599627370495.5,
            0.1 + 0.2,
            2f64.powi(-1074),
            2f64.powi(1023),
            999999.5,
            0.9999999999999999,
            9.5,
            99.95,
        ] {
            check(v);
            check(-v);
            check_all_decimals(v);
            check_all_decimals(-v);
        }
    }

    #[test]
    fn shortest_ties_round_up() {
        // m × 2^-q with m odd is exactly m × 5^q × 10^-q: with 17 or 18 digits, a tie
        // between two 16- or 17-digit candidates (zmij takes the even one, core the upper).
        let mut next = stream(4);
        let mut ties = 0;
        for _ in 0..200_000 {
            let r = next();
            let q = 1 + (r % 3) as i32;
            let m = (r >> 11) | 1 << 52 | 1;
            let v = m as f64 * 2f64.powi(-q);
            let before = display(v);
            assert_eq!(before, format!("{v}"), "display {:#x}", v.to_bits());
            assert_eq!(exp(v), format!("{v:e}"), "exp {:#x}", v.to_bits());
            let s = zmij::Buffer::new().format_finite(v).to_owned();
            ties += usize::from(s.trim_end_matches('0') != before.trim_end_matches('0'));
        }
        assert!(ties > 10_000, "only {ties} ties");
    }

    #[test]
    fn random_bit_patterns() {
        let mut next = stream(1);
        for _ in 0..20_000 {
            check(f64::from_bits(next()));
        }
        // Shortest digits alone, over many more.
        for _ in 0..1_000_000 {
            let v = f64::from_bits(next());
            assert_eq!(display(v), format!("{v}"), "display {:#x}", v.to_bits());
        }
    }

    #[test]
    fn magnitudes_people_write() {
        // Values in the range messages and reports see, with random mantissas: ties to
        // the last place (k / 2^j), integers, and numbers of a few decimals.
        let mut next = stream(2);
        for _ in 0..20_000 {
            let r = next();
            let scale = 2f64.powi((r % 80) as i32 - 40);
            let v = (r >> 11) as f64 * 2f64.powi(-53) * scale * 1e3;
            check(v);
            let j = (r % 12) as i32;
            let tie = ((r >> 20) % 100_000) as f64 / 2f64.powi(j);
            check(tie);
            check(((r >> 8) % 10_000_000) as f64);
            check(((r >> 8) % 100_000_000) as f64 / 1000.0);
            check(((r >> 8) % 100_000) as f64 / 10f64.powi((r % 7) as i32));
        }
    }

    #[test]
    fn large_and_small() {
        let mut next = stream(3);
        for e in -1074..=1023 {
            let p = 2f64.powi(e);
            check(p);
            check(p * (1.0 + (next() >> 12) as f64 * 2f64.powi(-52)));
        }
        for e in -330..=310 {
            check(10f64.powi(e));
            check(format!("5e{e}").parse().unwrap_or(0.0));
        }
    }
}
