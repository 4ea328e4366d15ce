//! Storage of chatroom entries (the key/value store of api.md §3.6: `setKV`, `delKV`,
//! `pullKV`). Each room holds its live entries and its newest deletions, so that a member's cache
//! can follow a deletion with an incremental pull; older deletions are forgotten and raise the
//! room's floor: a pull from before the floor gets the full list instead ([`EntryChanges::full`]).
//!
//! The rules (who may change what, how many entries) are the caller's; see
//! [`crate::chatroom::kv`]. Every change is written from the store's writing thread, in the order
//! the changes were decided, with times that increase in that order.

use super::StoreResult;

/// Deletions kept per room for incremental pulls; older ones raise the room's floor.
pub const KEPT_DELETIONS: usize = 100;

/// One entry of a room, live or deleted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChatroomEntry {
    /// The key: 1–128 characters of `[A-Za-z0-9_=+-]`.
    pub key: String,
    /// The value; empty once deleted.
    pub value: String,
    /// Who set it, or who deleted it.
    pub owner: String,
    /// Deleted when its owner leaves the room.
    pub auto_delete: bool,
    /// A deletion rather than a value.
    pub deleted: bool,
    /// When it was set or deleted (ms). A later change of the room has a later time (the
    /// deletions made at start share one).
    pub time: i64,
}

/// What changed in a room since a time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryChanges {
    /// Oldest first. With `full`, the live entries only; otherwise every entry set or deleted
    /// after the time asked for.
    pub entries: Vec<ChatroomEntry>,
    /// The list replaces whatever the member holds: it asked from time 0, or from before the
    /// room's floor.
    pub full: bool,
    /// The time of the newest change (or the time asked for when nothing is newer): the member's
    /// next pull starts there.
    pub sync_time: i64,
}

/// Chatroom entry calls of a [`super::Store`].
pub trait ChatroomEntryStore {
    /// The entry of `key` in `room`, live or a kept deletion.
    fn chatroom_entry(&mut self, room: &str, key: &str) -> StoreResult<Option<ChatroomEntry>>;
    /// How many live entries `room` holds.
    fn chatroom_entry_count(&mut self, room: &str) -> StoreResult<usize>;
    /// Stores `entry` in `room` in place of the row of its key: a set, or (with `deleted`) a
    /// deletion. Keeps the newest [`KEPT_DELETIONS`] deletions of the room and raises its floor
    /// past the ones it forgets.
    fn put_chatroom_entry(&mut self, room: &str, entry: &ChatroomEntry) -> StoreResult<()>;
    /// What changed in `room` after `since` (see [`EntryChanges`]); `since` 0 asks for the full
    /// list.
    fn chatroom_entries_since(&mut self, room: &str, since: i64) -> StoreResult<EntryChanges>;
    /// The live auto-delete entries `owner` set in `room` at or before `up_to`.
    fn auto_chatroom_entries(
        &mut self,
        room: &str,
        owner: &str,
        up_to: i64,
    ) -> StoreResult<Vec<ChatroomEntry>>;
    /// Deletes, at `time`, every live auto-delete entry of every room (nobody is in a room when
    /// the server starts). Returns how many.
    fn delete_all_auto_chatroom_entries(&mut self, time: i64) -> StoreResult<usize>;
    /// Forgets the entries of `room` changed at or before `up_to` (the room was destroyed); the
    /// room's floor rises to `up_to` while newer ones remain.
    fn drop_chatroom_entries(&mut self, room: &str, up_to: i64) -> StoreResult<()>;
    /// The rooms that hold entries, live or deleted.
    fn chatroom_entry_rooms(&mut self) -> StoreResult<Vec<String>>;
}
