//! Storage of chatrooms: persisted history (api.md §3.6 `qryCHMsg`) and the settings made
//! through the Server API (server-api.md §2.5). Rooms and members live in memory
//! ([`crate::chatroom`]); chatroom entries have their own trait ([`super::ChatroomEntryStore`]).

use super::{Message, Page, StoreResult};

/// A chatroom setting made through the Server API that outlives a restart (server-api.md
/// §2.5): mutes, bans, blocks, kept-alive rooms, low-priority and whitelisted objectNames.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatroomSetting {
    /// What it is: `gag`, `ban`, `block`, `keepalive`, `low` or `whitelist`.
    pub kind: String,
    /// The room, or "" for a setting of every room.
    pub room: String,
    /// The user or objectName, or "" for a setting of the room itself.
    pub value: String,
    /// End time (ms); 0 for none.
    pub until: i64,
}

/// Chatroom calls of a [`super::Store`].
pub trait ChatroomStore {
    /// Appends a message to a chatroom's history (`msg.target_id` is the room; no inbox
    /// entries, no conversations). Its time and UId were given by the chatroom, from the
    /// clock the store started (newer than any stored time).
    fn insert_chatroom_message(&mut self, msg: &Message) -> StoreResult<()>;
    /// A chatroom's history, as [`super::MessageStore::history`] pages a conversation: before
    /// `time` newest first (`time` 0 = from the newest), or after `time` oldest first (`newer`).
    fn chatroom_history(
        &mut self,
        room: &str,
        time: i64,
        count: usize,
        newer: bool,
    ) -> StoreResult<Page>;
    /// Every stored chatroom setting.
    fn chatroom_settings(&mut self) -> StoreResult<Vec<ChatroomSetting>>;
    /// Stores settings, replacing those with the same kind, room and value.
    fn put_chatroom_settings(&mut self, settings: &[ChatroomSetting]) -> StoreResult<()>;
    /// Removes the settings with these kinds, rooms and values.
    fn delete_chatroom_settings(&mut self, settings: &[ChatroomSetting]) -> StoreResult<()>;
}
