//! Storage of what the Server API's audience calls need (server-api.md §2.1, §2.2, §2.7): user
//! tags (`user/tag/*`), the users of the app (`message/broadcast`, `push` to all), the record
//! of pushes, the messages of one hour for `message/history`, and the hours whose history file
//! was deleted.

use super::{Message, StoreResult};

/// Most tags of one user (RongCloud's documented limit).
pub const MAX_TAGS_PER_USER: usize = 20;
/// Longest tag, in bytes (RongCloud's documented limit).
pub const MAX_TAG_BYTES: usize = 40;
/// Most push records kept; older ones are forgotten as new ones come.
pub const MAX_PUSH_RECORDS: usize = 500;

/// One accepted `push` call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushRecord {
    /// The id answered to the caller.
    pub id: String,
    /// When it was accepted (ms).
    pub time: i64,
    /// `platform`, `audience` and `notification` as JSON text (the message content is stored
    /// with the message itself).
    pub request: String,
    /// How many users it reached.
    pub recipients: usize,
    /// The UId of the system message it sent (`Push.message`), if any.
    pub message_uid: Option<String>,
}

/// Audience calls of a [`super::Store`].
pub trait AudienceStore {
    /// Replaces the tags of each of `users` with `tags` (an empty list clears them).
    fn set_tags(&mut self, users: &[String], tags: &[String]) -> StoreResult<()>;
    /// The tags of each of `users`, in the order they were set; users without tags get an
    /// empty list.
    fn tags(&mut self, users: &[String]) -> StoreResult<Vec<(String, Vec<String>)>>;
    /// Users that carry every tag of `all` and at least one tag of `any` (an empty list is no
    /// condition; both empty matches nobody).
    fn users_tagged(&mut self, all: &[String], any: &[String]) -> StoreResult<Vec<String>>;
    /// Stores a message (its `deliveries` are ignored) with one received copy for every user
    /// of the app but its sender — every user registered through `user/getToken` or ever
    /// synced by a client, after adding `online` to the registered ones — without listing
    /// them in memory. Gives `msg` its UId and time, as
    /// [`super::MessageStore::insert_message`] does, and returns how many users got it.
    fn insert_broadcast(&mut self, msg: &mut Message, online: &[String]) -> StoreResult<usize>;
    /// Records a push, forgetting the oldest beyond [`MAX_PUSH_RECORDS`].
    fn record_push(&mut self, push: &PushRecord) -> StoreResult<()>;
    /// The newest push records, newest first, at most `limit`.
    fn pushes(&mut self, limit: usize) -> StoreResult<Vec<PushRecord>>;
    /// Conversation messages (every type but chatrooms) with `from <= dataTime < to` and
    /// `dataTime > after`, oldest first, at most `limit`.
    fn messages_between(
        &mut self,
        from: i64,
        to: i64,
        after: i64,
        limit: usize,
    ) -> StoreResult<Vec<Message>>;
    /// Chatrooms that have stored messages.
    fn chatrooms_with_messages(&mut self) -> StoreResult<Vec<String>>;
    /// One chatroom's messages with `max(from, after + 1) <= dataTime < to`, oldest first, at
    /// most `limit` (conversation type 4, `target_id` the room).
    fn chatroom_messages_between(
        &mut self,
        room: &str,
        from: i64,
        to: i64,
        after: i64,
        limit: usize,
    ) -> StoreResult<Vec<Message>>;
    /// Marks the history file of `hour` (its first ms) deleted, or not.
    fn set_history_deleted(&mut self, hour: i64, deleted: bool) -> StoreResult<()>;
    /// Whether the history file of `hour` was deleted.
    fn history_deleted(&mut self, hour: i64) -> StoreResult<bool>;
}
