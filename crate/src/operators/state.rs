//! A keyed state store with Spark's per-batch metrics (`numRowsTotal`,
//! `numRowsUpdated`, `numRowsRemoved`). Ordered (`BTreeMap`) so that anything read out
//! of it, output rows and evictions, comes in one deterministic order.

use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct StateStore<K: Ord, V> {
    rows: BTreeMap<K, V>,
    updated: u64,
    removed: u64,
}

/// One batch's state metrics, read after the batch's commit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateMetrics {
    pub total: u64,
    pub updated: u64,
    pub removed: u64,
}

impl<K: Ord, V> Default for StateStore<K, V> {
    fn default() -> Self {
        Self {
            rows: BTreeMap::new(),
            updated: 0,
            removed: 0,
        }
    }
}

impl<K: Ord + Copy, V> StateStore<K, V> {
    pub fn get(&self, k: &K) -> Option<&V> {
        self.rows.get(k)
    }

    /// Writes a row (insert or overwrite); counts as one updated row.
    pub fn put(&mut self, k: K, v: V) {
        self.rows.insert(k, v);
        self.updated += 1;
    }

    /// Updates a row in place (inserting `default` first if absent); counts as one
    /// updated row.
    pub fn upsert(&mut self, k: K, default: impl FnOnce() -> V, f: impl FnOnce(&mut V)) {
        f(self.rows.entry(k).or_insert_with(default));
        self.updated += 1;
    }

    /// Removes, in key order, every row for which `expired` holds, and returns them.
    pub fn remove_where(&mut self, mut expired: impl FnMut(&K, &V) -> bool) -> Vec<(K, V)> {
        let keys: Vec<K> = self
            .rows
            .iter()
            .filter(|(k, v)| expired(k, v))
            .map(|(k, _)| *k)
            .collect();
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            if let Some(v) = self.rows.remove(&k) {
                out.push((k, v));
            }
        }
        self.removed += out.len() as u64;
        out
    }

    /// Removes the rows at the front of the key order while `expired` holds of their key,
    /// and returns them: [`StateStore::remove_where`] for a predicate that, once false,
    /// stays false for every later key (a window's end by the watermark, keyed by start
    /// first), at the cost of the rows removed instead of a scan of the whole state (each
    /// of a day's 86,400 one-second batches scanned every open window's groups).
    pub fn remove_prefix(&mut self, mut expired: impl FnMut(&K) -> bool) -> Vec<(K, V)> {
        let mut out = Vec::new();
        while let Some(e) = self.rows.first_entry() {
            if !expired(e.key()) {
                break;
            }
            out.push(e.remove_entry());
        }
        self.removed += out.len() as u64;
        out
    }

    /// Takes out, in key order, every row for which `take` holds, without counting them as
    /// removed (they are about to be written back, e.g. sessions being merged).
    pub fn take_where(&mut self, take: impl FnMut(&K, &V) -> bool) -> Vec<(K, V)> {
        let before = self.removed;
        let out = self.remove_where(take);
        self.removed = before;
        out
    }

    /// Counts rows as removed that `take_where` took out and will not write back.
    pub fn count_removed(&mut self, n: u64) {
        self.removed += n;
    }

    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.rows.iter()
    }

    pub fn len(&self) -> u64 {
        self.rows.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The metrics of the batch just processed; resets the per-batch counters.
    pub fn commit(&mut self) -> StateMetrics {
        let m = StateMetrics {
            total: self.len(),
            updated: self.updated,
            removed: self.removed,
        };
        self.updated = 0;
        self.removed = 0;
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// For a predicate monotone in the key order, the prefix removal removes and counts
    /// what the scan does, in the same order.
    #[test]
    fn prefix_removal_is_the_scan_for_a_monotone_predicate() {
        for bound in [0u32, 1, 7, 50, 99, 200] {
            let mut a: StateStore<(u32, u32), u32> = StateStore::default();
            let mut b: StateStore<(u32, u32), u32> = StateStore::default();
            for start in (0..100).step_by(3) {
                for key in [5, 1, 3] {
                    a.put((start, key), start * key);
                    b.put((start, key), start * key);
                }
            }
            let scanned = a.remove_where(|(s, _), _| *s < bound);
            let prefix = b.remove_prefix(|(s, _)| *s < bound);
            assert_eq!(scanned, prefix, "bound {bound}");
            assert_eq!(a.commit(), b.commit());
            assert_eq!(a.iter().collect::<Vec<_>>(), b.iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn metrics_per_commit() {
        let mut s: StateStore<u32, u32> = StateStore::default();
        s.put(1, 10);
        s.put(2, 20);
        s.put(1, 11);
        assert_eq!(
            s.commit(),
            StateMetrics {
                total: 2,
                updated: 3,
                removed: 0
            }
        );
        let gone = s.remove_where(|k, _| *k == 1);
        assert_eq!(gone, vec![(1, 11)]);
        assert_eq!(
            s.commit(),
            StateMetrics {
                total: 1,
                updated: 0,
                removed: 1
            }
        );
    }
}
