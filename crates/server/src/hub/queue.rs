//! A connection's outbound queue, bounded in items and in bytes: a client that stops reading
//! holds at most the configured budget, whatever the size of what is sent to it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::mpsc;

use super::Outbound;

/// Bytes counted for every queued item on top of what it carries.
const ITEM_OVERHEAD: usize = std::mem::size_of::<Outbound>();

impl Outbound {
    /// Bytes this item holds while queued.
    pub fn queued_bytes(&self) -> usize {
        ITEM_OVERHEAD
            + match self {
                Self::Direct(payload) | Self::Message { payload, .. } => payload.len(),
                Self::Echo {
                    topic,
                    target_id,
                    payload,
                    uid,
                    ..
                } => topic.len() + target_id.len() + payload.len() + uid.len(),
                Self::ChatroomNotify { room, .. } | Self::ChatroomEntries { room, .. } => {
                    room.len()
                }
                Self::UserStatus { user, payload } => user.len() + payload.len(),
                Self::Notify { .. } | Self::SettingsChanged { .. } | Self::Frame(_) => 0,
            }
    }
}

/// Why an item was not queued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueError {
    /// As many items as the queue holds are waiting.
    Items,
    /// The item would take the queue over its byte budget.
    Bytes,
    /// The connection has ended.
    Closed,
}

/// The sending side of a connection's outbound queue.
#[derive(Clone, Debug)]
pub struct QueueTx {
    tx: mpsc::Sender<Outbound>,
    bytes: Arc<AtomicUsize>,
    max_bytes: usize,
    missed: Arc<AtomicBool>,
}

/// The receiving side of a connection's outbound queue.
#[derive(Debug)]
pub struct QueueRx {
    rx: mpsc::Receiver<Outbound>,
    bytes: Arc<AtomicUsize>,
    missed: Arc<AtomicBool>,
}

/// A queue of at most `items` items (at least 1) and `max_bytes` bytes.
pub fn queue(items: usize, max_bytes: usize) -> (QueueTx, QueueRx) {
    let (tx, rx) = mpsc::channel(items.max(1));
    let bytes = Arc::new(AtomicUsize::new(0));
    let missed = Arc::new(AtomicBool::new(false));
    let tx = QueueTx {
        tx,
        bytes: bytes.clone(),
        max_bytes,
        missed: missed.clone(),
    };
    (tx, QueueRx { rx, bytes, missed })
}

impl QueueTx {
    /// Queues `out` if it fits in both budgets.
    pub fn try_send(&self, out: Outbound) -> Result<(), QueueError> {
        let n = out.queued_bytes();
        let before = self.bytes.fetch_add(n, Ordering::Relaxed);
        if before.saturating_add(n) > self.max_bytes {
            self.bytes.fetch_sub(n, Ordering::Relaxed);
            return Err(QueueError::Bytes);
        }
        self.tx
            .try_send(out)
            .map(|()| crate::metrics::queued(n))
            .map_err(|e| {
                self.bytes.fetch_sub(n, Ordering::Relaxed);
                match e {
                    mpsc::error::TrySendError::Full(_) => {
                        self.missed.store(true, Ordering::Release);
                        QueueError::Items
                    }
                    mpsc::error::TrySendError::Closed(_) => QueueError::Closed,
                }
            })
    }

    /// Queues a small item that completes one of the connection's own requests (a PUBACK),
    /// waiting for an item's room; counted, not refused, by the byte budget.
    pub async fn send(&self, out: Outbound) -> Result<(), QueueError> {
        let n = out.queued_bytes();
        self.bytes.fetch_add(n, Ordering::Relaxed);
        self.tx
            .send(out)
            .await
            .map(|()| crate::metrics::queued(n))
            .map_err(|_| {
                self.bytes.fetch_sub(n, Ordering::Relaxed);
                QueueError::Closed
            })
    }

    /// Bytes queued now.
    pub fn queued_bytes(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
    }
}

impl QueueRx {
    /// The next item; `None` once every sender is gone.
    pub async fn recv(&mut self) -> Option<Outbound> {
        let out = self.rx.recv().await?;
        self.taken(&out);
        Some(out)
    }

    /// The next item if one is waiting.
    pub fn try_recv(&mut self) -> Option<Outbound> {
        let out = self.rx.try_recv().ok()?;
        self.taken(&out);
        Some(out)
    }

    /// Whether an item was refused because the queue was full of items and no notification
    /// has covered it yet (see [`QueueRx::missed_and_drained`]).
    pub fn missed(&self) -> bool {
        self.missed.load(Ordering::Acquire)
    }

    /// Whether an item was refused because the queue was full of items, now that the queue is
    /// empty: the connection then gets one `s_ntf`, and the client pulls what the refused
    /// items announced (they were stored, or were status messages that may be lost). Clears
    /// the mark.
    pub fn missed_and_drained(&mut self) -> bool {
        self.rx.is_empty() && self.missed.swap(false, Ordering::AcqRel)
    }

    fn taken(&self, out: &Outbound) {
        let n = out.queued_bytes();
        self.bytes.fetch_sub(n, Ordering::Relaxed);
        crate::metrics::dequeued(n);
    }
}

impl Drop for QueueRx {
    /// What was still queued leaves the process-wide count too.
    fn drop(&mut self) {
        self.rx.close();
        while self.try_recv().is_some() {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_budget_refuses_what_does_not_fit_and_frees_what_is_taken() {
        let big = || Outbound::Direct(vec![0; 1000]);
        let size = big().queued_bytes();
        let (tx, mut rx) = queue(10, 2 * size + 10);
        assert_eq!(tx.try_send(big()), Ok(()));
        assert_eq!(tx.try_send(big()), Ok(()));
        assert_eq!(tx.try_send(big()), Err(QueueError::Bytes));
        assert_eq!(tx.queued_bytes(), 2 * size);
        assert!(rx.try_recv().is_some());
        assert_eq!(tx.queued_bytes(), size);
        assert_eq!(tx.try_send(big()), Ok(()));
    }

    #[test]
    fn the_item_budget_holds_too() {
        let (tx, mut rx) = queue(1, usize::MAX);
        assert_eq!(tx.try_send(Outbound::Notify { time: 1 }), Ok(()));
        assert_eq!(
            tx.try_send(Outbound::Notify { time: 2 }),
            Err(QueueError::Items)
        );
        assert_eq!(
            tx.queued_bytes(),
            Outbound::Notify { time: 1 }.queued_bytes()
        );
        assert!(!rx.missed_and_drained(), "an item still waits");
        drop(rx.try_recv());
        assert!(rx.missed_and_drained(), "drained, with an item refused");
        assert!(!rx.missed_and_drained(), "told once");
        drop(rx);
        assert_eq!(
            tx.try_send(Outbound::Notify { time: 3 }),
            Err(QueueError::Closed)
        );
        assert_eq!(tx.queued_bytes(), 0);
    }
}
