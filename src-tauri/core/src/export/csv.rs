//! CSV as Excel opens it: UTF-8 with a byte-order mark, RFC 4180 quoting, CRLF line ends, and
//! text that would start a formula (`=`, `+`, `-`, `@`, tab, CR) prefixed with `'` against CSV
//! injection. Text holding `;` is quoted like text holding `,`: Excel in the many countries whose
//! list separator is `;` splits an unquoted field there, and the piece after it could start a live
//! formula. One file per sheet.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use super::cell::Cell;
use super::layout::Sheet;
use super::staging::{StagedDir, StagedFile};
use super::ExportError;

/// What starts every file: UTF-8's byte-order mark, so Excel reads the text as UTF-8.
pub const BOM: &str = "\u{feff}";

/// The first characters that make a spreadsheet read text as a formula.
pub const FORMULA_STARTS: &[u8] = b"=+-@\t\r";

/// The prefix that keeps such text text.
pub const FORMULA_GUARD: char = '\'';

/// Size of each file's write buffer.
const BUFFER: usize = 256 * 1024;

/// One CSV file being written.
struct CsvFile {
    out: BufWriter<File>,
    /// Where errors point (the final path).
    path: PathBuf,
}

/// Where the CSV files go: one file, or a folder of one file per sheet.
enum Target {
    File(StagedFile),
    Dir(StagedDir),
}

/// A CSV export in progress.
pub(crate) struct CsvExport {
    files: Vec<CsvFile>,
    line: Vec<u8>,
    target: Target,
}

impl CsvExport {
    /// One file at `path` for the first sheet; with `folder`, a folder at `path` with a
    /// `<Sheet>.csv` file per sheet.
    pub(crate) fn create(
        path: PathBuf,
        sheets: &[Sheet],
        folder: bool,
    ) -> Result<Self, ExportError> {
        let mut files = Vec::with_capacity(sheets.len());
        let target = if !folder {
            let mut staged = StagedFile::new(path.clone())?;
            let file = staged
                .file()
                .try_clone()
                .map_err(|e| ExportError::write(&path, e))?;
            files.push(CsvFile {
                out: BufWriter::with_capacity(BUFFER, file),
                path,
            });
            Target::File(staged)
        } else {
            let staged = StagedDir::new(path)?;
            for sheet in sheets {
                let name = format!("{}.csv", safe_file_name(&sheet.name));
                let now = staged.path(&name);
                let file = crate::local_files::private_file()
                    .create(true)
                    .write(true)
                    .truncate(true)
                    .open(&now)
                    .map_err(|e| ExportError::write(&now, e))?;
                files.push(CsvFile {
                    out: BufWriter::with_capacity(BUFFER, file),
                    path: staged.final_path(&name),
                });
            }
            Target::Dir(staged)
        };
        let mut export = Self {
            files,
            line: Vec::with_capacity(64 * 1024),
            target,
        };
        for (index, sheet) in sheets.iter().enumerate() {
            export.line.extend_from_slice(BOM.as_bytes());
            let header: Vec<Cell> = sheet
                .columns
                .iter()
                .map(|name| Cell::Text(name.as_str().into()))
                .collect();
            export.row(index, &header)?;
        }
        Ok(export)
    }

    /// Appends a row to sheet `sheet`.
    pub(crate) fn row(&mut self, sheet: usize, cells: &[Cell<'_>]) -> Result<(), ExportError> {
        for (index, cell) in cells.iter().enumerate() {
            if index > 0 {
                self.line.push(b',');
            }
            push_cell(&mut self.line, cell);
        }
        self.line.extend_from_slice(b"\r\n");
        let Some(file) = self.files.get_mut(sheet) else {
            return Ok(()); // A layout only names its own sheets.
        };
        let written = file.out.write_all(&self.line);
        self.line.clear();
        written.map_err(|error| ExportError::write(&file.path, error))
    }

    /// Flushes every file and puts the export in place; returns the written paths.
    pub(crate) fn finish(self) -> Result<Vec<PathBuf>, ExportError> {
        let mut paths = Vec::with_capacity(self.files.len());
        for file in self.files {
            let path = file.path;
            let inner = file
                .out
                .into_inner()
                .map_err(|error| ExportError::write(&path, error.error()))?;
            inner
                .sync_all()
                .map_err(|error| ExportError::write(&path, error))?;
            paths.push(path);
        }
        match self.target {
            Target::File(staged) => Ok(vec![staged.commit()?]),
            Target::Dir(staged) => {
                staged.commit()?;
                Ok(paths)
            }
        }
    }
}

/// Appends one field, quoted when it must be.
pub(crate) fn push_cell(line: &mut Vec<u8>, cell: &Cell<'_>) {
    match cell {
        Cell::Empty => {}
        Cell::Bool(flag) => line.extend_from_slice(if *flag { b"true" } else { b"false" }),
        Cell::Number(number) => {
            let _ = write!(line, "{number}");
        }
        Cell::Text(text) => push_text(line, text),
    }
}

fn push_text(line: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let guard = bytes.first().is_some_and(|b| FORMULA_STARTS.contains(b));
    let quote = bytes
        .iter()
        .any(|&b| matches!(b, b',' | b';' | b'"' | b'\n' | b'\r'));
    if quote {
        line.push(b'"');
    }
    if guard {
        line.push(FORMULA_GUARD as u8);
    }
    if quote {
        for &byte in bytes {
            if byte == b'"' {
                line.push(b'"');
            }
            line.push(byte);
        }
        line.push(b'"');
    } else {
        line.extend_from_slice(bytes);
    }
}

/// A sheet name as a file name: letters, digits, `-`, `_` and spaces kept, the rest `_`; a name
/// Windows keeps for a device (a sheet `Nul` or `COM¹`) gets a `_` prefix.
fn safe_file_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if crate::local_files::is_windows_device_name(&format!("{safe}.csv")) {
        format!("_{safe}")
    } else {
        safe
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Number;

    fn field(cell: Cell<'_>) -> String {
        let mut line = Vec::new();
        push_cell(&mut line, &cell);
        String::from_utf8(line).unwrap()
    }

    #[test]
    fn fields_follow_rfc_4180() {
        assert_eq!(field(Cell::Text("plain".into())), "plain");
        assert_eq!(field(Cell::Text("a, b".into())), "\"a, b\"");
        assert_eq!(field(Cell::Text("say \"hi\"".into())), "\"say \"\"hi\"\"\"");
        assert_eq!(field(Cell::Text("two\nlines".into())), "\"two\nlines\"");
        assert_eq!(field(Cell::Text("Zoë Ångström".into())), "Zoë Ångström");
        assert_eq!(field(Cell::Empty), "");
        assert_eq!(field(Cell::Bool(true)), "true");
        assert_eq!(field(Cell::Number(&Number::from(-5))), "-5");
    }

    #[test]
    fn text_that_looks_like_a_formula_stays_text() {
        assert_eq!(field(Cell::Text("=1+1".into())), "'=1+1");
        assert_eq!(field(Cell::Text("+49 30 1234".into())), "'+49 30 1234");
        assert_eq!(field(Cell::Text("-2".into())), "'-2");
        assert_eq!(field(Cell::Text("@SUM(A1)".into())), "'@SUM(A1)");
        assert_eq!(field(Cell::Text("\tx".into())), "'\tx");
        assert_eq!(field(Cell::Text("\rx".into())), "\"'\rx\"");
        assert_eq!(
            field(Cell::Text("=HYPERLINK(\"http://x\",\"y\")".into())),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(field(Cell::Text("a=b".into())), "a=b");
    }

    #[test]
    fn a_formula_after_a_semicolon_cannot_become_a_field_of_its_own() {
        // Excel with `;` as its list separator would split an unquoted field at the `;`.
        assert_eq!(field(Cell::Text("x;=1+1".into())), "\"x;=1+1\"");
        assert_eq!(
            field(Cell::Text("x;=HYPERLINK(A1;B1)".into())),
            "\"x;=HYPERLINK(A1;B1)\""
        );
        assert_eq!(
            field(Cell::Text("x;=cmd|' /C calc'!A0".into())),
            "\"x;=cmd|' /C calc'!A0\""
        );
        assert_eq!(field(Cell::Text("a; b".into())), "\"a; b\"");
        assert_eq!(field(Cell::Text(";@SUM(A1)".into())), "\";@SUM(A1)\"");
    }

    #[test]
    fn a_sheet_named_like_a_windows_device_gets_a_file_name_windows_can_open() {
        for (sheet, file) in [
            ("Nul", "_Nul"),
            ("COM¹", "_COM¹"),
            ("Lpt0", "_Lpt0"),
            ("Con", "_Con"),
            ("CONIN$", "CONIN_"),
            ("Experience", "Experience"),
            ("Console", "Console"),
        ] {
            assert_eq!(safe_file_name(sheet), file, "{sheet}");
        }
    }
}
