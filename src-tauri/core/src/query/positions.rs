//! Where each part of a JSON text is: line and column of every object key and array element,
//! keyed by the same paths the lint writes (`query.bool.must[0].match`).

use std::collections::HashMap;

/// A place in the text: 1-based line and column (in characters) and the length marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Spot {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Characters to mark: a key with its quotes, or the first character of a value.
    pub length: usize,
}

/// The start of the text, for a problem with the whole query.
pub(super) const START: Spot = Spot {
    line: 1,
    column: 1,
    length: 1,
};

/// Every path of a JSON text and its spot. Only meaningful for valid JSON.
pub(super) fn spots(text: &str) -> HashMap<String, Spot> {
    let mut scanner = Scanner {
        chars: text.chars().collect(),
        at: 0,
        line: 1,
        column: 1,
        spots: HashMap::new(),
    };
    scanner.blank();
    let root = scanner.here(1);
    scanner.spots.insert(String::new(), root);
    scanner.value("");
    scanner.spots
}

struct Scanner {
    chars: Vec<char>,
    at: usize,
    line: usize,
    column: usize,
    spots: HashMap<String, Spot>,
}

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.at += 1;
            if c == '\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
    }

    fn here(&self, length: usize) -> Spot {
        Spot {
            line: self.line,
            column: self.column,
            length,
        }
    }

    fn blank(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn value(&mut self, path: &str) {
        match self.peek() {
            Some('{') => self.object(path),
            Some('[') => self.array(path),
            Some('"') => {
                self.string();
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, ',' | '}' | ']') && !c.is_whitespace())
                {
                    self.bump();
                }
            }
        }
    }

    /// Reads a string literal; returns its decoded text and its length in characters.
    fn string(&mut self) -> (String, usize) {
        let start = self.at;
        self.bump();
        while let Some(c) = self.peek() {
            self.bump();
            match c {
                '\\' => self.bump(),
                '"' => break,
                _ => {}
            }
        }
        let raw: String = self.chars[start..self.at].iter().collect();
        let text = serde_json::from_str(&raw).unwrap_or_default();
        (text, self.at - start)
    }

    fn object(&mut self, path: &str) {
        self.bump();
        loop {
            self.blank();
            match self.peek() {
                Some('"') => {}
                Some(',') => {
                    self.bump();
                    continue;
                }
                Some('}') | None => break,
                Some(_) => {
                    self.bump();
                    continue;
                }
            }
            let start = self.here(1);
            let (key, length) = self.string();
            let child = if path.is_empty() {
                key
            } else {
                format!("{path}.{key}")
            };
            self.spots.insert(child.clone(), Spot { length, ..start });
            self.blank();
            if self.peek() == Some(':') {
                self.bump();
            }
            self.blank();
            self.value(&child);
        }
        self.bump();
    }

    fn array(&mut self, path: &str) {
        self.bump();
        let mut index = 0;
        loop {
            self.blank();
            match self.peek() {
                Some(']') | None => break,
                Some(',') => {
                    self.bump();
                    continue;
                }
                Some(_) => {}
            }
            let child = format!("{path}[{index}]");
            self.spots.insert(child.clone(), self.here(1));
            self.value(&child);
            index += 1;
        }
        self.bump();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_elements_have_their_line_and_column() {
        let text = "{\n  \"query\": {\"bool\": {\"must\": [\n    {\"match\": {\"job_title\": \"a,b]\"}},\n    {\"term\": {\"x\\\"y\": 1}}\n  ]}}\n}";
        let spots = spots(text);
        let at = |p: &str| spots.get(p).copied();
        assert_eq!(at(""), Some(START));
        assert_eq!(
            at("query"),
            Some(Spot {
                line: 2,
                column: 3,
                length: 7
            })
        );
        assert_eq!(
            at("query.bool.must[0]").map(|s| (s.line, s.column)),
            Some((3, 5))
        );
        assert_eq!(
            at("query.bool.must[0].match"),
            Some(Spot {
                line: 3,
                column: 6,
                length: 7
            })
        );
        assert_eq!(
            at("query.bool.must[1].term.x\"y").map(|s| s.length),
            Some(6)
        );
        assert_eq!(at("query.bool.must[1]").map(|s| s.line), Some(4));
        assert_eq!(at("query.bool.must[2]"), None);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let spots = spots("{\"ä\": {\"ö\": 1}}");
        assert_eq!(spots.get("ä.ö").map(|s| s.column), Some(8));
    }
}
