//! The validation report of an ID file, and how it is built from the file's lines.

use std::collections::HashSet;

use serde::Serialize;

use super::line::{delimiter_of, parse_id, split_fields, unquote};
use super::{group_digits, plural, IdFileError, MAX_IDS_PER_REQUEST};

/// How many bad lines are listed one by one; [`IdReport::problem_lines`] counts them all.
pub const MAX_LISTED_PROBLEMS: usize = 1_000;

/// Bad-line texts are cut to this many characters in a [`LineProblem`].
const MAX_TEXT_CHARS: usize = 60;

/// What reading an ID file found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdReport {
    /// The valid IDs, each once, in the order they first appear.
    pub ids: Vec<u64>,
    /// Lines in the file (a final line ending does not start a new line).
    pub total_lines: usize,
    /// Lines with nothing on them but spaces or empty columns.
    pub blank_lines: usize,
    /// The header line, if the file has one (as written, trimmed).
    pub header: Option<String>,
    /// For a file with several columns: the column the IDs were taken from.
    pub id_column: Option<IdColumn>,
    /// Repeated IDs that were dropped (each repeat counts once).
    pub duplicates_removed: usize,
    /// Lines that are not usable IDs, with the reason; at most [`MAX_LISTED_PROBLEMS`].
    pub problems: Vec<LineProblem>,
    /// How many lines are not usable IDs, including any beyond the listed ones.
    pub problem_lines: usize,
}

/// The column of a multi-column file that holds the IDs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdColumn {
    /// 1-based position of the column.
    pub index: usize,
    /// How many columns the header has.
    pub count: usize,
}

/// One line of the file that could not be used.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct LineProblem {
    /// 1-based line number, as a text editor shows it.
    pub line: usize,
    /// The line's text, shortened to about 60 characters.
    pub text: String,
    /// What is wrong with it, in plain words.
    pub reason: String,
}

impl IdReport {
    /// One or two plain sentences for the person who chose the file.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "{} ready to send, read from {}.",
            plural(self.ids.len(), "different ID", "different IDs"),
            plural(self.total_lines, "line", "lines"),
        );
        if let Some(column) = &self.id_column {
            text.push_str(&format!(
                " The IDs were taken from column {} (\"id\") of {}.",
                column.index, column.count
            ));
        }
        let skipped = self.skipped_parts();
        if !skipped.is_empty() {
            text.push_str(&format!(" Skipped: {}.", join_words(&skipped)));
        }
        text
    }

    /// The report of a list the app made itself (the new and changed people of a net-new
    /// purchase): `ids` as given, each once, nothing skipped.
    pub fn of_ids(ids: Vec<u64>) -> Self {
        let mut seen = std::collections::HashSet::new();
        let ids: Vec<u64> = ids.into_iter().filter(|id| seen.insert(*id)).collect();
        Self {
            total_lines: ids.len(),
            ids,
            blank_lines: 0,
            header: None,
            id_column: None,
            duplicates_removed: 0,
            problems: Vec::new(),
            problem_lines: 0,
        }
    }

    /// Refuses a list the service would refuse: more than [`MAX_IDS_PER_REQUEST`] IDs.
    pub fn check_submittable(&self) -> Result<(), IdFileError> {
        if self.ids.len() > MAX_IDS_PER_REQUEST {
            return Err(IdFileError::TooMany {
                count: self.ids.len(),
            });
        }
        Ok(())
    }

    /// The cleaned list as the service accepts it: one ID a line, no header, `\n` after each.
    pub fn upload_csv(&self) -> String {
        self.ids.iter().map(|id| format!("{id}\n")).collect()
    }

    fn skipped_parts(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if self.header.is_some() {
            parts.push("the header line".to_owned());
        }
        if self.blank_lines > 0 {
            parts.push(plural(self.blank_lines, "blank line", "blank lines"));
        }
        if self.duplicates_removed > 0 {
            parts.push(plural(
                self.duplicates_removed,
                "repeated ID",
                "repeated IDs",
            ));
        }
        if self.problem_lines > 0 {
            parts.push(format!(
                "{} ({})",
                plural(
                    self.problem_lines,
                    "line that is not an ID",
                    "lines that are not IDs"
                ),
                self.problem_line_numbers()
            ));
        }
        parts
    }

    fn problem_line_numbers(&self) -> String {
        const SHOWN: usize = 5;
        let numbers: Vec<String> = self
            .problems
            .iter()
            .take(SHOWN)
            .map(|p| p.line.to_string())
            .collect();
        let word = if self.problem_lines == 1 {
            "line"
        } else {
            "lines"
        };
        let more = self.problem_lines.saturating_sub(numbers.len());
        if more > 0 {
            format!(
                "{word} {}, and {} more",
                numbers.join(", "),
                group_digits(more)
            )
        } else {
            format!("{word} {}", join_words(&numbers))
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_words(words: &[String]) -> String {
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// How values are found on a line.
enum Layout {
    /// One value a line (extra empty columns, as Excel writes them, are ignored).
    Single,
    /// Several columns; the IDs are in the 0-based column `index`.
    Columns { delimiter: char, index: usize },
}

/// What one line holds.
enum LineValue<'a> {
    Blank,
    Value(std::borrow::Cow<'a, str>),
    Bad(String),
}

/// Builds the report from decoded lines.
pub(super) fn build(lines: &[&str]) -> Result<IdReport, IdFileError> {
    let first = lines
        .iter()
        .position(|l| !non_empty_fields(l).is_empty())
        .ok_or(IdFileError::Empty)?;
    let (layout, header, id_column) = detect_layout(lines[first])?;
    let mut builder = Builder::new(lines.len(), header, id_column);
    builder.report.blank_lines = first;
    let body_start = if builder.report.header.is_some() {
        first + 1
    } else {
        first
    };
    for (index, line) in lines.iter().enumerate().skip(body_start) {
        builder.add(index + 1, line, &layout, index == first);
    }
    Ok(builder.report)
}

/// Reads the first non-blank line: a header (`id`, or several columns one of which is `id`) or data.
fn detect_layout(line: &str) -> Result<(Layout, Option<String>, Option<IdColumn>), IdFileError> {
    let fields = non_empty_fields(line);
    let header = Some(line.trim().to_owned());
    if let [only] = fields.as_slice() {
        if only.eq_ignore_ascii_case("id") {
            return Ok((Layout::Single, header, None));
        }
        return Ok((Layout::Single, None, None));
    }
    let Some(delimiter) = delimiter_of(line) else {
        return Ok((Layout::Single, None, None));
    };
    let columns: Vec<String> = split_fields(line, delimiter)
        .iter()
        .map(|f| unquote(f).to_owned())
        .collect();
    if let Some(index) = columns.iter().position(|c| c.eq_ignore_ascii_case("id")) {
        let column = IdColumn {
            index: index + 1,
            count: columns.len(),
        };
        return Ok((Layout::Columns { delimiter, index }, header, Some(column)));
    }
    if columns.iter().all(|c| parse_id(c).is_err()) {
        return Err(IdFileError::NoIdColumn { columns });
    }
    Ok((Layout::Single, None, None))
}

/// The non-empty, unquoted values of a line, split at its delimiter if it has one.
fn non_empty_fields(line: &str) -> Vec<String> {
    let fields = match delimiter_of(line) {
        Some(delimiter) => split_fields(line, delimiter),
        None => vec![line.to_owned()],
    };
    fields
        .iter()
        .map(|f| unquote(f))
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect()
}

struct Builder {
    report: IdReport,
    seen: HashSet<u64>,
}

impl Builder {
    fn new(total_lines: usize, header: Option<String>, id_column: Option<IdColumn>) -> Self {
        Self {
            report: IdReport {
                ids: Vec::new(),
                total_lines,
                blank_lines: 0,
                header,
                id_column,
                duplicates_removed: 0,
                problems: Vec::new(),
                problem_lines: 0,
            },
            seen: HashSet::new(),
        }
    }

    fn add(&mut self, number: usize, line: &str, layout: &Layout, is_first: bool) {
        let value = match line_value(line, layout) {
            LineValue::Blank => {
                self.report.blank_lines += 1;
                return;
            }
            LineValue::Bad(reason) => return self.problem(number, line, reason),
            LineValue::Value(value) => value,
        };
        match parse_id(&value) {
            Ok(id) if self.seen.insert(id) => self.report.ids.push(id),
            Ok(_) => self.report.duplicates_removed += 1,
            Err(_) if is_first && !value.bytes().any(|b| b.is_ascii_digit()) => {
                self.problem(number, line, header_reason())
            }
            Err(reason) => self.problem(number, line, reason),
        }
    }

    fn problem(&mut self, line: usize, text: &str, reason: String) {
        self.report.problem_lines += 1;
        if self.report.problems.len() < MAX_LISTED_PROBLEMS {
            self.report.problems.push(LineProblem {
                line,
                text: shorten(text.trim()),
                reason,
            });
        }
    }
}

fn header_reason() -> String {
    "This looks like a column title. Only a title named \"id\" is understood: rename it to id or \
     delete this line."
        .to_owned()
}

/// The value a line holds under `layout`.
fn line_value<'a>(line: &'a str, layout: &Layout) -> LineValue<'a> {
    match layout {
        Layout::Single => single_value(line),
        Layout::Columns { delimiter, index } => column_value(line, *delimiter, *index),
    }
}

fn single_value(line: &str) -> LineValue<'_> {
    if delimiter_of(line).is_none() {
        let value = unquote(line);
        return if value.is_empty() {
            LineValue::Blank
        } else {
            LineValue::Value(value.into())
        };
    }
    let mut fields = non_empty_fields(line);
    match fields.len() {
        0 => LineValue::Blank,
        1 => LineValue::Value(fields.remove(0).into()),
        n => LineValue::Bad(format!(
            "This line holds {n} values; put one ID on each line (or name the ID column \"id\" in \
             a first header line)."
        )),
    }
}

fn column_value(line: &str, delimiter: char, index: usize) -> LineValue<'_> {
    let fields = split_fields(line, delimiter);
    if fields.iter().all(|f| unquote(f).is_empty()) {
        return LineValue::Blank;
    }
    match fields.get(index).map(|f| unquote(f)) {
        None => LineValue::Bad(format!(
            "This line stops before the id column (column {}).",
            index + 1
        )),
        Some("") => LineValue::Bad("The id column is empty on this line.".to_owned()),
        Some(value) => LineValue::Value(value.to_owned().into()),
    }
}

/// Cuts text to [`MAX_TEXT_CHARS`] characters, marking the cut with `…`.
fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_TEXT_CHARS {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(MAX_TEXT_CHARS - 1).collect();
    short.push('…');
    short
}
