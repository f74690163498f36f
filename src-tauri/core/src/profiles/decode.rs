//! Which name of a chunk each person belongs to, learnt from a few searches rather than one per
//! name: name `i` of the chunk goes into the "ones" search of every bit set in `i` and into the
//! "zeros" search of every bit clear in it. A person matched by exactly one name shows up on one
//! side of every bit, which spells that name's number. A person two names of the chunk match (an
//! old and a new short name of one person, both in the list) shows up on both sides of a bit
//! where the two numbers differ: the names that fit the bits that are clear are asked one by one.

use std::collections::{BTreeMap, BTreeSet};

/// How many bits number `n` names.
pub(crate) fn bits(n: usize) -> usize {
    (usize::BITS - n.saturating_sub(1).leading_zeros()) as usize
}

/// The names (by index) of a chunk of `n` that go into bit `bit`'s search on side `one`.
pub(crate) fn side(n: usize, bit: usize, one: bool) -> Vec<usize> {
    (0..n).filter(|i| (i >> bit & 1 == 1) == one).collect()
}

/// What the coded searches say of a chunk.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Decoded {
    /// The people each name (by index) matched, for the names settled.
    pub(crate) by_index: BTreeMap<usize, Vec<i64>>,
    /// Names to ask one by one: a person matched by several names of the chunk might be theirs.
    pub(crate) unsure: BTreeSet<usize>,
}

/// Decodes a chunk of `n` names: `full` is everyone the whole chunk matched; `ones[b]` and
/// `zeros[b]` everyone bit `b`'s two searches matched.
pub(crate) fn decode(
    n: usize,
    full: &[i64],
    ones: &[BTreeSet<i64>],
    zeros: &[BTreeSet<i64>],
) -> Decoded {
    let mut decoded = Decoded::default();
    for &person in full {
        let mut number = 0usize;
        let mut clear = true;
        let mut known: Vec<(usize, bool)> = Vec::new();
        for (bit, (one, zero)) in ones.iter().zip(zeros).enumerate() {
            match (one.contains(&person), zero.contains(&person)) {
                (true, false) => {
                    number |= 1 << bit;
                    known.push((bit, true));
                }
                (false, true) => known.push((bit, false)),
                // Both sides (several names match them), or neither (the data changed between
                // the searches): only the bits that are clear are known.
                _ => clear = false,
            }
        }
        if clear && number < n {
            decoded.by_index.entry(number).or_default().push(person);
        } else {
            decoded.unsure.extend(
                (0..n).filter(|i| known.iter().all(|(bit, one)| (i >> bit & 1 == 1) == *one)),
            );
        }
    }
    for people in decoded.by_index.values_mut() {
        people.sort_unstable();
        people.dedup();
    }
    decoded
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The searches a service would answer for `matches` (name index → people).
    fn searches(
        n: usize,
        matches: &BTreeMap<usize, Vec<i64>>,
    ) -> (Vec<i64>, Vec<BTreeSet<i64>>, Vec<BTreeSet<i64>>) {
        let found = |names: &[usize]| -> BTreeSet<i64> {
            names
                .iter()
                .flat_map(|i| matches.get(i).cloned().unwrap_or_default())
                .collect()
        };
        let all: Vec<usize> = (0..n).collect();
        let full: Vec<i64> = found(&all).into_iter().collect();
        let ones = (0..bits(n)).map(|b| found(&side(n, b, true))).collect();
        let zeros = (0..bits(n)).map(|b| found(&side(n, b, false))).collect();
        (full, ones, zeros)
    }

    #[test]
    fn bits_number_every_name() {
        assert_eq!(
            (bits(1), bits(2), bits(3), bits(4), bits(5), bits(500)),
            (0, 1, 2, 2, 3, 9)
        );
    }

    #[test]
    fn each_person_is_given_to_the_one_name_that_matched_them() {
        let n = 300;
        let mut matches = BTreeMap::new();
        for i in (0..n).filter(|i| i % 3 != 0) {
            matches.insert(i, vec![1_000 + i as i64]);
        }
        // One name several people have used.
        matches.insert(7, vec![5, 6]);
        let (full, ones, zeros) = searches(n, &matches);
        let decoded = decode(n, &full, &ones, &zeros);
        assert!(decoded.unsure.is_empty());
        assert_eq!(decoded.by_index, matches);
        // 1 + 2 × 9 searches instead of 300.
        assert_eq!(ones.len() + zeros.len(), 18);
    }

    #[test]
    fn a_person_two_names_match_makes_only_the_names_that_fit_asked_one_by_one() {
        let n = 64;
        let mut matches = BTreeMap::new();
        matches.insert(3, vec![42]);
        matches.insert(12, vec![42, 43]);
        matches.insert(20, vec![50]);
        let (full, ones, zeros) = searches(n, &matches);
        let decoded = decode(n, &full, &ones, &zeros);
        assert!(decoded.unsure.contains(&3) && decoded.unsure.contains(&12));
        // Names 3 and 12 differ in bits 0–3: the 16 names that fit bits 4 and 5 are asked.
        assert_eq!(decoded.unsure.len(), 16, "{:?}", decoded.unsure);
        assert_eq!(decoded.by_index.get(&20), Some(&vec![50]));
        assert!(!decoded.unsure.contains(&20));
    }

    #[test]
    fn a_person_seen_on_neither_side_is_not_guessed() {
        let full = vec![9];
        let ones = vec![BTreeSet::new(), BTreeSet::from([9])];
        let zeros = vec![BTreeSet::new(), BTreeSet::new()];
        let decoded = decode(4, &full, &ones, &zeros);
        assert!(decoded.by_index.is_empty());
        assert_eq!(decoded.unsure, BTreeSet::from([2, 3]));
    }
}
