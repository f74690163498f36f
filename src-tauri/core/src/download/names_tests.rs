//! Tests of `names.rs`.

use super::*;

fn names(list: &[&str]) -> Vec<String> {
    local_file_names(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

#[test]
fn normal_names_keep_their_basename() {
    assert_eq!(
        names(&[
            "json/part-00000-2c3d41c2-99c2-43ff-a39c-7ad7h63h7cd9-c000.json.gz",
            "part-00001.json.gz"
        ]),
        [
            "part-00000-2c3d41c2-99c2-43ff-a39c-7ad7h63h7cd9-c000.json.gz",
            "part-00001.json.gz"
        ]
    );
}

#[test]
fn hostile_names_cannot_leave_the_folder() {
    let got = names(&[
        "../x",
        "/etc/passwd",
        "..\\..\\evil",
        "C:\\x",
        "",
        ".",
        "..",
        "...",
        "json/",
        "a/../../b.json.gz",
        "\0\u{1}bad\nname.gz",
        ".hidden.json.gz",
        "what?<>|*\".json.gz",
        "C:evil",
        "trailing. . ",
    ]);
    assert_eq!(
        got,
        [
            "x",
            "passwd",
            "evil",
            "x-2",
            "part-4.json.gz",
            "part-5.json.gz",
            "part-6.json.gz",
            "part-7.json.gz",
            "part-8.json.gz",
            "b.json.gz",
            "badname.gz",
            "hidden.json.gz",
            "what______.json.gz",
            "C_evil",
            "trailing",
        ]
    );
    for name in &got {
        assert!(!name.contains(['/', '\\', '\0', ':']), "{name}");
        assert!(!name.starts_with('.'), "{name}");
        assert!(is_safe_local_name(name), "{name}");
    }
}

#[test]
fn windows_device_names_are_prefixed() {
    assert_eq!(
        names(&[
            "CON",
            "con.json.gz",
            "nul",
            "LPT1.txt",
            "COM10.gz",
            "console.gz"
        ]),
        [
            "_CON",
            "_con.json.gz",
            "_nul",
            "_LPT1.txt",
            "COM10.gz",
            "console.gz"
        ]
    );
}

#[test]
fn windows_device_names_that_passed_before_are_prefixed_too() {
    assert_eq!(
        names(&[
            "COM¹",
            "com².json.gz",
            "CONIN$",
            "conout$.gz",
            "LPT0",
            "COM0.json.gz",
            "Nul.csv"
        ]),
        [
            "_COM¹",
            "_com².json.gz",
            "_CONIN$",
            "_conout$.gz",
            "_LPT0",
            "_COM0.json.gz",
            "_Nul.csv"
        ]
    );
}

#[test]
fn duplicates_are_numbered_ignoring_case() {
    assert_eq!(
        names(&[
            "a/part.json.gz",
            "b/part.json.gz",
            "PART.json.gz",
            "part-2.json.gz",
            "noext",
            "noext"
        ]),
        [
            "part.json.gz",
            "part-2.json.gz",
            "PART-3.json.gz",
            "part-2-2.json.gz",
            "noext",
            "noext-2"
        ]
    );
}

#[test]
fn long_names_are_cut_but_keep_their_extension() {
    let long = format!("{}.json.gz", "x".repeat(500));
    let got = names(&[&long]);
    assert_eq!(got[0].len(), MAX_NAME_BYTES);
    assert!(got[0].ends_with("x.json.gz"));
}

/// Plain files directly in `dir`.
fn count_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_type().unwrap().is_file())
        .count()
}

/// Creates `<dir>/.partial/<name>.part` and `<dir>/<name>` for real, as a download does.
fn write_as_a_download_would(dir: &std::path::Path, name: &str) {
    let partial = dir.join(".partial");
    std::fs::create_dir_all(&partial).unwrap();
    let part = partial.join(format!("{name}{PART_SUFFIX}"));
    std::fs::write(&part, name).unwrap();
    std::fs::rename(&part, dir.join(name)).unwrap();
}

#[test]
fn long_non_latin_names_are_cut_by_bytes_and_still_fit_with_the_part_suffix() {
    let cjk = "数据文件名称".repeat(50); // 300 characters, 900 bytes
    let accented = "e\u{301}".repeat(200); // a letter and its accent, 600 bytes, in NFD
    let got = names(&[
        &format!("json/{cjk}.json.gz"),
        &cjk,
        &format!("{cjk}.json.gz"),
        &format!("{accented}.json.gz"),
        &format!("x.{cjk}"),
    ]);
    let dir = tempfile::tempdir().unwrap();
    for name in &got {
        assert!(
            name.len() + PART_SUFFIX.len() <= 255,
            "{} bytes",
            name.len()
        );
        assert!(
            name.len() > 200,
            "cut no more than needed: {} bytes",
            name.len()
        );
        assert!(is_safe_local_name(name), "{name}");
        write_as_a_download_would(dir.path(), name);
    }
    assert!(
        got[0].ends_with(".json.gz") && got[0].starts_with("数据"),
        "{}",
        got[0]
    );
    assert_eq!(
        got[0].len(),
        80 * 3 + ".json.gz".len(),
        "as many whole characters as fit"
    );
    assert!(got[1].chars().all(|c| "数据文件名称".contains(c)));
    assert!(got[2].ends_with("-2.json.gz"), "{}", got[2]);
    assert!(
        got[3].ends_with("é.json.gz"),
        "NFC, not cut inside a letter"
    );
    assert!(got[4].starts_with("x.数据"));
    assert_eq!(count_files(dir.path()), got.len());
}

#[test]
fn names_differing_only_in_case_or_normalisation_never_collide() {
    let got = names(&[
        "json/Caf\u{e9}.json.gz",     // é composed (NFC)
        "json/Cafe\u{301}.json.gz",   // e + combining acute (NFD)
        "json/CAF\u{c9}.json.gz",     // upper case
        "json/cafe\u{301}-2.JSON.GZ", // what the second one becomes, in other case and form
    ]);
    assert_eq!(
        got,
        [
            "Caf\u{e9}.json.gz",
            "Caf\u{e9}-2.json.gz",
            "CAF\u{c9}-3.json.gz",
            "caf\u{e9}-2-2.JSON.GZ",
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    for name in &got {
        write_as_a_download_would(dir.path(), name);
    }
    assert_eq!(count_files(dir.path()), 4);
}

#[test]
fn every_name_given_is_recognised_as_safe() {
    let long = "Ω".repeat(300);
    for name in names(&[
        "CON.json.gz",
        &format!("con{long}"),
        &long,
        &long,
        "a  . .json.gz",
    ]) {
        assert!(is_safe_local_name(&name), "{name}");
        assert!(name.len() <= MAX_NAME_BYTES, "{name}");
    }
}

#[test]
fn unsafe_local_names_are_recognised() {
    for bad in ["../x", "a/b", "", ".x", "CON", "x\0"] {
        assert!(!is_safe_local_name(bad), "{bad}");
    }
}
