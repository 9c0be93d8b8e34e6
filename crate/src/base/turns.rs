//! The cosine of an angle given in turns (1 turn = 2π): the diurnal rate shape's
//! `1 + a·cos(2π·phase)` (`workload/spec.rs`).
//!
//! Rule: only `+`, `−`, `×` and exact roundings, which IEEE 754 makes bit-identical on
//! every target, so native and wasm draw the same stream (as `sampler.rs` does with
//! `libm`). Its own code rather than `libm::cos`: that one's argument reduction (tables for
//! arguments up to 2^1024) was 2.4 KB of the page's gzipped wasm, for phases within one
//! turn.
//!
//! Method: reduce to `u ∈ [0, 1/8]` turn by the cosine's symmetries (each step exact:
//! `x − round(x)`, `½ − a` and `¼ − a` lose no bits by Sterbenz's lemma), then the Taylor
//! series of cos or sin at `θ = 2πu ≤ π/4`, to the first term below 2^-60 of the result.
//! Invariant: within a few ulps of the true value (the test bounds the difference from
//! `libm::cos` at 1e-15); `|cos_turns(x)| ≤ 1`; even and 1-periodic exactly.

use std::f64::consts::TAU;

/// cos(2π·x).
pub fn cos_turns(x: f64) -> f64 {
    let mut a = (x - libm::round(x)).abs(); // [0, ½]: cos is even and 1-periodic
    let mut sign = 1.0;
    if a > 0.25 {
        a = 0.5 - a; // cos(π − θ) = −cos θ
        sign = -1.0;
    }
    // a ∈ [0, ¼]
    if a <= 0.125 {
        sign * cos_small(a * TAU)
    } else {
        sign * sin_small((0.25 - a) * TAU) // cos θ = sin(π/2 − θ)
    }
}

/// cos θ for θ ∈ [0, π/4]: 1 − θ²/2! + θ⁴/4! − … to θ¹⁸ (the next term is below 3e-18).
fn cos_small(t: f64) -> f64 {
    let z = t * t;
    // Horner from the last term: c_k = (−1)^k / (2k)!.
    let mut p = 0.0;
    let mut k = 9;
    while k > 0 {
        p = (p + inv_factorial_signed(2 * k)) * z;
        k -= 1;
    }
    1.0 + p
}

/// sin θ for θ ∈ [0, π/4]: θ − θ³/3! + … to θ¹⁷ (the next term is below 1e-19).
fn sin_small(t: f64) -> f64 {
    let z = t * t;
    let mut p = 0.0;
    let mut k = 8;
    while k > 0 {
        p = (p + inv_factorial_signed(2 * k + 1)) * z;
        k -= 1;
    }
    t + t * p
}

/// (−1)^⌊n/2⌋ / n!, from a table (exact quotients rounded once, by the compiler).
fn inv_factorial_signed(n: usize) -> f64 {
    const T: [f64; 19] = [
        1.0,
        1.0,
        -1.0 / 2.0,
        -1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        -1.0 / 720.0,
        -1.0 / 5040.0,
        1.0 / 40_320.0,
        1.0 / 362_880.0,
        -1.0 / 3_628_800.0,
        -1.0 / 39_916_800.0,
        1.0 / 479_001_600.0,
        1.0 / 6_227_020_800.0,
        -1.0 / 87_178_291_200.0,
        -1.0 / 1_307_674_368_000.0,
        1.0 / 20_922_789_888_000.0,
        1.0 / 355_687_428_096_000.0,
        -1.0 / 6_402_373_705_728_000.0,
    ];
    T[n]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against libm's cos on a dense grid of phases (the diurnal shape's whole range,
    /// (−1, 1)), the quadrant edges and a few exact values.
    #[test]
    fn agrees_with_libm() {
        let mut worst = 0.0f64;
        let n = 2_000_000;
        for i in 0..=n {
            let x = -1.0 + 2.0 * i as f64 / n as f64;
            let got = cos_turns(x);
            let want = libm::cos(TAU * x);
            assert!(got.abs() <= 1.0, "{x}: {got}");
            worst = worst.max((got - want).abs());
        }
        // 6.7e-16 measured: libm rounds 2π·x first, which alone moves its result by up to
        // 4.4e-16 (half an ulp of an argument near 2π).
        assert!(worst < 1e-15, "worst error {worst:e}");
        for (x, want) in [
            (0.0, 1.0),
            (0.5, -1.0),
            (-0.5, -1.0),
            (1.0, 1.0),
            (0.25, 0.0),
            (0.75, 0.0),
        ] {
            assert!((cos_turns(x) - want).abs() < 1e-16, "{x}");
        }
        assert_eq!(cos_turns(0.1), cos_turns(-0.1));
        assert_eq!(cos_turns(0.375), cos_turns(-0.625));
    }
}
