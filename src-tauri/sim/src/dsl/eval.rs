//! Evaluating a [`Query`] against a record.

use super::*;

/// Case-insensitive equality of a word and a lowercase token.
fn word_is(word: &str, token: &str) -> bool {
    if word.is_ascii() {
        word.eq_ignore_ascii_case(token)
    } else {
        word.chars().flat_map(char::to_lowercase).eq(token.chars())
    }
}

/// `?`/`*` glob match on already-lowercased strings.
fn glob(pattern: &[char], s: &[char]) -> bool {
    match pattern.split_first() {
        None => s.is_empty(),
        Some(('*', rest)) => (0..=s.len()).any(|i| glob(rest, &s[i..])),
        Some(('?', rest)) => !s.is_empty() && glob(rest, &s[1..]),
        Some((c, rest)) => s.first() == Some(c) && glob(rest, &s[1..]),
    }
}

fn glob_str(pattern: &str, s: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = s.to_lowercase().chars().collect();
    glob(&p, &s)
}

/// Whether one field of `doc` matches `text` in `mode`.
fn field_matches(doc: &dyn Doc, field: &str, text: &Text, mode: Mode) -> bool {
    let Some((kind, values)) = doc.field(field) else {
        return false;
    };
    match kind {
        Kind::Number => {
            let Ok(n) = text.raw.trim().parse::<f64>() else {
                return false;
            };
            values.iter().any(|v| matches!(v, Val::Num(x) if *x == n))
        }
        Kind::Keyword => values.iter().any(|v| match v {
            Val::Str(s) if text.wildcard => glob_str(&text.tokens[0], s),
            Val::Str(s) => s.trim().to_lowercase() == text.raw.trim().to_lowercase(),
            Val::Num(_) => false,
        }),
        Kind::Text => {
            let strs = || {
                values.iter().filter_map(|v| match v {
                    Val::Str(s) => Some(*s),
                    Val::Num(_) => None,
                })
            };
            let has = |token: &str| strs().flat_map(words).any(|w| word_is(w, token));
            match (text.tokens.as_slice(), mode) {
                ([], _) => false,
                ([pattern], _) if text.wildcard => {
                    strs().flat_map(words).any(|w| glob_str(pattern, w))
                }
                ([token], _) => has(token),
                (tokens, Mode::Any) => tokens.iter().any(|t| has(t)),
                (tokens, Mode::All) => tokens.iter().all(|t| has(t)),
                (tokens, Mode::Phrase) => strs().any(|s| {
                    let ws: Vec<&str> = words(s).collect();
                    ws.windows(tokens.len())
                        .any(|win| win.iter().zip(tokens).all(|(w, t)| word_is(w, t)))
                }),
            }
        }
    }
}

fn compare(v: &Val<'_>, bound: &Scalar) -> Option<std::cmp::Ordering> {
    match (v, bound) {
        (Val::Num(x), b) => x.partial_cmp(&b.as_num()?),
        (Val::Str(s), Scalar::Str(b)) => Some(s.cmp(&b.as_str())),
        (Val::Str(s), Scalar::Num(b)) => s.trim().parse::<f64>().ok()?.partial_cmp(b),
    }
}

fn eval_qs(q: &Qs, fields: &[String], doc: &dyn Doc) -> bool {
    let any_field = |field: &Option<String>, text: &Text, mode: Mode| match field {
        Some(f) if f != "*" => field_matches(doc, f, text, mode),
        _ if fields.is_empty() => doc
            .default_fields()
            .iter()
            .any(|f| field_matches(doc, f, text, mode)),
        _ => fields.iter().any(|f| field_matches(doc, f, text, mode)),
    };
    match q {
        Qs::Term { field, text } => any_field(field, text, Mode::Phrase),
        Qs::Phrase { field, text } => any_field(field, text, Mode::Phrase),
        Qs::And(v) => v.iter().all(|q| eval_qs(q, fields, doc)),
        Qs::Or(v) => v.iter().any(|q| eval_qs(q, fields, doc)),
        Qs::Not(q) => !eval_qs(q, fields, doc),
    }
}

/// Whether `doc` matches `q`.
pub(crate) fn matches(q: &Query, doc: &dyn Doc) -> bool {
    match q {
        Query::All => true,
        Query::None => false,
        Query::Bool {
            must,
            filter,
            should,
            must_not,
            min_should,
        } => {
            if !must.iter().chain(filter).all(|q| matches(q, doc))
                || must_not.iter().any(|q| matches(q, doc))
            {
                return false;
            }
            if should.is_empty() {
                return true;
            }
            let required = match min_should {
                Some(m) => m.required(should.len()),
                None if must.is_empty() && filter.is_empty() => 1,
                None => 0,
            };
            required == 0
                || should
                    .iter()
                    .filter(|q| matches(q, doc))
                    .take(required)
                    .count()
                    >= required
        }
        Query::Qs { fields, expr } => eval_qs(expr, fields, doc),
        Query::Text { field, text, mode } => field_matches(doc, field, text, *mode),
        Query::Terms { field, values } => {
            let Some((kind, vals)) = doc.field(field) else {
                return false;
            };
            vals.iter().any(|v| {
                values.iter().any(|want| match (kind, v, want) {
                    (_, Val::Num(x), w) => w.as_num() == Some(*x),
                    (Kind::Text, Val::Str(s), Scalar::Str(w)) => {
                        words(s).any(|word| word.to_lowercase() == *w)
                    }
                    (_, Val::Str(s), Scalar::Str(w)) => s == w,
                    (_, Val::Str(s), Scalar::Num(w)) => s.trim().parse::<f64>().ok() == Some(*w),
                })
            })
        }
        Query::Range { field, bounds } => {
            let Some((_, vals)) = doc.field(field) else {
                return false;
            };
            vals.iter().any(|v| {
                bounds.iter().all(|(cmp, b)| {
                    compare(v, b).is_some_and(|o| match cmp {
                        Cmp::Gt => o.is_gt(),
                        Cmp::Gte => o.is_ge(),
                        Cmp::Lt => o.is_lt(),
                        Cmp::Lte => o.is_le(),
                    })
                })
            })
        }
        Query::Exists { field } => doc.field(field).is_some_and(|(_, v)| !v.is_empty()),
        Query::Nested { path, query } => doc
            .nested(path)
            .into_iter()
            .any(|item| matches(query, item)),
    }
}
