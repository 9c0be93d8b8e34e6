//! Which subtask of a keyed Flink operator holds a key: Flink's key groups.
//!
//! Rule (Flink 2.3, `KeyGroupRangeAssignment`): a key's group is
//! `MathUtils.murmurHash(key.hashCode()) % maxParallelism`, and the group's operator index
//! is `group × parallelism / maxParallelism`. For a `String` key `hashCode` is Java's
//! `s[0]·31^(n−1) + … + s[n−1]` over its UTF-16 code units, in wrapping 32-bit arithmetic.
//! `murmurHash(int)` is one round of MurmurHash3_x86_32 (seed 0, length 4) followed by its
//! finalizer, made non-negative (`Integer.MIN_VALUE` → 0).
//!
//! Checked against Flink's own `KeyGroupRangeAssignment` from the PyPI `apache-flink`
//! 2.3.0 jars (a `javac`-compiled probe, 2026-11-29): the unit test's table is its output.

/// Java's `String.hashCode`.
pub fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
}

/// Flink's `MathUtils.murmurHash(int)`: non-negative.
pub fn murmur_hash(code: i32) -> i32 {
    let mut h = code.wrapping_mul(0xcc9e_2d51_u32 as i32);
    h = h.rotate_left(15);
    h = h.wrapping_mul(0x1b87_3593);
    h = h.rotate_left(13);
    h = h.wrapping_mul(5).wrapping_add(0xe654_6b64_u32 as i32);
    h ^= 4;
    h = bit_mix(h);
    if h >= 0 {
        h
    } else if h != i32::MIN {
        -h
    } else {
        0
    }
}

/// The MurmurHash3 finalizer (`MathUtils.bitMix`).
fn bit_mix(mut h: i32) -> i32 {
    h ^= ((h as u32) >> 16) as i32;
    h = h.wrapping_mul(0x85eb_ca6b_u32 as i32);
    h ^= ((h as u32) >> 13) as i32;
    h = h.wrapping_mul(0xc2b2_ae35_u32 as i32);
    h ^= ((h as u32) >> 16) as i32;
    h
}

/// `assignToKeyGroup(key, maxParallelism)` for a `String` key.
pub fn key_group(key: &str, max_parallelism: u32) -> u32 {
    (murmur_hash(java_string_hash(key)) as u32) % max_parallelism.max(1)
}

/// `assignKeyToParallelOperator(key, maxParallelism, parallelism)`: the subtask index.
pub fn subtask_of(key: &str, max_parallelism: u32, parallelism: u32) -> u32 {
    let g = u64::from(key_group(key, max_parallelism));
    (g * u64::from(parallelism) / u64::from(max_parallelism.max(1))) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_flink_2_3() {
        // key, hashCode, group (128), subtask of 4 and of 3 (128), subtask of 200 (512):
        // printed by Flink 2.3.0's KeyGroupRangeAssignment.
        let table: [(&str, i32, u32, u32, u32, u32); 9] = [
            ("k0", 3365, 97, 3, 2, 37),
            ("k1", 3366, 19, 0, 0, 7),
            ("k2", 3367, 82, 2, 1, 82),
            ("k9", 3374, 6, 0, 0, 152),
            ("k10", 104_394, 21, 0, 0, 158),
            ("k63", 104_552, 105, 3, 2, 191),
            ("k999", 3_244_238, 108, 3, 2, 142),
            ("user-42", -147_182_656, 20, 0, 0, 57),
            ("", 0, 94, 2, 2, 186),
        ];
        for (k, hash, g, s4, s3, s200) in table {
            assert_eq!(java_string_hash(k), hash, "{k}");
            assert_eq!(key_group(k, 128), g, "{k}");
            assert_eq!(subtask_of(k, 128, 4), s4, "{k}");
            assert_eq!(subtask_of(k, 128, 3), s3, "{k}");
            assert_eq!(subtask_of(k, 512, 200), s200, "{k}");
        }
    }
}
