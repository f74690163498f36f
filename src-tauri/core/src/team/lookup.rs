//! Asking the team library: which of a quote's ids it holds (one round trip, the ids as one
//! `bigint[]`), the records of some of them for a spreadsheet, and colleagues' collections of the
//! same request.

use serde::Serialize;
use tokio_postgres::Client;

use super::connect::failed;
use super::TeamError;

/// Timestamps as the app's database writes them (RFC 3339, UTC, microseconds).
const AS_TEXT: &str = r#"'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'"#;

/// A person the team library holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamHeld {
    /// The person's id at Coresignal.
    pub id: i64,
    /// The held copy's `last_updated`.
    pub last_updated: Option<String>,
    /// Who collected the person first, and when (RFC 3339).
    pub first_by: String,
    /// When the person was first collected.
    pub first_at: String,
    /// Who brought the held copy, and when.
    pub last_by: String,
    /// When the held copy was collected.
    pub last_at: String,
}

/// A colleague's collection of the same request.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct TeamCollection {
    /// Who collected it.
    pub who: String,
    /// When (RFC 3339).
    pub at: String,
    /// Its name.
    pub name: String,
    /// Profiles it brought.
    #[ts(type = "number")]
    pub profiles: u64,
}

/// The team's part of a net-new quote.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[ts(export)]
pub struct TeamQuote {
    /// False when the team library could not be asked in time: the quote checked only the
    /// person's own library.
    pub reachable: bool,
    /// Matched people the team holds (unchanged) and this computer does not: skipped.
    #[ts(type = "number")]
    pub held: u64,
    /// The colleague who brought the most recent of them.
    pub colleague: Option<String>,
    /// When (RFC 3339).
    pub on: Option<String>,
    /// Credits not spent on them.
    #[ts(type = "number")]
    pub saved_credits: u64,
    /// The sentence the quote shows.
    pub summary: String,
    /// Colleagues' collections of the same request in the last 30 days.
    pub earlier: Vec<TeamCollection>,
}

/// Which of `ids` the team holds in `dataset`.
pub(super) async fn held(
    client: &Client,
    dataset: &str,
    ids: &[i64],
) -> Result<Vec<TeamHeld>, TeamError> {
    let sql = format!(
        "SELECT id, last_updated, first_by, to_char(first_at AT TIME ZONE 'UTC', {AS_TEXT}),
                last_by, to_char(last_at AT TIME ZONE 'UTC', {AS_TEXT})
         FROM people WHERE dataset = $1 AND id = ANY($2::bigint[])"
    );
    let rows = client
        .query(&sql, &[&dataset, &ids])
        .await
        .map_err(failed)?;
    Ok(rows
        .into_iter()
        .map(|row| TeamHeld {
            id: row.get(0),
            last_updated: row.get(1),
            first_by: row.get(2),
            first_at: row.get(3),
            last_by: row.get(4),
            last_at: row.get(5),
        })
        .collect())
}

/// The packed records (zstd JSON lines, as the library packs them) of those of `ids` the team
/// holds in `dataset`, with when the held copy was collected. A record packed larger than any
/// person's ([`crate::library::from_team::MOST_PER_RECORD`]) is not fetched: the server is shared,
/// and what it sends is held in memory.
pub(super) async fn records(
    client: &Client,
    dataset: &str,
    ids: &[i64],
) -> Result<Vec<crate::library::TeamCopy>, TeamError> {
    let sql = format!(
        "SELECT id, record, to_char(last_at AT TIME ZONE 'UTC', {AS_TEXT}) FROM people
         WHERE dataset = $1 AND id = ANY($2::bigint[]) AND octet_length(record)::bigint <= $3"
    );
    let most = i64::try_from(crate::library::from_team::MOST_PER_RECORD).unwrap_or(i64::MAX);
    let rows = client
        .query(&sql, &[&dataset, &ids, &most])
        .await
        .map_err(failed)?;
    Ok(rows
        .into_iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect())
}

/// Collections of one of `fingerprints` by someone other than `me`, in the last 30 days, newest
/// first.
pub(super) async fn earlier(
    client: &Client,
    fingerprints: &[String],
    me: &str,
) -> Result<Vec<TeamCollection>, TeamError> {
    let sql = format!(
        "SELECT who, to_char(at AT TIME ZONE 'UTC', {AS_TEXT}), name, profiles FROM collections
         WHERE fingerprint = ANY($1) AND who <> $2 AND at > now() - interval '30 days'
         ORDER BY at DESC LIMIT 5"
    );
    let rows = client
        .query(&sql, &[&fingerprints, &me])
        .await
        .map_err(failed)?;
    Ok(rows
        .into_iter()
        .map(|row| TeamCollection {
            who: row.get(0),
            at: row.get(1),
            name: row.get(2),
            profiles: row.get::<_, i64>(3).unsigned_abs(),
        })
        .collect())
}

impl TeamQuote {
    /// The team's part when it could not be asked.
    pub fn unreachable() -> Self {
        Self {
            reachable: false,
            summary: "Team library unreachable: checking only your own.".into(),
            ..Self::default()
        }
    }

    /// The team's part of a quote: `held` matched people it holds that this computer does not
    /// (the most recent copy named), each saving `per_profile` credits.
    pub fn of(held: &[&TeamHeld], per_profile: u64, earlier: Vec<TeamCollection>) -> Self {
        let newest = held.iter().max_by(|a, b| a.last_at.cmp(&b.last_at));
        let count = held.len() as u64;
        let saved = count.saturating_mul(per_profile);
        let mut summary = match newest {
            None => String::new(),
            Some(person) => format!(
                "Your team already has {} of these ({}, {}): skip them and save {}.",
                crate::jobs::group(count),
                person.last_by,
                day_month(&person.last_at),
                crate::money::credits_word(saved)
            ),
        };
        if let Some(collection) = earlier.first() {
            let before = format!(
                "{} made the same collection on {} ({} profiles).",
                collection.who,
                day_month(&collection.at),
                crate::jobs::group(collection.profiles)
            );
            summary = format!("{summary} {before}").trim().to_owned();
        }
        if summary.is_empty() {
            summary = "Your team holds none of these yet.".to_owned();
        }
        Self {
            reachable: true,
            held: count,
            colleague: newest.map(|person| person.last_by.clone()),
            on: newest.map(|person| person.last_at.clone()),
            saved_credits: saved,
            summary,
            earlier,
        }
    }
}

/// "3 May" of an RFC 3339 time (the text as given when it cannot be read).
pub fn day_month(at: &str) -> String {
    match crate::store::parse_time(at) {
        Some(time) => format!("{} {}", time.day(), time.month()),
        None => at.chars().take(10).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(id: i64, by: &str, at: &str) -> TeamHeld {
        TeamHeld {
            id,
            last_updated: Some("2026-04-01".into()),
            first_by: by.into(),
            first_at: at.into(),
            last_by: by.into(),
            last_at: at.into(),
        }
    }

    #[test]
    fn the_team_line_names_the_newest_colleague_and_the_credits_saved() {
        let people: Vec<TeamHeld> = (0..6_468)
            .map(|id| match id {
                0 => held(id, "Anna", "2026-05-03T10:00:00.000000Z"),
                _ => held(id, "Bruno", "2026-04-20T10:00:00.000000Z"),
            })
            .collect();
        let refs: Vec<&TeamHeld> = people.iter().collect();
        let team = TeamQuote::of(&refs, 10, Vec::new());
        assert_eq!(
            team.summary,
            "Your team already has 6,468 of these (Anna, 3 May): skip them and save 64,680 credits."
        );
        assert_eq!((team.held, team.saved_credits), (6_468, 64_680));
        assert_eq!(team.colleague.as_deref(), Some("Anna"));
        assert!(team.reachable);
        let earlier = vec![TeamCollection {
            who: "Anna".into(),
            at: "2026-05-03T10:00:00.000000Z".into(),
            name: "Python engineers".into(),
            profiles: 40,
        }];
        assert_eq!(
            TeamQuote::of(&[], 10, earlier).summary,
            "Anna made the same collection on 3 May (40 profiles)."
        );
        assert_eq!(
            TeamQuote::of(&[], 10, Vec::new()).summary,
            "Your team holds none of these yet."
        );
        assert_eq!(
            TeamQuote::unreachable().summary,
            "Team library unreachable: checking only your own."
        );
    }
}
