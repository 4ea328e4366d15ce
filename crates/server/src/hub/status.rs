//! User status (api.md §3.8): who is online, the status each online user set, and which
//! connections watch whose status (`subUserStatus`). A watched user's change — a new status,
//! their first connection, their last connection gone — goes to every watching connection as an
//! `s_stat` PUBLISH ([`super::Outbound::UserStatus`]).
//!
//! A subscription belongs to one connection; a connection watches at most
//! [`MAX_SUBSCRIPTIONS`] users and a user is watched by at most [`MAX_WATCHERS`] connections,
//! so the table is bounded by the connection caps and one change reaches a bounded number of
//! connections. A watcher whose outbound queue is full misses the push.
//!
//! When a connection closes, what it watched is kept for its user for [`PARK_MS`], and the
//! user's next connection takes it over (their current statuses follow at once): 2.5.3
//! subscribes once, in `setUserStatusListener`, and never again after it reconnects, so its
//! listener would otherwise go silent after the first lost connection. Kept subscriptions are
//! bounded by [`MAX_SUBSCRIPTIONS`] per user.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard};

use im_wire::proto::{self, GetUserStatusOutput};

use super::{Outbound, QueueTx};

/// Most users one connection watches: RongCloud's documented cap on the users one user may
/// subscribe to (1,000), applied per connection.
pub const MAX_SUBSCRIPTIONS: usize = 1000;
/// Most connections watching one user: RongCloud's documented cap on the subscribers of one
/// user (5,000).
pub const MAX_WATCHERS: usize = 5000;

/// How long what a closed connection watched is kept for its user's next connection (ms).
pub const PARK_MS: i64 = 3_600_000;

/// The `p` (platform) of an online user: every connection to this server is a WebSocket one,
/// named as RongCloud's online-status callbacks name it.
pub const PLATFORM: &str = "Websocket";

/// One user's status as `getUserStatus` and `s_stat` carry it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UserStatus {
    /// At least one connection is open.
    pub online: bool,
    /// The status the user set (0 when never set).
    pub status: i32,
}

impl UserStatus {
    /// The `status` JSON string: `{"us":{"o":0|1,"p":[platforms],"s":status}}`; `p` is empty
    /// when offline (the 2.5.3 `UserStatus.platform` is a string array).
    pub fn json(self) -> String {
        let platforms: &[&str] = if self.online { &[PLATFORM] } else { &[] };
        serde_json::json!({"us": {"o": i32::from(self.online), "p": platforms, "s": self.status}})
            .to_string()
    }

    /// `GetUserStatusOutput{status: JSON, subUserId: user}` encoded.
    pub fn payload(self, user: &str) -> Vec<u8> {
        proto::encode(&GetUserStatusOutput {
            status: Some(self.json()),
            sub_user_id: Some(user.to_owned()),
        })
    }
}

/// A subscribe that would take the connection over [`MAX_SUBSCRIPTIONS`], or a user over
/// [`MAX_WATCHERS`]; nothing was added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooMany;

#[derive(Debug)]
struct Watcher {
    tx: QueueTx,
    watched: HashSet<String>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Online users: open connections and the status they set.
    online: HashMap<String, (usize, i32)>,
    /// Watching connections by id.
    watchers: HashMap<u64, Watcher>,
    /// Watched user → watching connections.
    watched_by: HashMap<String, HashSet<u64>>,
    /// User → what their closed connections watched, and until when it is kept.
    parked: HashMap<String, (i64, HashSet<String>)>,
    /// (until, user) in the order parked, to forget expired ones.
    park_order: VecDeque<(i64, String)>,
}

impl Inner {
    /// Forgets what was parked until `now` or earlier.
    fn expire(&mut self, now: i64) {
        while let Some(&(until, _)) = self.park_order.front() {
            if until > now {
                break;
            }
            let Some((_, user)) = self.park_order.pop_front() else {
                break;
            };
            if self.parked.get(&user).is_some_and(|(u, _)| *u <= now) {
                self.parked.remove(&user);
            }
        }
    }

    fn status(&self, user: &str) -> Option<UserStatus> {
        self.online.get(user).map(|&(_, status)| UserStatus {
            online: true,
            status,
        })
    }

    /// Queues `s_stat` for `user` to every connection watching them; a full queue misses it.
    fn announce(&self, user: &str, status: UserStatus) {
        let Some(conns) = self.watched_by.get(user) else {
            return;
        };
        let payload = status.payload(user);
        for w in conns.iter().filter_map(|c| self.watchers.get(c)) {
            let _ = w.tx.try_send(Outbound::UserStatus {
                user: user.into(),
                payload: payload.clone().into(),
            });
        }
    }
}

/// The status table; one per server.
#[derive(Debug, Default)]
pub struct Presence {
    inner: Mutex<Inner>,
}

impl Presence {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Nothing panics under this lock; a poisoned one still holds consistent data.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A connection of `user` opened; `status` is the stored one. The first connection
    /// announces the user online.
    pub fn connected(&self, user: &str, status: i32) {
        let mut inner = self.lock();
        let entry = inner.online.entry(user.to_owned()).or_insert((0, status));
        entry.0 += 1;
        if entry.0 == 1 {
            entry.1 = status;
            let now = UserStatus {
                online: true,
                status,
            };
            inner.announce(user, now);
        }
    }

    /// Connection `conn` of `user` closed at `now`: its subscriptions are kept for the user's
    /// next connection (see the module documentation), and the last connection of `user`
    /// announces them offline.
    pub fn disconnected(&self, user: &str, conn: u64, now: i64) {
        let mut inner = self.lock();
        inner.expire(now);
        if let Some(w) = inner.watchers.remove(&conn) {
            for watched in &w.watched {
                if let Some(set) = inner.watched_by.get_mut(watched) {
                    set.remove(&conn);
                    if set.is_empty() {
                        inner.watched_by.remove(watched);
                    }
                }
            }
            let until = now.saturating_add(PARK_MS);
            let kept = inner.parked.entry(user.to_owned()).or_default();
            kept.0 = until;
            for u in w.watched {
                if kept.1.len() >= MAX_SUBSCRIPTIONS {
                    break;
                }
                kept.1.insert(u);
            }
            inner.park_order.push_back((until, user.to_owned()));
        }
        let Some(entry) = inner.online.get_mut(user) else {
            return;
        };
        entry.0 = entry.0.saturating_sub(1);
        if entry.0 == 0 {
            let status = entry.1;
            inner.online.remove(user);
            inner.announce(
                user,
                UserStatus {
                    online: false,
                    status,
                },
            );
        }
    }

    /// `user` set `status` (already stored): announced to watchers when it changed.
    pub fn set_status(&self, user: &str, status: i32) {
        let mut inner = self.lock();
        let Some(entry) = inner.online.get_mut(user) else {
            return;
        };
        if entry.1 != status {
            entry.1 = status;
            inner.announce(
                user,
                UserStatus {
                    online: true,
                    status,
                },
            );
        }
    }

    /// The live status of `user` if online.
    pub fn online(&self, user: &str) -> Option<UserStatus> {
        self.lock().status(user)
    }

    /// Connection `conn` of `user`, just opened at `now`, takes over what the user's closed
    /// connections watched (kept for [`PARK_MS`]); returns the users it now watches. A user
    /// watched by [`MAX_WATCHERS`] connections already is left out.
    pub fn adopt(&self, user: &str, conn: u64, tx: &QueueTx, now: i64) -> Vec<String> {
        let mut inner = self.lock();
        inner.expire(now);
        let Some((_, kept)) = inner.parked.remove(user) else {
            return Vec::new();
        };
        let mut added: Vec<String> = kept
            .into_iter()
            .filter(|u| {
                inner
                    .watched_by
                    .get(u)
                    .is_none_or(|w| w.len() < MAX_WATCHERS)
            })
            .collect();
        added.sort_unstable();
        let w = inner.watchers.entry(conn).or_insert_with(|| Watcher {
            tx: tx.clone(),
            watched: HashSet::new(),
        });
        added.retain(|u| w.watched.insert(u.clone()));
        for u in &added {
            inner.watched_by.entry(u.clone()).or_default().insert(conn);
        }
        added
    }

    /// Connection `conn` (sending through `tx`) also watches `users`; returns the ones it did
    /// not watch before. Refused as a whole when the connection would watch more than
    /// [`MAX_SUBSCRIPTIONS`] users or one of them would have more than [`MAX_WATCHERS`].
    pub fn subscribe(
        &self,
        conn: u64,
        tx: &QueueTx,
        users: &[String],
    ) -> Result<Vec<String>, TooMany> {
        let mut inner = self.lock();
        let watched = inner.watchers.get(&conn).map(|w| &w.watched);
        let mut added: Vec<String> = users
            .iter()
            .filter(|u| !watched.is_some_and(|w| w.contains(*u)))
            .cloned()
            .collect();
        added.sort_unstable();
        added.dedup();
        let before = watched.map_or(0, HashSet::len);
        if before + added.len() > MAX_SUBSCRIPTIONS {
            return Err(TooMany);
        }
        let crowded = |u: &String| {
            inner
                .watched_by
                .get(u)
                .is_some_and(|w| w.len() >= MAX_WATCHERS)
        };
        if added.iter().any(crowded) {
            return Err(TooMany);
        }
        let w = inner.watchers.entry(conn).or_insert_with(|| Watcher {
            tx: tx.clone(),
            watched: HashSet::new(),
        });
        w.watched.extend(added.iter().cloned());
        for u in &added {
            inner.watched_by.entry(u.clone()).or_default().insert(conn);
        }
        Ok(added)
    }

    /// (online users, watching connections, subscriptions): what the table holds.
    pub fn sizes(&self) -> (usize, usize, usize) {
        let inner = self.lock();
        let subs = inner.watched_by.values().map(HashSet::len).sum();
        (inner.online.len(), inner.watchers.len(), subs)
    }

    /// (users, subscriptions) kept from closed connections, as of `now`.
    pub fn parked(&self, now: i64) -> (usize, usize) {
        let mut inner = self.lock();
        inner.expire(now);
        let subs = inner.parked.values().map(|(_, w)| w.len()).sum();
        (inner.parked.len(), subs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::queue;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("u{i}")).collect()
    }

    #[test]
    fn the_status_json_has_the_keys_the_client_renames() {
        let on = UserStatus {
            online: true,
            status: 3,
        };
        assert_eq!(on.json(), r#"{"us":{"o":1,"p":["Websocket"],"s":3}}"#);
        assert_eq!(
            UserStatus::default().json(),
            r#"{"us":{"o":0,"p":[],"s":0}}"#
        );
    }

    #[test]
    fn watchers_hear_online_changes_and_offline_and_nothing_is_left_after_close() {
        let p = Presence::default();
        let (tx, mut rx) = queue(16, usize::MAX);
        assert_eq!(
            p.subscribe(7, &tx, &["bob".into(), "bob".into()]),
            Ok(vec!["bob".into()])
        );
        assert_eq!(p.subscribe(7, &tx, &["bob".into()]), Ok(vec![]));
        p.connected("bob", 2);
        p.connected("bob", 2);
        p.set_status("bob", 2);
        p.set_status("bob", 5);
        p.disconnected("bob", 1, 0);
        p.disconnected("bob", 2, 0);
        let mut got = Vec::new();
        while let Some(Outbound::UserStatus { payload, .. }) = rx.try_recv() {
            let out: GetUserStatusOutput = proto::decode(&payload).unwrap_or_default();
            got.push(out.status.unwrap_or_default());
        }
        assert_eq!(
            got,
            [
                r#"{"us":{"o":1,"p":["Websocket"],"s":2}}"#,
                r#"{"us":{"o":1,"p":["Websocket"],"s":5}}"#,
                r#"{"us":{"o":0,"p":[],"s":5}}"#
            ]
        );
        p.disconnected("alice", 7, 10);
        assert_eq!(p.sizes(), (0, 0, 0));
        // Kept for alice's next connection, for a while.
        assert_eq!(p.parked(10), (1, 1));
        assert_eq!(p.parked(10 + PARK_MS), (0, 0));
    }

    #[test]
    fn a_connection_watches_at_most_the_cap_and_an_over_cap_call_adds_nothing() {
        let p = Presence::default();
        let (tx, _rx) = queue(1, usize::MAX);
        let first = ids(MAX_SUBSCRIPTIONS - 1);
        assert_eq!(
            p.subscribe(1, &tx, &first).map(|a| a.len()),
            Ok(first.len())
        );
        assert_eq!(p.subscribe(1, &tx, &["x".into(), "y".into()]), Err(TooMany));
        assert_eq!(p.sizes().2, MAX_SUBSCRIPTIONS - 1);
        assert_eq!(
            p.subscribe(1, &tx, &["u0".into(), "x".into()]),
            Ok(vec!["x".into()])
        );
        p.disconnected("a", 1, 0);
        assert_eq!(p.sizes(), (0, 0, 0));
        assert_eq!(p.parked(0), (1, MAX_SUBSCRIPTIONS));
    }

    #[test]
    fn a_user_is_watched_by_at_most_the_cap() {
        let p = Presence::default();
        let (tx, _rx) = queue(1, usize::MAX);
        let star = ["star".to_owned()];
        for conn in 0..MAX_WATCHERS as u64 {
            assert!(p.subscribe(conn, &tx, &star).is_ok());
        }
        assert_eq!(p.subscribe(u64::MAX, &tx, &star), Err(TooMany));
        p.disconnected("a", 0, 0);
        assert!(p.subscribe(u64::MAX, &tx, &star).is_ok());
    }
    #[test]
    fn the_next_connection_of_a_user_takes_over_what_a_closed_one_watched() {
        let p = Presence::default();
        let (tx, _rx) = queue(16, usize::MAX);
        assert!(p.subscribe(1, &tx, &["bob".into(), "carol".into()]).is_ok());
        assert!(p.subscribe(2, &tx, &["dave".into()]).is_ok());
        p.disconnected("alice", 1, 100);
        p.disconnected("alice", 2, 200);
        assert_eq!(p.parked(200), (1, 3));
        // Another user's connection takes nothing; alice's takes all, once.
        assert!(p.adopt("erin", 3, &tx, 300).is_empty());
        assert_eq!(
            p.adopt("alice", 4, &tx, 300),
            ["bob", "carol", "dave"].map(String::from)
        );
        assert!(p.adopt("alice", 5, &tx, 300).is_empty());
        assert_eq!(p.sizes(), (0, 1, 3));
        assert_eq!(p.parked(300), (0, 0));
        // Too late: forgotten.
        p.disconnected("alice", 4, 400);
        assert!(p.adopt("alice", 6, &tx, 400 + PARK_MS).is_empty());
        assert_eq!(p.parked(400 + PARK_MS), (0, 0));
    }
}
