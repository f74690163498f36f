//! Money on screen, tried as a new user would: the app's session against the real simulator over
//! HTTP and a real SQLite file. A Live price says when it assumes the price per profile; a balance
//! that cannot pay is refused with its figures; the limit per request is on by default; Practice
//! says nothing is spent; and neither a Live quote nor a looser money setting goes through without
//! a person's yes given outside the webview.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;

use bulk_collect_tests::*;
use collect_core::consent::Consent;
use collect_core::error::Coded;
use collect_core::jobs::{Confirmation, Engine, Mode, Quote};
use collect_core::money::{CreditsBasis, TOP_UP_URL};
use collect_core::secrets::{ApiKey, MemoryStore};
use collect_core::session::Session;
use collect_core::settings::ProxyPasswordChange;
use collect_core::ErrorCode;
use coresignal_sim::{Endpoint, SimConfig, Simulator};

const KEY: &str = "live-key-0123456789abcdef01234567";

async fn sim_with_balance(balance: i64) -> Simulator {
    Simulator::start(SimConfig {
        api_keys: vec![(KEY.to_owned(), balance)],
        ..slow_sim()
    })
    .await
    .unwrap()
}

fn session(dir: &std::path::Path) -> Session {
    Session::open(dir, Arc::new(MemoryStore::new())).unwrap()
}

async fn live(session: &Session, sim: &Simulator) -> Arc<Engine> {
    session
        .activate(Mode::Live, &sim.base_url(), ApiKey::new(KEY), |_| {})
        .await
        .unwrap()
}

async fn quote_of(engine: &Engine, limit: u32) -> Quote {
    engine
        .quote(&query_job(python_query(), Some(limit)))
        .await
        .unwrap()
}

fn posts(sim: &Simulator) -> usize {
    sim.count_calls(Endpoint::SubmitEsDsl) + sim.count_calls(Endpoint::SubmitIdFile)
}

/// What the native dialog's yes records, for exactly `quote`.
fn yes_to(engine: &Engine, quote: &Quote) -> Confirmation {
    Confirmation {
        again: false,
        over_cap: quote.over_cap.map(|_| quote.credits),
        consent: Some(engine.consents().granted_by_person(Consent::Quote {
            quote: quote.id,
            credits: quote.credits,
        })),
    }
}

// ----- 1: a Live price before the plan is known assumes 10 a profile and says so ----------------

#[tokio::test]
async fn switching_to_a_real_key_after_practice_settings_prices_on_an_assumed_ten_and_says_so() {
    let sim = sim_with_balance(1_000_000).await;
    let dir = tempfile::tempdir().unwrap();
    let session = session(dir.path());
    // Practice first: the person changes only the theme, which saves every setting (the default
    // 1 credit per profile among them). Then a real key, through Settings: no plan question.
    let mut settings = session.settings().unwrap();
    settings.theme = collect_core::settings::Theme::Dark;
    session
        .save_settings(&settings, &ProxyPasswordChange::Keep)
        .await
        .unwrap();
    let engine = live(&session, &sim).await;
    let quote = quote_of(&engine, 20).await;
    assert_eq!(quote.credits_per_record, 10, "current plans charge 10");
    assert_eq!(quote.credits, 200);
    assert_eq!(quote.credits_basis, CreditsBasis::Assumed);
    assert!(
        quote
            .credits_note
            .starts_with("This uses an assumed 10 credits a profile;"),
        "{}",
        quote.credits_note
    );
    assert!(
        quote
            .question
            .contains("This uses an assumed 10 credits a profile;"),
        "{}",
        quote.question
    );

    // The person answers the plan question (an older plan: 1 a profile). A plan below the
    // assumed figure lowers every price, so the native dialog asks it in the plan's words; with
    // the person's yes, prices use it and no longer say "assumed".
    let mut answered = session.settings().unwrap();
    answered.credits_per_record = 1;
    answered.plan_known = true;
    let change = session.money_change(&answered).unwrap().expect("asked");
    assert_eq!(change.key, "plan=1");
    let yes = session
        .consents()
        .granted_by_person(Consent::MoneySettings { change: change.key });
    session
        .save_settings_confirmed(&answered, &ProxyPasswordChange::Keep, Some(&yes))
        .await
        .unwrap();
    session.apply_settings().await.unwrap();
    let quote = quote_of(&engine, 20).await;
    assert_eq!(
        (quote.credits_per_record, quote.credits_basis),
        (1, CreditsBasis::Setting)
    );
    assert!(!quote.question.contains("assumed"), "{}", quote.question);
}

// ----- 2: a known balance below the price cannot be confirmed ------------------------------------

#[tokio::test]
async fn a_balance_below_the_price_is_named_with_its_figures_and_submit_refuses_it() {
    let sim = sim_with_balance(1_800).await;
    let dir = tempfile::tempdir().unwrap();
    let session = session(dir.path());
    let engine = live(&session, &sim).await;
    // 250 profiles at the assumed 10 a profile: 2,500 credits against 1,800.
    let quote = quote_of(&engine, 250).await;
    let shortfall = quote.shortfall.clone().expect("the balance cannot pay");
    assert_eq!(
        shortfall.message,
        "This needs 2,500 credits; you have 1,800."
    );
    assert_eq!(shortfall.top_up_url, TOP_UP_URL);

    let refused = engine
        .submit_confirmed(quote.id, yes_to(&engine, &quote))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InsufficientCredits);
    assert!(
        refused
            .user_message()
            .starts_with("This needs 2,500 credits; you have 1,800. Nothing was sent"),
        "{}",
        refused.user_message()
    );
    assert_eq!(posts(&sim), 0, "nothing was sent");
    assert!(engine.jobs().unwrap().is_empty());

    // One the balance pays goes through.
    let affordable = quote_of(&engine, 100).await;
    assert!(affordable.shortfall.is_none());
    engine
        .submit_confirmed(affordable.id, yes_to(&engine, &affordable))
        .await
        .unwrap();
    assert_eq!(posts(&sim), 1);
}

// ----- 3: the limit per request is on by default -----------------------------------------------

#[tokio::test]
async fn a_new_installation_has_a_limit_of_a_thousand_credits_and_above_it_asks_again() {
    let sim = sim_with_balance(1_000_000).await;
    let dir = tempfile::tempdir().unwrap();
    let session = session(dir.path());
    assert_eq!(session.settings().unwrap().credit_cap, Some(1_000));
    let engine = live(&session, &sim).await;
    let quote = quote_of(&engine, 150).await; // 1,500 credits at the assumed 10
    assert_eq!(quote.over_cap, Some(1_000));
    let (_, question) = engine.consent_question(quote.id).unwrap().unwrap();
    assert!(
        question.ends_with("This is above your limit of 1,000 credits per request."),
        "{question}"
    );
    let mut once = yes_to(&engine, &quote);
    once.over_cap = None;
    let refused = engine.submit_confirmed(quote.id, once).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::OverCap);
    assert!(refused.user_message().contains("1,500 credits"));
    assert_eq!(posts(&sim), 0);
}

// ----- 4: Practice says nothing is spent ---------------------------------------------------------

#[tokio::test]
async fn a_practice_quote_says_nothing_is_spent_and_names_no_balance_to_fall_short_of() {
    let harness = Harness::start(quick_sim()).await;
    let quote = harness
        .engine
        .quote(&query_job(python_query(), Some(25)))
        .await
        .unwrap();
    assert!(quote.practice);
    assert!(quote.shortfall.is_none());
    assert_eq!(
        quote.question,
        "Collect 25 profiles? Practice: nothing is spent (a real account would pay 25 credits)."
    );
}

// ----- 5: no Live spending and no looser money setting without a person's yes ------------------

#[tokio::test]
async fn a_live_quote_is_not_spent_without_a_yes_to_exactly_it() {
    let sim = sim_with_balance(1_000_000).await;
    let dir = tempfile::tempdir().unwrap();
    let session = session(dir.path());
    let engine = live(&session, &sim).await;
    let quote = quote_of(&engine, 20).await;

    // What a script in the webview can send: the flags, no consent.
    let script = Confirmation {
        again: false,
        over_cap: None,
        consent: None,
    };
    let refused = engine.submit_confirmed(quote.id, script).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::ConfirmationNeeded);
    // A yes to another figure does not do either.
    let mut other = yes_to(&engine, &quote);
    other.consent = Some(engine.consents().granted_by_person(Consent::Quote {
        quote: quote.id,
        credits: quote.credits - 1,
    }));
    assert_eq!(
        engine
            .submit_confirmed(quote.id, other)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::ConfirmationNeeded
    );
    assert_eq!(posts(&sim), 0);
    engine
        .submit_confirmed(quote.id, yes_to(&engine, &quote))
        .await
        .unwrap();
    assert_eq!(posts(&sim), 1);
}

#[tokio::test]
async fn turning_the_limit_off_needs_a_yes_and_tightening_it_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let session = session(dir.path());
    let mut off = session.settings().unwrap();
    off.credit_cap = None;
    let refused = session
        .save_settings(&off, &ProxyPasswordChange::Keep)
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::ConfirmationNeeded);
    assert!(
        refused
            .message
            .starts_with("Turn off the limit per request (now 1,000 credits)?"),
        "{}",
        refused.message
    );
    assert_eq!(session.settings().unwrap().credit_cap, Some(1_000));

    // A lower limit, or a higher price per profile, is saved without asking.
    let mut tighter = session.settings().unwrap();
    tighter.credit_cap = Some(500);
    tighter.credits_per_record = 20;
    session
        .save_settings(&tighter, &ProxyPasswordChange::Keep)
        .await
        .unwrap();
    assert_eq!(session.settings().unwrap().credit_cap, Some(500));

    // The person's yes to exactly that change lets it through, once.
    let change = session.money_change(&off).unwrap().expect("a loosening");
    let yes = session
        .consents()
        .granted_by_person(Consent::MoneySettings {
            change: change.key.clone(),
        });
    session
        .save_settings_confirmed(&off, &ProxyPasswordChange::Keep, Some(&yes))
        .await
        .unwrap();
    let saved = session.settings().unwrap();
    assert_eq!(saved.credit_cap, None, "no limit, as the person chose");
    assert!(saved.plan_known, "20 a profile was the person's figure");
}
