//! What a person sees of a quote: its figures, where the price per profile comes from, whether
//! the known balance pays it, and the question to confirm in plain words.

use serde::Serialize;

use crate::money::{assumed_note, shortfall, CreditsBasis, Shortfall};
use crate::store::{JobRow, QuoteRow};

use super::words::{collection_named, group, plural};
use super::{JobKind, JobState, Mode};

/// An earlier job that collected the same data.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct EarlierJob {
    /// Its number.
    #[ts(type = "number")]
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Where it stands.
    pub state: JobState,
    /// When it was sent (or made, if never accepted).
    pub sent_at: String,
    /// Profiles it was for.
    #[ts(type = "number | null")]
    pub records: Option<u64>,
}

/// The price of a request, as shown before confirming; `submit` takes its `id`.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct Quote {
    /// Pass this to `submit`.
    #[ts(type = "number")]
    pub id: i64,
    /// ES DSL query or ID file.
    pub kind: JobKind,
    /// The job's name.
    pub name: String,
    /// Profiles the service counted (the IDs, for a list).
    #[ts(type = "number")]
    pub matches: u64,
    /// Profiles that will be delivered.
    #[ts(type = "number")]
    pub records: u64,
    /// Credits they cost.
    #[ts(type = "number")]
    pub credits: u64,
    /// Credits per profile used for the price.
    pub credits_per_record: u32,
    /// Where that figure comes from: measured on an earlier delivery, the plan setting, or
    /// assumed (the plan is not known yet: the words say so).
    pub credits_basis: CreditsBasis,
    /// That, in plain words: "10 credits per profile, measured on an earlier delivery.", or for
    /// an assumed price "This uses an assumed 10 credits a profile; …".
    pub credits_note: String,
    /// Practice mode: nothing is spent; `credits` is what a real account would pay.
    pub practice: bool,
    /// The known balance cannot pay `credits`: confirming is refused, with these figures and
    /// where to top up. Never set in Practice.
    pub shortfall: Option<Shortfall>,
    /// The limit per request, when this price is above it: spending it needs a second
    /// confirmation naming its credits (`Confirmation::over_cap`).
    #[ts(type = "number | null")]
    pub over_cap: Option<u64>,
    /// The account balance the service reported.
    #[ts(type = "number | null")]
    pub balance: Option<i64>,
    /// After this time the price must be checked again.
    pub expires_at: String,
    /// Jobs that collected the same data in the last 30 days: confirming means "collect again".
    pub earlier: Vec<EarlierJob>,
    /// The uncertain job this quote sends again: the first may already have been charged.
    #[ts(type = "number | null")]
    pub replaces_job: Option<i64>,
    /// The confirmation, in plain words, naming the credits (and "again" when it is).
    pub question: String,
    /// How many requests it is sent as: 1, or the batches of an ID list over 10,000 IDs.
    pub batches: u32,
    /// For a net-new purchase: how the matches split against the people library. `records` and
    /// `credits` are then the new and the changed only.
    pub split: Option<SplitView>,
    /// Why the matches were not checked against the library (too many to list), in words.
    pub library_note: Option<String>,
    /// With a team library: what colleagues already hold of the matches (skipped and not paid
    /// for), or that it could not be asked. `None` without a team library.
    pub team: Option<crate::team::TeamQuote>,
}

/// How a net-new purchase's matches split against the people library.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct SplitView {
    /// Never collected: bought.
    #[ts(type = "number")]
    pub new: u64,
    /// Held, but the service has a newer copy: bought.
    #[ts(type = "number")]
    pub changed: u64,
    /// Held and unchanged: not bought; the spreadsheet takes them from the library.
    #[ts(type = "number")]
    pub held: u64,
    /// What the held people would have cost.
    #[ts(type = "number")]
    pub saved_credits: u64,
    /// "10,000 match. 3,412 are new and 120 changed since you got them (35,320 credits)."
    pub summary: String,
}

impl Quote {
    /// True when confirming it means paying for the same data again.
    pub fn is_again(&self) -> bool {
        !self.earlier.is_empty()
    }
}

/// What a person sees of a stored quote.
pub(super) fn view(row: &QuoteRow, earlier: &[JobRow]) -> Quote {
    let q = &row.request;
    let earlier: Vec<EarlierJob> = earlier
        .iter()
        .map(|job| EarlierJob {
            id: job.id,
            name: job.name.clone(),
            state: job.state,
            sent_at: job
                .submitted_at
                .clone()
                .unwrap_or_else(|| job.created_at.clone()),
            records: job.estimated_records,
        })
        .collect();
    let in_batches = if q.batches > 1 {
        format!(" in {} batches", q.batches)
    } else {
        String::new()
    };
    let practice = q.mode == Mode::Practice;
    let profiles = plural(q.records, "profile", "profiles");
    let price = if practice {
        String::new()
    } else {
        format!(" for {} credits", group(q.credits))
    };
    let mut question = format!("Collect {profiles}{in_batches}{price}?");
    let split = q.split.as_ref().map(|split| split_view(q, split));
    if let Some(split) = &split {
        question = split_question(q, split);
    }
    if let Some(first) = earlier.first() {
        let day = first.sent_at.get(..10).unwrap_or(&first.sent_at);
        question = format!(
            "You collected this data on {day} ({}). Collect {profiles} again{price}?",
            collection_named(first.id, &name_in_question(&first.name)),
        );
    }
    // Nothing to buy has no price to explain.
    let nothing_to_buy = q.split.is_some() && q.records == 0;
    if nothing_to_buy {
    } else if practice {
        question.push_str(&format!(" {}", practice_note(q.credits)));
    } else {
        // The figure behind the price, so a wrong plan shows in the question itself (the native
        // dialog asks these words too).
        question.push_str(&format!(
            " {}",
            credits_note(q.credits_per_record, q.credits_basis)
        ));
    }
    if let Some(held) = q.held_again {
        question.push_str(&format!(
            " You already have {} of them: they are bought again.",
            group(held)
        ));
    }
    if let Some(note) = &q.library_note {
        question.push_str(&format!(" {note}"));
    }
    if q.replaces_job.is_some() {
        question.push_str(
            " The first time it was sent may already have been charged: check your Coresignal account first.",
        );
    }
    Quote {
        id: row.id,
        kind: q.kind,
        name: q.name.clone(),
        matches: q.matches,
        records: q.records,
        credits: q.credits,
        credits_per_record: q.credits_per_record,
        credits_basis: q.credits_basis,
        credits_note: credits_note(q.credits_per_record, q.credits_basis),
        practice,
        shortfall: if practice {
            None
        } else {
            shortfall(q.credits, q.balance)
        },
        over_cap: None,
        balance: q.balance,
        expires_at: row.expires_at.clone(),
        earlier,
        replaces_job: q.replaces_job,
        question,
        batches: q.batches,
        split,
        library_note: q.library_note.clone(),
        team: None,
    }
}

/// The figures and the summary of a net-new purchase.
fn split_view(q: &crate::store::NewQuote, split: &crate::store::QuoteSplit) -> SplitView {
    let price = if q.mode == Mode::Practice {
        String::new()
    } else {
        format!(" ({})", crate::money::credits_word(q.credits))
    };
    let bought = match (split.new, split.changed) {
        (0, 0) => String::new(),
        (new, 0) => format!(" {} new{price}.", is_are(new)),
        (0, changed) => format!(
            " None {} new, and {} changed since you got them{price}.",
            if split.held + changed == 1 {
                "is"
            } else {
                "are"
            },
            group(changed)
        ),
        (new, changed) => format!(
            " {} new and {} changed since you got them{price}.",
            is_are(new),
            group(changed)
        ),
    };
    SplitView {
        new: split.new,
        changed: split.changed,
        held: split.held,
        saved_credits: split.held.saturating_mul(u64::from(q.credits_per_record)),
        summary: format!("{}{bought}", matched(q.matches, split)),
    }
}

/// "130 match." or, when a limit took fewer than match, "130 match, and your limit takes 50 of
/// them."
fn matched(matches: u64, split: &crate::store::QuoteSplit) -> String {
    let listed = split.new + split.changed + split.held;
    if split.origin_limit.is_some() && listed < matches {
        format!(
            "{} match, and your limit takes {} of them.",
            group(matches),
            group(listed)
        )
    } else {
        format!("{} match.", group(matches))
    }
}

/// "3,412 are" / "1 is".
fn is_are(count: u64) -> String {
    format!("{} {}", group(count), if count == 1 { "is" } else { "are" })
}

/// The confirmation of a net-new purchase: what is bought, and what is skipped and saved.
fn split_question(q: &crate::store::NewQuote, split: &SplitView) -> String {
    if q.records == 0 {
        return format!(
            "{} You already have {}, unchanged since you got them: there is nothing new to buy. Find them on the People screen, or get everyone again.",
            split.summary,
            if split.held == 1 { "this person".to_owned() } else { format!("all {}", group(split.held)) },
        );
    }
    let save = if q.mode == Mode::Practice {
        String::new()
    } else {
        format!(
            " and save {}",
            crate::money::credits_word(split.saved_credits)
        )
    };
    format!(
        "{} You already have {} of them: skip them{save}?",
        split.summary,
        group(split.held)
    )
}

/// A job's name as a money question quotes it (the native dialog asks these words): on one line,
/// without control characters, at most [`QUESTION_NAME_CHARS`] characters, so a name cannot
/// pass for more of the question.
fn name_in_question(name: &str) -> String {
    let one_line: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let one_line = one_line.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > QUESTION_NAME_CHARS {
        let cut: String = one_line.chars().take(QUESTION_NAME_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        one_line
    }
}

/// The longest job name a money question quotes whole.
const QUESTION_NAME_CHARS: usize = 60;

/// "10 credits per profile, measured on an earlier delivery." / "… from your plan setting."
fn credits_note(per_profile: u32, basis: CreditsBasis) -> String {
    let figure = crate::money::credits_word(u64::from(per_profile));
    match basis {
        CreditsBasis::Measured => format!("{figure} per profile, measured on an earlier delivery."),
        CreditsBasis::Setting => format!("{figure} per profile, from your plan setting."),
        CreditsBasis::Assumed => assumed_note(),
    }
}

/// "Practice: nothing is spent (a real account would pay 250 credits)."
pub fn practice_note(credits: u64) -> String {
    format!(
        "Practice: nothing is spent (a real account would pay {}).",
        crate::money::credits_word(credits)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_in_a_money_question_is_one_short_line() {
        assert_eq!(name_in_question("Nurses in Berlin"), "Nurses in Berlin");
        assert_eq!(
            name_in_question("Nurses\n\nThis one is free.\tYes"),
            "Nurses This one is free. Yes"
        );
        let long = "x".repeat(200);
        let shown = name_in_question(&long);
        assert_eq!(shown.chars().count(), QUESTION_NAME_CHARS);
        assert!(shown.ends_with('…'));
    }
}
