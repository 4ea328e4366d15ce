//! Chatroom entries (api.md §8, the chatroom KV rows; §5.1 `s_cmd`): `setKV`/`delKV` with
//! 2.5.3's checks and its `RC:chrmKVNotiMsg` notification, and a cache per joined room kept from
//! `pullKV` replies, which `getChatroomEntry`/`getAllChatroomEntries` answer from. The cache lives
//! in the room's state, so it goes when the room does (quit, or a refused rejoin).

use im_wire::frame::Qos;
use im_wire::json_out::{Object, WriteJson};
use im_wire::proto::{self, ChrmKvEntity, ChrmKvOutput, QueryChrmKv, SetChrmKv, UpStreamMessage};
use im_wire::topic;
use im_wire::value::Value;
use im_wire::ErrorCode;

use crate::keyed::Keyed;
use crate::output::{Reply, RequestError, RequestId};
use crate::requests::Pending;
use crate::typed::Kind;
use crate::Engine;

/// Status bits of `ChrmKVEntity.status` (api.md §2).
const AUTO_DELETE: i32 = 0x1;
const OVERWRITE: i32 = 0x2;
const DELETE: i32 = 0x4;

/// The longest key and value 2.5.3 accepts (`ChatroomEntityLimit`), in UTF-16 units as JS counts.
const MAX_KEY: usize = 128;
const MAX_VALUE: usize = 4096;

/// 2.5.3's `chatroomEntry` argument of `setChatroomEntry` and the other three writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChatroomEntry {
    /// 1–128 of `[A-Za-z0-9_=+-]`.
    pub key: String,
    /// 1–4096 characters; ignored by the removals.
    pub value: String,
    /// `isAutoDelete`: the server removes the entry when its setter leaves the room.
    pub auto_delete: bool,
    /// `isSendNotification`: the room gets an `RC:chrmKVNotiMsg` message.
    pub notify: bool,
    /// `notificationExtra`: the notification's `extra` ("" for none).
    pub extra: String,
}

/// What `getAllChatroomEntries` answers: (key, value) pairs, written as the JSON object
/// `{key: value, …}` 2.5.3 passes to `onSuccess`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChatroomEntries(pub Vec<(String, String)>);

impl WriteJson for ChatroomEntries {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        for (key, value) in &self.0 {
            o.field(key, value);
        }
        o.end();
    }
}

/// One cached entry: the last value set, whether this user set or removed it last, and whether
/// it is removed.
#[derive(Clone, Debug, Default)]
struct Item {
    value: String,
    mine: bool,
    deleted: bool,
}

/// The entries of one joined room (2.5.3's `ChrmKVCaches`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Entries {
    items: Keyed<Item>,
    /// `syncTime` of the last `pullKV` reply: the `timestamp` of the next pull.
    time: i64,
    /// A `pullKV` is in flight.
    pulling: bool,
    /// The newest time an `s_cmd` announced while a pull was in flight: pull again after it.
    wanted: Option<i64>,
}

impl Entries {
    fn put(&mut self, key: String, value: String, mine: bool, deleted: bool) {
        self.items.insert(
            key,
            Item {
                value,
                mine,
                deleted,
            },
        );
    }

    fn value(&self, key: &str) -> Option<&str> {
        self.items
            .get(key)
            .filter(|i| !i.deleted && !i.value.is_empty())
            .map(|i| i.value.as_str())
    }

    /// A `pullKV` reply. A full update replaces the cache; an increment overwrites an entry
    /// only when it says so, when this user set the entry last, or when the entry has no value
    /// (2.5.3's `setIncreEntries`). Deletions are applied in both.
    fn apply(&mut self, reply: ChrmKvOutput, me: &str) {
        let full = reply.b_full_update == Some(true);
        if full {
            self.items = Keyed::default();
        }
        if let Some(t) = reply.sync_time {
            self.time = t;
        }
        for e in reply.entries {
            let status = e.status.unwrap_or(0);
            let mine = e.uid.as_deref() == Some(me);
            let current = self.items.get(&e.key);
            let takes = full
                || status & OVERWRITE != 0
                || current.is_none_or(|c| c.mine || c.deleted || c.value.is_empty());
            if takes {
                self.put(e.key, e.value, mine, status & DELETE != 0);
            }
        }
    }
}

/// What `Kind::EntrySet` remembers of a write (its room and the entry sent), to apply it to the
/// cache once the server agreed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Write {
    room: String,
    entry: ChrmKvEntity,
}

/// BIZ_ERROR_INVALID_PARAMETER (33003): what 2.5.3 reports for a bad key or value.
fn bad_parameter() -> RequestError {
    RequestError::code(ErrorCode::BIZ_ERROR_INVALID_PARAMETER.value())
}

/// The length of `s` in UTF-16 units, as JS counts it: one per character, two for one beyond
/// the BMP (whose UTF-8 starts with a byte of 0xF0 or more).
fn utf16_len(s: &str) -> usize {
    s.bytes()
        .map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
        .sum()
}

/// 2.5.3's key check: 1–128 of `[A-Za-z0-9_=+-]`.
fn key_ok(key: &str) -> bool {
    (1..=MAX_KEY).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'=' | b'+' | b'-'))
}

impl Engine {
    /// `setChatroomEntry(chatroomId, entry)`, or with `force` `forceSetChatroomEntry`
    /// (`isOverwrite`): a bad key or value fails with 33003 and nothing is sent.
    pub fn set_chatroom_entry(
        &mut self,
        now_ms: u64,
        room: &str,
        entry: ChatroomEntry,
        force: bool,
    ) -> RequestId {
        if !(1..=MAX_VALUE).contains(&utf16_len(&entry.value)) {
            return self.reject(bad_parameter());
        }
        self.write_entry(now_ms, room, entry, force, false)
    }

    /// `removeChatroomEntry(chatroomId, entry)`, or with `force` `forceRemoveChatroomEntry`
    /// (the value is not used).
    pub fn remove_chatroom_entry(
        &mut self,
        now_ms: u64,
        room: &str,
        mut entry: ChatroomEntry,
        force: bool,
    ) -> RequestId {
        entry.value.clear();
        self.write_entry(now_ms, room, entry, force, true)
    }

    fn write_entry(
        &mut self,
        now_ms: u64,
        room: &str,
        entry: ChatroomEntry,
        force: bool,
        delete: bool,
    ) -> RequestId {
        if !key_ok(&entry.key) {
            return self.reject(bad_parameter());
        }
        let id = self.out.request_id();
        if !self.is_connected() {
            return self.not_connected(id);
        }
        let status = (i32::from(entry.auto_delete) * AUTO_DELETE)
            | (i32::from(force) * OVERWRITE)
            | (i32::from(delete) * DELETE);
        let notification = entry.notify.then(|| {
            // 2.5.3's ChrmKVNotificationMessage: truthy fields only; type 1 set, 2 remove.
            let mut content = String::new();
            let mut o = Object::new(&mut content);
            o.field("key", &entry.key);
            if !entry.value.is_empty() {
                o.field("value", &entry.value);
            }
            o.field("type", &(1 + i32::from(delete)));
            if !entry.extra.is_empty() {
                o.field("extra", &entry.extra);
            }
            o.end();
            UpStreamMessage {
                session_id: 0,
                classname: "RC:chrmKVNotiMsg".to_owned(),
                content: content.into_bytes(),
                ..Default::default()
            }
        });
        // DeleteChrmKV has SetChrmKV's layout, so one encoder serves both topics.
        let input = SetChrmKv {
            entry: ChrmKvEntity {
                key: entry.key,
                value: entry.value,
                status: (status != 0).then_some(status),
                timestamp: None,
                uid: Some(self.user_id.clone()),
            },
            b_notify: entry.notify.then_some(true),
            // A chatroom message (ChannelType CHATROOM).
            r#type: entry.notify.then_some(4),
            notification,
        };
        let name = if delete {
            topic::DELETE_CHATROOM_ENTRY.name()
        } else {
            topic::SET_CHATROOM_ENTRY.name()
        };
        let payload = proto::encode(&input);
        let kind = Kind::EntrySet(Box::new(Write {
            room: room.to_owned(),
            entry: input.entry,
        }));
        let pending = Pending::Typed { id, kind };
        if let Err(e) = self.send_query(now_ms, name, room, payload, Qos::AtMostOnce, pending) {
            self.complete(id, Err(e));
        }
        id
    }

    /// `getChatroomEntry(chatroomId, key)`: the cached value; CHATROOM_KEY_NOT_EXIST (23427)
    /// when the room has no such entry, as 2.5.3 reports it.
    pub fn chatroom_entry(&self, room: &str, key: &str) -> Result<String, RequestError> {
        self.cursors
            .rooms
            .get(room)
            .and_then(|r| r.entries.value(key))
            .map(str::to_owned)
            .ok_or_else(|| RequestError::code(ErrorCode::CHATROOM_KEY_NOT_EXIST.value()))
    }

    /// `getAllChatroomEntries(chatroomId)`: the cached entries, none for a room not joined.
    pub fn chatroom_entries(&self, room: &str) -> ChatroomEntries {
        let mut all = Vec::new();
        if let Some(r) = self.cursors.rooms.get(room) {
            for key in r.entries.items.keys() {
                if let Some(v) = r.entries.value(key) {
                    all.push((key.clone(), v.to_owned()));
                }
            }
        }
        ChatroomEntries(all)
    }

    /// Whether the navigation said the app has chatroom entries (`kvStorage`, transport.md §2.5).
    fn kv_storage(&self) -> bool {
        let navi = self
            .navi
            .as_ref()
            .and_then(|(_, n)| crate::navi::parse_body(&n.raw));
        match navi.as_ref().and_then(|v| v.get("kvStorage")) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) => n.as_i64() != Some(0),
            Some(Value::String(s)) => !s.is_empty(),
            Some(_) => true,
        }
    }

    /// After `joinChrm` (or a rejoin) succeeded: pull the room's entries when the navigation
    /// says the app has them. `join` is the app's join request, which then completes with the
    /// pull; `false` when no pull went out (the join completes at once).
    pub(crate) fn entries_joined(
        &mut self,
        now_ms: u64,
        room: &str,
        join: Option<RequestId>,
    ) -> bool {
        self.kv_storage() && self.pull_entries(now_ms, room, join)
    }

    /// `pullKV` from the room's `syncTime`; `join` as in [`Engine::entries_joined`].
    fn pull_entries(&mut self, now_ms: u64, room: &str, join: Option<RequestId>) -> bool {
        if !self.is_connected() {
            return false;
        }
        let Some(state) = self.cursors.rooms.get_mut(room) else {
            return false;
        };
        let entries = &mut state.entries;
        if entries.pulling && join.is_none() {
            return false;
        }
        entries.pulling = true;
        entries.wanted = None;
        let input = QueryChrmKv {
            timestamp: entries.time,
        };
        // An engine-issued pull has an id nobody waits for, and completes nothing.
        let id = join.unwrap_or_else(|| self.out.request_id());
        let kind = Kind::EntriesPulled {
            room: room.to_owned(),
            join: join.is_some(),
        };
        let sent = self.send_query(
            now_ms,
            topic::PULL_CHATROOM_ENTRIES.name(),
            room,
            proto::encode(&input),
            Qos::AtMostOnce,
            Pending::Typed { id, kind },
        );
        if sent.is_err() {
            self.entries_pull_failed(id, room, false, 0);
        }
        sent.is_ok()
    }

    /// `s_cmd` type 2: a joined room's entries changed at `time`; pull if that is newer than the
    /// cache (after the pull in flight, if there is one).
    pub(crate) fn entries_notified(&mut self, now_ms: u64, room: Option<&str>, time: Option<i64>) {
        let Some(room) = room else {
            return;
        };
        let Some(state) = self.cursors.rooms.get_mut(room) else {
            return;
        };
        let entries = &mut state.entries;
        let time = time.unwrap_or(i64::MAX);
        if entries.pulling {
            entries.wanted = entries.wanted.max(Some(time));
        } else if time > entries.time {
            self.pull_entries(now_ms, room, None);
        }
    }

    /// A `pullKV` reply: the cache takes it; the app's join completes with it.
    pub(crate) fn entries_pulled(
        &mut self,
        now_ms: u64,
        id: RequestId,
        room: &str,
        join: bool,
        status: u16,
        payload: &[u8],
    ) {
        // Decoded without naming the type in an error text: a garbled reply is just UNKNOWN.
        let result = match status {
            0 => <ChrmKvOutput as prost::Message>::decode(payload)
                .map_err(|_| RequestError::code(ErrorCode::UNKNOWN.value())),
            _ => Err(RequestError::code(i32::from(status))),
        };
        let me = self.user_id.clone();
        let mut again = false;
        let result = match self.cursors.rooms.get_mut(room) {
            Some(state) => {
                let entries = &mut state.entries;
                entries.pulling = false;
                let result = result.map(|reply| entries.apply(reply, &me));
                again = entries.wanted.is_some_and(|t| t > entries.time);
                result
            }
            None => result.map(|_| ()),
        };
        if join {
            self.complete(id, result.map(|()| Reply::Done));
        }
        if again {
            self.pull_entries(now_ms, room, None);
        }
    }

    /// The pull was lost (timeout, lost connection): the next notice pulls again; the app's
    /// join fails with `code`.
    pub(crate) fn entries_pull_failed(&mut self, id: RequestId, room: &str, join: bool, code: i32) {
        if let Some(state) = self.cursors.rooms.get_mut(room) {
            state.entries.pulling = false;
        }
        if join {
            self.complete(id, Err(RequestError::code(code)));
        }
    }

    /// A write the server agreed to: the cache takes it, as set by this user.
    pub(crate) fn entry_written(&mut self, write: Write) {
        if let Some(state) = self.cursors.rooms.get_mut(&write.room) {
            let e = write.entry;
            let deleted = e.status.unwrap_or(0) & DELETE != 0;
            state.entries.put(e.key, e.value, true, deleted);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(key: &str, value: &str, status: i32, uid: &str) -> ChrmKvEntity {
        ChrmKvEntity {
            key: key.into(),
            value: value.into(),
            status: Some(status),
            timestamp: Some(1),
            uid: Some(uid.into()),
        }
    }

    fn reply(full: bool, time: i64, entries: Vec<ChrmKvEntity>) -> ChrmKvOutput {
        ChrmKvOutput {
            entries,
            b_full_update: Some(full),
            sync_time: Some(time),
        }
    }

    #[test]
    fn values_are_measured_in_utf16_units_as_js_does() {
        for v in ["", "abc", "é中", "😀x", "a😀😀"] {
            assert_eq!(utf16_len(v), v.encode_utf16().count(), "{v}");
        }
    }

    #[test]
    fn keys_follow_2_5_3s_pattern_and_length() {
        assert!(key_ok("a-Z_0=+"));
        assert!(key_ok(&"k".repeat(128)));
        assert!(!key_ok(""));
        assert!(!key_ok(&"k".repeat(129)));
        assert!(!key_ok("a b"));
        assert!(!key_ok("é"));
    }

    #[test]
    fn increments_overwrite_only_when_allowed_and_deletions_apply() {
        let mut e = Entries::default();
        e.apply(reply(true, 5, vec![entity("a", "1", 2, "other")]), "me");
        assert_eq!((e.value("a"), e.time), (Some("1"), 5));
        // Not an overwrite, set by someone else: kept.
        e.apply(reply(false, 6, vec![entity("a", "2", 0, "x")]), "me");
        assert_eq!(e.value("a"), Some("1"));
        e.apply(
            reply(false, 7, vec![entity("a", "3", OVERWRITE, "x")]),
            "me",
        );
        assert_eq!(e.value("a"), Some("3"));
        e.apply(
            reply(false, 8, vec![entity("a", "", OVERWRITE | DELETE, "x")]),
            "me",
        );
        assert_eq!((e.value("a"), e.time), (None, 8));
        // A removed key takes any value.
        e.apply(reply(false, 9, vec![entity("a", "4", 0, "y")]), "me");
        assert_eq!(e.value("a"), Some("4"));
        // A full update replaces everything.
        e.apply(reply(true, 10, vec![entity("b", "5", 2, "y")]), "me");
        assert_eq!((e.value("a"), e.value("b")), (None, Some("5")));
    }

    #[test]
    fn all_entries_are_written_as_one_json_object() {
        let none = ChatroomEntries::default();
        assert_eq!(im_wire::json_out::text(&none), "{}");
        let two = ChatroomEntries(vec![
            ("a".into(), "1".into()),
            ("b".into(), "say \"hi\"".into()),
        ]);
        assert_eq!(
            im_wire::json_out::text(&two),
            r#"{"a":"1","b":"say \"hi\""}"#
        );
    }
}
