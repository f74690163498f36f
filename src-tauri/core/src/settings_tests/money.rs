//! The money settings: the default limit per request, the plan, the preview's price; older versions'
//! settings load; a lower price is a loosening that asks.

use super::*;

#[test]
fn settings_an_older_version_saved_get_the_default_limit_and_keep_their_plan() {
    let store = Store::open_in_memory().unwrap();
    // An older version wrote the plan's figure and no limit at all (it had none by default).
    store.set_setting(Setting::CreditsPerRecord, "10").unwrap();
    let loaded = Settings::load(&store, Path::new("/tmp/data")).unwrap();
    assert_eq!(
        loaded.credit_cap,
        Some(1_000),
        "an upgrade gets the default limit, as a new installation does"
    );
    // Only the person's own "off" is no limit; a value that cannot be read is not "off" either.
    store.set_setting(Setting::CreditCap, "off").unwrap();
    let loaded = Settings::load(&store, Path::new("/tmp/data")).unwrap();
    assert_eq!(loaded.credit_cap, None, "the person chose no limit");
    store.set_setting(Setting::CreditCap, "lots").unwrap();
    let loaded = Settings::load(&store, Path::new("/tmp/data")).unwrap();
    assert_eq!(loaded.credit_cap, Some(1_000));
    assert!(
        loaded.plan_known,
        "10 was the person's answer to the plan question"
    );
    // Its default figure was not an answer: Live prices assume until the plan is chosen.
    store.set_setting(Setting::CreditsPerRecord, "1").unwrap();
    let loaded = Settings::load(&store, Path::new("/tmp/data")).unwrap();
    assert!(!loaded.plan_known);
    let options = loaded.engine_options(Mode::Live, DEFAULT_BASE_URL, None);
    assert!(options.credits_assumed);
    assert!(
        !loaded
            .engine_options(Mode::Practice, DEFAULT_BASE_URL, None)
            .credits_assumed
    );
}

#[test]
fn money_settings_default_save_and_reach_the_engine() {
    let store = Store::open_in_memory().unwrap();
    let loaded = Settings::load(&store, Path::new("/tmp/data")).unwrap();
    assert_eq!(loaded.preview_credits, 10, "the evidence says 10 a preview");
    assert_eq!(
        (loaded.credit_cap, loaded.price_per_credit.clone()),
        (Some(1_000), None),
        "a new installation starts with a limit of 1,000 credits per request"
    );
    assert!(!loaded.plan_known, "nobody said which plan yet");
    for credits_per_record in [1, 10] {
        let settings = Settings {
            credits_per_record,
            plan_known: true,
            preview_credits: 0,
            credit_cap: Some(5_000),
            price_per_credit: Some(crate::money::CreditPrice {
                amount: 0.02,
                currency: "EUR".into(),
            }),
            ..valid()
        };
        settings.save(&store).unwrap();
        let back = Settings::load(&store, Path::new("/tmp/data")).unwrap();
        assert_eq!(back, settings);
        let options = back.engine_options(Mode::Live, DEFAULT_BASE_URL, None);
        assert_eq!(options.credits_per_record, credits_per_record);
        assert_eq!(
            (options.preview_credits, options.credit_cap),
            (0, Some(5_000))
        );
    }
    // Turning the cap and the price off removes them (and "no limit" stays no limit).
    valid().save(&store).unwrap();
    let back = Settings::load(&store, Path::new("/tmp/data")).unwrap();
    assert_eq!((back.credit_cap, back.price_per_credit), (None, None));
    let refused = Settings {
        credit_cap: Some(0),
        ..valid()
    };
    assert!(refused
        .save(&store)
        .unwrap_err()
        .to_string()
        .contains("at least 1"));
}

#[test]
fn settings_sent_by_an_older_webview_without_the_money_fields_still_load() {
    let mut json = serde_json::to_value(valid()).unwrap();
    for field in ["preview_credits", "credit_cap", "price_per_credit"] {
        json.as_object_mut().unwrap().remove(field);
    }
    let settings: Settings = serde_json::from_value(json).unwrap();
    assert_eq!(settings.preview_credits, 10);
    assert_eq!(settings.credit_cap, None);
}

#[test]
fn telling_the_plan_asks_only_below_the_assumed_price_and_lowering_a_known_one_asks() {
    let unknown = Settings {
        credits_per_record: 1,
        plan_known: false,
        ..valid()
    };
    // The app assumed 10 a profile; the person answers 10 or more: nothing to ask.
    for figure in [10, 12] {
        let told = Settings {
            credits_per_record: figure,
            plan_known: true,
            ..unknown.clone()
        };
        assert_eq!(told.money_loosened_from(&unknown), None, "{figure}");
    }
    // An answer below it (an older plan: 1 a profile) lowers every price: asked in the plan's
    // words, so a script cannot answer it for the person.
    let told = Settings {
        plan_known: true,
        ..unknown.clone()
    };
    let change = told.money_loosened_from(&unknown).expect("a lower price");
    assert_eq!(change.key, "plan=1");
    assert!(
        change
            .question
            .starts_with("Does your Coresignal plan charge 1 credit per profile?"),
        "{}",
        change.question
    );
    // Typing a figure is telling the plan too.
    let typed = Settings {
        credits_per_record: 2,
        ..unknown.clone()
    };
    assert_eq!(typed.money_loosened_from(&unknown).unwrap().key, "plan=2");
    // Once the plan is known, a lower figure loosens the price and needs a yes.
    let known = Settings {
        credits_per_record: 10,
        plan_known: true,
        ..valid()
    };
    let lower = Settings {
        credits_per_record: 1,
        ..known.clone()
    };
    let change = lower.money_loosened_from(&known).expect("a lower price");
    assert_eq!(change.key, "per_profile=1");
}

#[test]
fn a_cheaper_preview_is_a_loosening_and_a_dearer_one_is_not() {
    let before = Settings {
        plan_known: true,
        ..valid()
    };
    assert_eq!(before.preview_credits, 10);
    let dearer = Settings {
        preview_credits: 20,
        ..before.clone()
    };
    assert_eq!(
        dearer.money_loosened_from(&before),
        None,
        "each paid preview still asks, naming its credits"
    );
    let cheaper = Settings {
        preview_credits: 5,
        ..before.clone()
    };
    let change = cheaper.money_loosened_from(&before).expect("a lower price");
    assert_eq!(change.key, "preview=5");
    assert!(
        change
            .question
            .starts_with("Count 5 credits per preview of sample people instead of 10 credits?"),
        "{}",
        change.question
    );
    let free = Settings {
        preview_credits: 0,
        ..before.clone()
    };
    let change = free
        .money_loosened_from(&before)
        .expect("previews that ask nothing");
    assert!(
        change
            .question
            .starts_with("Count previews of sample people as free (now 10 credits each)?"),
        "{}",
        change.question
    );
}
