//! A cost they can trust: the preview says its price and runs only when that price is confirmed;
//! what a profile costs is learnt from the balance around a clean delivery and used by the next
//! price; the ledger says what each job spent; a price over the limit per request needs a second
//! confirmation naming its credits. Each against the real engine, the real simulator over HTTP and
//! a real SQLite file.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use bulk_collect_tests::*;
use collect_core::consent::Consent;
use collect_core::error::Coded;
use collect_core::jobs::{Confirmation, JobState, LedgerKind, Mode};
use collect_core::money::CreditsBasis;
use collect_core::ErrorCode;
use coresignal_sim::{Endpoint, SimConfig, DEFAULT_PRACTICE_KEY};

/// A harness whose simulator charges `per_record` a profile and `preview` a preview, and whose
/// engine prices previews at `preview_setting` and makes no spreadsheets.
async fn harness(per_record: i64, preview: i64, preview_setting: u32) -> Harness {
    let harness = Harness::start(SimConfig {
        credits_per_record: per_record,
        preview_credits: preview,
        ..quick_sim()
    })
    .await;
    let mut options = harness.engine.options();
    options.preview_credits = preview_setting;
    options.export_after_download = false;
    harness.engine.apply(options).unwrap();
    harness
}

fn balance(harness: &Harness) -> i64 {
    harness.sim.credits(DEFAULT_PRACTICE_KEY).unwrap()
}

// ----- preview ---------------------------------------------------------------------------------

#[tokio::test]
async fn a_free_preview_needs_no_confirmation_and_shows_up_to_20_people() {
    let harness = harness(1, 0, 0).await;
    let cost = harness.engine.preview_cost().unwrap();
    assert_eq!(cost.credits, 0);
    assert_eq!(cost.question, "See 20 sample people: free in Practice.");
    assert!(
        harness.engine.preview_consent_question().unwrap().is_none(),
        "a free preview asks nothing"
    );
    let preview = harness.engine.preview(&python_query(), None).await.unwrap();
    assert_eq!(preview.people.len(), 20);
    assert!(preview
        .people
        .iter()
        .all(|p| p.id.is_some() && p.name.is_some()));
    assert!(preview
        .people
        .iter()
        .any(|p| p.title.is_some() && p.country.is_some()));
    assert_eq!(preview.balance, Some(balance(&harness)));
    assert_eq!(harness.sim.count_calls(Endpoint::Preview), 1);
    let ledger = harness.engine.credit_ledger().unwrap();
    assert!(ledger.lines.is_empty(), "a free preview spent nothing");
}

/// A paid preview runs only with a person's yes to its credits, minted outside the webview (the
/// app's native dialog, the terminal): the cost the webview sees carries nothing that spends.
#[tokio::test]
async fn a_paid_preview_is_sent_once_per_persons_yes_to_its_cost() {
    let harness = harness(1, 10, 10).await;
    let engine = &harness.engine;
    let start = balance(&harness);
    let cost = engine.preview_cost().unwrap();
    assert_eq!(cost.credits, 10);
    assert_eq!(cost.question, "See 20 sample people: costs 10 credits.");
    let shown = serde_json::to_value(&cost).unwrap();
    assert_eq!(
        shown.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["balance", "credits", "practice", "question"],
        "nothing in the cost lets the webview spend"
    );
    let (consent, question) = engine.preview_consent_question().unwrap().unwrap();
    assert_eq!(consent, Consent::Preview { credits: 10 });
    assert!(
        question.starts_with("Spend 10 credits to see 20 sample people"),
        "{question}"
    );

    // Given for another price: the setting changed after the person said yes.
    let older = engine.consents().granted_by_person(consent.clone());
    let mut options = engine.options();
    options.preview_credits = 20;
    engine.apply(options.clone()).unwrap();
    let repriced = engine.preview(&python_query(), Some(&older)).await;
    assert!(repriced
        .unwrap_err()
        .user_message()
        .contains("costs 20 credits"));
    options.preview_credits = 10;
    engine.apply(options).unwrap();

    let quote_consent = engine.consents().granted_by_person(Consent::Quote {
        quote: 1,
        credits: 10,
    });
    let other = engine
        .consents()
        .granted_by_person(Consent::Preview { credits: 9 });
    for given in [None, Some(&quote_consent), Some(&other)] {
        let refused = engine.preview(&python_query(), given).await.unwrap_err();
        assert_eq!(refused.code(), ErrorCode::ConfirmationNeeded, "{given:?}");
        assert!(refused.user_message().contains("costs 10 credits"));
    }
    assert_eq!(
        harness.sim.count_calls(Endpoint::Preview),
        0,
        "no preview without the person's yes reached the service"
    );
    assert_eq!(balance(&harness), start);

    let yes = engine.consents().granted_by_person(consent);
    let preview = engine.preview(&python_query(), Some(&yes)).await.unwrap();
    assert_eq!(preview.people.len(), 20);
    assert_eq!(harness.sim.count_calls(Endpoint::Preview), 1);
    assert_eq!(balance(&harness), start - 10);

    // The same yes again (a double click, a replay) spends nothing more.
    let again = engine
        .preview(&python_query(), Some(&yes))
        .await
        .unwrap_err();
    assert_eq!(again.code(), ErrorCode::ConfirmationNeeded);
    assert_eq!(harness.sim.count_calls(Endpoint::Preview), 1);
    assert_eq!(balance(&harness), start - 10);
    assert_eq!(engine.last_balance().unwrap(), Some(start - 10));
    let ledger = engine.credit_ledger().unwrap();
    assert_eq!(ledger.lines.len(), 1);
    assert_eq!(ledger.lines[0].kind, LedgerKind::Preview);
    assert_eq!((ledger.lines[0].credits, ledger.total), (10, 10));
}

#[tokio::test]
async fn a_paid_preview_is_sent_again_only_when_the_service_cannot_have_taken_it() {
    let harness = harness(1, 10, 10).await;
    let mut faults = harness.sim.faults();
    faults.error_rate.search = 1.0;
    harness.sim.set_faults(faults);
    let (consent, _) = harness.engine.preview_consent_question().unwrap().unwrap();
    let yes = harness.engine.consents().granted_by_person(consent);
    let failed = harness.engine.preview(&python_query(), Some(&yes)).await;
    assert!(failed.is_err(), "every answer was a 5xx");
    let statuses: Vec<u16> = harness
        .sim
        .calls()
        .iter()
        .filter(|call| call.endpoint == Endpoint::Preview)
        .map(|call| call.status)
        .collect();
    assert!(!statuses.is_empty());
    // Only a 503 (the service took nothing) is followed by another try; a 500, 502 or 504 may
    // have been charged, so the preview stops there.
    for pair in statuses.windows(2) {
        assert_eq!(pair[0], 503, "sent again after {}: {statuses:?}", pair[0]);
    }
}

// ----- credits per profile, learnt ---------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_delivery_teaches_the_real_price_and_the_next_quote_uses_it() {
    let harness = harness(10, 0, 0).await;
    let engine = &harness.engine;
    let before = engine.credits_per_profile().unwrap();
    assert_eq!((before.used, before.basis), (1, CreditsBasis::Setting));
    let first = engine
        .quote(&query_job(python_query(), Some(7)))
        .await
        .unwrap();
    assert_eq!(
        (first.credits, first.credits_basis),
        (7, CreditsBasis::Setting)
    );
    assert_eq!(
        first.credits_note,
        "1 credit per profile, from your plan setting."
    );

    let job = engine.submit(first.id, false).await.unwrap();
    let _scheduler = Scheduler::start(engine);
    wait_for_state(engine, job.id, JobState::Downloaded).await;

    let learnt = engine.credits_per_profile().unwrap();
    assert_eq!(learnt.setting, 1);
    assert_eq!(learnt.used, 10, "the simulator charged 70 for 7 profiles");
    assert_eq!(learnt.basis, CreditsBasis::Measured);
    assert_eq!(learnt.measured.as_ref().unwrap().job_id, job.id);

    let next = engine
        // Everyone, as before the library: these people were collected already.
        .quote_everyone(&query_job(python_query(), Some(3)))
        .await
        .unwrap();
    assert_eq!(next.credits_per_record, 10);
    assert_eq!(next.credits, 30);
    assert_eq!(next.credits_basis, CreditsBasis::Measured);
    assert_eq!(
        next.credits_note,
        "10 credits per profile, measured on an earlier delivery."
    );

    let ledger = engine.credit_ledger().unwrap();
    assert_eq!(ledger.lines.len(), 1);
    let line = &ledger.lines[0];
    assert_eq!(
        (line.job_id, line.records, line.credits),
        (Some(job.id), 7, 70)
    );
    assert!(line.measured && !ledger.estimated);
    assert_eq!(ledger.months.len(), 1);
    assert_eq!(ledger.months[0].credits, 70);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_with_the_service_at_the_same_time_teach_nothing_and_are_estimated() {
    let harness = harness(10, 0, 0).await;
    let engine = &harness.engine;
    let first = submit_job(engine, query_job(python_query(), Some(4)))
        .await
        .unwrap();
    let second = submit_job(engine, ids_job("ids-valid.csv")).await.unwrap();
    let _scheduler = Scheduler::start(engine);
    wait_for_state(engine, first.id, JobState::Downloaded).await;
    wait_for_state(engine, second.id, JobState::Downloaded).await;

    let figure = engine.credits_per_profile().unwrap();
    assert_eq!(figure.measured, None, "the balance moved for both at once");
    assert_eq!(figure.used, 1);
    let ledger = engine.credit_ledger().unwrap();
    assert_eq!(ledger.lines.len(), 2);
    assert!(ledger.lines.iter().all(|line| !line.measured));
    assert_eq!(
        ledger.total,
        4 + 500,
        "estimated: profiles × the plan's 1 credit"
    );
    assert!(ledger.estimated && ledger.months[0].estimated);
    let trail = engine.detail(first.id).unwrap().events;
    assert!(
        trail
            .iter()
            .any(|event| event.detail.contains("was not measured")),
        "the job's trail says why: {trail:?}"
    );
}

/// Sends a search of `limit` profiles and downloads it; `elsewhere` credits are spent by another
/// key of the team's account while it is with the service (before it is charged).
async fn deliver(harness: &Harness, limit: u32, elsewhere: i64) {
    let engine = &harness.engine;
    let job = submit_job(engine, query_job(python_query(), Some(limit)))
        .await
        .unwrap();
    harness
        .sim
        .set_credits(DEFAULT_PRACTICE_KEY, balance(harness) - elsewhere);
    engine.wait(job.id, None).await.unwrap();
    let done = engine.download(job.id, None).await.unwrap();
    assert_eq!(done.state, JobState::Downloaded);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_measured_while_another_key_spent_counts_until_three_show_it_was_unusual() {
    let harness = harness(10, 0, 0).await;
    let engine = &harness.engine;
    deliver(&harness, 7, 0).await;
    // 3 profiles at 10, and 60 spent elsewhere meanwhile: it looks like 30 a profile.
    deliver(&harness, 3, 60).await;

    // Two readings cannot tell which one is unusual: the higher, so no price is too low.
    let figure = engine.credits_per_profile().unwrap();
    assert_eq!((figure.used, figure.basis), (30, CreditsBasis::Measured));
    let measured = figure.measured.clone().unwrap();
    assert_eq!((measured.collections, measured.left_out), (2, 0));

    // A third, clean delivery shows it: it is left out, and prices go back to 10.
    deliver(&harness, 2, 0).await;
    let figure = engine.credits_per_profile().unwrap();
    assert_eq!((figure.used, figure.basis), (10, CreditsBasis::Measured));
    let measured = figure.measured.clone().unwrap();
    assert_eq!((measured.collections, measured.left_out), (3, 1));
    let quote = engine
        // Everyone, as before the library: these people were collected already.
        .quote_everyone(&query_job(python_query(), Some(4)))
        .await
        .unwrap();
    assert_eq!((quote.credits_per_record, quote.credits), (10, 40));
    assert_eq!(
        quote.credits_note,
        "10 credits per profile, measured: median of your last 3 collections (1 left out as unusual)."
    );
}

// ----- the limit per request -----------------------------------------------------------------

#[tokio::test]
async fn a_price_over_the_limit_needs_a_second_confirmation_naming_its_credits() {
    let harness = harness(1, 0, 0).await;
    let engine = &harness.engine;
    // The limit guards money, so it holds in Live mode (Practice spends nothing).
    let mut options = engine.options();
    options.mode = Mode::Live;
    options.credit_cap = Some(5);
    engine.apply(options).unwrap();

    let under = engine
        .quote(&query_job(python_query(), Some(5)))
        .await
        .unwrap();
    assert_eq!(under.over_cap, None, "at the limit is not over it");
    let quote = engine.quote(&ids_job("ids-valid.csv")).await.unwrap();
    assert_eq!(quote.over_cap, Some(5));

    let refused = engine.submit(quote.id, false).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::OverCap);
    assert_eq!(
        refused.user_message(),
        "This collection costs 500 credits, above your limit of 5 per request. Confirm again to go ahead."
    );
    for wrong in [None, Some(5), Some(499), Some(501)] {
        let refused = engine
            .submit_confirmed(
                quote.id,
                Confirmation {
                    over_cap: wrong,
                    ..yes_to(engine, quote.id, quote.credits)
                },
            )
            .await
            .unwrap_err();
        assert_eq!(refused.code(), ErrorCode::OverCap, "{wrong:?}");
    }
    assert_eq!(
        harness.sim.count_calls(Endpoint::SubmitIdFile),
        0,
        "nothing over the limit was sent"
    );
    let job = engine
        .submit_confirmed(
            quote.id,
            Confirmation {
                over_cap: Some(500),
                ..yes_to(engine, quote.id, quote.credits)
            },
        )
        .await
        .unwrap();
    assert_eq!(job.state, JobState::Processing);
    assert_eq!(harness.sim.count_calls(Endpoint::SubmitIdFile), 1);
    // Under the limit, the first confirmation is enough.
    engine
        .submit_confirmed(under.id, yes_to(engine, under.id, under.credits))
        .await
        .unwrap();
}

/// A person's yes to Live quote `quote` (what the app's native dialog or the CLI's prompt records).
fn yes_to(engine: &collect_core::jobs::Engine, quote: i64, credits: u64) -> Confirmation {
    Confirmation {
        consent: Some(
            engine
                .consents()
                .granted_by_person(collect_core::consent::Consent::Quote { quote, credits }),
        ),
        ..Confirmation::default()
    }
}
