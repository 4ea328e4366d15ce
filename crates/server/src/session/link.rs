//! The socket of an accepted connection and the hub's signal to close it (a block, a token
//! revocation, a login elsewhere). The signal does not wait behind the outbound queue: it ends a
//! write the client is not taking, and is checked before each client frame is handled.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket};
use futures_util::SinkExt;
use im_wire::frame::Disconnect;
use im_wire::ServerFrame;

use crate::hub::{Close, CloseSignal};

/// The longest the DISCONNECT of a connection told to close may wait for the client: a client
/// that is not reading does not get it, and must not hold the connection a whole write timeout.
const FAREWELL: Duration = Duration::from_secs(2);

/// An accepted connection's socket.
pub(super) struct Link {
    pub(super) socket: WebSocket,
    write: Duration,
    pub(super) close: CloseSignal,
    /// Why the hub closed the connection, once it did.
    pub(super) closed: Option<Close>,
}

impl Link {
    pub(super) fn new(socket: WebSocket, write: Duration, close: CloseSignal) -> Self {
        Self {
            socket,
            write,
            close,
            closed: None,
        }
    }

    /// Whether the hub told the connection to close (an atomic load: no lock, no store read).
    pub(super) fn told_to_close(&mut self) -> bool {
        if self.closed.is_none() {
            use tokio::sync::oneshot::error::TryRecvError;
            self.closed = match self.close.try_recv() {
                Ok(why) => Some(why),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Closed) => Some(Close::Kicked),
            };
        }
        self.closed.is_some()
    }

    /// Sends one frame; `false` when the connection is to close: the send failed, the client
    /// did not take it within the write timeout (a client that stops reading must not hold the
    /// server), or the hub told the connection to close meanwhile.
    pub(super) async fn send(&mut self, frame: &ServerFrame) -> bool {
        self.feed(frame).await && self.flush().await
    }

    /// Queues one frame on the socket without writing it out, unless the socket's buffer is
    /// full; [`Link::flush`] writes what is queued. Frames sent together so take one write.
    /// `false` as for [`Link::send`].
    pub(super) async fn feed(&mut self, frame: &ServerFrame) -> bool {
        let bytes = match frame.encode() {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::warn!("cannot encode {frame:?}: {e}");
                return self.closed.is_none();
            }
        };
        self.write_with(|socket| socket.feed(Message::Binary(Bytes::from(bytes))))
            .await
    }

    /// Writes out the queued frames; `false` as for [`Link::send`].
    pub(super) async fn flush(&mut self) -> bool {
        self.write_with(SinkExt::flush).await
    }

    /// Runs a write on the socket within the write timeout, unless the hub says to close first.
    async fn write_with<'s, F>(&'s mut self, write: impl FnOnce(&'s mut WebSocket) -> F) -> bool
    where
        F: std::future::Future<Output = Result<(), axum::Error>> + 's,
    {
        if self.closed.is_some() {
            return false;
        }
        let Self {
            socket,
            write: limit,
            close,
            closed,
        } = self;
        // The write comes first: when the client takes the frame at once, the signal is not
        // looked at.
        tokio::select! {
            biased;
            sent = tokio::time::timeout(*limit, write(socket)) => matches!(sent, Ok(Ok(()))),
            why = close => {
                *closed = Some(why.unwrap_or(Close::Kicked));
                false
            }
        }
    }

    /// Sends a close frame, waiting at most the write timeout for it to go.
    pub(super) async fn close(&mut self) {
        let _ = tokio::time::timeout(self.write, self.socket.send(Message::Close(None))).await;
    }

    /// DISCONNECT for `why` and a close frame, for a client that still reads.
    pub(super) async fn farewell(&mut self, why: Close) {
        let frame = ServerFrame::Disconnect(Disconnect {
            status: why.status().value(),
        });
        let Ok(bytes) = frame.encode() else {
            return;
        };
        let limit = self.write.min(FAREWELL);
        let _ = tokio::time::timeout(limit, async {
            self.socket
                .send(Message::Binary(Bytes::from(bytes)))
                .await?;
            self.socket.send(Message::Close(None)).await
        })
        .await;
    }
}
