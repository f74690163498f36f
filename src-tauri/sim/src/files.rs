//! Result files: writing gzip JSON Lines to disk, byte ranges, and streaming from disk.

use crate::corpus::employee;
use crate::people::Overlay;
use bytes::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// A file of a ready request: the name the service lists and where it lives on disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredFile {
    pub(crate) name: String,
    pub(crate) path: PathBuf,
    pub(crate) size: u64,
}

/// The listed name of part `index` of a request (`json/part-00000-<uuid>-c000.json.gz`), or one of
/// the hostile names when that fault is on: the first 3 parts escape with the part's own name,
/// the next ones are [`hostile_names`] in order, any later ones escape again.
pub(crate) fn part_name(index: usize, job: &str, hostile: bool) -> String {
    let base = format!("part-{index:05}-{job}-c000.json.gz");
    if !hostile {
        return format!("json/{base}");
    }
    if let Some(name) = index
        .checked_sub(3)
        .and_then(|i| hostile_names().into_iter().nth(i))
    {
        return name;
    }
    match index % 3 {
        0 => format!("../{base}"),
        1 => format!("/tmp/{base}"),
        _ => format!("..\\..\\{base}"),
    }
}

/// Names no client should write as they are: paths out of the folder (Unix and Windows),
/// NUL and control characters, Windows device names, a 10,000-character and a 300-character
/// CJK name, and pairs that differ only in case or in Unicode normalisation (NFC, NFD).
pub fn hostile_names() -> Vec<String> {
    vec![
        "../../x".to_owned(),
        "/etc/passwd".to_owned(),
        "C:\\x".to_owned(),
        "a/../../b".to_owned(),
        // NUL and control characters; not CR, LF or TAB: a URL cannot carry them (WHATWG URL
        // parsing drops them), so no client could ask for such a file by its name.
        "nul\0byte\u{1}bell\u{7}esc\u{1b}del\u{7f}.json.gz".to_owned(),
        "CON".to_owned(),
        "nul.txt".to_owned(),
        format!("{}.json.gz", "n".repeat(10_000 - ".json.gz".len())),
        "履歴書".repeat(100),
        "Part.json.gz".to_owned(),
        "part.json.gz".to_owned(),
        "caf\u{e9}.json.gz".to_owned(),
        "cafe\u{301}.json.gz".to_owned(),
    ]
}

/// Writes the records of `ids` (as `people` has them; one the service no longer has is left out)
/// into gzip JSON Lines files of at most `per_file` records each, under `dir` (created). Returns the
/// files in order, named by [`part_name`].
pub(crate) fn write_parts(
    dir: &Path,
    seed: u64,
    ids: &[u64],
    per_file: usize,
    hostile: bool,
    people: &Overlay,
) -> io::Result<Vec<StoredFile>> {
    std::fs::create_dir_all(dir)?;
    let job = uuid::Uuid::new_v4().to_string();
    let mut out = Vec::new();
    for (index, chunk) in ids.chunks(per_file.max(1)).enumerate() {
        let path = dir.join(format!("part-{index:05}.json.gz"));
        let file = std::fs::File::create(&path)?;
        let mut gz = GzEncoder::new(io::BufWriter::new(file), Compression::fast());
        for record in chunk.iter().filter_map(|&id| people.record(seed, id)) {
            gz.write_all(record.to_json_line().as_bytes())?;
            gz.write_all(b"\n")?;
        }
        gz.finish()?.flush()?;
        let size = std::fs::metadata(&path)?.len();
        out.push(StoredFile {
            name: part_name(index, &job, hostile),
            path,
            size,
        });
    }
    Ok(out)
}

/// A writer that counts the bytes passing through.
struct Counting<W> {
    inner: W,
    count: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes one gzip file of at least `min_bytes` (compressed) of records with ids 1, 2, 3, … at a fast
/// compression level, to `path` (through a temporary file renamed at the end, so a half-written file
/// is never reused). Returns the number of records. Records repeat the content of a pool of 1,000
/// generated records (far apart, so compression sees no repetition) with fresh ids.
pub(crate) fn write_big_file(path: &Path, seed: u64, min_bytes: u64) -> io::Result<u64> {
    const POOL: u64 = 1_000;
    // Every serialized record starts with `{"id":<id>,`; keep what follows the id.
    let pool: Vec<String> = (1..=POOL)
        .map(|id| {
            let line = employee(seed, id).to_json_line();
            let prefix = format!("{{\"id\":{id}");
            line.strip_prefix(&prefix).unwrap_or(&line).to_string()
        })
        .collect();
    let tmp = path.with_extension("partial");
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let file = std::fs::File::create(&tmp)?;
    let counting = Counting {
        inner: io::BufWriter::with_capacity(1 << 20, file),
        count: 0,
    };
    let mut gz = GzEncoder::new(counting, Compression::fast());
    let mut n: u64 = 0;
    while gz.get_ref().count < min_bytes {
        for _ in 0..POOL {
            n += 1;
            // `n % POOL` is below POOL, the pool's length.
            let rest = &pool[(n % POOL) as usize];
            writeln!(gz, "{{\"id\":{n}{rest}")?;
        }
    }
    let mut counting = gz.finish()?;
    counting.flush()?;
    drop(counting);
    std::fs::rename(&tmp, path)?;
    Ok(n)
}

/// What a `Range` header asks of a body of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum RangeRequest {
    /// No (usable) range: the whole body, 200.
    Full,
    /// Bytes `start..=end`, 206.
    Partial { start: u64, end: u64 },
    /// Cannot be satisfied: 416.
    Unsatisfiable,
}

/// Parses a single `bytes=` range (`N-`, `N-M`, `-S`). Malformed or multi-range headers are ignored
/// (the whole body is served), as RFC 9110 allows.
pub(crate) fn parse_range(header: Option<&str>, len: u64) -> RangeRequest {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return RangeRequest::Full;
    };
    if spec.contains(',') {
        return RangeRequest::Full;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return RangeRequest::Full;
    };
    let (a, b) = (a.trim(), b.trim());
    let parse = |s: &str| s.parse::<u64>().ok();
    match (a.is_empty(), b.is_empty()) {
        (true, true) => RangeRequest::Full,
        (true, false) => match parse(b) {
            None => RangeRequest::Full,
            Some(0) => RangeRequest::Unsatisfiable,
            Some(_) if len == 0 => RangeRequest::Unsatisfiable,
            Some(suffix) => RangeRequest::Partial {
                start: len.saturating_sub(suffix),
                end: len - 1,
            },
        },
        (false, _) => {
            let Some(start) = parse(a) else {
                return RangeRequest::Full;
            };
            let end = if b.is_empty() {
                None
            } else {
                match parse(b) {
                    Some(e) => Some(e),
                    None => return RangeRequest::Full,
                }
            };
            if start >= len || end.is_some_and(|e| e < start) {
                return RangeRequest::Unsatisfiable;
            }
            RangeRequest::Partial {
                start,
                end: end.map_or(len - 1, |e| e.min(len - 1)),
            }
        }
    }
}

/// How a body is streamed from disk.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StreamPlan {
    /// First byte.
    pub(crate) start: u64,
    /// Number of bytes.
    pub(crate) len: u64,
    /// Fail the stream (breaking the connection) after this many bytes.
    pub(crate) cut_after: Option<u64>,
    /// Bytes per second, if throttled.
    pub(crate) throttle: Option<u64>,
}

/// Streams `plan.len` bytes of `path` from `plan.start`, in chunks, without holding the file in memory.
pub(crate) async fn stream_file(
    path: &Path,
    plan: StreamPlan,
) -> io::Result<impl Stream<Item = io::Result<Bytes>> + Send + 'static> {
    let mut file = tokio::fs::File::open(path).await?;
    file.seek(io::SeekFrom::Start(plan.start)).await?;
    let chunk = match plan.throttle {
        // Up to a tenth of a second of data per chunk (at most 1 MiB): each sleep stays long
        // enough for the timer to be accurate, so fast throttles reach their rate.
        Some(rate) => (rate / 10).clamp(1, 1024 * 1024),
        None => 64 * 1024,
    };
    Ok(futures_util::stream::unfold(
        (file, 0u64, false),
        move |(mut file, sent, done)| async move {
            if done || sent >= plan.len {
                return None;
            }
            if let Some(cut) = plan.cut_after {
                if sent >= cut {
                    // Let the server flush what was sent before breaking the connection.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    let err = io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "simulated connection cut",
                    );
                    return Some((Err(err), (file, sent, true)));
                }
            }
            let mut want = chunk.min(plan.len - sent);
            if let Some(cut) = plan.cut_after {
                want = want.min(cut - sent);
            }
            // `want` is at most 64 KiB, so it fits in usize.
            let mut buf = vec![0u8; want as usize];
            match file.read_exact(&mut buf).await {
                Ok(_) => {
                    if let Some(rate) = plan.throttle {
                        tokio::time::sleep(Duration::from_secs_f64(want as f64 / rate as f64))
                            .await;
                    }
                    Some((Ok(Bytes::from(buf)), (file, sent + want, false)))
                }
                Err(e) => Some((Err(e), (file, sent, true))),
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::io::Read;
    use RangeRequest::*;

    #[test]
    fn range_math() {
        let r = |h: &str, len| parse_range(Some(h), len);
        assert_eq!(parse_range(None, 10), Full);
        assert_eq!(r("bytes=0-", 10), Partial { start: 0, end: 9 });
        assert_eq!(r("bytes=4-", 10), Partial { start: 4, end: 9 });
        assert_eq!(r("bytes=2-5", 10), Partial { start: 2, end: 5 });
        assert_eq!(r("bytes=2-500", 10), Partial { start: 2, end: 9 });
        assert_eq!(r("bytes=9-9", 10), Partial { start: 9, end: 9 });
        assert_eq!(r("bytes=-3", 10), Partial { start: 7, end: 9 });
        assert_eq!(r("bytes=-30", 10), Partial { start: 0, end: 9 });
        assert_eq!(r("bytes=10-", 10), Unsatisfiable);
        assert_eq!(r("bytes=5-4", 10), Unsatisfiable);
        assert_eq!(r("bytes=0-", 0), Unsatisfiable);
        assert_eq!(r("bytes=-0", 10), Unsatisfiable);
        assert_eq!(r("bytes=0-1,3-4", 10), Full);
        assert_eq!(r("items=0-1", 10), Full);
        assert_eq!(r("bytes=x-", 10), Full);
    }

    #[test]
    fn hostile_names() {
        assert!(part_name(0, "u", false).starts_with("json/part-00000-u-c000"));
        assert!(part_name(0, "u", true).starts_with("../"));
        assert!(part_name(1, "u", true).starts_with("/tmp/"));
        assert!(part_name(2, "u", true).starts_with("..\\..\\"));
    }

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "coresignal-sim-unit-{}-{name}",
            uuid::Uuid::new_v4()
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn parts_split_and_gunzip() {
        let dir = temp("parts");
        let files = write_parts(&dir, 1, &[5, 6, 7, 8, 9], 2, false, &Overlay::default()).unwrap();
        assert_eq!(files.len(), 3);
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&files[2].path).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text.lines().count(), 1);
        assert!(text.starts_with("{\"id\":9,"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn big_file_is_big_and_valid() {
        let dir = temp("big");
        let path = dir.join("big.json.gz");
        let n = write_big_file(&path, 1, 300_000).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() >= 300_000);
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text.lines().count() as u64, n);
        let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
        assert_eq!(last["id"], n);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn stream_ranges_and_cuts() {
        let dir = temp("stream");
        let path = dir.join("f");
        std::fs::write(&path, (0..=255u8).cycle().take(200_000).collect::<Vec<_>>()).unwrap();
        let plan = StreamPlan {
            start: 100,
            len: 150_000,
            cut_after: None,
            throttle: None,
        };
        let got: Vec<u8> = stream_file(&path, plan)
            .await
            .unwrap()
            .map(|c| c.unwrap().to_vec())
            .concat()
            .await;
        assert_eq!(got.len(), 150_000);
        assert_eq!(got[0], 100);
        let plan = StreamPlan {
            cut_after: Some(70_000),
            ..plan
        };
        let items: Vec<_> = stream_file(&path, plan).await.unwrap().collect().await;
        let ok: usize = items
            .iter()
            .filter_map(|c| c.as_ref().ok())
            .map(|c| c.len())
            .sum();
        assert_eq!(ok, 70_000);
        assert!(items.last().unwrap().is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
