//! The ZIP container of an XLSX, written in one pass once every part is known: each entry's
//! local header (CRC-32 and sizes already counted), its deflated bytes, then the central
//! directory. ZIP64 fields are added only where a size or an offset passes 4 GiB, as the `zip`
//! crate (under `rust_xlsxwriter`) does, so ordinary workbooks stay plain ZIP.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

use flate2::write::DeflateEncoder;

/// The largest size or offset a plain ZIP field holds; at or above it, ZIP64.
const PLAIN_LIMIT: u64 = 0xffff_ffff;

/// 1980-01-01 00:00 in MS-DOS form, the date `rust_xlsxwriter` gives every part.
const DOS_DATE: u16 = (1 << 5) | 1;

/// A ZIP archive being written to `out`.
pub(super) struct Archive<W: Write> {
    out: W,
    written: u64,
    entries: Vec<Entry>,
    /// Sizes and offsets at or above this need ZIP64 ([`PLAIN_LIMIT`]; lower in tests).
    limit: u64,
}

struct Entry {
    name: String,
    crc: u32,
    raw: u64,
    packed: u64,
    offset: u64,
}

/// An entry's deflated bytes: an optional piece in memory, then an optional file from its start.
pub(super) struct Deflated<'a> {
    /// Bytes that come first.
    pub head: &'a [u8],
    /// A file and how many of its bytes follow.
    pub body: Option<(&'a mut File, u64)>,
}

impl<W: Write> Archive<W> {
    /// An empty archive written to `out`.
    pub(super) fn new(out: W) -> Self {
        Self::with_limit(out, PLAIN_LIMIT)
    }

    /// As [`Archive::new`], with ZIP64 from `limit` on (tests force it with small files).
    pub(super) fn with_limit(out: W, limit: u64) -> Self {
        Self {
            out,
            written: 0,
            entries: Vec::new(),
            limit,
        }
    }

    /// Adds `name` holding `data`, deflated here (for the small parts).
    pub(super) fn part(&mut self, name: &str, data: &[u8]) -> io::Result<()> {
        let mut encoder = DeflateEncoder::new(Vec::new(), super::deflate::level());
        encoder.write_all(data)?;
        let packed = encoder.finish()?;
        let mut crc = crc32fast::Hasher::new();
        crc.update(data);
        let deflated = Deflated {
            head: &packed,
            body: None,
        };
        self.entry(name, crc.finalize(), data.len() as u64, deflated)
    }

    /// Adds `name`, `raw` bytes with CRC-32 `crc`, already deflated.
    pub(super) fn entry(
        &mut self,
        name: &str,
        crc: u32,
        raw: u64,
        deflated: Deflated<'_>,
    ) -> io::Result<()> {
        let body_len = deflated.body.as_ref().map_or(0, |(_, len)| *len);
        let entry = Entry {
            name: name.to_owned(),
            crc,
            raw,
            packed: deflated.head.len() as u64 + body_len,
            offset: self.written,
        };
        let large = entry.raw >= self.limit || entry.packed >= self.limit;
        let mut header = Vec::with_capacity(64 + name.len());
        put32(&mut header, 0x0403_4b50);
        put16(&mut header, if large { 45 } else { 20 }); // Version needed to extract.
        put16(&mut header, 0); // Flags.
        put16(&mut header, 8); // Deflate.
        put16(&mut header, 0); // Time.
        put16(&mut header, DOS_DATE);
        put32(&mut header, crc);
        let (packed, raw) = if large {
            (u32::MAX, u32::MAX)
        } else {
            (small(entry.packed), small(entry.raw))
        };
        put32(&mut header, packed);
        put32(&mut header, raw);
        put16(&mut header, name.len() as u16);
        put16(&mut header, if large { 20 } else { 0 });
        header.extend_from_slice(name.as_bytes());
        if large {
            put16(&mut header, 1); // The ZIP64 extra field: sizes.
            put16(&mut header, 16);
            put64(&mut header, entry.raw);
            put64(&mut header, entry.packed);
        }
        self.write(&header)?;
        self.write(deflated.head)?;
        if let Some((file, len)) = deflated.body {
            file.seek(SeekFrom::Start(0))?;
            let copied = io::copy(&mut file.take(len), &mut self.out)?;
            if copied != len {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "a sheet's temporary file is shorter than written",
                ));
            }
            self.written += copied;
        }
        self.entries.push(entry);
        Ok(())
    }

    /// Writes the central directory; returns `out`.
    pub(super) fn finish(mut self) -> io::Result<W> {
        let start = self.written;
        let mut directory = Vec::new();
        for entry in &self.entries {
            let large =
                entry.raw >= self.limit || entry.packed >= self.limit || entry.offset >= self.limit;
            put32(&mut directory, 0x0201_4b50);
            put16(&mut directory, 45); // Made by: version 4.5, MS-DOS attributes.
            put16(&mut directory, if large { 45 } else { 20 });
            put16(&mut directory, 0);
            put16(&mut directory, 8);
            put16(&mut directory, 0);
            put16(&mut directory, DOS_DATE);
            put32(&mut directory, entry.crc);
            let fields = [entry.packed, entry.raw];
            for field in fields {
                put32(&mut directory, if large { u32::MAX } else { small(field) });
            }
            put16(&mut directory, entry.name.len() as u16);
            put16(&mut directory, if large { 28 } else { 0 });
            put16(&mut directory, 0); // Comment.
            put16(&mut directory, 0); // Disk.
            put16(&mut directory, 0); // Internal attributes.
            put32(&mut directory, 0); // External attributes.
            let offset = if large { u32::MAX } else { small(entry.offset) };
            put32(&mut directory, offset);
            directory.extend_from_slice(entry.name.as_bytes());
            if large {
                put16(&mut directory, 1);
                put16(&mut directory, 24);
                put64(&mut directory, entry.raw);
                put64(&mut directory, entry.packed);
                put64(&mut directory, entry.offset);
            }
        }
        let size = directory.len() as u64;
        let count = self.entries.len() as u64;
        let large = start >= self.limit || size >= self.limit;
        if large {
            let record = start + size;
            put32(&mut directory, 0x0606_4b50); // ZIP64 end of central directory.
            put64(&mut directory, 44);
            put16(&mut directory, 45);
            put16(&mut directory, 45);
            put32(&mut directory, 0);
            put32(&mut directory, 0);
            put64(&mut directory, count);
            put64(&mut directory, count);
            put64(&mut directory, size);
            put64(&mut directory, start);
            put32(&mut directory, 0x0706_4b50); // Its locator.
            put32(&mut directory, 0);
            put64(&mut directory, record);
            put32(&mut directory, 1);
        }
        put32(&mut directory, 0x0605_4b50);
        put16(&mut directory, 0);
        put16(&mut directory, 0);
        let count = u16::try_from(count).unwrap_or(u16::MAX);
        put16(&mut directory, count);
        put16(&mut directory, count);
        put32(&mut directory, if large { u32::MAX } else { small(size) });
        put32(&mut directory, if large { u32::MAX } else { small(start) });
        put16(&mut directory, 0);
        self.write(&directory)?;
        self.out.flush()?;
        Ok(self.out)
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }
}

/// A size or offset known to be below [`PLAIN_LIMIT`] (ZIP64 was chosen otherwise).
fn small(value: u64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes());
}
