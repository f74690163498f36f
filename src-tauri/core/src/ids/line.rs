//! The low level of ID files: is it text, where are the lines, what is in one value.

use super::IdFileError;

/// How many leading bytes are sniffed for signs of a binary file.
const SNIFF_BYTES: usize = 8192;

/// Refuses what is plainly not a text list: empty, UTF-16, known binary formats, NUL bytes.
pub(super) fn reject_non_text(bytes: &[u8]) -> Result<(), IdFileError> {
    if bytes.is_empty() {
        return Err(IdFileError::Empty);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(IdFileError::Utf16);
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if is_workbook(head) {
        return Err(IdFileError::Workbook);
    }
    if let Some(what) = binary_kind(bytes) {
        return Err(IdFileError::NotText { what });
    }
    if looks_like_utf16_without_bom(head) {
        return Err(IdFileError::Utf16);
    }
    if head.contains(&0) {
        return Err(IdFileError::NotText {
            what: "a binary file (not plain text)",
        });
    }
    Ok(())
}

/// An Excel workbook (.xlsx) is a zip whose first entries are `[Content_Types].xml` and `xl/…`,
/// whatever the file's name says.
fn is_workbook(head: &[u8]) -> bool {
    let holds = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    head.starts_with(b"PK\x03\x04") && (holds(b"[Content_Types].xml") || holds(b"xl/"))
}

/// Names a known binary format from its first bytes.
pub(crate) fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const KINDS: [(&[u8], &str); 5] = [
        (
            b"PK\x03\x04",
            "an Excel workbook or another zipped file (.xlsx, .zip)",
        ),
        (
            b"\xD0\xCF\x11\xE0",
            "an old Excel or Word document (.xls, .doc)",
        ),
        (b"%PDF", "a PDF document"),
        (b"\x1F\x8B", "a compressed file (.gz)"),
        (b"{\\rtf", "a formatted document (.rtf)"),
    ];
    KINDS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, what)| *what)
}

/// ASCII saved as UTF-16 has a zero in every other byte.
pub(crate) fn looks_like_utf16_without_bom(head: &[u8]) -> bool {
    head.len() >= 4
        && (head.iter().skip(1).step_by(2).all(|b| *b == 0)
            || head.iter().step_by(2).all(|b| *b == 0))
}

/// Splits text at `\r\n`, `\n` or a lone `\r` and decodes each line; a final line ending adds no
/// empty line. Names the first line that is not UTF-8.
pub(super) fn decode_lines(bytes: &[u8]) -> Result<Vec<&str>, IdFileError> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(decode(&bytes[start..i], lines.len() + 1)?);
                start = i + 1;
            }
            b'\r' => {
                lines.push(decode(&bytes[start..i], lines.len() + 1)?);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        lines.push(decode(&bytes[start..], lines.len() + 1)?);
    }
    Ok(lines)
}

// Line-ending bytes never occur inside a multi-byte UTF-8 sequence, so splitting first is safe.
fn decode(bytes: &[u8], line: usize) -> Result<&str, IdFileError> {
    std::str::from_utf8(bytes).map_err(|_| IdFileError::NotUtf8 { line })
}

/// Trims spaces and one pair of surrounding quotes (`"` or `'`), then spaces inside them.
pub(super) fn unquote(value: &str) -> &str {
    let value = value.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner.trim();
        }
    }
    value
}

/// Splits one CSV line at `delimiter`, honouring double quotes (`""` inside quotes is a quote).
pub(super) fn split_fields(line: &str, delimiter: char) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The column delimiter of a header line: the most frequent of `,`, `;` and tab, if any.
pub(super) fn delimiter_of(line: &str) -> Option<char> {
    [',', ';', '\t']
        .into_iter()
        .map(|d| (d, line.matches(d).count()))
        .filter(|(_, count)| *count > 0)
        .max_by_key(|(_, count)| *count)
        .map(|(d, _)| d)
}

/// Parses one value (already unquoted) as an employee ID, or says in plain words why it is not one.
pub(crate) fn parse_id(value: &str) -> Result<u64, String> {
    if value.is_empty() {
        return Err("The value is empty.".to_owned());
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return match value.parse::<u64>() {
            Ok(0) => Err("0 is not an employee ID: IDs start at 1.".to_owned()),
            Ok(id) => Ok(id),
            Err(_) => Err("This number is too long to be an employee ID.".to_owned()),
        };
    }
    Err(not_an_id_reason(value))
}

/// Why a value that is not all digits cannot be an ID.
fn not_an_id_reason(value: &str) -> String {
    const EXCEL_FIX: &str = "If the list comes from Excel, format the column as Number with \
                             0 decimal places and save it again.";
    let unsigned = value.trim_start_matches(['-', '+']);
    let numeric = unsigned.parse::<f64>().is_ok() && unsigned.bytes().any(|b| b.is_ascii_digit());
    if numeric && value.starts_with('-') {
        "This is a negative number; employee IDs are positive whole numbers.".to_owned()
    } else if numeric && unsigned.contains(['e', 'E']) {
        format!("This number is written in scientific notation; IDs must be written out in full digits. {EXCEL_FIX}")
    } else if numeric && unsigned.contains('.') {
        format!("This number has a decimal point; employee IDs are whole numbers. {EXCEL_FIX}")
    } else if is_hexadecimal(unsigned) {
        "This is written in hexadecimal (it starts with 0x); write the employee ID in ordinary \
         digits, 0 to 9."
            .to_owned()
    } else if numeric {
        "Write the ID with digits only, without a + sign.".to_owned()
    } else if value.chars().any(char::is_whitespace) && value.split_whitespace().all(is_digits) {
        "This line holds several numbers separated by spaces; put one ID on each line.".to_owned()
    } else {
        "This is not a number; employee IDs are made of digits only.".to_owned()
    }
}

/// `0x1F`, `0X10`: a number in hexadecimal, as programs sometimes write IDs.
fn is_hexadecimal(value: &str) -> bool {
    value
        .strip_prefix("0x")
        .or_else(|| value.strip_prefix("0X"))
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}
