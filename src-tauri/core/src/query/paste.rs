//! "Paste from Coresignal": a cURL command copied from Coresignal's documentation or API
//! playground, or the JSON body of such a request (`{"query": …}` with other keys beside it, or
//! `{"es_dsl_query": {"query": …}}`), read into query code the app can use.
//!
//! The API key such a command carries (`-H 'apikey: …'`) is dropped at once: it is never part of
//! the answer, an error, or a log line, and the answer says that it was not kept.

use serde::Serialize;
use serde_json::{Map, Value};

use super::builder::{query_in_builder, QueryInBuilder};

/// What a paste held: the query code, the limit it asked for, notes to show, and how the
/// builder reads the query.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Serialize)]
#[ts(export)]
pub struct PastedSearch {
    /// The query code, formatted (`{"query": …}`).
    pub query_text: String,
    /// The `limit` the request asked for, if any.
    pub limit: Option<u32>,
    /// Plain sentences about what was done (e.g. that the API key was not kept).
    pub notes: Vec<String>,
    /// Whether the builder can show it (else it opens in the query code).
    pub builder: QueryInBuilder,
}

/// The note shown when a pasted command carried an API key.
pub const KEY_NOT_KEPT: &str = "The API key in what you pasted was not kept.";

/// Reads `text` as a cURL command or a request body from Coresignal. `Ok(None)`: it is neither
/// (plain query code, or anything else), so the paste goes ahead as typed text. `Err`: it is a
/// command or body the app cannot use, in plain words (never quoting a header's value).
pub fn read_pasted(text: &str) -> Result<Option<PastedSearch>, String> {
    let trimmed = text.trim();
    if starts_with_curl(trimmed) {
        return read_curl(trimmed).map(Some);
    }
    let Ok(Value::Object(body)) = serde_json::from_str::<Value>(trimmed) else {
        return Ok(None);
    };
    // Plain query code (only `query`) is pasted as it is; a request body has more.
    if body.len() == 1 && body.contains_key("query") {
        return Ok(None);
    }
    if !body.contains_key("query") && !body.contains_key("es_dsl_query") {
        return Ok(None);
    }
    read_body(&body, Vec::new()).map(Some)
}

/// `curl` followed by a space, a line break or a line continuation.
fn starts_with_curl(text: &str) -> bool {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(4).collect();
    head.eq_ignore_ascii_case("curl")
        && chars.next().is_some_and(|c| c.is_whitespace() || c == '\\')
}

/// Reads a cURL command: its address, headers (the key dropped) and body.
fn read_curl(text: &str) -> Result<PastedSearch, String> {
    let words = shell_words(text)?;
    let mut notes = Vec::new();
    let mut key_dropped = false;
    let mut url: Option<String> = None;
    let mut body: Option<String> = None;
    let mut args = words.into_iter().skip(1);
    while let Some(word) = args.next() {
        let (flag, inline) = split_flag(&word);
        match flag {
            "-H" | "--header" => {
                let header = value_of(inline, &mut args, "-H")?;
                if is_key_header(&header) {
                    key_dropped = true;
                }
            }
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii" | "--json" => {
                let data = value_of(inline, &mut args, flag)?;
                if data.starts_with('@') && flag != "--data-raw" {
                    return Err(format!(
                        "This command reads its body from a file ({flag} @…), which the app \
                         cannot open from a paste. Paste the command with the query written out, \
                         or paste the file's contents."
                    ));
                }
                body = Some(data);
            }
            "-F" | "--form" => {
                return Err(
                    "This command sends a file of IDs (-F). For a list of people, use \
                     the List of people tab and choose the file there."
                        .to_owned(),
                );
            }
            "--url" => url = Some(value_of(inline, &mut args, "--url")?),
            "-X" | "--request" | "-u" | "--user" | "-A" | "--user-agent" | "-e" | "--referer"
            | "-o" | "--output" | "--max-time" | "-m" | "--connect-timeout" => {
                let taken = value_of(inline, &mut args, flag)?;
                if matches!(flag, "-u" | "--user") && !taken.is_empty() {
                    key_dropped = true;
                }
            }
            _ if word.starts_with('-') => {}
            _ => {
                if url.is_none() {
                    url = Some(word);
                }
            }
        }
    }
    if let Some(url) = &url {
        check_url(url)?;
    }
    if key_dropped {
        notes.push(KEY_NOT_KEPT.to_owned());
    }
    let Some(body) = body else {
        return Err(
            "This command has no search in it (no -d or --data with a query). Copy the whole \
             command from Coresignal, with its body."
                .to_owned(),
        );
    };
    let parsed: Value = serde_json::from_str(body.trim()).map_err(|error| {
        format!(
            "The body of this command is not readable query code (line {}, column {}). Check \
             that the whole command was copied.",
            error.line(),
            error.column()
        )
    })?;
    let Value::Object(object) = parsed else {
        return Err("The body of this command is not a search ({\"query\": …}).".to_owned());
    };
    read_body(&object, notes)
}

/// Whether a header carries a key: `apikey: …`, or `Authorization: …` (the older token form).
fn is_key_header(header: &str) -> bool {
    let name = header.split(':').next().unwrap_or_default().trim();
    name.eq_ignore_ascii_case("apikey") || name.eq_ignore_ascii_case("authorization")
}

/// Refuses an address for other data than Clean Employee, or for the ID-file endpoint.
fn check_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    if lower.contains("/id_file") {
        return Err(
            "This command sends a file of IDs. For a list of people, use the List of \
             people tab and choose the file there."
                .to_owned(),
        );
    }
    if lower.contains("coresignal.com") && !lower.contains("employee_clean") {
        return Err(
            "This command is for other Coresignal data than employee profiles (Clean \
             Employee), which is what the app collects."
                .to_owned(),
        );
    }
    Ok(())
}

/// The query of a request body: `es_dsl_query` (with its `query` inside), or `query` beside
/// other keys; `limit` is kept, the rest is left out.
fn read_body(body: &Map<String, Value>, mut notes: Vec<String>) -> Result<PastedSearch, String> {
    let query = match body.get("es_dsl_query") {
        Some(Value::Object(inner)) => match inner.get("query") {
            Some(query) => query.clone(),
            None if inner.is_empty() => {
                return Err(
                    "The es_dsl_query in what you pasted is empty: it is the template, \
                     with no search written into it yet."
                        .to_owned(),
                )
            }
            None => Value::Object(inner.clone()),
        },
        Some(_) => return Err("es_dsl_query in what you pasted is not a search.".to_owned()),
        None => body
            .get("query")
            .cloned()
            .ok_or_else(|| "What you pasted has no query in it.".to_owned())?,
    };
    let limit = match body.get("limit") {
        Some(Value::Number(number)) => number.as_u64().and_then(|n| u32::try_from(n).ok()),
        _ => None,
    };
    let left_out: Vec<&str> = body
        .keys()
        .map(String::as_str)
        .filter(|key| !matches!(*key, "query" | "es_dsl_query" | "limit" | "data_format"))
        .collect();
    if !left_out.is_empty() {
        notes.push(format!(
            "Left out of the search: {} (the app sets what it sends itself).",
            left_out.join(", ")
        ));
    }
    let code = serde_json::json!({ "query": query });
    let query_text = serde_json::to_string_pretty(&code).unwrap_or_else(|_| code.to_string());
    let builder = query_in_builder(&query_text);
    Ok(PastedSearch {
        query_text,
        limit,
        notes,
        builder,
    })
}

/// `-H'x'` → (`-H`, Some(`x`)); `--data=x` → (`--data`, Some(`x`)); anything else as it is.
fn split_flag(word: &str) -> (&str, Option<String>) {
    if let Some(rest) = word.strip_prefix("--") {
        if let Some((name, value)) = rest.split_once('=') {
            let flag_len = name.len() + 2;
            return (&word[..flag_len], Some(value.to_owned()));
        }
        return (word, None);
    }
    if word.len() > 2 && word.starts_with('-') && word.is_char_boundary(2) {
        let flag = &word[..2];
        if matches!(flag, "-H" | "-d" | "-X" | "-F" | "-u") {
            return (flag, Some(word[2..].to_owned()));
        }
    }
    (word, None)
}

fn value_of(
    inline: Option<String>,
    args: &mut impl Iterator<Item = String>,
    flag: &str,
) -> Result<String, String> {
    inline
        .or_else(|| args.next())
        .ok_or_else(|| format!("The command ends after {flag}, with nothing after it."))
}

/// Splits a command line as a POSIX shell does for these commands: single quotes (literal),
/// double quotes (backslash escapes `"`, `\`, `$` and a backquote), backslash-newline
/// continuations, and `^`-newline continuations (Windows cmd). Nothing is expanded.
fn shell_words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(inner) => word.push(inner),
                        None => return Err(unclosed("'")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(next @ ('"' | '\\' | '$' | '`')) => word.push(next),
                            Some('\n') => {}
                            Some(next) => {
                                word.push('\\');
                                word.push(next);
                            }
                            None => return Err(unclosed("\"")),
                        },
                        Some(inner) => word.push(inner),
                        None => return Err(unclosed("\"")),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some(next) => {
                    in_word = true;
                    word.push(next);
                }
                None => {}
            },
            '^' if matches!(chars.peek(), Some('\n' | '\r')) => {}
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

fn unclosed(quote: &str) -> String {
    format!(
        "A {quote} quote in the command is never closed. Check that the whole command was copied."
    )
}

#[cfg(test)]
#[path = "paste_tests.rs"]
mod tests;
