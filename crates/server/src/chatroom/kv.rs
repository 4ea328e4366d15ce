//! Chatroom entries (api.md §3.6 `setChatroomEntry` … `getAllChatroomEntries`, §5.1 `s_cmd`):
//! the rules of a change, and what follows one.
//!
//! - Members only. A key is 1–128 characters of `[A-Za-z0-9_=+-]`, a value 1–4096 characters
//!   (UTF-16 units, as the 2.5.3 client counts them); a room holds at most
//!   [`super::ChatroomConfig::kv_entries`] live entries (at most [`MAX_ENTRIES`]), and the
//!   newest 100 deletions ([`crate::store::kv::KEPT_DELETIONS`]), so a `pullKV` reply carries
//!   at most 200 entries (about 1.3 MB with the longest values).
//! - Only the member who set an entry changes or deletes it, unless the request forces it
//!   (status bit 0x2).
//! - An auto-delete entry (status bit 0x1) is deleted when its owner leaves the room, is kicked,
//!   or loses its last connection; nobody is in a room when the server starts, so the start
//!   deletes them all. Such a deletion reads like any other in `pullKV`.
//! - Every change is decided and written on the store's writing thread, one at a time, so its
//!   time is newer than every change committed before it and a member's `pullKV` cursor never
//!   skips one. After a change every member connection gets `s_cmd{type 2, time, chrmId}`.
//! - Entries live with the room: destroying the room (or its idle end) forgets them; they
//!   outlive a restart, and the rooms holding them exist again after it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

use super::{lock, Chatrooms};
use crate::clock::Clock;
use crate::hub::Outbound;
use crate::server::State;
use crate::store::kv::ChatroomEntry;
use crate::store::{Store, StoreResult};

/// Most entries a room may hold (RongCloud's limit); the configuration may only lower it.
pub const MAX_ENTRIES: usize = 100;
/// Most characters of a key.
pub const MAX_KEY_CHARS: usize = 128;
/// Most characters of a value, counted in UTF-16 units as the client counts them.
pub const MAX_VALUE_CHARS: usize = 4096;
/// `ChrmKVEntity.status` bit: delete the entry when its owner leaves the room.
pub const AUTO_DELETE: i32 = 0x1;
/// `ChrmKVEntity.status` bit: change the entry whoever set it.
pub const OVERWRITE: i32 = 0x2;
/// `ChrmKVEntity.status` bit: the entry is deleted.
pub const DELETE: i32 = 0x4;

/// Whether `key` is 1–128 characters of `[A-Za-z0-9_=+-]` (the client's own check).
pub fn valid_key(key: &str) -> bool {
    (1..=MAX_KEY_CHARS).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'=' | b'+' | b'-'))
}

/// Whether `value` is 1–4096 UTF-16 units long.
pub fn valid_value(value: &str) -> bool {
    // Each unit takes at most 3 bytes (a surrogate pair 4 for 2 units): skip counting a value
    // that cannot fit.
    !value.is_empty()
        && value.len() <= MAX_VALUE_CHARS * 3
        && value.encode_utf16().count() <= MAX_VALUE_CHARS
}

/// Why a change was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryRefusal {
    /// The user is not in the room.
    NotMember,
    /// Someone else set the entry and the request does not force it.
    NotOwner,
    /// The room holds as many entries as it may.
    Full,
    /// No such entry to delete.
    NoSuchKey,
}

/// A change a member asks for, its key and value already checked.
#[derive(Clone, Debug)]
pub struct EntryChange {
    /// The room.
    pub room: String,
    /// Who asks.
    pub user: String,
    /// The key.
    pub key: String,
    /// The new value; `None` deletes the entry.
    pub value: Option<String>,
    /// Delete the entry when `user` leaves the room.
    pub auto_delete: bool,
    /// Change it whoever set it.
    pub force: bool,
}

/// What the janitor task acts on ([`janitor`]).
#[derive(Debug)]
enum Departure {
    /// `user` left `room` at `at`: their auto-delete entries set until then go.
    Left {
        room: Arc<str>,
        user: String,
        at: i64,
    },
    /// `room` was destroyed at `at`: its entries changed until then go.
    Gone { room: Arc<str>, at: i64 },
}

#[derive(Debug, Default)]
struct Tracked {
    /// Room → members who may own live auto-delete entries in it. A member is taken out when
    /// it leaves, so this holds at most the members of each room.
    auto: HashMap<Arc<str>, HashSet<String>>,
    /// Rooms that may hold entries.
    rooms: HashSet<Arc<str>>,
}

/// What the chatrooms know of entries in memory: who may own auto-delete entries, which rooms
/// hold entries, and the departures still to act on. One departure is queued per member who
/// set an auto-delete entry and per room with entries, so the queue holds at most as many
/// items as there are members and rooms.
#[derive(Debug)]
pub struct Entries {
    clock: Clock,
    tracked: Mutex<Tracked>,
    tx: mpsc::UnboundedSender<Departure>,
    rx: Mutex<Option<mpsc::UnboundedReceiver<Departure>>>,
}

impl Entries {
    /// Entry times come from `clock` (the store's).
    pub fn new(clock: Clock) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Self {
            clock,
            tracked: Mutex::default(),
            tx,
            rx: Mutex::new(Some(rx)),
        }
    }

    /// `user` left `room` (exit, kick, or last connection closed).
    pub(super) fn departed(&self, room: &str, user: &str) {
        let mut t = lock(&self.tracked);
        let Some((room, users)) = t.auto.get_key_value(room) else {
            return;
        };
        let room = room.clone();
        if !users.contains(user) {
            return;
        }
        // Taken under the lock that a change takes its time under: an entry set after this
        // departure is newer than `at` and stays.
        let at = self.clock.next();
        if let Some(users) = t.auto.get_mut(&room) {
            users.remove(user);
            if users.is_empty() {
                t.auto.remove(&room);
            }
        }
        let _ = self.tx.send(Departure::Left {
            room,
            user: user.to_owned(),
            at,
        });
    }

    /// `room` was destroyed.
    pub(super) fn gone(&self, room: &str) {
        let mut t = lock(&self.tracked);
        let Some(room) = t.rooms.take(room) else {
            return;
        };
        t.auto.remove(&room);
        let at = self.clock.next();
        let _ = self.tx.send(Departure::Gone { room, at });
    }

    /// Notes rooms that hold entries (at start).
    pub fn restore(&self, rooms: &[String]) {
        let mut t = lock(&self.tracked);
        t.rooms
            .extend(rooms.iter().map(|r| Arc::<str>::from(r.as_str())));
    }
}

/// The entry a change writes, or why it may not.
fn decide(
    current: Option<&ChatroomEntry>,
    change: &EntryChange,
    count: impl FnOnce() -> StoreResult<usize>,
    limit: usize,
) -> StoreResult<Result<ChatroomEntry, EntryRefusal>> {
    let refusal = match (current, &change.value) {
        (None, None) => Some(EntryRefusal::NoSuchKey),
        (Some(e), _) if e.owner != change.user && !change.force => Some(EntryRefusal::NotOwner),
        (None, Some(_)) if count()? >= limit => Some(EntryRefusal::Full),
        _ => None,
    };
    if let Some(r) = refusal {
        return Ok(Err(r));
    }
    Ok(Ok(ChatroomEntry {
        key: change.key.clone(),
        value: change.value.clone().unwrap_or_default(),
        owner: change.user.clone(),
        auto_delete: change.value.is_some() && change.auto_delete,
        deleted: change.value.is_none(),
        time: 0,
    }))
}

impl Chatrooms {
    /// What the chatrooms know of entries.
    pub fn entries(&self) -> &Entries {
        &self.entries
    }

    /// Decides and writes `change` with at most `limit` live entries per room; to be called on
    /// the store's writing thread (`StoreHandle::call`). Returns the entry as written.
    pub fn change_entry(
        &self,
        s: &mut dyn Store,
        change: &EntryChange,
        limit: usize,
    ) -> StoreResult<Result<ChatroomEntry, EntryRefusal>> {
        let room = change.room.as_str();
        let current = s.chatroom_entry(room, &change.key)?.filter(|e| !e.deleted);
        let mut entry = match decide(
            current.as_ref(),
            change,
            || s.chatroom_entry_count(room),
            limit,
        )? {
            Ok(e) => e,
            Err(r) => return Ok(Err(r)),
        };
        {
            // Membership is checked, and the time taken, under the lock a departure takes:
            // either the member is gone and the change refused, or its departure comes after
            // this entry and deletes it.
            let mut t = lock(&self.entries.tracked);
            if !self.is_member(room, &change.user) {
                return Ok(Err(EntryRefusal::NotMember));
            }
            let room: Arc<str> = match t.rooms.get(room) {
                Some(r) => r.clone(),
                None => {
                    let r = Arc::<str>::from(room);
                    t.rooms.insert(r.clone());
                    r
                }
            };
            if entry.auto_delete {
                t.auto.entry(room).or_default().insert(change.user.clone());
            }
            entry.time = self.entries.clock.next();
        }
        s.put_chatroom_entry(room, &entry)?;
        Ok(Ok(entry))
    }

    /// Deletes the auto-delete entries `user` set in `room` until `at`; on the store's writing
    /// thread. Returns the time of the last deletion, if there was one.
    fn delete_auto_entries(
        &self,
        s: &mut dyn Store,
        room: &str,
        user: &str,
        at: i64,
    ) -> StoreResult<Option<i64>> {
        let mut last = None;
        for e in s.auto_chatroom_entries(room, user, at)? {
            let time = self.entries.clock.next();
            let gone = ChatroomEntry {
                value: String::new(),
                auto_delete: false,
                deleted: true,
                time,
                ..e
            };
            s.put_chatroom_entry(room, &gone)?;
            last = Some(time);
        }
        Ok(last)
    }

    /// Tells every member connection of `room` that its entries changed at `time`: `s_cmd`
    /// type 2, and the client pulls with `pullKV`. A connection whose queue is full misses
    /// the notice; the next one covers both changes.
    pub fn tell_entries_changed(&self, room: &str, time: i64) {
        let Some(room) = self.room(room) else {
            return;
        };
        let st = lock(&room.state);
        for m in st.members.values() {
            for c in &m.conns {
                let _ = c.tx.try_send(Outbound::ChatroomEntries {
                    room: room.id.clone(),
                    time,
                });
            }
        }
    }
}

/// At start: deletes every auto-delete entry (their owners left with their connections) and
/// brings back the rooms that hold entries, so that they live (and end when idle) like any room.
pub async fn restore(state: &State) -> StoreResult<()> {
    let time = state.clock.next();
    let rooms = state
        .store
        .call(move |s| {
            let n = s.delete_all_auto_chatroom_entries(time)?;
            if n > 0 {
                tracing::info!(entries = n, "auto-delete chatroom entries deleted at start");
            }
            s.chatroom_entry_rooms()
        })
        .await?;
    for r in &rooms {
        state.chatrooms.create(r, "");
    }
    state.chatrooms.entries().restore(&rooms);
    Ok(())
}

/// Acts on departures until `shutdown` reads true: deletes the auto-delete entries of members
/// who left (and tells the room), forgets the entries of destroyed rooms. What is left undone at
/// a stop is done by [`restore`] at the next start.
pub async fn janitor(state: Arc<State>, shutdown: tokio::sync::watch::Receiver<bool>) {
    let Some(mut rx) = lock(&state.chatrooms.entries.rx).take() else {
        return;
    };
    let stop = crate::server::stopped(shutdown);
    tokio::pin!(stop);
    loop {
        tokio::select! {
            d = rx.recv() => match d {
                Some(d) => tidy(&state, d).await,
                None => return,
            },
            () = &mut stop => return,
        }
    }
}

async fn tidy(state: &State, d: Departure) {
    match d {
        Departure::Left { room, user, at } => {
            let rooms = state.chatrooms.clone();
            let r = room.clone();
            let deleted = state
                .store
                .call(move |s| rooms.delete_auto_entries(s, &r, &user, at))
                .await;
            match deleted {
                Ok(Some(time)) => state.chatrooms.tell_entries_changed(&room, time),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "deleting auto-delete chatroom entries"),
            }
        }
        Departure::Gone { room, at } => {
            let dropped = state
                .store
                .call(move |s| s.drop_chatroom_entries(&room, at))
                .await;
            if let Err(e) = dropped {
                tracing::warn!(error = %e, "forgetting a destroyed chatroom's entries");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::kv::ChatroomEntryStore as _;

    #[test]
    fn keys_and_values_are_checked_as_the_client_checks_them() {
        assert!(valid_key("a") && valid_key("Seat_1=+-") && valid_key(&"k".repeat(128)));
        assert!(!valid_key("") && !valid_key(&"k".repeat(129)));
        assert!(!valid_key("a b") && !valid_key("a.b") && !valid_key("é"));
        assert!(valid_value("x") && valid_value(&"值".repeat(4096)));
        assert!(!valid_value("") && !valid_value(&"x".repeat(4097)));
        // A character outside the BMP counts twice.
        assert!(valid_value(&"😀".repeat(2048)) && !valid_value(&"😀".repeat(2049)));
    }

    #[test]
    fn a_departure_deletes_only_the_auto_delete_entries_set_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, clock) =
            crate::store::sqlite::SqliteStore::open(dir.path(), false).unwrap();
        let rooms = Chatrooms::with_clock(
            super::super::ChatroomConfig::default(),
            super::super::Moderation::default(),
            clock,
        );
        let (tx, _rx) = crate::hub::queue(8, usize::MAX);
        let seat = change("ann", Some("1"), false);
        assert_eq!(
            rooms.change_entry(&mut store, &seat, 100).unwrap(),
            Err(EntryRefusal::NotMember)
        );
        rooms.join("r", "ann", 1, tx.clone()).unwrap();
        let first = rooms.change_entry(&mut store, &seat, 100).unwrap().unwrap();
        rooms.leave("r", &["ann".to_owned()]);
        rooms.join("r", "ann", 1, tx).unwrap();
        let mut again = seat.clone();
        again.key = "k2".into();
        let second = rooms
            .change_entry(&mut store, &again, 100)
            .unwrap()
            .unwrap();
        let mut rx = lock(&rooms.entries.rx).take().unwrap();
        let Some(Departure::Left { room, user, at }) = rx.try_recv().ok() else {
            panic!("one departure queued");
        };
        assert_eq!((&*room, user.as_str()), ("r", "ann"));
        assert!(first.time <= at && at < second.time);
        let deleted = rooms
            .delete_auto_entries(&mut store, "r", "ann", at)
            .unwrap()
            .unwrap();
        assert!(deleted > second.time);
        assert!(store.chatroom_entry("r", "k").unwrap().unwrap().deleted);
        assert!(!store.chatroom_entry("r", "k2").unwrap().unwrap().deleted);
        // Only members who may own auto-delete entries queue a departure.
        rooms.leave("r", &["bo".to_owned()]);
        assert!(rx.try_recv().is_err());
    }

    fn change(user: &str, value: Option<&str>, force: bool) -> EntryChange {
        EntryChange {
            room: "r".into(),
            user: user.into(),
            key: "k".into(),
            value: value.map(str::to_owned),
            auto_delete: true,
            force,
        }
    }

    #[test]
    fn only_the_owner_changes_an_entry_unless_forced_and_a_full_room_takes_no_new_key() {
        let ann = ChatroomEntry {
            key: "k".into(),
            value: "v".into(),
            owner: "ann".into(),
            ..ChatroomEntry::default()
        };
        let ok = |c: &EntryChange, current: Option<&ChatroomEntry>, count: usize| {
            decide(current, c, || Ok(count), 2).unwrap()
        };
        let by_bo = change("bo", Some("w"), false);
        assert_eq!(ok(&by_bo, Some(&ann), 0), Err(EntryRefusal::NotOwner));
        let forced = ok(&change("bo", Some("w"), true), Some(&ann), 2).unwrap();
        assert_eq!((forced.owner.as_str(), forced.auto_delete), ("bo", true));
        assert!(ok(&change("ann", Some("w"), false), Some(&ann), 2).is_ok());
        assert_eq!(ok(&by_bo, None, 2), Err(EntryRefusal::Full));
        assert!(ok(&by_bo, None, 1).is_ok());
        let delete = ok(&change("ann", None, false), Some(&ann), 1).unwrap();
        assert!(delete.deleted && delete.value.is_empty() && !delete.auto_delete);
        assert_eq!(
            ok(&change("bo", None, false), Some(&ann), 1),
            Err(EntryRefusal::NotOwner)
        );
        assert_eq!(
            ok(&change("ann", None, true), None, 1),
            Err(EntryRefusal::NoSuchKey)
        );
    }
}
