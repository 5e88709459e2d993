//! Connections: at most a fixed number open at once, and each closed when its peer stays silent
//! (sends nothing, reads nothing) for longer than an idle limit, or has not completed its first
//! request header within a header limit counted from the connection's opening (not reset by each
//! byte) — so that slow or stalled clients (half a request header, then nothing, or a byte at a
//! time) cannot hold the server's sockets for long.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// A listener that admits at most `permits` connections and gives each an idle limit.
pub struct CappedListener {
    inner: TcpListener,
    permits: Arc<Semaphore>,
    idle: Duration,
    header: Duration,
}

impl CappedListener {
    /// Wraps `inner`: `max` connections at once, each closed after `idle` without progress or
    /// when its first request header is not complete `header` after it opened.
    pub fn new(inner: TcpListener, max: usize, idle: Duration, header: Duration) -> Self {
        Self {
            inner,
            permits: Arc::new(Semaphore::new(max.max(1))),
            idle,
            header,
        }
    }
}

impl axum::serve::Listener for CappedListener {
    type Io = IdleLimited;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        // Waits for a free slot before accepting: excess clients queue in the kernel's backlog.
        let Ok(permit) = Arc::clone(&self.permits).acquire_owned().await else {
            unreachable!("the semaphore is never closed")
        };
        let (io, addr) = axum::serve::Listener::accept(&mut self.inner).await;
        (IdleLimited::new(io, self.idle, self.header, permit), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// A TCP stream that fails with `TimedOut` when a read or a write makes no progress for `idle`.
pub struct IdleLimited {
    inner: TcpStream,
    idle: Duration,
    deadline: Pin<Box<Sleep>>,
    /// Until the first request header ends (`\r\n\r\n` read): when it must have ended.
    header_deadline: Option<Pin<Box<Sleep>>>,
    /// The last bytes read, to find `\r\n\r\n` across reads.
    tail: [u8; 3],
    _permit: OwnedSemaphorePermit,
}

impl IdleLimited {
    fn new(
        inner: TcpStream,
        idle: Duration,
        header: Duration,
        permit: OwnedSemaphorePermit,
    ) -> Self {
        Self {
            inner,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
            header_deadline: Some(Box::pin(tokio::time::sleep(header))),
            tail: [0; 3],
            _permit: permit,
        }
    }

    /// Notes bytes read; the header phase ends at the first blank line.
    fn read_bytes(&mut self, bytes: &[u8]) {
        if self.header_deadline.is_none() || bytes.is_empty() {
            return;
        }
        let mut window = self.tail.to_vec();
        window.extend_from_slice(bytes);
        if window.windows(4).any(|w| w == b"\r\n\r\n") {
            self.header_deadline = None;
        }
        // The window holds the 3-byte tail and at least one new byte.
        let n = window.len();
        self.tail.copy_from_slice(&window[n - 3..]);
    }

    fn progress(&mut self) {
        let next = Instant::now() + self.idle;
        self.deadline.as_mut().reset(next);
    }

    fn stalled<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        if let Some(header) = self.header_deadline.as_mut() {
            if header.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client did not complete its request header within the header limit",
                )));
            }
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client made no progress within the idle limit",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for IdleLimited {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(r) => {
                this.progress();
                this.read_bytes(&buf.filled()[before..]);
                // A trickle of bytes resets the idle limit but not the header limit.
                if this.header_deadline.is_some() {
                    if let Poll::Ready(Err(e)) = this.stalled::<()>(cx) {
                        return Poll::Ready(Err(e));
                    }
                }
                Poll::Ready(r)
            }
            Poll::Pending => this.stalled(cx),
        }
    }
}

impl AsyncWrite for IdleLimited {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(r) => {
                this.progress();
                Poll::Ready(r)
            }
            Poll::Pending => this.stalled(cx),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
