//! Checking a downloaded file: the gzip must be intact to its end (every member's CRC and length
//! verified, nothing after the last member), its records are counted (non-empty JSON Lines lines),
//! and no line may be longer than [`MAX_LINE_BYTES`] (such a file is not one of profiles).

use std::io::{self, BufRead, Read};

use bytes::Bytes;
use flate2::bufread::MultiGzDecoder;
use tokio::sync::mpsc;

use crate::local_files::{LINE_TOO_LONG, MAX_LINE_BYTES};

/// Size of the buffer the decompressed data goes through.
const INFLATE_BUFFER: usize = 256 * 1024;

/// Decompresses `input` to its end and counts its records; `Err` says in words what is wrong.
pub(crate) fn check_gzip<R: BufRead>(mut input: R) -> Result<u64, String> {
    let empty = input
        .fill_buf()
        .map_err(|e| format!("it could not be read ({e})"))?
        .is_empty();
    if empty {
        return Err("it is empty".into());
    }
    let mut decoder = MultiGzDecoder::new(input);
    let mut buffer = vec![0u8; INFLATE_BUFFER];
    let mut lines = LineCounter::default();
    loop {
        match decoder.read(&mut buffer) {
            Ok(0) => return Ok(lines.finish()),
            Ok(n) => lines.feed(&buffer[..n])?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(describe(&e)),
        }
    }
}

fn describe(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::UnexpectedEof => "it is cut short (the download is incomplete)".into(),
        _ => format!("it is not a valid gzip file ({error})"),
    }
}

/// Counts non-empty lines across pieces of text: a line is counted at its `\n`, unless it is empty,
/// and a last line without `\n` is counted at the end. Refuses a line longer than
/// [`MAX_LINE_BYTES`].
#[derive(Debug, Default)]
struct LineCounter {
    lines: u64,
    /// The last byte seen, if any.
    last: Option<u8>,
    /// Bytes of the line not ended yet.
    open_line: usize,
}

impl LineCounter {
    fn feed(&mut self, piece: &[u8]) -> Result<(), String> {
        let Some(&first) = piece.first() else {
            return Ok(());
        };
        self.measure_open_line(piece)?;
        let previous = self.last.unwrap_or(b'\n');
        let first_ends_line = u64::from(first == b'\n' && previous != b'\n');
        let inner = count_pairs(&piece[1..], &piece[..piece.len() - 1], |byte, before| {
            byte == b'\n' && before != b'\n'
        });
        self.lines += first_ends_line + inner;
        self.last = piece.last().copied();
        Ok(())
    }

    /// Follows the length of the line not ended yet, looking only at the bytes up to the piece's
    /// first line end and after its last one (a line inside one piece is shorter than the piece,
    /// which is far below the limit). Called before the piece's lines are counted, so the line
    /// that is too long is record `lines + 1`.
    fn measure_open_line(&mut self, piece: &[u8]) -> Result<(), String> {
        let first = piece.iter().position(|&byte| byte == b'\n');
        let open_line = match first {
            None => self.open_line.saturating_add(piece.len()),
            Some(first) => self.open_line.saturating_add(first),
        };
        if open_line > MAX_LINE_BYTES {
            return Err(format!("record {} {LINE_TOO_LONG}", self.lines + 1));
        }
        self.open_line = match first {
            None => open_line,
            Some(first) => {
                let last = piece
                    .iter()
                    .rposition(|&byte| byte == b'\n')
                    .unwrap_or(first);
                piece.len() - last - 1
            }
        };
        Ok(())
    }

    fn finish(self) -> u64 {
        match self.last {
            Some(byte) if byte != b'\n' => self.lines + 1,
            _ => self.lines,
        }
    }
}

/// Lanes of the counting loop: wide enough for the compiler to use SIMD registers.
const LANES: usize = 32;

/// How many `i` satisfy `test(a[i], b[i])`, at several GB/s: per-lane `u8` counters (flushed before
/// they can overflow) let the compiler vectorise the loop, which `filter().count()` does not.
fn count_pairs(a: &[u8], b: &[u8], test: impl Fn(u8, u8) -> bool) -> u64 {
    let mut total = 0u64;
    for (block_a, block_b) in a.chunks(255 * LANES).zip(b.chunks(255 * LANES)) {
        let mut lanes = [0u8; LANES];
        let (chunks_a, chunks_b) = (block_a.chunks_exact(LANES), block_b.chunks_exact(LANES));
        let (rest_a, rest_b) = (chunks_a.remainder(), chunks_b.remainder());
        for (x, y) in chunks_a.zip(chunks_b) {
            for ((count, &p), &q) in lanes.iter_mut().zip(x).zip(y) {
                *count += u8::from(test(p, q));
            }
        }
        total += lanes.iter().map(|&n| u64::from(n)).sum::<u64>();
        total += rest_a
            .iter()
            .zip(rest_b)
            .filter(|(x, y)| test(**x, **y))
            .count() as u64;
    }
    total
}

/// A [`BufRead`] over the pieces of a download as they arrive (for checking on another thread while
/// the file is written). The end of the channel is the end of the input.
pub(crate) struct ChannelReader {
    receiver: mpsc::Receiver<Bytes>,
    current: Bytes,
}

impl ChannelReader {
    /// Reads what is sent on the other end of `receiver`; use from a blocking thread only.
    pub(crate) fn new(receiver: mpsc::Receiver<Bytes>) -> Self {
        Self {
            receiver,
            current: Bytes::new(),
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for ChannelReader {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.current.is_empty() {
            match self.receiver.blocking_recv() {
                Some(piece) => self.current = piece,
                None => break,
            }
        }
        Ok(&self.current)
    }

    fn consume(&mut self, amount: usize) {
        let _ = self.current.split_to(amount.min(self.current.len()));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::{Cursor, Write};

    /// A gzip member holding `text`.
    pub(crate) fn gzip(text: &str) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap()
    }

    /// `count` JSON Lines records, each ending in `\n`.
    pub(crate) fn records(count: usize) -> String {
        (0..count)
            .map(|i| format!("{{\"id\": {i}, \"full_name\": \"Person {i}\"}}\n"))
            .collect()
    }

    #[test]
    fn good_file_counts_records() {
        assert_eq!(check_gzip(Cursor::new(gzip(&records(1000)))), Ok(1000));
        assert_eq!(
            check_gzip(Cursor::new(gzip("{}\n{}"))),
            Ok(2),
            "no final newline"
        );
        assert_eq!(
            check_gzip(Cursor::new(gzip("\n{}\n\n\n{}\n\n"))),
            Ok(2),
            "empty lines are not records"
        );
        assert_eq!(check_gzip(Cursor::new(gzip(""))), Ok(0));
    }

    #[test]
    fn multi_member_files_are_read_to_the_end() {
        let mut data = gzip(&records(3));
        data.extend(gzip(&records(4)));
        data.extend(gzip("{\"last\": true}"));
        assert_eq!(check_gzip(Cursor::new(data)), Ok(8));
    }

    #[test]
    fn truncated_files_are_refused_wherever_they_are_cut() {
        let data = gzip(&records(500));
        for cut in [1, 10, data.len() / 2, data.len() - 8, data.len() - 1] {
            let result = check_gzip(Cursor::new(data[..cut].to_vec()));
            assert!(
                result.is_err(),
                "cut at {cut} of {}: {result:?}",
                data.len()
            );
        }
        assert_eq!(
            check_gzip(Cursor::new(Vec::new())),
            Err("it is empty".into())
        );
    }

    #[test]
    fn corrupt_files_are_refused() {
        let mut data = gzip(&records(500));
        let crc_at = data.len() - 8;
        data[crc_at] ^= 0xff;
        assert!(check_gzip(Cursor::new(data)).is_err(), "bad CRC");
        let mut data = gzip(&records(10));
        data.extend_from_slice(b"garbage after the last member");
        assert!(check_gzip(Cursor::new(data)).is_err(), "trailing garbage");
        assert!(check_gzip(Cursor::new(b"plain text".to_vec())).is_err());
    }

    #[test]
    fn lines_are_counted_across_piece_boundaries() {
        let text = "{\"a\":1}\n\n{\"b\":2}\n{\"c\":3}";
        for split in 0..=text.len() {
            let mut counter = LineCounter::default();
            counter.feed(&text.as_bytes()[..split]).unwrap();
            counter.feed(&text.as_bytes()[split..]).unwrap();
            assert_eq!(counter.finish(), 3, "split at {split}");
        }
    }

    #[test]
    fn a_line_longer_than_64_mib_is_refused_with_words() {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(records(2).as_bytes()).unwrap();
        let endless = vec![b'x'; 1024 * 1024];
        for _ in 0..=MAX_LINE_BYTES / endless.len() {
            encoder.write_all(&endless).unwrap();
        }
        let data = encoder.finish().unwrap();
        assert_eq!(
            check_gzip(Cursor::new(data)),
            Err("record 3 is longer than 64 MiB: this is not a file of profiles".into())
        );
    }

    #[test]
    fn a_long_line_is_measured_across_pieces_and_a_line_of_exactly_the_limit_passes() {
        let mut counter = LineCounter::default();
        counter.feed(b"{}\n\n{\"a\"").unwrap();
        counter.open_line = MAX_LINE_BYTES - 1;
        counter.feed(b"x\n{}").unwrap();
        assert_eq!(counter.finish(), 3);
        let mut counter = LineCounter::default();
        counter.feed(b"{}\n{").unwrap();
        counter.open_line = MAX_LINE_BYTES;
        assert_eq!(
            counter.feed(b"x\n"),
            Err(format!("record 2 {LINE_TOO_LONG}"))
        );
    }

    #[test]
    fn channel_reader_checks_while_pieces_arrive() {
        let data = gzip(&records(2000));
        let (sender, receiver) = mpsc::channel(4);
        let checker = std::thread::spawn(move || check_gzip(ChannelReader::new(receiver)));
        for piece in data.chunks(777) {
            sender.blocking_send(Bytes::copy_from_slice(piece)).unwrap();
        }
        drop(sender);
        assert_eq!(checker.join().unwrap(), Ok(2000));
    }
}
