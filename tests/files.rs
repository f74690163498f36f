//! What the app wrote, read back by independent readers: gzip records, the files under a folder,
//! workbook cells (calamine).

use std::path::{Path, PathBuf};

/// Every record of a gzip JSON Lines file.
pub fn read_records(path: &Path) -> Vec<serde_json::Value> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).expect("the downloaded file opens");
    let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
    reader
        .lines()
        .map(|line| line.expect("valid gzip and UTF-8"))
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(&line).expect("each line is JSON"))
        .collect()
}

/// Every file under `dir`, recursively (for "nothing was written elsewhere" checks).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The ids in column `column` of `sheet` of the workbook at `path` (header skipped), read by an
/// independent reader (calamine).
pub fn workbook_ids(path: &Path, sheet: &str, column: usize) -> Vec<i64> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook(path).expect("the workbook opens");
    let range = workbook.worksheet_range(sheet).expect("the sheet exists");
    ids_in(&range, column)
}

/// The ids in column `column` of a sheet, header skipped.
pub fn ids_in(range: &calamine::Range<calamine::Data>, column: usize) -> Vec<i64> {
    range
        .rows()
        .skip(1)
        .map(|row| match &row[column] {
            calamine::Data::Float(id) => *id as i64,
            calamine::Data::Int(id) => *id,
            other => panic!("an id is a number, not {other:?}"),
        })
        .collect()
}

/// Every row of `sheet` of the workbook at `path` as text, header first (whole numbers as
/// digits), read by an independent reader (calamine).
pub fn sheet_text(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook(path).expect("the workbook opens");
    let range = workbook.worksheet_range(sheet).expect("the sheet is there");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    calamine::Data::Float(number) if number.fract() == 0.0 => {
                        format!("{}", *number as i64)
                    }
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}
