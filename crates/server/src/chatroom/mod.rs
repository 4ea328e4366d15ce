//! Chatrooms (api.md §3.6, §5.3; server-api.md §2.5, §3 items 20–25), in memory: rooms, their
//! members in join order, a bounded ring of recent messages per room for join pulls, and per
//! member connection a bounded queue of messages not yet pulled. History is persisted through
//! the store (`qryCHMsg`), and so are a room's entries ([`kv`]); membership is not, and a closed
//! connection leaves its rooms.
//!
//! Delivery: a message is stored (if persisted), encoded once, appended to the ring and to
//! every member queue, and a member without an outstanding `s_ntf` type 2 gets one; its
//! `chrmPull` takes the queue and allows the next `s_ntf`. Sends into one room are serialized,
//! so members see the room's messages in time order and a time cursor never skips one.

mod delivery;
pub mod kv;
mod moderation;
mod queue;

pub use delivery::{deliver, deliver_stamped, history_of, persist, send};

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Deserialize;

pub use moderation::{setting, Moderation, BAN, BLOCK, GAG, KEEPALIVE, LOW, WHITELIST};
pub use queue::{pull_reply, ChatMsg, MemberQueue, Rank};

use crate::clock::wall_ms;
use crate::hub::QueueTx;

/// Chatroom settings of the server configuration (`[chatroom]`).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChatroomConfig {
    /// Milliseconds after which an empty room without joins or messages is destroyed, unless
    /// it is kept alive (server-api.md §3 item 21: one hour).
    pub idle_destroy_ms: u64,
    /// Recent messages kept per room for the history of a join pull.
    pub ring: usize,
    /// Messages a member connection may have waiting before the overload policy drops some.
    pub member_queue: usize,
    /// Most kept-alive rooms (`chatroom/keepalive/add` answers 1016 beyond).
    pub max_keepalive: usize,
    /// Most rooms one connection may be in at once; a join beyond is refused (23412).
    pub rooms_per_connection: usize,
    /// Most bytes of recent messages kept per room (with `ring`, whichever is reached first).
    /// `IM_CHATROOM_RING_BYTES`.
    pub ring_bytes: usize,
    /// Most bytes of messages a member connection may have waiting (with `member_queue`).
    /// `IM_CHATROOM_MEMBER_QUEUE_BYTES`.
    pub member_queue_bytes: usize,
    /// Most rooms the application may have at once; a join that would create one more is
    /// refused (23410). `IM_CHATROOM_MAX_ROOMS`.
    pub max_rooms: usize,
    /// Most entries (`setChatroomEntry`) one room may hold, at most 100 ([`kv::MAX_ENTRIES`]);
    /// a new key beyond is refused (23423). 0 turns entries off: navigation no longer announces `kvStorage`, and the entry topics
    /// answer 23426. `IM_CHATROOM_KV_ENTRIES`.
    pub kv_entries: usize,
}

impl Default for ChatroomConfig {
    fn default() -> Self {
        Self {
            idle_destroy_ms: 3_600_000,
            ring: 200,
            member_queue: 500,
            max_keepalive: 1000,
            rooms_per_connection: 20,
            ring_bytes: 1024 * 1024,
            member_queue_bytes: 1024 * 1024,
            max_rooms: 1000,
            kv_entries: 100,
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding one of these locks leaves consistent data: keep serving.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[derive(Debug)]
struct MemberConn {
    conn: u64,
    queue: Arc<MemberQueue>,
    tx: QueueTx,
}

#[derive(Debug)]
struct Member {
    user: String,
    joined_ms: i64,
    conns: Vec<MemberConn>,
}

#[derive(Debug)]
struct RoomState {
    name: String,
    /// Join sequence → member: iteration is join order.
    members: BTreeMap<u64, Member>,
    by_user: HashMap<String, u64>,
    next_seq: u64,
    ring: VecDeque<Arc<ChatMsg>>,
    /// Bytes held by `ring`.
    ring_bytes: usize,
    newest: i64,
    active: Instant,
}

/// One chatroom.
#[derive(Debug)]
pub struct Room {
    id: Arc<str>,
    created_ms: i64,
    state: Mutex<RoomState>,
}

/// A room as `chatroom/query` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomInfo {
    /// Room id.
    pub id: String,
    /// Name given at creation.
    pub name: String,
    /// Creation time (ms).
    pub created_ms: i64,
}

/// Why a member request was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a member of the room (23406).
    NotMember,
    /// Muted in the room or everywhere (23408).
    Muted,
    /// Kicked and kept out (23409).
    Blocked,
    /// The connection is in as many rooms as it may be (23412).
    TooManyRooms,
    /// The room does not exist and the application has as many rooms as it may have.
    NoRoomLeft,
    /// The connection is closing.
    Gone,
}

/// A message to send into a room.
#[derive(Clone, Debug)]
pub struct ChatroomMessage {
    /// The room.
    pub room: String,
    /// Sender.
    pub from: String,
    /// objectName.
    pub object_name: String,
    /// Content JSON bytes.
    pub content: Vec<u8>,
    /// MessageTag flags; bit 0 (persisted) puts it in the room's history.
    pub tag: u8,
    /// Deliver to the sender's own connections in the room too.
    pub include_sender: bool,
}

/// What a `chrmPull` returns.
#[derive(Debug)]
pub struct Pulled {
    /// Messages, oldest first.
    pub list: Vec<Arc<ChatMsg>>,
    /// The cursor for the next pull.
    pub sync_time: i64,
    /// The newest time of the messages left queued for the next pull (the reply's byte budget
    /// was reached): the member is to be told to pull again.
    pub more: Option<i64>,
}

/// The rooms one connection joined, and its queue in each.
type Joined = HashMap<Arc<str>, Arc<MemberQueue>>;

/// Every chatroom of the application.
#[derive(Debug)]
pub struct Chatrooms {
    config: ChatroomConfig,
    rooms: Mutex<HashMap<Arc<str>, Arc<Room>>>,
    /// Connection → the rooms it joined and its queue in each.
    conns: Mutex<HashMap<u64, Joined>>,
    moderation: Mutex<Moderation>,
    /// Who may own auto-delete entries, and the departures to act on ([`kv`]).
    entries: kv::Entries,
}

impl Chatrooms {
    /// No rooms yet; `moderation` as restored from the store.
    pub fn new(config: ChatroomConfig, moderation: Moderation) -> Self {
        Self::with_clock(config, moderation, crate::clock::Clock::default())
    }

    /// Like [`Chatrooms::new`], with entry times taken from `clock` (the store's).
    pub fn with_clock(
        config: ChatroomConfig,
        moderation: Moderation,
        clock: crate::clock::Clock,
    ) -> Self {
        Self {
            config,
            rooms: Mutex::default(),
            conns: Mutex::default(),
            moderation: Mutex::new(moderation),
            entries: kv::Entries::new(clock),
        }
    }

    /// The settings set through the Server API.
    pub fn moderation(&self) -> MutexGuard<'_, Moderation> {
        lock(&self.moderation)
    }

    /// The configuration in force.
    pub fn config(&self) -> &ChatroomConfig {
        &self.config
    }

    fn room(&self, id: &str) -> Option<Arc<Room>> {
        lock(&self.rooms).get(id).cloned()
    }

    fn get_or_create<'a>(
        rooms: &'a mut HashMap<Arc<str>, Arc<Room>>,
        id: &str,
        name: &str,
    ) -> &'a Arc<Room> {
        let key: Arc<str> = Arc::from(id);
        rooms.entry(key.clone()).or_insert_with(|| {
            Arc::new(Room {
                id: key,
                created_ms: wall_ms(),
                state: Mutex::new(RoomState {
                    name: name.to_owned(),
                    members: BTreeMap::new(),
                    by_user: HashMap::new(),
                    next_seq: 0,
                    ring: VecDeque::new(),
                    ring_bytes: 0,
                    newest: 0,
                    active: Instant::now(),
                }),
            })
        })
    }

    /// `chatroom/create`: creates the room, or keeps an existing one as it is.
    pub fn create(&self, id: &str, name: &str) {
        let mut rooms = lock(&self.rooms);
        Self::get_or_create(&mut rooms, id, name);
    }

    /// `chatroom/create` of several rooms: all of them, or none when the new ones would take
    /// the application over `max_rooms` (`Err` with the number of new rooms that would fit).
    pub fn create_all(&self, new: &[(String, String)]) -> Result<(), usize> {
        let mut rooms = lock(&self.rooms);
        let mut fresh: Vec<&str> = new
            .iter()
            .map(|(id, _)| id.as_str())
            .filter(|id| !rooms.contains_key(*id))
            .collect();
        fresh.sort_unstable();
        fresh.dedup();
        if rooms.len().saturating_add(fresh.len()) > self.config.max_rooms {
            crate::metrics::refused(crate::metrics::Reason::TooManyRooms);
            return Err(self.config.max_rooms.saturating_sub(rooms.len()));
        }
        for (id, name) in new {
            Self::get_or_create(&mut rooms, id, name);
        }
        Ok(())
    }

    /// Rooms that exist, among `ids`.
    pub fn query(&self, ids: &[String]) -> Vec<RoomInfo> {
        let rooms = lock(&self.rooms);
        ids.iter()
            .filter_map(|id| rooms.get(id.as_str()))
            .map(|r| RoomInfo {
                id: r.id.to_string(),
                name: lock(&r.state).name.clone(),
                created_ms: r.created_ms,
            })
            .collect()
    }

    /// Every room id.
    pub fn ids(&self) -> Vec<String> {
        lock(&self.rooms).keys().map(|k| k.to_string()).collect()
    }

    /// `joinChrm` from connection `conn` of `user`, which receives through `tx`. Creates the
    /// room; joining again keeps the first join time.
    pub fn join(&self, room_id: &str, user: &str, conn: u64, tx: QueueTx) -> Result<(), Refusal> {
        let full = lock(&self.conns).get(&conn).is_some_and(|joined| {
            joined.len() >= self.config.rooms_per_connection && !joined.contains_key(room_id)
        });
        if full {
            return Err(Refusal::TooManyRooms);
        }
        let mut rooms = lock(&self.rooms);
        // Checked under the rooms lock: a block's kick takes it too, so it cannot slip between.
        if self.moderation().blocked(room_id, user, wall_ms()) {
            return Err(Refusal::Blocked);
        }
        if rooms.len() >= self.config.max_rooms && !rooms.contains_key(room_id) {
            return Err(Refusal::NoRoomLeft);
        }
        let room = Self::get_or_create(&mut rooms, room_id, "");
        {
            let mut st = lock(&room.state);
            st.active = Instant::now();
            let newest = st.newest;
            let seq = match st.by_user.get(user) {
                Some(seq) => *seq,
                None => {
                    let seq = st.next_seq;
                    st.next_seq += 1;
                    st.by_user.insert(user.to_owned(), seq);
                    st.members.insert(
                        seq,
                        Member {
                            user: user.to_owned(),
                            joined_ms: wall_ms(),
                            conns: Vec::new(),
                        },
                    );
                    seq
                }
            };
            let Some(member) = st.members.get_mut(&seq) else {
                return Err(Refusal::Gone);
            };
            let queue = match member.conns.iter().find(|c| c.conn == conn) {
                Some(c) => c.queue.clone(),
                None => {
                    let queue = Arc::new(MemberQueue::new(
                        self.config.member_queue,
                        self.config.member_queue_bytes,
                        newest,
                    ));
                    member.conns.push(MemberConn {
                        conn,
                        queue: queue.clone(),
                        tx,
                    });
                    queue
                }
            };
            // Recorded before the room is unlocked, so a kick or a destroy that follows also
            // forgets it.
            lock(&self.conns)
                .entry(conn)
                .or_default()
                .insert(room.id.clone(), queue);
        }
        drop(rooms);
        Ok(())
    }

    /// Removes users from a room (all their connections); returns those connections.
    fn remove_users(&self, room: &Room, users: &[String]) -> Vec<u64> {
        let mut st = lock(&room.state);
        let mut gone = Vec::new();
        for u in users {
            if let Some(seq) = st.by_user.remove(u) {
                if let Some(m) = st.members.remove(&seq) {
                    gone.extend(m.conns.iter().map(|c| c.conn));
                }
            }
        }
        st.active = Instant::now();
        gone
    }

    fn forget(&self, room: &str, conns: &[u64]) {
        let mut map = lock(&self.conns);
        for c in conns {
            if let Some(rooms) = map.get_mut(c) {
                rooms.remove(room);
                if rooms.is_empty() {
                    map.remove(c);
                }
            }
        }
    }

    /// `exitChrm`, or a kick: `users` leave the room with every connection.
    pub fn leave(&self, room_id: &str, users: &[String]) {
        if let Some(room) = self.room(room_id) {
            let gone = self.remove_users(&room, users);
            self.forget(room_id, &gone);
            for u in users {
                self.entries.departed(room_id, u);
            }
        }
    }

    /// Connection `conn` of `user` closed: it leaves every room it joined (a member with no
    /// connection left leaves the room).
    pub fn disconnect(&self, user: &str, conn: u64) {
        let Some(joined) = lock(&self.conns).remove(&conn) else {
            return;
        };
        for room_id in joined.keys() {
            let Some(room) = self.room(room_id) else {
                continue;
            };
            let mut st = lock(&room.state);
            let Some(seq) = st.by_user.get(user).copied() else {
                continue;
            };
            let emptied = st.members.get_mut(&seq).is_none_or(|m| {
                m.conns.retain(|c| c.conn != conn);
                m.conns.is_empty()
            });
            if emptied {
                st.members.remove(&seq);
                st.by_user.remove(user);
                st.active = Instant::now();
                drop(st);
                self.entries.departed(room_id, user);
            }
        }
    }

    /// `chatroom/destroy`: members are removed and the room is forgotten; mutes and bans stay
    /// (server-api.md §2.5), protected members go.
    pub fn destroy(&self, room_id: &str) {
        let Some(room) = lock(&self.rooms).remove(room_id) else {
            return;
        };
        let gone: Vec<u64> = {
            let mut st = lock(&room.state);
            st.by_user.clear();
            let members = std::mem::take(&mut st.members);
            members
                .values()
                .flat_map(|m| m.conns.iter().map(|c| c.conn))
                .collect()
        };
        self.forget(room_id, &gone);
        self.entries.gone(room_id);
        let mut m = self.moderation();
        m.user_whitelist.remove(room_id);
        m.stopped.remove(room_id);
    }

    /// Destroys the empty rooms idle for the configured time that are not kept alive; returns
    /// how many. Each is checked and removed under the lock joins take, so a room a member is
    /// joining right now stays.
    pub fn reap(&self) -> usize {
        let keep = self.moderation().keepalive.clone();
        let idle = Duration::from_millis(self.config.idle_destroy_ms);
        let mut doomed = Vec::new();
        lock(&self.rooms).retain(|id, r| {
            let st = lock(&r.state);
            let idle =
                !keep.contains(&**id) && st.members.is_empty() && st.active.elapsed() >= idle;
            if idle {
                doomed.push(id.clone());
            }
            !idle
        });
        for id in &doomed {
            self.entries.gone(id);
        }
        let mut m = self.moderation();
        for id in &doomed {
            m.user_whitelist.remove(&**id);
            m.stopped.remove(&**id);
        }
        doomed.len()
    }

    /// Destroys idle rooms until `shutdown` reads true.
    pub async fn reaper(self: Arc<Self>, shutdown: tokio::sync::watch::Receiver<bool>) {
        let period = Duration::from_millis((self.config.idle_destroy_ms / 2).clamp(10, 60_000));
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let stop = crate::server::stopped(shutdown);
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    let n = self.reap();
                    if n > 0 {
                        tracing::debug!(rooms = n, "idle chatrooms destroyed");
                    }
                }
                () = &mut stop => return,
            }
        }
    }

    /// Whether `user` is a member of `room`.
    pub fn is_member(&self, room_id: &str, user: &str) -> bool {
        self.room(room_id)
            .is_some_and(|r| lock(&r.state).by_user.contains_key(user))
    }

    /// Member total and members with their join times (ms), oldest first or newest first,
    /// at most `count`.
    pub fn members(
        &self,
        room_id: &str,
        count: usize,
        newest_first: bool,
    ) -> (usize, Vec<(String, i64)>) {
        let Some(room) = self.room(room_id) else {
            return (0, Vec::new());
        };
        let st = lock(&room.state);
        let all = st.members.values().map(|m| (m.user.clone(), m.joined_ms));
        let list = if newest_first {
            all.rev().take(count).collect()
        } else {
            all.take(count).collect()
        };
        (st.members.len(), list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chatroom_section_of_a_config_file_sets_what_it_names() {
        let config: crate::Config =
            toml::from_str("[chatroom]\nidle_destroy_ms = 50\nmember_queue = 8\n").unwrap();
        assert_eq!(config.chatroom.idle_destroy_ms, 50);
        assert_eq!(config.chatroom.member_queue, 8);
        assert_eq!(config.chatroom.ring, ChatroomConfig::default().ring);
        assert!(toml::from_str::<crate::Config>("[chatroom]\nnope = 1\n").is_err());
    }
}
