//! Tests of `settings.rs`.

use std::path::Path;

use super::*;

#[test]
fn defaults_apply_until_set() {
    let store = Store::open_in_memory().unwrap();
    let data = PathBuf::from("/tmp/data");
    let settings = Settings::load(&store, &data).unwrap();
    assert_eq!(settings.credits_per_record, 1);
    assert_eq!(settings.requests_per_second, 27);
    assert_eq!(settings.proxy, None);

    store.set_setting(Setting::CreditsPerRecord, "10").unwrap();
    store
        .set_setting(Setting::RequestsPerSecond, "500")
        .unwrap();
    store
        .set_setting(Setting::DownloadRoot, "/data/out")
        .unwrap();
    let settings = Settings::load(&store, &data).unwrap();
    assert_eq!(settings.credits_per_record, 10);
    assert_eq!(
        settings.requests_per_second, 27,
        "never above the service's limit"
    );
    assert_eq!(settings.download_root, PathBuf::from("/data/out"));
}

fn valid() -> Settings {
    Settings {
        credits_per_record: 1,
        requests_per_second: 27,
        max_downloads: 3,
        batches_at_once: 2,
        past_positions: 3,
        export_after_download: true,
        download_root: PathBuf::from(if cfg!(windows) {
            r"C:\out"
        } else {
            "/data/out"
        }),
        proxy: None,
        theme: Theme::System,
        check_for_updates: true,
        preview_credits: 10,
        credit_cap: None,
        price_per_credit: None,
        plan_known: false,
    }
}

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
fn the_service_address_is_not_a_setting_the_webview_can_send() {
    let mut json = serde_json::to_value(valid()).unwrap();
    assert!(json.get("api_base").is_none());
    json["api_base"] = "https://attacker.example/cdapi".into();
    let refused = serde_json::from_value::<Settings>(json).unwrap_err();
    assert!(
        refused.to_string().contains("unknown field `api_base`"),
        "{refused}"
    );
}

#[test]
fn a_service_address_stored_by_an_older_version_is_ignored_and_cleared() {
    let store = Store::open_in_memory().unwrap();
    store
        .set_setting(Setting::ApiBase, "https://attacker.example/cdapi")
        .unwrap();
    let settings = Settings::load(&store, Path::new("/tmp/data")).unwrap();
    let options = settings.engine_options(Mode::Live, DEFAULT_BASE_URL, None);
    assert_eq!(options.api.base_url, DEFAULT_BASE_URL);
    valid().save(&store).unwrap();
    assert_eq!(store.setting(Setting::ApiBase).unwrap(), None);
}

#[test]
fn live_api_base_defaults_to_coresignal() {
    if std::env::var_os(API_BASE_ENV).is_none() {
        assert_eq!(live_api_base(), DEFAULT_BASE_URL);
    }
}

#[test]
fn the_saved_key_goes_only_to_coresignal_or_in_debug_builds_to_the_simulator() {
    let real = DEFAULT_BASE_URL.to_owned();
    assert_eq!(api_base_for_saved_key(real.clone(), false).unwrap(), real);
    let simulator = "http://127.0.0.1:4000/cdapi".to_owned();
    assert_eq!(
        api_base_for_saved_key(simulator.clone(), true).unwrap(),
        simulator
    );
    for (elsewhere, allow_loopback) in [
        (simulator.as_str(), false),
        ("https://collector.example.com/cdapi", true),
        ("http://api.coresignal.com/cdapi", true),
        ("https://api.coresignal.com.evil.example/cdapi", true),
        ("not an address", true),
    ] {
        let error = api_base_for_saved_key(elsewhere.to_owned(), allow_loopback).unwrap_err();
        assert_eq!(error.code, crate::ErrorCode::InvalidInput, "{elsewhere}");
        assert!(
            error.message.contains("your API key was not sent"),
            "{error:?}"
        );
        assert!(error.message.contains(elsewhere), "{error:?}");
    }
}

#[test]
fn downloads_at_once_are_between_1_and_10_and_kept() {
    let store = Store::open_in_memory().unwrap();
    for bad in [0, 11] {
        let settings = Settings {
            max_downloads: bad,
            ..valid()
        };
        let error = settings.save(&store).unwrap_err();
        assert!(error.to_string().contains("Downloads at once"), "{error}");
    }
    Settings {
        max_downloads: 5,
        ..valid()
    }
    .save(&store)
    .unwrap();
    let loaded = Settings::load(&store, std::path::Path::new("/data")).unwrap();
    assert_eq!(loaded.max_downloads, 5);
    assert_eq!(
        loaded
            .engine_options(Mode::Live, "https://x", None)
            .max_downloads,
        5
    );
}

#[test]
fn batches_at_once_and_past_positions_are_checked_kept_and_reach_the_engine() {
    let store = Store::open_in_memory().unwrap();
    for (bad, named) in [
        (
            Settings {
                batches_at_once: 0,
                ..valid()
            },
            "Batches at once",
        ),
        (
            Settings {
                batches_at_once: 11,
                ..valid()
            },
            "Batches at once",
        ),
        (
            Settings {
                past_positions: 51,
                ..valid()
            },
            "Past positions",
        ),
    ] {
        let error = bad.save(&store).unwrap_err();
        assert!(error.to_string().contains(named), "{error}");
    }
    Settings {
        batches_at_once: 4,
        past_positions: 0,
        ..valid()
    }
    .save(&store)
    .unwrap();
    let loaded = Settings::load(&store, std::path::Path::new("/data")).unwrap();
    assert_eq!((loaded.batches_at_once, loaded.past_positions), (4, 0));
    let options = loaded.engine_options(Mode::Live, "https://x", None);
    assert_eq!((options.batches_at_once, options.past_positions), (4, 0));
}

#[test]
fn update_checks_are_on_until_turned_off_and_stay_off() {
    let store = Store::open_in_memory().unwrap();
    let data = Path::new("/data");
    assert!(Settings::load(&store, data).unwrap().check_for_updates);
    Settings {
        check_for_updates: false,
        ..valid()
    }
    .save(&store)
    .unwrap();
    assert!(!Settings::load(&store, data).unwrap().check_for_updates);
}

#[test]
fn the_download_folder_must_be_a_full_path() {
    let store = Store::open_in_memory().unwrap();
    for relative in ["downloads", "./out", "out/jobs"] {
        let settings = Settings {
            download_root: PathBuf::from(relative),
            ..valid()
        };
        let error = settings.save(&store).unwrap_err();
        assert!(
            error.to_string().starts_with(&format!(
                "The download folder \"{relative}\" is not a full path"
            )),
            "{error}"
        );
        assert!(error.to_string().contains("Change folder"), "{error}");
        assert_eq!(
            crate::error::Coded::code(&error),
            crate::ErrorCode::InvalidInput
        );
    }
    assert_eq!(
        store.setting(Setting::DownloadRoot).unwrap(),
        None,
        "nothing saved"
    );
    valid().save(&store).unwrap();
    assert_eq!(
        store
            .setting(Setting::DownloadRoot)
            .unwrap()
            .map(PathBuf::from),
        Some(valid().download_root)
    );
}

#[test]
fn a_network_folder_is_refused_as_the_download_folder() {
    let store = Store::open_in_memory().unwrap();
    for network in [
        r"\\fileserver\share\people",
        "//fileserver/share/people",
        r"\\?\UNC\fileserver\share",
        "//?/UNC/fileserver/share",
        r"\\.\UNC\fileserver\share",
        r"/\fileserver\share",
    ] {
        let settings = Settings {
            download_root: PathBuf::from(network),
            ..valid()
        };
        let error = settings.save(&store).unwrap_err().to_string();
        assert!(
            error.contains("is on another computer (a network share)")
                && error.contains("choose a folder on this computer's disk"),
            "{network}: {error}"
        );
    }
    assert_eq!(store.setting(Setting::DownloadRoot).unwrap(), None);
    for local in [
        r"\\?\C:\Users\anna",
        "//?/D:/out",
        r"C:\Users\anna",
        "/home/anna/out",
    ] {
        assert!(
            !super::folders::is_network_path(Path::new(local)),
            "{local} is on this computer"
        );
    }
}

#[test]
fn a_proxy_password_is_never_part_of_the_stored_address() {
    let with_password = Settings {
        proxy: Some("http://anna:s3cret@proxy.example.com:8080".into()),
        ..valid()
    };
    let error = with_password
        .validate(&ProxyPasswordChange::Keep)
        .unwrap_err();
    assert!(error.to_string().contains("Proxy password box"), "{error}");

    let no_user = Settings {
        proxy: Some("http://proxy.example.com:8080".into()),
        ..valid()
    };
    let set = ProxyPasswordChange::Set(ProxyPassword::new("s3cret"));
    assert!(no_user
        .validate(&set)
        .unwrap_err()
        .to_string()
        .contains("user name"));
    let no_proxy = valid();
    assert!(no_proxy
        .validate(&set)
        .unwrap_err()
        .to_string()
        .contains("address before"));
    let empty = ProxyPasswordChange::Set(ProxyPassword::new(""));
    let with_user = Settings {
        proxy: Some("http://anna@proxy.example.com:8080".into()),
        ..valid()
    };
    assert!(with_user.validate(&empty).is_err());
    with_user.validate(&set).unwrap();
    with_user.validate(&ProxyPasswordChange::Remove).unwrap();
}

#[test]
fn the_client_gets_the_proxy_with_its_password_the_store_never_does() {
    let store = Store::open_in_memory().unwrap();
    let settings = Settings {
        proxy: Some(" http://anna@proxy.example.com:8080 ".into()),
        ..valid()
    };
    settings.save(&store).unwrap();
    assert_eq!(
        store.setting(Setting::Proxy).unwrap().as_deref(),
        Some("http://anna@proxy.example.com:8080")
    );
    let password = ProxyPassword::new("p@ss word");
    let options = settings.engine_options(Mode::Live, DEFAULT_BASE_URL, Some(&password));
    let url = url::Url::parse(&options.api.proxy.unwrap()).unwrap();
    assert_eq!(url.username(), "anna");
    assert_eq!(url.password(), Some("p%40ss%20word"));
    assert_eq!(url.host_str(), Some("proxy.example.com"));
    assert_eq!(
        settings.proxy_url(None).as_deref(),
        Some("http://anna@proxy.example.com:8080")
    );
    assert_eq!(valid().proxy_url(Some(&password)), None);
}

#[test]
fn a_password_change_reads_keep_set_or_remove() {
    let change = |json: &str| serde_json::from_str::<ProxyPasswordChange>(json).unwrap();
    assert_eq!(change(r#""keep""#), ProxyPasswordChange::Keep);
    assert_eq!(change(r#""remove""#), ProxyPasswordChange::Remove);
    assert_eq!(
        change(r#"{"set": "pw"}"#),
        ProxyPasswordChange::Set(ProxyPassword::new("pw"))
    );
    assert_eq!(
        format!("{:?}", change(r#"{"set": "pw"}"#)),
        "Set(ProxyPassword(<redacted>))"
    );
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
