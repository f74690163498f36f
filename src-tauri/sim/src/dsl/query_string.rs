//! The Lucene-like `query_string` syntax subset: terms, `"phrases"`, `field:value`, `AND`/`OR`/`NOT`
//! (`&&`, `||`, `!`, `+`, `-`), parentheses, and `*`/`?` wildcards.

use super::Text;

/// A parsed `query_string` expression.
#[derive(Debug, Clone)]
pub(crate) enum Qs {
    /// A single term (possibly several tokens after analysis, then matched as a phrase).
    Term { field: Option<String>, text: Text },
    /// A quoted phrase.
    Phrase { field: Option<String>, text: Text },
    /// All must match.
    And(Vec<Qs>),
    /// At least one must match.
    Or(Vec<Qs>),
    /// Must not match.
    Not(Box<Qs>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    Word(String),
    Quoted(String),
    Field(String),
    And,
    Or,
    Not,
}

fn lex(input: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                out.push(Tok::Open);
            }
            ')' => {
                chars.next();
                out.push(Tok::Close);
            }
            '"' => {
                chars.next();
                let mut s = String::new();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => s.extend(chars.next()),
                        '"' => {
                            closed = true;
                            break;
                        }
                        c => s.push(c),
                    }
                }
                if !closed {
                    return Err("query_string: unterminated quoted phrase".into());
                }
                out.push(Tok::Quoted(s));
            }
            '+' => {
                chars.next();
            }
            '-' | '!' => {
                chars.next();
                out.push(Tok::Not);
            }
            _ => {
                let mut word = String::new();
                let mut field = None;
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || c == '(' || c == ')' || c == '"' {
                        break;
                    }
                    chars.next();
                    match c {
                        '\\' => word.extend(chars.next()),
                        ':' if field.is_none() && !word.is_empty() => {
                            field = Some(std::mem::take(&mut word));
                        }
                        c => word.push(c),
                    }
                }
                if let Some(f) = field {
                    out.push(Tok::Field(f));
                    if !word.is_empty() {
                        out.push(Tok::Word(word));
                    }
                    continue;
                }
                out.push(match word.as_str() {
                    "AND" | "&&" => Tok::And,
                    "OR" | "||" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => Tok::Word(word),
                });
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    and_default: bool,
    leaves: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Conj {
    And,
    Or,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    /// A sequence of clauses up to `)` or the end; `AND` binds tighter than `OR`.
    fn sequence(&mut self, field: Option<&str>) -> Result<Qs, String> {
        let mut groups: Vec<Vec<Qs>> = vec![Vec::new()];
        let mut pending: Option<Conj> = None;
        loop {
            match self.peek() {
                None | Some(Tok::Close) => break,
                Some(Tok::And) => {
                    self.next();
                    pending = Some(Conj::And);
                    continue;
                }
                Some(Tok::Or) => {
                    self.next();
                    pending = Some(Conj::Or);
                    continue;
                }
                _ => {}
            }
            let clause = self.unary(field)?;
            let is_first = groups.iter().all(Vec::is_empty);
            let conj = pending.take().unwrap_or(if self.and_default {
                Conj::And
            } else {
                Conj::Or
            });
            if conj == Conj::Or && !is_first {
                groups.push(Vec::new());
            }
            if let Some(g) = groups.last_mut() {
                g.push(clause);
            }
        }
        let mut ors: Vec<Qs> = groups
            .into_iter()
            .filter(|g| !g.is_empty())
            .map(|mut g| {
                if g.len() == 1 {
                    g.remove(0)
                } else {
                    Qs::And(g)
                }
            })
            .collect();
        match ors.len() {
            0 => Err("query_string: empty query".into()),
            1 => Ok(ors.remove(0)),
            _ => Ok(Qs::Or(ors)),
        }
    }

    fn unary(&mut self, field: Option<&str>) -> Result<Qs, String> {
        if self.peek() == Some(&Tok::Not) {
            self.next();
            return Ok(Qs::Not(Box::new(self.unary(field)?)));
        }
        self.primary(field)
    }

    fn primary(&mut self, field: Option<&str>) -> Result<Qs, String> {
        match self.next() {
            Some(Tok::Open) => {
                let inner = self.sequence(field)?;
                match self.next() {
                    Some(Tok::Close) => Ok(inner),
                    _ => Err("query_string: missing ')'".into()),
                }
            }
            Some(Tok::Field(f)) => self.primary(Some(&f)),
            Some(Tok::Quoted(s)) => {
                self.leaves += 1;
                Ok(Qs::Phrase {
                    field: field.map(str::to_string),
                    text: Text::new(&s),
                })
            }
            Some(Tok::Word(w)) => {
                self.leaves += 1;
                Ok(Qs::Term {
                    field: field.map(str::to_string),
                    text: Text::new(&w),
                })
            }
            Some(t) => Err(format!("query_string: unexpected {t:?}")),
            None => Err("query_string: unexpected end of query".into()),
        }
    }
}

/// Parses `input`; `and_default` is `default_operator: "and"`. Returns the expression and its number
/// of leaf clauses.
pub(crate) fn parse(input: &str, and_default: bool) -> Result<(Qs, usize), String> {
    let mut p = Parser {
        toks: lex(input)?,
        pos: 0,
        and_default,
        leaves: 0,
    };
    let q = p.sequence(None)?;
    if p.pos < p.toks.len() {
        return Err("query_string: unbalanced ')'".into());
    }
    Ok((q, p.leaves))
}

/// Every field named inside the expression.
pub(crate) fn fields(q: &Qs, out: &mut Vec<String>) {
    match q {
        Qs::Term { field, .. } | Qs::Phrase { field, .. } => out.extend(field.clone()),
        Qs::And(v) | Qs::Or(v) => v.iter().for_each(|q| fields(q, out)),
        Qs::Not(q) => fields(q, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(q: &Qs) -> String {
        match q {
            Qs::Term { field, text } | Qs::Phrase { field, text } => {
                format!(
                    "{}{}",
                    field
                        .as_deref()
                        .map(|f| format!("{f}:"))
                        .unwrap_or_default(),
                    text.raw
                )
            }
            Qs::And(v) => format!("(and {})", v.iter().map(show).collect::<Vec<_>>().join(" ")),
            Qs::Or(v) => format!("(or {})", v.iter().map(show).collect::<Vec<_>>().join(" ")),
            Qs::Not(q) => format!("(not {})", show(q)),
        }
    }

    #[test]
    fn precedence_and_defaults() {
        let p = |s, and| show(&parse(s, and).unwrap().0);
        assert_eq!(p("a b", false), "(or a b)");
        assert_eq!(p("a b", true), "(and a b)");
        assert_eq!(p("a OR b c", true), "(or a (and b c))");
        assert_eq!(p("a AND b OR c", false), "(or (and a b) c)");
        assert_eq!(
            p("title:(x OR y) -z", true),
            "(and (or title:x title:y) (not z))"
        );
        assert_eq!(
            p("\"data engineer\" NOT java", false),
            "(or data engineer (not java))"
        );
        assert_eq!(
            p("experience.title:\"head of\"", false),
            "experience.title:head of"
        );
        assert!(parse("(a", false).is_err());
        assert!(parse("\"a", false).is_err());
        assert!(parse("a)", false).is_err());
    }
}
