//! The proxy: its password never in the stored address, given to the client only; a password change
//! reads keep, set or remove.

use super::*;

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
