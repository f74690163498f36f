//! Text lists: CSV, TSV, TXT and pasted cells. Quoted cells may hold delimiters, quotes (`""`) and
//! line breaks; the delimiter (`,` `;` tab `|`) is found from the first lines.

use super::table::{ListError, ListRow, ListTable, PASTED};
use super::MAX_ROWS;

/// How many lines are looked at to find the delimiter.
const SNIFF_LINES: usize = 30;

/// Reads a text file: UTF-8 (a byte order mark is dropped), else Windows-1252 (what Excel's plain
/// "CSV" saves on Western Windows); a file mixing UTF-8 with other bytes is refused, naming the line.
pub(super) fn read_text(bytes: &[u8], source: &str) -> Result<ListTable, ListError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(error) if holds_utf8_letters(bytes) => {
            let line = 1 + bytes[..error.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            return Err(ListError::NotUtf8 { line });
        }
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    };
    let delimiter = detect_delimiter(&text);
    table_of(&text, delimiter, source)
}

/// Whether bytes that are not all UTF-8 still hold UTF-8 letters (é as two bytes): then the file
/// mixes encodings, and reading it as Windows-1252 would garble those letters silently.
fn holds_utf8_letters(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes)
        .chars()
        .any(|c| !c.is_ascii() && c != char::REPLACEMENT_CHARACTER)
}

/// Reads pasted cells: one line split at tabs, commas or semicolons is one value a row (a row of
/// cells, or `a, b, c`); several lines are tab-separated when any holds a tab (a block copied from
/// a spreadsheet), else read like a text file.
pub(super) fn read_pasted_text(text: &str) -> Result<ListTable, ListError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let filled: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if let [only] = filled.as_slice() {
        if let Some(delimiter) = ['\t', ',', ';'].into_iter().find(|d| only.contains(*d)) {
            let rows = split_record(only, delimiter)
                .into_iter()
                .map(|cell| cell.trim().to_owned())
                .filter(|cell| !cell.is_empty())
                .enumerate()
                .map(|(i, cell)| ListRow {
                    row: i + 1,
                    cells: vec![cell],
                })
                .collect::<Vec<_>>();
            if rows.len() > MAX_ROWS {
                return Err(ListError::TooManyRows);
            }
            return Ok(ListTable {
                source: PASTED.to_owned(),
                sheet: None,
                total_rows: rows.len(),
                rows,
            });
        }
    }
    if text.contains('\t') {
        return table_of(text, Some('\t'), PASTED);
    }
    table_of(text, detect_delimiter(text), PASTED)
}

fn table_of(text: &str, delimiter: Option<char>, source: &str) -> Result<ListTable, ListError> {
    let (records, total_rows) = records(text, delimiter)?;
    let rows = records
        .into_iter()
        .filter_map(|(row, cells)| {
            let cells: Vec<String> = cells.iter().map(|c| c.trim().to_owned()).collect();
            cells
                .iter()
                .any(|c| !c.is_empty())
                .then_some(ListRow { row, cells })
        })
        .collect();
    Ok(ListTable {
        source: source.to_owned(),
        sheet: None,
        rows,
        total_rows,
    })
}

/// One record: the line it starts on, and its cells.
pub(super) type Record = (usize, Vec<String>);

/// Splits text into records of cells, each with the line it starts on; also the number of lines.
/// A quote opens a quoted cell only at the start of a cell; inside it, `""` is a quote and line
/// breaks belong to the cell. Without a delimiter every line is one cell.
pub(super) fn records(
    text: &str,
    delimiter: Option<char>,
) -> Result<(Vec<Record>, usize), ListError> {
    let mut out = Vec::new();
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut at_cell_start = true;
    let mut line = 1;
    let mut record_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' if quoted => quoted = false,
            '"' if at_cell_start && delimiter.is_some() => {
                quoted = true;
                at_cell_start = false;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                line += 1;
                if quoted {
                    cell.push('\n');
                    continue;
                }
                cells.push(std::mem::take(&mut cell));
                out.push((record_line, std::mem::take(&mut cells)));
                if out.len() > MAX_ROWS {
                    return Err(ListError::TooManyRows);
                }
                record_line = line;
                at_cell_start = true;
            }
            c if Some(c) == delimiter && !quoted => {
                cells.push(std::mem::take(&mut cell));
                at_cell_start = true;
            }
            ' ' if at_cell_start => {}
            c => {
                cell.push(c);
                at_cell_start = false;
            }
        }
    }
    let ends_with_break = text.ends_with(['\n', '\r']);
    if !ends_with_break && !text.is_empty() {
        cells.push(cell);
        out.push((record_line, cells));
        if out.len() > MAX_ROWS {
            return Err(ListError::TooManyRows);
        }
    }
    let total = if ends_with_break { line - 1 } else { line };
    Ok((out, total))
}

/// Splits one line at `delimiter`, honouring double quotes.
fn split_record(line: &str, delimiter: char) -> Vec<String> {
    match records(line, Some(delimiter)) {
        Ok((mut records, _)) if !records.is_empty() => records.swap_remove(0).1,
        _ => vec![line.to_owned()],
    }
}

/// The delimiter that splits the first lines into the same number (≥ 2) of cells most often; none
/// when no candidate splits at least half of them.
pub(super) fn detect_delimiter(text: &str) -> Option<char> {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(SNIFF_LINES)
        .collect();
    let mut best: Option<(char, usize)> = None;
    for delimiter in ['\t', ',', ';', '|'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| split_record(l, delimiter).len())
            .collect();
        let Some(mode) = mode_above_one(&counts) else {
            continue;
        };
        let agreeing = counts.iter().filter(|n| **n == mode).count();
        if agreeing * 2 >= lines.len() && best.is_none_or(|(_, score)| agreeing > score) {
            best = Some((delimiter, agreeing));
        }
    }
    best.map(|(d, _)| d)
}

/// The most frequent count above one (the larger on a tie).
fn mode_above_one(counts: &[usize]) -> Option<usize> {
    let mut tally: Vec<(usize, usize)> = Vec::new();
    for n in counts.iter().copied().filter(|n| *n > 1) {
        match tally.iter_mut().find(|(value, _)| *value == n) {
            Some((_, seen)) => *seen += 1,
            None => tally.push((n, 1)),
        }
    }
    tally
        .into_iter()
        .max_by_key(|(value, seen)| (*seen, *value))
        .map(|(value, _)| value)
}
