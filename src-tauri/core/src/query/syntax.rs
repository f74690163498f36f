//! Turns a JSON syntax error into a plain sentence with line, column and what to do.

/// Where a JSON error is, in the terms a text editor uses.
struct Spot<'a> {
    /// 1-based line.
    line: usize,
    /// 1-based column, counted in characters.
    column: usize,
    /// The character at the spot, if any.
    found: Option<char>,
    /// What serde_json said, without its position suffix.
    said: &'a str,
}

/// The position and plain message of a JSON syntax error in `text`.
pub(super) fn describe(text: &str, error: &serde_json::Error) -> (usize, usize, String) {
    let full = error.to_string();
    let said = full.split(" at line ").next().unwrap_or(&full);
    let line_text = text
        .split('\n')
        .nth(error.line().saturating_sub(1))
        .unwrap_or("");
    // serde_json counts columns in bytes and points at the offending byte (1-based).
    let byte_index = error.column().saturating_sub(1);
    let before = line_text.get(..byte_index);
    let spot = Spot {
        line: error.line(),
        column: before.map_or(error.column(), |b| b.chars().count() + 1),
        found: before
            .and_then(|_| line_text.get(byte_index..))
            .and_then(|rest| rest.chars().next()),
        said,
    };
    let message = if error.classify() == serde_json::error::Category::Eof {
        end_too_early(&spot)
    } else {
        syntax_message(&spot)
    };
    (spot.line, spot.column, message)
}

fn end_too_early(spot: &Spot) -> String {
    format!(
        "The query ends too early, at line {}: a closing }} or ] is missing, or a text in quotes \
         is not closed. Check that every {{ has its }}, every [ its ], and every \" its closing \".",
        spot.line
    )
}

fn syntax_message(spot: &Spot) -> String {
    let at = format!("at line {}, column {}", spot.line, spot.column);
    let found = spot.found.map(|c| c.to_string()).unwrap_or_default();
    match spot.said {
        "trailing comma" => format!("There is an extra comma before `{found}` {at}. Remove it."),
        "key must be a string" => key_not_quoted(spot.found, &at),
        "expected value" | "expected ident" => bad_value(spot.found, &at),
        "expected `:`" => format!("A colon (:) is missing after the name {at}. Add it."),
        "expected `,` or `}`" | "expected `,` or `]`" => missing_comma(spot.said, &at),
        "trailing characters" => format!(
            "There is more text after the end of the query {at}. Remove it, or check that every \
             {{ has its matching }}."
        ),
        "invalid number" => format!(
            "The number {at} is not written the JSON way: no leading zeros, no + sign, a dot for \
             decimals. Correct it, or put it in double quotes if it is text."
        ),
        "recursion limit exceeded" => format!(
            "The query is nested too deeply {at} (more than 128 levels of {{ and [). Simplify it."
        ),
        said if said.starts_with("control character") => format!(
            "A text in quotes runs over a line break {at}. Keep each text on one line, or write \
             the line break as \\n."
        ),
        said if said.starts_with("invalid escape") || said.contains("unicode") => format!(
            "A backslash (\\) {at} starts something JSON does not know. Write \\\\ for a \
             backslash inside text."
        ),
        said => format!("The query is not valid JSON {at} ({said}). Check the text there."),
    }
}

fn key_not_quoted(found: Option<char>, at: &str) -> String {
    if found == Some('\'') {
        return single_quotes(at);
    }
    if matches!(found, Some('“' | '”' | '‘' | '’')) {
        return curly_quotes(at);
    }
    format!("A name {at} is not in double quotes. Write it as \"name\".")
}

fn bad_value(found: Option<char>, at: &str) -> String {
    match found {
        Some('\'') => single_quotes(at),
        Some('“' | '”' | '‘' | '’') => curly_quotes(at),
        Some('T' | 'F' | 'N') => format!(
            "The value {at} is written the Python way. Write true, false or null in lower case."
        ),
        Some('/' | '#') => {
            format!("JSON does not allow comments; there is one {at}. Delete the comment.")
        }
        Some(c @ ('}' | ']' | ',')) => {
            format!(
                "A value is missing before `{c}` {at}. Add the value or remove the extra `{c}`."
            )
        }
        _ => format!(
            "A value was expected {at}: text in double quotes, a number, true, false, null, \
             {{…}} or […]."
        ),
    }
}

fn missing_comma(said: &str, at: &str) -> String {
    let closer = if said.ends_with("`}`") { '}' } else { ']' };
    format!(
        "A comma is missing {at}, or a `{closer}` is missing before it. Separate entries with a \
         comma."
    )
}

fn single_quotes(at: &str) -> String {
    format!(
        "There is a single quote (') {at}. JSON needs double quotes (\") around names and texts: \
         replace them."
    )
}

fn curly_quotes(at: &str) -> String {
    format!(
        "There is a curly quote {at}, as word processors write them. JSON needs straight double \
         quotes (\"): retype them, or copy the query from a plain text editor."
    )
}
