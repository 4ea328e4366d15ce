//! Who is online: user id → open connections, each reachable through a bounded channel.
//!
//! The hub only routes; every message it carries is already committed (or, for messages that are
//! not persisted, deliberately online-only). A multi-node deployment would publish these
//! deliveries on a message bus instead; nothing else would change.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use im_wire::enums::DisconnectStatus;
use tokio::sync::mpsc;

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
    /// The same user logged in elsewhere: send DISCONNECT 1 and close.
    Kick,
    /// Send DISCONNECT with this status and close (transport.md §5.11): 4 LOGOUT when the
    /// session's token was expired, 5 BLOCK when the user was blocked.
    Disconnect(DisconnectStatus),
}

#[derive(Debug)]
struct Conn {
    id: u64,
    /// Issue time (ms) of the token the connection was opened with.
    token_issued: i64,
    tx: mpsc::Sender<Outbound>,
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
    /// returns its id. Older connections beyond the per-user limit are told to leave
    /// ([`Outbound::Kick`]).
    pub fn register(&self, user: &str, token_issued: i64, tx: mpsc::Sender<Outbound>) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let Ok(mut users) = self.users.lock() else {
            return id;
        };
        let conns = users.entry(user.to_owned()).or_default();
        conns.push(Conn {
            id,
            token_issued,
            tx,
        });
        while conns.len() > self.devices_per_user {
            let old = conns.remove(0);
            // A full queue means the old connection is stuck; dropping its sender ends it too.
            let _ = old.tx.try_send(Outbound::Kick);
        }
        id
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
        let Ok(users) = self.users.lock() else {
            return 0;
        };
        let Some(conns) = users.get(user) else {
            return 0;
        };
        let mut told = 0;
        for c in conns.iter().filter(|c| c.token_issued < before_ms) {
            // A full queue means a stuck connection; its idle timeout ends it.
            if c.tx.try_send(Outbound::Disconnect(status)).is_ok() {
                told += 1;
            }
        }
        told
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
        let (tx1, mut rx1) = mpsc::channel(4);
        let (tx2, mut rx2) = mpsc::channel(4);
        let first = hub.register("u", 1, tx1);
        let second = hub.register("u", 1, tx2);
        assert!(matches!(rx1.try_recv(), Ok(Outbound::Kick)));
        assert!(rx2.try_recv().is_err());
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
        let a = hub.register("u", 1, tx1);
        hub.register("u", 1, tx2);
        assert_eq!(hub.send("u", Some(a), &Outbound::Notify { time: 1 }), 1);
        assert_eq!(hub.connections(), 2);
    }

    #[test]
    fn only_connections_with_older_tokens_are_disconnected() {
        let hub = Hub::new(2);
        let (old_tx, mut old_rx) = mpsc::channel(4);
        let (new_tx, mut new_rx) = mpsc::channel(4);
        hub.register("u", 100, old_tx);
        hub.register("u", 200, new_tx);
        let status = DisconnectStatus::Logout;
        assert_eq!(hub.disconnect_tokens_before("u", 150, status), 1);
        assert!(matches!(old_rx.try_recv(), Ok(Outbound::Disconnect(s)) if s == status));
        assert!(new_rx.try_recv().is_err());
        assert_eq!(hub.disconnect_tokens_before("nobody", 150, status), 0);
    }
}
