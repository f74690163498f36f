//! The download folder: a full path on this computer's disk, never a network share.

use super::*;

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
            !crate::settings::folders::is_network_path(Path::new(local)),
            "{local} is on this computer"
        );
    }
}
