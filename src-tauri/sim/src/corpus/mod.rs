//! The synthetic Clean Employee corpus: deterministic records shaped like the service's output.
//!
//! Every record is a pure function of `(seed, id)`: [`employee`] builds it, so the same id always
//! yields the same bytes for a given seed. The searchable *corpus* is a seeded set of ids
//! ([`Corpus::build`]); ID-file requests may name any id that [`id_exists`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// Smallest id that exists in the simulated database.
pub const MIN_ID: u64 = 1;
/// Largest id that exists in the simulated database (ids are at most nine digits).
pub const MAX_ID: u64 = 999_999_999;

/// Whether a record with this id exists: every id in `1..=999_999_999` does, nothing else.
pub fn id_exists(id: u64) -> bool {
    (MIN_ID..=MAX_ID).contains(&id)
}

mod departments;
mod generate;
mod records;
mod words;

pub(crate) use generate::{duration_text, employee, ym};
pub(crate) use records::*;

/// A tiny, version-stable pseudo-random generator (SplitMix64).
#[derive(Clone, Debug)]
pub(crate) struct SplitMix(u64);

impl SplitMix {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub(crate) fn range(&mut self, lo: u64, hi_inclusive: u64) -> u64 {
        lo + self.below(hi_inclusive - lo + 1)
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        // Index is reduced modulo the length, so it is always in bounds for a non-empty slice;
        // every list passed here is a non-empty constant.
        items[self.below(items.len() as u64) as usize]
    }
}

/// The searchable records: `size` distinct seeded ids, sorted ascending, with their records.
#[derive(Debug)]
pub(crate) struct Corpus {
    pub(crate) seed: u64,
    pub(crate) records: Vec<Employee>,
}

impl Corpus {
    /// Builds the corpus for `(seed, size)`, or returns the one already built and still in use.
    pub(crate) fn shared(seed: u64, size: usize) -> Arc<Corpus> {
        type Cache = Mutex<HashMap<(u64, usize), Weak<Corpus>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        let mut guard = cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = guard.get(&(seed, size)).and_then(Weak::upgrade) {
            return c;
        }
        let corpus = Arc::new(Corpus::build(seed, size));
        guard.retain(|_, w| w.strong_count() > 0);
        guard.insert((seed, size), Arc::downgrade(&corpus));
        corpus
    }

    /// Builds a fresh corpus of `size` records for `seed`.
    pub(crate) fn build(seed: u64, size: usize) -> Corpus {
        let mut rng = SplitMix::new(seed.wrapping_add(0x5EED));
        let mut ids = std::collections::BTreeSet::new();
        while ids.len() < size {
            ids.insert(rng.range(MIN_ID, MAX_ID));
        }
        Corpus {
            seed,
            records: ids.into_iter().map(|id| employee(seed, id)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_deterministic() {
        assert_eq!(
            employee(7, 12345).to_json_line(),
            employee(7, 12345).to_json_line()
        );
        assert_ne!(
            employee(7, 12345).to_json_line(),
            employee(8, 12345).to_json_line()
        );
        let a = Corpus::build(3, 50);
        let b = Corpus::build(3, 50);
        let ids = |c: &Corpus| c.records.iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        assert!(ids(&a).windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn records_look_like_the_service() {
        let line = employee(1, 99159).to_json_line();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert!(line.starts_with("{\"id\":99159,"));
        for key in [
            "full_name",
            "experience",
            "education",
            "skills",
            "location_country",
            "awards",
        ] {
            assert!(v.get(key).is_some(), "{key}");
        }
        assert!(v["experience"][0]["company_name"].is_string());
        // Across a few hundred records we see non-ASCII, quotes and line breaks.
        let all: String = (1..400).map(|id| employee(1, id).to_json_line()).collect();
        assert!(!all.is_ascii());
        assert!(all.contains("\\\"") && all.contains("\\n"));
        assert!(!all.contains('\n'));
    }

    #[test]
    fn existence_rule() {
        assert!(!id_exists(0));
        assert!(id_exists(1) && id_exists(999_999_999));
        assert!(!id_exists(1_000_000_000));
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slugify("Żagiel Data Co., Ltd."), "zagiel-data-co-ltd");
        assert_eq!(slugify("Zoë O'Brien"), "zoe-o-brien");
    }
}
