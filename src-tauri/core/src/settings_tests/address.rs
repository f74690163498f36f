//! The service address is no setting: the webview cannot send one, an older version's is cleared,
//! and the saved key goes only to Coresignal (or, in debug builds, the simulator).

use super::*;

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
