//! XLSX written here, streaming: each sheet's rows become XML as they come and are deflated on a
//! thread of their own into a temporary file beside the export, so memory does not grow with the
//! number of people; at the end the fixed parts and the sheets are put in one ZIP (the sheets'
//! compressed bytes copied as they are). The XML is the one `rust_xlsxwriter` writes for a
//! constant-memory sheet (inline strings), compared with it in `tests.rs`. Dates the service
//! writes as text (`2025-01-18`, `2019-12`) become real dates; numbers stay numbers; text is
//! always written as text (never a formula).

mod deflate;
mod parts;
mod sheet;
#[cfg(test)]
mod tests;
mod zip;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::write::DeflateEncoder;

use super::cell::Cell;
use super::layout::Sheet;
use super::staging::StagedFile;
use super::ExportError;
use deflate::{Deflater, BUFFER};
use sheet::SheetXml;
use zip::{Archive, Deflated};

/// Excel's last row (1-based count).
const MAX_ROWS: u32 = 1_048_576;

/// An XLSX export in progress.
pub(crate) struct XlsxExport {
    sheets: Vec<SheetOut>,
    deflater: Deflater,
    staged: StagedFile,
}

/// One sheet being written.
struct SheetOut {
    /// Its name in the workbook.
    name: String,
    xml: SheetXml,
    /// Its XML not yet sent to be compressed.
    buffer: Vec<u8>,
    /// The next row's index (0-based; the header is row 0).
    next_row: u32,
}

impl XlsxExport {
    /// A workbook with `sheets` (header row bold and frozen), to be saved at `path`.
    pub(crate) fn create(path: PathBuf, sheets: &[Sheet]) -> Result<Self, ExportError> {
        let staged = StagedFile::new(path.clone())?;
        // The sheets' compressed rows go to unnamed temporary files on the export's own disk.
        let dir = path
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let deflater =
            Deflater::start(dir, sheets.len()).map_err(|e| ExportError::write(&path, e))?;
        let mut names: Vec<String> = Vec::with_capacity(sheets.len());
        let mut outs = Vec::with_capacity(sheets.len());
        for sheet in sheets {
            let name = sheet_name(&sheet.name, &names);
            if let Some(last) = sheet.columns.len().checked_sub(1) {
                column_number(last, &name)?;
            }
            // A header may come from a cell of the person's own list: cut like any cell.
            let headers: Vec<_> = sheet
                .columns
                .iter()
                .map(|header| super::cell::cut_to_limit(header.as_str().into()))
                .collect();
            let headers: Vec<&str> = headers.iter().map(AsRef::as_ref).collect();
            let mut xml = SheetXml::new(headers.len());
            let mut buffer = Vec::with_capacity(BUFFER + BUFFER / 4);
            xml.header(&mut buffer, &headers);
            names.push(name.clone());
            outs.push(SheetOut {
                name,
                xml,
                buffer,
                next_row: 1,
            });
        }
        Ok(Self {
            sheets: outs,
            deflater,
            staged,
        })
    }

    /// Appends a row to sheet `sheet`.
    pub(crate) fn row(&mut self, sheet: usize, cells: &[Cell<'_>]) -> Result<(), ExportError> {
        let Some(out) = self.sheets.get_mut(sheet) else {
            return Ok(()); // A layout only names its own sheets.
        };
        if out.next_row >= MAX_ROWS {
            return Err(ExportError::TooManyRows {
                sheet: out.name.clone(),
            });
        }
        let at = out.next_row;
        out.next_row += 1;
        if let Some(last) = cells.len().checked_sub(1) {
            column_number(last, &out.name)?;
        }
        out.xml.row(&mut out.buffer, at, cells);
        if out.buffer.len() >= BUFFER {
            let target = self.staged.target();
            self.deflater
                .send(sheet, &mut out.buffer)
                .map_err(|error| ExportError::write(target, error))?;
        }
        Ok(())
    }

    /// Assembles the workbook into its file and puts it in place.
    pub(crate) fn finish(mut self) -> Result<Vec<PathBuf>, ExportError> {
        let path = self.staged.target().to_owned();
        let fail = |error: io::Error| ExportError::write(&path, error);
        for (sheet, out) in self.sheets.iter_mut().enumerate() {
            out.xml.tail(&mut out.buffer);
            self.deflater.send(sheet, &mut out.buffer).map_err(fail)?;
        }
        let packed = self.deflater.finish().map_err(fail)?;
        let file = BufWriter::with_capacity(BUFFER, self.staged.reopen()?);
        let now = time::OffsetDateTime::now_utc();
        write_zip(file, &self.sheets, packed, now).map_err(fail)?;
        Ok(vec![self.staged.commit()?])
    }
}

/// The whole ZIP, its parts in the order `rust_xlsxwriter` writes them.
fn write_zip(
    file: BufWriter<File>,
    sheets: &[SheetOut],
    packed: Vec<deflate::Packed>,
    now: time::OffsetDateTime,
) -> io::Result<()> {
    let names: Vec<String> = sheets.iter().map(|sheet| sheet.name.clone()).collect();
    let mut zip = Archive::new(file);
    zip.part(
        "[Content_Types].xml",
        parts::content_types(names.len()).as_bytes(),
    )?;
    zip.part("_rels/.rels", parts::ROOT_RELS.as_bytes())?;
    zip.part(
        "xl/_rels/workbook.xml.rels",
        parts::workbook_rels(names.len()).as_bytes(),
    )?;
    zip.part("xl/theme/theme1.xml", parts::THEME.as_bytes())?;
    zip.part("xl/styles.xml", parts::STYLES.as_bytes())?;
    zip.part("xl/workbook.xml", parts::workbook(&names).as_bytes())?;
    for (index, (sheet, mut body)) in sheets.iter().zip(packed).enumerate() {
        let head = sheet.xml.head(index == 0);
        let mut crc = crc32fast::Hasher::new();
        crc.update(head.as_bytes());
        crc.combine(&body.crc);
        let deflated_head = deflate_open(head.as_bytes())?;
        let name = format!("xl/worksheets/sheet{}.xml", index + 1);
        let deflated = Deflated {
            head: &deflated_head,
            body: Some((&mut body.file, body.packed)),
        };
        zip.entry(
            &name,
            crc.finalize(),
            head.len() as u64 + body.raw,
            deflated,
        )?;
    }
    zip.part("docProps/core.xml", parts::core(now).as_bytes())?;
    zip.part("docProps/app.xml", parts::app(&names).as_bytes())?;
    zip.finish()?
        .into_inner()
        .map_err(io::IntoInnerError::into_error)?;
    Ok(())
}

/// `data` deflated and left open (a sync flush: byte-aligned, no final block), so that another
/// deflate stream may follow it in the same ZIP entry.
fn deflate_open(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = DeflateEncoder::new(Vec::new(), deflate::level());
    encoder.write_all(data)?;
    encoder.flush()?;
    // Dropping the encoder would finish the stream into the buffer: take the buffer first.
    Ok(std::mem::take(encoder.get_mut()))
}

fn column_number(column: usize, sheet: &str) -> Result<u16, ExportError> {
    u16::try_from(column)
        .ok()
        .filter(|&column| column < 16_384)
        .ok_or_else(|| ExportError::Write {
            path: PathBuf::from(sheet),
            reason: "more columns than Excel allows (16,384)".into(),
        })
}

/// A valid, unique sheet name: at most 31 characters as Excel counts them (UTF-16 units), none of
/// `[]:*?/\` nor a character XML cannot hold in `workbook.xml` (a control character, U+FFFE,
/// U+FFFF), not starting or ending with `'` (also once cut).
fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let refused = |c: char| "[]:*?/\\\u{fffe}\u{ffff}".contains(c) || c.is_control();
    let clean: String = wanted
        .chars()
        .map(|c| if refused(c) { '_' } else { c })
        .collect();
    let clean = cut_to(&clean, 31).trim_matches('\'').to_owned();
    let clean = if clean.trim().is_empty() {
        "Sheet".to_owned()
    } else {
        clean
    };
    let mut name = clean.clone();
    let mut n = 2;
    // Excel tells names apart ignoring case, beyond ASCII too ("Éducation", "éducation").
    while taken
        .iter()
        .any(|t| t.to_lowercase() == name.to_lowercase())
    {
        let suffix = format!(" {n}");
        name = format!("{}{suffix}", cut_to(&clean, 31 - suffix.len()));
        n += 1;
    }
    name
}

/// The longest start of `text` of at most `units` UTF-16 units.
fn cut_to(text: &str, units: usize) -> &str {
    let mut used = 0;
    for (at, c) in text.char_indices() {
        used += c.len_utf16();
        if used > units {
            return &text[..at];
        }
    }
    text
}
