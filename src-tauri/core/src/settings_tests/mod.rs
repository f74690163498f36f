//! Tests of `settings.rs`.

use std::path::Path;

use super::*;

mod address;
mod download_folder;
mod limits;
mod money;
mod proxy;

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
