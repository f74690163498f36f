//! The simulator's connections: a listener whose connections can play a server closing idle
//! keep-alive connections (the [`crate::Faults::close_idle_after_ms`] fault).

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::serve::Listener;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::state::Shared;

/// The TCP listener the simulator serves on.
pub(crate) struct SimListener {
    pub(crate) tcp: TcpListener,
    pub(crate) shared: Arc<Shared>,
}

impl Listener for SimListener {
    type Io = SimConnection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.tcp.accept().await {
                Ok((stream, addr)) => {
                    return (SimConnection::new(stream, self.shared.clone()), addr)
                }
                // Out of file descriptors and the like: wait a little, as axum does.
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

/// One client connection. It remembers when bytes last went either way; with the fault on, the
/// first bytes of a request arriving on a connection that has answered before and sat idle longer
/// than the limit are dropped and the connection ends, unanswered: the server had closed it.
pub(crate) struct SimConnection {
    stream: TcpStream,
    shared: Arc<Shared>,
    answered: bool,
    last_activity: Instant,
    closed: bool,
}

impl SimConnection {
    fn new(stream: TcpStream, shared: Arc<Shared>) -> Self {
        Self {
            stream,
            shared,
            answered: false,
            last_activity: Instant::now(),
            closed: false,
        }
    }
}

impl AsyncRead for SimConnection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.closed {
            return Poll::Ready(Ok(()));
        }
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            let idle = this.last_activity.elapsed();
            let limit = this.shared.close_idle_after();
            if this.answered && limit.is_some_and(|limit| idle > limit) {
                buf.set_filled(before);
                this.closed = true;
                tracing::info!(?idle, "closing an idle keep-alive connection (fault)");
                return Poll::Ready(Ok(()));
            }
            this.last_activity = Instant::now();
        }
        polled
    }
}

impl AsyncWrite for SimConnection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.answered = true;
            this.last_activity = Instant::now();
        }
        polled
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.answered = true;
            this.last_activity = Instant::now();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
