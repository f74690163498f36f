//! A scripted peer for tests: a tiny HTTP/1.1 server on 127.0.0.1 that answers each request with the
//! next canned reply (or misbehaves on purpose) and records what it received. It is not the
//! simulator: the end-to-end tests against the project's simulator live in `tests/`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// What the peer does with one request.
#[derive(Debug, Clone)]
pub(crate) enum Reply {
    /// A complete answer.
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Serves `data` (honouring `Range: bytes=N-` with a 206 if `honour_range`), sending at most
    /// `cut_after` body bytes before hanging up (while promising the full length).
    File {
        data: Arc<Vec<u8>>,
        honour_range: bool,
        cut_after: Option<usize>,
    },
    /// Reads the request, then closes the connection without a word.
    Hangup,
    /// Reads the request, then says nothing for a long time.
    Stall,
}

impl Reply {
    /// A JSON answer.
    pub(crate) fn json(status: u16, body: &str) -> Self {
        Self::Respond {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// Adds a header to a [`Reply::Respond`].
    pub(crate) fn with(mut self, name: &'static str, value: &str) -> Self {
        if let Self::Respond { headers, .. } = &mut self {
            headers.push((name, value.to_owned()));
        }
        self
    }
}

/// One request as received.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub method: String,
    pub target: String,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The running peer; it stops with the test's runtime.
pub(crate) struct ScriptedPeer {
    pub base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl ScriptedPeer {
    /// Starts a peer that plays `script` in order (then answers 599 to anything else).
    pub(crate) async fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}/cdapi", listener.local_addr().unwrap());
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, script.clone(), log.clone()));
            }
        });
        Self { base_url, received }
    }

    /// Everything received so far.
    pub(crate) fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn serve(
    stream: TcpStream,
    script: Arc<Mutex<VecDeque<Reply>>>,
    log: Arc<Mutex<Vec<Received>>>,
) {
    let mut stream = BufReader::new(stream);
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    log.lock().unwrap().push(request.clone());
    let reply = script.lock().unwrap().pop_front();
    let mut stream = stream.into_inner();
    match reply {
        Some(Reply::Respond {
            status,
            headers,
            body,
        }) => {
            write_head(&mut stream, status, &headers, body.len()).await;
            let _ = stream.write_all(&body).await;
        }
        Some(Reply::File {
            data,
            honour_range,
            cut_after,
        }) => serve_file(&mut stream, &request, &data, honour_range, cut_after).await,
        Some(Reply::Hangup) => {}
        Some(Reply::Stall) => tokio::time::sleep(Duration::from_secs(30)).await,
        None => write_head(&mut stream, 599, &[], 0).await,
    }
    let _ = stream.shutdown().await;
}

async fn serve_file(
    stream: &mut TcpStream,
    request: &Received,
    data: &[u8],
    honour_range: bool,
    cut_after: Option<usize>,
) {
    let from = request
        .header("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok())
        .filter(|_| honour_range);
    let (status, body, mut headers) = match from {
        Some(from) if from >= data.len() => {
            let range = format!("bytes */{}", data.len());
            (416, &data[..0], vec![("content-range", range)])
        }
        Some(from) => {
            let range = format!("bytes {from}-{}/{}", data.len() - 1, data.len());
            (206, &data[from..], vec![("content-range", range)])
        }
        None => (200, data, vec![]),
    };
    headers.push(("content-type", "application/gzip".into()));
    write_head(stream, status, &headers, body.len()).await;
    let sent = cut_after.map_or(body.len(), |cut| cut.min(body.len()));
    let _ = stream.write_all(&body[..sent]).await;
}

async fn write_head(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(&'static str, String)],
    length: usize,
) {
    let mut head =
        format!("HTTP/1.1 {status} Scripted\r\ncontent-length: {length}\r\nconnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes()).await;
}

async fn read_request(stream: &mut BufReader<TcpStream>) -> Option<Received> {
    let mut line = String::new();
    stream.read_line(&mut line).await.ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        stream.read_line(&mut line).await.ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    Some(Received {
        method,
        target,
        headers,
        body,
    })
}
