//! Who is online: user id → open connections, each reachable through a bounded channel.
//!
//! The hub only routes; every message it carries is already committed (or, for messages that are
//! not persisted, deliberately online-only). The connections of other nodes get theirs through
//! [`crate::bus`].

mod queue;
pub mod status;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use im_wire::enums::DisconnectStatus;
use tokio::sync::oneshot;

pub use queue::{queue, QueueError, QueueRx, QueueTx};

/// Something to send to one connection.
#[derive(Clone, Debug)]
pub enum Outbound {
    /// `s_ntf`: messages are waiting; pull (api.md §5.1).
    Notify {
        /// The newest message time.
        time: i64,
    },
    /// A stored message for this user: the encoded `DownStreamMessage` and its time. The
    /// connection sends it as `s_msg` when the client takes one (its last pull finished and
    /// nothing was announced or missed since), else announces it with `s_ntf` (api.md §5.1;
    /// see [`crate::session`]). Queued in the order of the message times.
    Message {
        /// The message time.
        time: i64,
        /// The encoded `DownStreamMessage`.
        payload: Vec<u8>,
    },
    /// `s_msg`: one encoded `DownStreamMessage`, for messages that are not stored.
    Direct(Vec<u8>),
    /// A copy of the user's own message sent from another device (transport.md §5.6).
    Echo(Box<EchoCopy>),
    /// `s_ntf` type 2: messages are waiting in a chatroom; pull with `chrmPull` (api.md §5.3).
    /// At most one is outstanding per connection and room (see [`crate::chatroom`]).
    ChatroomNotify {
        /// The room.
        room: std::sync::Arc<str>,
        /// The newest message time.
        time: i64,
    },
    /// `s_cmd` with `NotifyMsg.type` 2: a chatroom's entries changed; pull with `pullKV`
    /// (see [`crate::chatroom::kv`]).
    ChatroomEntries {
        /// The room.
        room: std::sync::Arc<str>,
        /// The time of the change.
        time: i64,
    },
    /// `s_cmd` with `NotifyMsg.type` 3: the user's settings changed (see [`crate::settings`]).
    SettingsChanged {
        /// The new settings version.
        version: i64,
    },
    /// A frame ready to send, e.g. a PUBACK completed after the connection moved on.
    Frame(Box<im_wire::ServerFrame>),
    /// `s_stat`: a watched user's status changed (see [`status`]).
    UserStatus {
        /// The watched user.
        user: Box<str>,
        /// The encoded `GetUserStatusOutput`.
        payload: Box<[u8]>,
    },
}

/// A copy of the user's own message sent from another device (transport.md §5.6). Boxed in
/// [`Outbound`], whose size every connection's queue pays per slot.
#[derive(Clone, Debug)]
pub struct EchoCopy {
    /// The original PUBLISH topic.
    pub topic: String,
    /// The original PUBLISH targetId.
    pub target_id: String,
    /// The original `UpStreamMessage` bytes.
    pub payload: Vec<u8>,
    /// The message UId for the completing PUBACK.
    pub uid: String,
    /// The message time for the completing PUBACK.
    pub time: i64,
}

/// Why the hub ends a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Close {
    /// The same user logged in elsewhere beyond the devices allowed.
    Kicked,
    /// The token the connection was opened with was expired.
    Revoked,
    /// The user was blocked.
    Blocked,
    /// The client took too long to read: its outbound queue went over its byte budget.
    SlowReader,
}

impl Close {
    /// The DISCONNECT status the connection is sent (transport.md §5.11): 1 kicked, 4 LOGOUT,
    /// 5 BLOCK, and 3 for a slow reader, which the client treats as a network failure (it
    /// reconnects and pulls what it missed).
    pub fn status(self) -> DisconnectStatus {
        match self {
            Self::Kicked => DisconnectStatus::OtherDeviceLogin,
            Self::Revoked => DisconnectStatus::Logout,
            Self::Blocked => DisconnectStatus::Block,
            Self::SlowReader => DisconnectStatus::UnknownError,
        }
    }
}

/// The hub's signal that a connection is to send DISCONNECT and close. It bypasses the
/// outbound queue, so it reaches a connection whose queue is full; the connection also checks
/// it before each client frame.
pub type CloseSignal = oneshot::Receiver<Close>;

#[derive(Debug)]
struct Conn {
    id: u64,
    /// Issue time (ms) of the token the connection was opened with.
    token_issued: i64,
    /// When it was registered (wall clock, ms).
    since: i64,
    tx: QueueTx,
    close: Option<oneshot::Sender<Close>>,
    /// A full queue was logged for this connection.
    full_logged: bool,
}

impl Conn {
    /// Tells the connection to close; false if it was told before or has ended.
    fn close(&mut self, why: Close) -> bool {
        self.close.take().is_some_and(|c| c.send(why).is_ok())
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
    pub fn register(&self, user: &str, token_issued: i64, tx: QueueTx) -> (u64, CloseSignal) {
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
            since: crate::clock::wall_ms(),
            tx,
            close: Some(close),
            full_logged: false,
        });
        while conns.len() > self.devices_per_user {
            conns.remove(0).close(Close::Kicked);
        }
        (id, signal)
    }

    /// The user logged in on another node at `login_ms` (see [`crate::bus`]): the connections
    /// registered here before it, oldest first, are told to leave (DISCONNECT 1) until at most
    /// `devices_per_user - 1` remain, the new one taking the last place. Returns how many.
    pub fn make_room(&self, user: &str, login_ms: i64) -> usize {
        let Ok(mut users) = self.users.lock() else {
            return 0;
        };
        let Some(conns) = users.get_mut(user) else {
            return 0;
        };
        let keep = self.devices_per_user - 1;
        let mut open = conns.iter().filter(|c| c.close.is_some()).count();
        let mut told = 0;
        for c in conns.iter_mut() {
            if open <= keep {
                break;
            }
            if c.since <= login_ms && c.close(Close::Kicked) {
                open -= 1;
                told += 1;
            }
        }
        told
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

    /// Sends `out` to every connection of `user` except `except`; returns how many got it. A
    /// connection whose queue is over its byte budget is told to close (it pulls what it
    /// missed once it reconnects); one whose queue is full of items misses `out`, and gets an
    /// `s_ntf` once its queue is drained (see [`QueueRx::missed_and_drained`]).
    pub fn send(&self, user: &str, except: Option<u64>, out: Outbound) -> usize {
        let Ok(mut users) = self.users.lock() else {
            return 0;
        };
        let Some(conns) = users.get_mut(user) else {
            return 0;
        };
        let mut sent = 0;
        let mut out = Some(out);
        let targets = conns.iter().filter(|c| Some(c.id) != except).count();
        for (i, c) in conns
            .iter_mut()
            .filter(|c| Some(c.id) != except)
            .enumerate()
        {
            // The last connection takes the item itself; the others a copy.
            let item = if i + 1 == targets {
                out.take()
            } else {
                out.clone()
            };
            let Some(item) = item else { break };
            match c.tx.try_send(item) {
                Ok(()) => sent += 1,
                Err(QueueError::Bytes) => {
                    c.close(Close::SlowReader);
                }
                Err(QueueError::Items) if !c.full_logged => {
                    c.full_logged = true;
                    tracing::info!(
                        user,
                        conn = c.id,
                        "outbound queue full of items: a notification follows when it drains"
                    );
                }
                Err(_) => {}
            }
        }
        sent
    }

    /// The outbound queue of connection `id` of `user`, if it is still registered.
    pub fn sender(&self, user: &str, id: u64) -> Option<QueueTx> {
        let users = self.users.lock().ok()?;
        let conn = users.get(user)?.iter().find(|c| c.id == id)?;
        Some(conn.tx.clone())
    }

    /// Tells the connections of `user` opened with a token issued before `before_ms` to leave
    /// for `why`; returns how many were told.
    pub fn disconnect_tokens_before(&self, user: &str, before_ms: i64, why: Close) -> usize {
        let Ok(mut users) = self.users.lock() else {
            return 0;
        };
        let Some(conns) = users.get_mut(user) else {
            return 0;
        };
        conns
            .iter_mut()
            .filter(|c| c.token_issued < before_ms)
            .map(|c| c.close(why))
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

    /// The users with at least one open connection (as many as there are connections, at
    /// most).
    pub fn online_users(&self) -> Vec<String> {
        self.users
            .lock()
            .map(|u| u.keys().cloned().collect())
            .unwrap_or_default()
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
        let (tx1, _rx1) = queue(4, usize::MAX);
        let (tx2, _rx2) = queue(4, usize::MAX);
        let (first, mut close1) = hub.register("u", 1, tx1);
        let (second, mut close2) = hub.register("u", 1, tx2);
        assert_eq!(close1.try_recv(), Ok(Close::Kicked));
        assert!(close2.try_recv().is_err());
        hub.unregister("u", first);
        assert!(hub.is_online("u"));
        assert_eq!(hub.send("u", None, Outbound::Notify { time: 1 }), 1);
        hub.unregister("u", second);
        assert!(!hub.is_online("u"));
    }

    #[test]
    fn a_login_on_another_node_leaves_room_for_itself_among_older_connections() {
        let hub = Hub::new(2);
        let (tx1, _rx1) = queue(4, usize::MAX);
        let (tx2, _rx2) = queue(4, usize::MAX);
        let (_, mut close1) = hub.register("u", 1, tx1);
        let (_, mut close2) = hub.register("u", 1, tx2);
        assert_eq!(hub.make_room("u", 0), 0, "both are newer than that login");
        assert_eq!(hub.make_room("u", i64::MAX), 1);
        assert_eq!(close1.try_recv(), Ok(Close::Kicked));
        assert!(close2.try_recv().is_err());
        assert_eq!(
            hub.make_room("u", i64::MAX),
            0,
            "one device left beside the new one"
        );
        assert_eq!(hub.make_room("nobody", i64::MAX), 0);
    }

    #[test]
    fn several_devices_coexist_when_allowed() {
        let hub = Hub::new(2);
        let (tx1, _rx1) = queue(4, usize::MAX);
        let (tx2, _rx2) = queue(4, usize::MAX);
        let (a, _) = hub.register("u", 1, tx1);
        let _second = hub.register("u", 1, tx2);
        assert_eq!(hub.send("u", Some(a), Outbound::Notify { time: 1 }), 1);
        assert_eq!(hub.connections(), 2);
    }

    #[test]
    fn only_connections_with_older_tokens_are_disconnected() {
        let hub = Hub::new(2);
        // Queues of one item, both full: the signal does not go through them.
        let (old_tx, _old_rx) = queue(1, usize::MAX);
        let (new_tx, _new_rx) = queue(1, usize::MAX);
        old_tx.try_send(Outbound::Notify { time: 1 }).unwrap();
        new_tx.try_send(Outbound::Notify { time: 1 }).unwrap();
        let (_, mut old_close) = hub.register("u", 100, old_tx);
        let (_, mut new_close) = hub.register("u", 200, new_tx);
        let why = Close::Revoked;
        assert_eq!(hub.disconnect_tokens_before("u", 150, why), 1);
        assert_eq!(old_close.try_recv(), Ok(why));
        assert!(new_close.try_recv().is_err());
        assert_eq!(hub.disconnect_tokens_before("u", 150, why), 0, "told once");
        assert_eq!(hub.disconnect_tokens_before("nobody", 150, why), 0);
    }

    #[test]
    fn a_connection_over_its_byte_budget_is_told_to_close_and_others_still_get_theirs() {
        let hub = Hub::new(2);
        let big = Outbound::Direct(vec![0; 1000]);
        let (slow_tx, _slow_rx) = queue(100, big.queued_bytes());
        let (fast_tx, mut fast_rx) = queue(100, usize::MAX);
        let (_, mut slow_close) = hub.register("u", 1, slow_tx);
        let (_, mut fast_close) = hub.register("u", 1, fast_tx);
        assert_eq!(hub.send("u", None, big.clone()), 2);
        assert!(slow_close.try_recv().is_err());
        assert_eq!(hub.send("u", None, big.clone()), 1);
        assert_eq!(slow_close.try_recv(), Ok(Close::SlowReader));
        assert!(fast_close.try_recv().is_err());
        assert!(fast_rx.try_recv().is_some() && fast_rx.try_recv().is_some());
    }
}
