//! Who is online: user id → open connections, each reachable through a bounded channel.
//!
//! The hub only routes; every message it carries is already committed (or, for messages that are
//! not persisted, deliberately online-only). A multi-node deployment would publish these
//! deliveries on a message bus instead; nothing else would change.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use im_wire::enums::DisconnectStatus;
use tokio::sync::{mpsc, oneshot};

/// Capacity of a connection's outbound queue. A full queue drops notifications: the data stays
/// in the inbox and the client's periodic pull (every 180 s) recovers it.
pub const OUTBOUND_CAPACITY: usize = 1024;

/// Something to send to one connection.
#[derive(Clone, Debug)]
pub enum Outbound {
    /// `s_ntf`: messages are waiting; pull (api.md §5.1).
    Notify {
        /// The newest message time.
        time: i64,
    },
    /// `s_msg`: one encoded `DownStreamMessage`, for messages that are not stored.
    Direct(Vec<u8>),
    /// A copy of the user's own message sent from another device (transport.md §5.6).
    Echo {
        /// The original PUBLISH topic.
        topic: String,
        /// The original PUBLISH targetId.
        target_id: String,
        /// The original `UpStreamMessage` bytes.
        payload: Vec<u8>,
        /// The message UId for the completing PUBACK.
        uid: String,
        /// The message time for the completing PUBACK.
        time: i64,
    },
    /// `s_ntf` type 2: messages are waiting in a chatroom; pull with `chrmPull` (api.md §5.3).
    /// At most one is outstanding per connection and room (see [`crate::chatroom`]).
    ChatroomNotify {
        /// The room.
        room: std::sync::Arc<str>,
        /// The newest message time.
        time: i64,
    },
    /// `s_cmd` with `NotifyMsg.type` 3: the user's settings changed (see [`crate::settings`]).
    SettingsChanged {
        /// The new settings version.
        version: i64,
    },
    /// A frame ready to send, e.g. a PUBACK completed after the connection moved on.
    Frame(im_wire::ServerFrame),
}

/// The hub's signal that a connection is to send DISCONNECT with the status and close
/// (transport.md §5.11): 1 when the user logged in elsewhere, 4 LOGOUT when its token was
/// expired, 5 BLOCK when the user was blocked. It bypasses the outbound queue, so it reaches
/// a connection whose queue is full; the connection also checks it before each client frame.
pub type CloseSignal = oneshot::Receiver<DisconnectStatus>;

#[derive(Debug)]
struct Conn {
    id: u64,
    /// Issue time (ms) of the token the connection was opened with.
    token_issued: i64,
    tx: mpsc::Sender<Outbound>,
    close: Option<oneshot::Sender<DisconnectStatus>>,
}

impl Conn {
    /// Tells the connection to close with DISCONNECT `status`; false if it was told before or
    /// has ended.
    fn close(&mut self, status: DisconnectStatus) -> bool {
        self.close.take().is_some_and(|c| c.send(status).is_ok())
    }
}

/// The registry of online connections.
#[derive(Debug)]
pub struct Hub {
    users: Mutex<HashMap<String, Vec<Conn>>>,
    next_id: AtomicU64,
    devices_per_user: usize,
}

impl Hub {
    /// A hub allowing `devices_per_user` connections per user (at least one).
    pub fn new(devices_per_user: usize) -> Self {
        Self {
            users: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            devices_per_user: devices_per_user.max(1),
        }
    }

    /// Registers a connection of `user`, opened with a token issued at `token_issued` (ms), and
    /// returns its id and its close signal. Older connections beyond the per-user limit are
    /// told to leave (DISCONNECT 1).
    pub fn register(
        &self,
        user: &str,
        token_issued: i64,
        tx: mpsc::Sender<Outbound>,
    ) -> (u64, CloseSignal) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (close, signal) = oneshot::channel();
        let Ok(mut users) = self.users.lock() else {
            // Never reached (nothing panics under this lock); the connection ends at once.
            return (id, signal);
        };
        let conns = users.entry(user.to_owned()).or_default();
        conns.push(Conn {
            id,
            token_issued,
            tx,
            close: Some(close),
        });
        while conns.len() > self.devices_per_user {
            conns.remove(0).close(DisconnectStatus::OtherDeviceLogin);
        }
        (id, signal)
    }

    /// Removes a connection (no-op if it was already replaced).
    pub fn unregister(&self, user: &str, id: u64) {
        if let Ok(mut users) = self.users.lock() {
            if let Some(conns) = users.get_mut(user) {
                conns.retain(|c| c.id != id);
                if conns.is_empty() {
                    users.remove(user);
                }
            }
        }
    }

    /// Sends `out` to every connection of `user` except `except`; returns how many got it.
    pub fn send(&self, user: &str, except: Option<u64>, out: &Outbound) -> usize {
        let Ok(users) = self.users.lock() else {
            return 0;
        };
        let Some(conns) = users.get(user) else {
            return 0;
        };
        let mut sent = 0;
        for c in conns.iter().filter(|c| Some(c.id) != except) {
            match c.tx.try_send(out.clone()) {
                Ok(()) => sent += 1,
                Err(e) => tracing::warn!(user, conn = c.id, "outbound queue: {e}"),
            }
        }
        sent
    }

    /// The outbound queue of connection `id` of `user`, if it is still registered.
    pub fn sender(&self, user: &str, id: u64) -> Option<mpsc::Sender<Outbound>> {
        let users = self.users.lock().ok()?;
        let conn = users.get(user)?.iter().find(|c| c.id == id)?;
        Some(conn.tx.clone())
    }

    /// Tells the connections of `user` opened with a token issued before `before_ms` to leave
    /// with DISCONNECT `status`; returns how many were told.
    pub fn disconnect_tokens_before(
        &self,
        user: &str,
        before_ms: i64,
        status: DisconnectStatus,
    ) -> usize {
        let Ok(mut users) = self.users.lock() else {
            return 0;
        };
        let Some(conns) = users.get_mut(user) else {
            return 0;
        };
        conns
            .iter_mut()
            .filter(|c| c.token_issued < before_ms)
            .map(|c| c.close(status))
            .filter(|told| *told)
            .count()
    }

    /// Whether `user` has at least one open connection.
    pub fn is_online(&self, user: &str) -> bool {
        self.users
            .lock()
            .map(|u| u.contains_key(user))
            .unwrap_or(false)
    }

    /// Number of open connections.
    pub fn connections(&self) -> usize {
        self.users
            .lock()
            .map(|u| u.values().map(Vec::len).sum())
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_login_kicks_the_first_when_one_device_is_allowed() {
        let hub = Hub::new(1);
        let (tx1, _rx1) = mpsc::channel(4);
        let (tx2, _rx2) = mpsc::channel(4);
        let (first, mut close1) = hub.register("u", 1, tx1);
        let (second, mut close2) = hub.register("u", 1, tx2);
        assert_eq!(close1.try_recv(), Ok(DisconnectStatus::OtherDeviceLogin));
        assert!(close2.try_recv().is_err());
        hub.unregister("u", first);
        assert!(hub.is_online("u"));
        assert_eq!(hub.send("u", None, &Outbound::Notify { time: 1 }), 1);
        hub.unregister("u", second);
        assert!(!hub.is_online("u"));
    }

    #[test]
    fn several_devices_coexist_when_allowed() {
        let hub = Hub::new(2);
        let (tx1, _rx1) = mpsc::channel(4);
        let (tx2, _rx2) = mpsc::channel(4);
        let (a, _) = hub.register("u", 1, tx1);
        let _second = hub.register("u", 1, tx2);
        assert_eq!(hub.send("u", Some(a), &Outbound::Notify { time: 1 }), 1);
        assert_eq!(hub.connections(), 2);
    }

    #[test]
    fn only_connections_with_older_tokens_are_disconnected() {
        let hub = Hub::new(2);
        // Queues of one item, both full: the signal does not go through them.
        let (old_tx, _old_rx) = mpsc::channel(1);
        let (new_tx, _new_rx) = mpsc::channel(1);
        old_tx.try_send(Outbound::Notify { time: 1 }).unwrap();
        new_tx.try_send(Outbound::Notify { time: 1 }).unwrap();
        let (_, mut old_close) = hub.register("u", 100, old_tx);
        let (_, mut new_close) = hub.register("u", 200, new_tx);
        let status = DisconnectStatus::Logout;
        assert_eq!(hub.disconnect_tokens_before("u", 150, status), 1);
        assert_eq!(old_close.try_recv(), Ok(status));
        assert!(new_close.try_recv().is_err());
        assert_eq!(
            hub.disconnect_tokens_before("u", 150, status),
            0,
            "told once"
        );
        assert_eq!(hub.disconnect_tokens_before("nobody", 150, status), 0);
    }
}
