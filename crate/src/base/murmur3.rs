//! Spark's `Murmur3Hash` (the SQL `hash()` function and `HashPartitioning`): Murmur3
//! x86_32 with seed 42, folded over the columns in order (each column's hash seeds the
//! next), with Spark's own handling of a string's tail bytes (`hashUnsafeBytes` mixes each
//! tail byte, sign-extended, as a whole block). Values checked against PySpark 4.3.0's
//! `hash()`.

/// The seed of `Murmur3Hash` and so of `HashPartitioning`.
pub const SEED: i32 = 42;

const C1: u32 = 0xcc9e_2d51;
const C2: u32 = 0x1b87_3593;

fn mix_k1(k1: u32) -> u32 {
    k1.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2)
}

fn mix_h1(h1: u32, k1: u32) -> u32 {
    (h1 ^ k1)
        .rotate_left(13)
        .wrapping_mul(5)
        .wrapping_add(0xe654_6b64)
}

fn fmix(h1: u32, length: u32) -> u32 {
    let mut h = h1 ^ length;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// `Murmur3_x86_32.hashLong`: a long (and a timestamp, as its microseconds).
pub fn hash_long(v: i64, seed: i32) -> i32 {
    let low = v as u32;
    let high = (v as u64 >> 32) as u32;
    let h1 = mix_h1(seed as u32, mix_k1(low));
    let h1 = mix_h1(h1, mix_k1(high));
    fmix(h1, 8) as i32
}

/// `Murmur3_x86_32.hashUnsafeBytes`: a string's UTF-8 bytes.
pub fn hash_bytes(bytes: &[u8], seed: i32) -> i32 {
    let aligned = bytes.len() - bytes.len() % 4;
    let mut h1 = seed as u32;
    for chunk in bytes[..aligned].chunks_exact(4) {
        let word = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        h1 = mix_h1(h1, mix_k1(word));
    }
    for &b in &bytes[aligned..] {
        // Spark reads the byte signed and mixes it as a 32-bit block.
        h1 = mix_h1(h1, mix_k1(b as i8 as i32 as u32));
    }
    fmix(h1, bytes.len() as u32) as i32
}

/// `pmod(hash, n)`: the partition of a row hashed to `hash` among `n` partitions.
pub fn pmod(hash: i32, n: u32) -> u32 {
    (i64::from(hash).rem_euclid(i64::from(n))) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From PySpark 4.3.0: `select hash('a'), …` (seed 42).
    #[test]
    fn matches_spark_hash() {
        let s = |t: &str| hash_bytes(t.as_bytes(), SEED);
        assert_eq!(s("a"), 1485273170);
        assert_eq!(s("ab"), -97053317);
        assert_eq!(s("abc"), 1322437556);
        assert_eq!(s("abcd"), -396302900);
        assert_eq!(s("abcde"), 814637928);
        assert_eq!(s(""), 142593372);
        assert_eq!(s("한글"), -47687562);
        assert_eq!(hash_long(1, SEED), -1712319331);
        assert_eq!(hash_long(-5, SEED), 424949597);
        // hash(timestamp'2024-01-01 00:00:00') == hash(1704067200000000L)
        assert_eq!(hash_long(1_704_067_200_000_000, SEED), 1545358984);
        // hash(named_struct(start, end)): the fields folded in order
        let w = hash_long(1_704_067_210_000_000, hash_long(1_704_067_200_000_000, SEED));
        assert_eq!(w, 543440942);
        // hash(window, 'a') and its partition among 8
        let wk = hash_bytes(b"a", w);
        assert_eq!(wk, -262600135);
        assert_eq!(pmod(wk, 8), 1);
    }
}
