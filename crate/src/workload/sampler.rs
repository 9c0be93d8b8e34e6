//! Random variates for the generator: uniform, standard exponential, standard normal.
//!
//! Rule: every transcendental function comes from the pure-Rust `libm` crate, never from
//! the platform's C library or `std` (which calls it natively and Rust's own port in
//! wasm), so native and wasm draw bit-identical numbers from the same seed.
//!
//! - **Exponential: the ziggurat** of Marsaglia & Tsang ("The Ziggurat Method for
//!   Generating Random Variables", J. Stat. Software 5(8), 2000), 256 layers, in the
//!   form that takes the layer and the uniform from one 64-bit draw (Doornik, "An Improved
//!   Ziggurat Method", 2005). About 98.9 % of draws take the fast path: one random word,
//!   two table reads, a multiply and a compare. The tables are built once, with `libm`.
//! - **Normal: the polar method** (Marsaglia & Bray, 1964): exact, two uniforms and a
//!   logarithm per pair (one kept); only the log-normal lateness uses it.
//!
//! Invariant: `exp1() ≥ 0` and finite; `normal()` finite.

use rand_core::RngCore;
use std::sync::OnceLock;

/// The generator's named RNG: xoshiro256++ (Blackman & Vigna, 2019; `rand_xoshiro`), seeded
/// from the scenario's seed through SplitMix64 (`seed_from_u64`). Small state, no tables,
/// the same stream on every target.
pub type SimRng = rand_xoshiro::Xoshiro256PlusPlus;

/// Layers of the exponential ziggurat.
const LAYERS: usize = 256;
/// Where the base layer's tail begins (Marsaglia & Tsang, 2000, for 256 layers).
const R: f64 = 7.697_117_470_131_05;
/// Area of each layer (ibid.).
const V: f64 = 3.949_659_822_581_557e-3;

#[derive(Debug)]
struct Ziggurat {
    /// Layer widths, decreasing: x[0] = V / f(R) (the base layer's virtual width), x[1] = R,
    /// …, x[256] = 0.
    x: [f64; LAYERS + 1],
    /// f(x[i]) = exp(−x[i]), increasing.
    f: [f64; LAYERS + 1],
    /// x[i] · 2⁻⁵³, exactly (a power-of-two scaling): a 53-bit integer times it is the
    /// uniform times x[i] with the same single rounding, one multiply fewer a draw.
    x_unit: [f64; LAYERS + 1],
}

fn tables() -> &'static Ziggurat {
    static T: OnceLock<Ziggurat> = OnceLock::new();
    T.get_or_init(|| {
        let mut x = [0.0; LAYERS + 1];
        let mut f = [0.0; LAYERS + 1];
        x[0] = V / libm::exp(-R);
        x[1] = R;
        for i in 1..LAYERS - 1 {
            // Each layer has area V: x[i] (f(x[i+1]) − f(x[i])) = V.
            x[i + 1] = -libm::log(V / x[i] + libm::exp(-x[i]));
        }
        x[LAYERS] = 0.0;
        for i in 0..=LAYERS {
            f[i] = libm::exp(-x[i]);
        }
        let x_unit = x.map(|v| v * TO_UNIT);
        Ziggurat { x, f, x_unit }
    })
}

/// 2⁻⁵³: a 53-bit integer times it is a uniform in [0, 1).
const TO_UNIT: f64 = 1.0 / (1u64 << 53) as f64;

/// The top 53 bits of `bits` as a float, exactly. Converted as a signed integer (they fit):
/// wasm's unsigned conversion is a branchy sequence in V8, the signed one an instruction.
#[inline(always)]
fn top53(bits: u64) -> f64 {
    ((bits >> 11) as i64) as f64
}

/// Uniform in [0, 1) with 53 random bits.
#[inline(always)]
pub fn unit(rng: &mut SimRng) -> f64 {
    top53(rng.next_u64()) * TO_UNIT
}

/// Uniform in (0, 1]: never 0, for a logarithm.
#[inline]
fn unit_open(rng: &mut SimRng) -> f64 {
    (top53(rng.next_u64()) + 1.0) * TO_UNIT
}

/// `⌊bits · n / 2⁶⁴⌋`: Lemire's multiply-shift, uniform in [0, n) for a uniform `bits`,
/// without a division.
#[inline(always)]
pub fn below(bits: u64, n: u32) -> u32 {
    if cfg!(target_arch = "wasm32") {
        below_in_halves(bits, n)
    } else {
        // One instruction natively (x86-64 `mul`, AArch64 `umulh`).
        ((u128::from(bits) * u128::from(n)) >> 64) as u32
    }
}

/// [`below`] with its 64 × 32-bit product taken in two halves: the same value as through
/// `u128`, which wasm has no instruction for (a call to `__multi3`: 4–5 % of a day's run
/// in the page, measured with `node --cpu-prof` on a build that keeps names).
#[inline(always)]
fn below_in_halves(bits: u64, n: u32) -> u32 {
    let n = u64::from(n);
    let low = (bits & 0xffff_ffff) * n; // < 2⁶⁴
    let high = (bits >> 32) * n + (low >> 32); // < 2⁶⁴: (2³² − 1)² + 2³² − 1
    (high >> 32) as u32
}

/// Standard exponential (mean 1).
#[inline(always)]
pub fn exp1(rng: &mut SimRng) -> f64 {
    Exp1::tables().draw(rng)
}

/// The exponential sampler with its tables looked up: a hot loop takes it once, instead of
/// checking the tables' one-time initialization at every draw.
#[derive(Debug, Clone, Copy)]
pub struct Exp1(&'static Ziggurat);

impl Exp1 {
    #[inline(always)]
    pub fn tables() -> Exp1 {
        Exp1(tables())
    }

    /// A standard exponential: the same draws as [`exp1`].
    #[inline(always)]
    pub fn draw(self, rng: &mut SimRng) -> f64 {
        exp1_from(self.0, rng)
    }
}

#[inline(always)]
fn exp1_from(z: &'static Ziggurat, rng: &mut SimRng) -> f64 {
    let bits = rng.next_u64();
    let i = (bits & 0xff) as usize;
    // The top 53 bits, independent of the layer's 8 low ones.
    let x = top53(bits) * z.x_unit[i];
    if x < z.x[i + 1] {
        return x; // inside the layer's rectangle under the curve
    }
    // The state goes to the cold path by value and comes back: a `&mut` to it would make
    // a native caller keep it in memory for the whole loop (its address escapes), and
    // every fast-path draw would go through a store and a load. (One cold function for
    // every call site: the page's wasm stays small.)
    let (value, state) = exp1_slow(rng.clone(), z, i, x);
    *rng = state;
    value
}

/// The ziggurat's rare cases: the base layer's tail, a wedge, and the retries.
#[cold]
#[inline(never)]
fn exp1_slow(mut rng: SimRng, z: &Ziggurat, mut i: usize, mut x: f64) -> (f64, SimRng) {
    loop {
        if i == 0 {
            // The tail beyond R: R + Exp(1), the exponential being memoryless.
            return (R - libm::log(unit_open(&mut rng)), rng);
        }
        // The wedge: accept under the curve. exp(−x) is convex: it lies above its tangent
        // at x[i] and below the chord from x[i+1] to x[i], so most points are decided
        // without the exponential (a "squeeze").
        let y = z.f[i] + (z.f[i + 1] - z.f[i]) * unit(&mut rng);
        let tangent = z.f[i] * (1.0 + z.x[i] - x);
        if y < tangent {
            return (x, rng);
        }
        let chord = z.f[i] + (z.f[i + 1] - z.f[i]) * (z.x[i] - x) / (z.x[i] - z.x[i + 1]);
        if y <= chord && y < libm::exp(-x) {
            return (x, rng);
        }
        let bits = rng.next_u64();
        i = (bits & 0xff) as usize;
        x = top53(bits) * z.x_unit[i];
        if x < z.x[i + 1] {
            return (x, rng);
        }
    }
}

/// Standard normal (mean 0, variance 1).
pub fn normal(rng: &mut SimRng) -> f64 {
    loop {
        let u = 2.0 * unit(rng) - 1.0;
        let v = 2.0 * unit(rng) - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * libm::sqrt(-2.0 * libm::log(s) / s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng;

    /// The halves give the `u128` product's top word, at the edges and on random words.
    #[test]
    fn below_is_the_wide_multiply_shift() {
        let wide = |b: u64, n: u32| ((u128::from(b) * u128::from(n)) >> 64) as u32;
        let mut rng = SimRng::seed_from_u64(3);
        let edges = [0, 1, u64::MAX, u64::MAX - 1, 1 << 32, (1 << 32) - 1, 1 << 63];
        for n in [1, 2, 3, 10, 64, 100, 1_000_003, u32::MAX - 1, u32::MAX] {
            for b in edges.into_iter().chain((0..2000).map(|_| rng.next_u64())) {
                assert_eq!(below_in_halves(b, n), wide(b, n), "bits {b:#x}, n {n}");
                assert_eq!(below(b, n), wide(b, n));
                assert!(below(b, n) < n);
            }
        }
    }

    #[test]
    fn tables_close_the_ziggurat() {
        let z = tables();
        // The recursion closes: the top layer [0, x[255]) × [f(x[255]), 1] has area V too.
        let top = z.x[LAYERS - 1] * (1.0 - z.f[LAYERS - 1]);
        assert!((top - V).abs() < 1e-6 * V.max(1.0), "top layer area {top}");
        assert!(z.x.windows(2).all(|w| w[0] > w[1]));
        assert!((z.f[LAYERS] - 1.0).abs() < 1e-12);
        // The scaled widths give the same products, bit for bit, as scaling the uniform.
        let mut rng = SimRng::seed_from_u64(8);
        for _ in 0..20_000 {
            let bits = rng.next_u64();
            let i = (bits & 0xff) as usize;
            let a = top53(bits) * z.x_unit[i];
            assert_eq!(a.to_bits(), (top53(bits) * TO_UNIT * z.x[i]).to_bits());
        }
    }

    /// Moments and tail of a million draws against Exp(1) and N(0, 1).
    #[test]
    fn moments_and_tails() {
        let mut rng = SimRng::seed_from_u64(11);
        let n = 1_000_000;
        let e: Vec<f64> = (0..n).map(|_| exp1(&mut rng)).collect();
        let mean = e.iter().sum::<f64>() / n as f64;
        let var = e.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!((mean - 1.0).abs() < 0.005, "mean {mean}");
        assert!((var - 1.0).abs() < 0.01, "var {var}");
        assert!(e.iter().all(|x| x.is_finite() && *x >= 0.0));
        // P(X > 3) = e^-3 ≈ 0.0498; P(X > 8) = e^-8 ≈ 3.4e-4 (the tail path).
        let over = |t: f64| e.iter().filter(|&&x| x > t).count() as f64 / n as f64;
        assert!((over(3.0) - 0.049_787).abs() < 0.001, "{}", over(3.0));
        assert!((over(8.0) - 3.354_6e-4).abs() < 6e-5, "{}", over(8.0));
        // Kolmogorov–Smirnov distance against 1 − e^-x on a grid.
        let mut sorted = e.clone();
        sorted.sort_by(f64::total_cmp);
        let ks = (1..100)
            .map(|k| {
                let x = k as f64 * 0.07;
                let emp = sorted.partition_point(|&v| v <= x) as f64 / n as f64;
                (emp - (1.0 - libm::exp(-x))).abs()
            })
            .fold(0.0, f64::max);
        assert!(ks < 0.002, "KS {ks}");
        let g: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
        let gm = g.iter().sum::<f64>() / n as f64;
        let gv = g.iter().map(|x| (x - gm).powi(2)).sum::<f64>() / n as f64;
        assert!(gm.abs() < 0.005 && (gv - 1.0).abs() < 0.01, "{gm} {gv}");
        let beyond2 = g.iter().filter(|x| x.abs() > 2.0).count() as f64 / n as f64;
        assert!((beyond2 - 0.0455).abs() < 0.001, "{beyond2}");
    }
}
