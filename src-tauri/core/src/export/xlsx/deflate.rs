//! The sheets' rows compressed on a thread of their own while the export reads and lays out the
//! next records: the export fills buffers of XML, this thread deflates each into its sheet's
//! temporary file (a raw deflate stream, as a ZIP entry holds it) and counts its CRC-32 and sizes,
//! and hands the emptied buffer back.

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

use flate2::write::DeflateEncoder;
use flate2::Compression;

/// Bytes of XML gathered before they go to the compressing thread.
pub(super) const BUFFER: usize = 256 * 1024;

/// Buffers in flight: enough to keep both threads busy, few enough to keep memory flat.
const IN_FLIGHT: usize = 4;

/// The fastest deflate level: the file is about 1.5× larger than at the default level 6 and
/// holds the same cells (README, Benchmarks).
pub(super) fn level() -> Compression {
    Compression::new(1)
}

/// A sheet's compressed rows: the temporary file and what its ZIP entry says about them.
pub(super) struct Packed {
    /// The rows as a raw deflate stream, finished (the sheet's head goes before it).
    pub file: File,
    /// CRC-32 of the XML.
    pub crc: crc32fast::Hasher,
    /// Bytes of XML.
    pub raw: u64,
    /// Bytes in `file`.
    pub packed: u64,
}

/// The compressing thread, fed with `(sheet, buffer)`.
pub(super) struct Deflater {
    work: Option<SyncSender<(usize, Vec<u8>)>>,
    emptied: Receiver<Vec<u8>>,
    thread: Option<JoinHandle<io::Result<Vec<Packed>>>>,
}

impl Deflater {
    /// A thread compressing `sheets` sheets into unnamed temporary files in `dir`.
    pub(super) fn start(dir: &Path, sheets: usize) -> io::Result<Self> {
        let streams = (0..sheets)
            .map(|_| {
                let file = tempfile::tempfile_in(dir)?;
                Ok(Stream {
                    encoder: DeflateEncoder::new(BufWriter::with_capacity(BUFFER, file), level()),
                    crc: crc32fast::Hasher::new(),
                    raw: 0,
                })
            })
            .collect::<io::Result<Vec<_>>>()?;
        let (work, inbox) = mpsc::sync_channel(IN_FLIGHT);
        let (give_back, emptied) = mpsc::sync_channel(IN_FLIGHT + 1);
        let thread = std::thread::Builder::new()
            .name("export-xlsx-deflate".into())
            .spawn(move || compress(streams, &inbox, &give_back))?;
        Ok(Self {
            work: Some(work),
            emptied,
            thread: Some(thread),
        })
    }

    /// Sends `buffer` to be compressed into sheet `sheet` and gives back an empty one.
    pub(super) fn send(&mut self, sheet: usize, buffer: &mut Vec<u8>) -> io::Result<()> {
        let empty = self
            .emptied
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BUFFER + BUFFER / 4));
        let full = std::mem::replace(buffer, empty);
        let sent = self.work.as_ref().map(|work| work.send((sheet, full)));
        match sent {
            Some(Ok(())) => Ok(()),
            // The thread stopped: its own error says why.
            _ => Err(self.stop().err().unwrap_or_else(stopped)),
        }
    }

    /// Waits for every buffer sent to be compressed; the sheets' streams, in order.
    pub(super) fn finish(mut self) -> io::Result<Vec<Packed>> {
        self.stop()
    }

    fn stop(&mut self) -> io::Result<Vec<Packed>> {
        self.work = None; // Closes the channel: the thread ends after the last buffer.
        match self.thread.take() {
            Some(thread) => thread.join().map_err(|_| stopped())?,
            None => Err(stopped()),
        }
    }
}

impl Drop for Deflater {
    fn drop(&mut self) {
        // An export that failed: let the thread end before its files are dropped.
        let _ = self.stop();
    }
}

fn stopped() -> io::Error {
    io::Error::other("the compressing thread stopped")
}

struct Stream {
    encoder: DeflateEncoder<BufWriter<File>>,
    crc: crc32fast::Hasher,
    raw: u64,
}

fn compress(
    mut streams: Vec<Stream>,
    inbox: &Receiver<(usize, Vec<u8>)>,
    give_back: &SyncSender<Vec<u8>>,
) -> io::Result<Vec<Packed>> {
    for (sheet, mut buffer) in inbox {
        let Some(stream) = streams.get_mut(sheet) else {
            continue;
        };
        stream.encoder.write_all(&buffer)?;
        stream.crc.update(&buffer);
        stream.raw += buffer.len() as u64;
        buffer.clear();
        let _ = give_back.try_send(buffer); // Dropped when the export holds enough already.
    }
    streams.into_iter().map(Stream::finish).collect()
}

impl Stream {
    fn finish(self) -> io::Result<Packed> {
        let mut file = self
            .encoder
            .finish()?
            .into_inner()
            .map_err(|e| e.into_error())?;
        let packed = file.stream_position()?;
        Ok(Packed {
            file,
            crc: self.crc,
            raw: self.raw,
            packed,
        })
    }
}
