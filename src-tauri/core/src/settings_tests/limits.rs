//! Downloads and batches at once, past positions and update checks: checked, kept, and given to the
//! engine.

use super::*;

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
