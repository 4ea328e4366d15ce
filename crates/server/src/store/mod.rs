//! Storage behind a trait. The server talks to a [`StoreHandle`], which runs writes on one
//! dedicated thread and reads on another, each owning a [`Store`]; async tasks never block on
//! I/O.
//!
//! Contract of an implementation:
//! - [`Store::insert_message`] writes the message, its inbox entries and conversation updates
//!   atomically; they are durable once the batch they belong to is committed
//!   ([`Store::commit_batch`]), and no caller hears of a result before that (a PUBACK follows);
//! - it assigns `dataTime` from a strictly increasing clock in commit order, so a client's time
//!   cursor never skips a message committed later with an earlier time (api.md §5.2).

pub mod audience;
mod handle;
pub mod kv;
pub mod moderation;
pub mod services;
pub mod settings;
pub mod sqlite;
pub mod status;

pub use audience::AudienceStore;
pub use handle::{StoreHandle, StoreThreads};
pub use kv::ChatroomEntryStore;
pub use moderation::ModerationStore;
pub use services::ServiceStore;
pub use settings::SettingsStore;
pub use status::StatusStore;

use std::collections::HashMap;

/// A storage failure; the message is logged and the client gets an error status.
#[derive(Clone, Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "store: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

/// Result of a store call.
pub type StoreResult<T> = Result<T, StoreError>;

/// `direction` of an inbox entry: the user sent it (DownStreamMessage.direction = 1).
pub const SENT: u8 = 1;
/// `direction` of an inbox entry: the user received it.
pub const RECEIVED: u8 = 2;

/// One copy of a message in one user's inbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The user whose inbox gets the copy.
    pub user_id: String,
    /// The conversation target as this user sees it (peer id, or group id).
    pub conv_target: String,
    /// [`SENT`] or [`RECEIVED`].
    pub direction: u8,
    /// The message @mentions this user (DownStreamMessage.status bit 0x40).
    pub mentioned: bool,
}

/// A message to store.
#[derive(Clone, Debug, Default)]
pub struct NewMessage {
    /// Conversation type (api.md §7).
    pub conv_type: i32,
    /// Sender.
    pub from_user: String,
    /// Target as the sender addressed it (peer, group id).
    pub target_id: String,
    /// objectName, e.g. `RC:TxtMsg`.
    pub object_name: String,
    /// Content JSON bytes.
    pub content: Vec<u8>,
    /// MessageTag flags (`UpStreamMessage.sessionId`).
    pub tag: u8,
    /// Push text, if any.
    pub push_text: Option<String>,
    /// Push data, if any.
    pub app_data: Option<String>,
    /// Inbox copies.
    pub deliveries: Vec<Delivery>,
    /// The sender's client message id (`UpStreamMessage.clientMsgId`, protocol-additions.md
    /// §7): recorded with the message, in the same transaction, for
    /// [`Store::sent_with_client_id`].
    pub client_id: Option<String>,
}

impl NewMessage {
    /// The message as stored under `uid` at `time`.
    pub fn stored(&self, uid: String, time: i64) -> StoredMessage {
        StoredMessage {
            uid,
            data_time: time,
            conv_type: self.conv_type,
            from_user: self.from_user.clone(),
            target_id: self.target_id.clone(),
            object_name: self.object_name.clone(),
            content: self.content.clone(),
            tag: self.tag,
            recalled: false,
        }
    }
}

/// A stored message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMessage {
    /// Messages UId (`msgId`).
    pub uid: String,
    /// Server time, unique (ms).
    pub data_time: i64,
    /// Conversation type.
    pub conv_type: i32,
    /// Sender.
    pub from_user: String,
    /// Target as addressed by the sender.
    pub target_id: String,
    /// objectName.
    pub object_name: String,
    /// Content JSON bytes.
    pub content: Vec<u8>,
    /// MessageTag flags.
    pub tag: u8,
    /// Recalled (DownStreamMessage.status bit 0x02).
    pub recalled: bool,
}

/// A message as one user sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxItem {
    /// The message.
    pub message: StoredMessage,
    /// [`SENT`] or [`RECEIVED`].
    pub direction: u8,
    /// Conversation target for this user.
    pub conv_target: String,
    /// The message @mentions this user.
    pub mentioned: bool,
}

/// A message named by a deletion (api.md §3.3 `DeleteMsg`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MessageRef {
    /// By messageUId (what the 2.5.3 client sends).
    Uid(String),
    /// By sent time (ms), for a request that names no UId.
    Time(i64),
}

/// A page of a user's messages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// Items, in the order the query asked for.
    pub items: Vec<InboxItem>,
    /// More items exist beyond this page.
    pub more: bool,
}

/// Persistent state of the server. Called on one thread only; see the module docs.
pub trait Store:
    Send
    + ModerationStore
    + SettingsStore
    + ChatroomEntryStore
    + AudienceStore
    + StatusStore
    + ServiceStore
{
    /// Starts a batch: the calls until [`Store::commit_batch`] commit together (group commit).
    /// Without batches every call commits by itself.
    fn begin_batch(&mut self) -> StoreResult<()> {
        Ok(())
    }
    /// Commits the batch durably. On failure nothing of the batch is kept.
    fn commit_batch(&mut self) -> StoreResult<()> {
        Ok(())
    }
    /// Discards the batch: a call of it failed, perhaps half-way (calls inside a batch need not
    /// be atomic on their own; the batch is).
    fn rollback_batch(&mut self) {}
    /// Commits a message with a fresh unique `dataTime` and UId.
    fn insert_message(&mut self, msg: &NewMessage) -> StoreResult<StoredMessage>;
    /// The UId and `dataTime` of the message `user` sent with this client message id
    /// ([`NewMessage::client_id`]), if one was stored.
    fn sent_with_client_id(
        &mut self,
        user: &str,
        client_id: &str,
    ) -> StoreResult<Option<(String, i64)>>;
    /// Forgets the client message ids of messages stored before `before` (ms): a resend older
    /// than that is stored again. Returns how many went.
    fn forget_client_ids(&mut self, before: i64) -> StoreResult<usize>;
    /// Messages received after `received_after` and sent after `sent_after`, ascending by time,
    /// at most `limit` items and about `max_bytes` of content.
    fn pull(
        &mut self,
        user: &str,
        received_after: i64,
        sent_after: i64,
        limit: usize,
        max_bytes: usize,
    ) -> StoreResult<Page>;
    /// One conversation's messages for `user` (the conversation with `target` of any of
    /// `conv_types`): before `time` newest first (`newer` false, `time` 0 = from the newest), or
    /// after `time` oldest first (`newer` true).
    fn history(
        &mut self,
        user: &str,
        conv_types: &[i32],
        target: &str,
        time: i64,
        count: usize,
        newer: bool,
    ) -> StoreResult<Page>;
    /// Removes `user`'s copies of a conversation's messages up to `up_to` (inclusive).
    fn clean_history(
        &mut self,
        user: &str,
        conv_type: i32,
        target: &str,
        up_to: i64,
    ) -> StoreResult<()>;
    /// Removes `user`'s copies of these messages of one conversation (the other party keeps
    /// theirs); the conversation then shows its newest remaining message.
    fn delete_messages(
        &mut self,
        user: &str,
        conv_type: i32,
        target: &str,
        messages: &[MessageRef],
    ) -> StoreResult<()>;
    /// The user's conversations, most recent first, each with its latest message.
    fn conversations(&mut self, user: &str, limit: usize) -> StoreResult<Vec<InboxItem>>;
    /// Removes a conversation from the user's list (its messages stay).
    fn delete_conversation(&mut self, user: &str, conv_type: i32, target: &str) -> StoreResult<()>;
    /// A message by UId.
    fn find_message(&mut self, uid: &str) -> StoreResult<Option<StoredMessage>>;
    /// Marks a message recalled; false if no such message exists.
    fn mark_recalled(&mut self, uid: &str) -> StoreResult<bool>;

    /// Adds users to `user`'s blacklist.
    fn blacklist_add(&mut self, user: &str, others: &[String]) -> StoreResult<()>;
    /// Removes users from `user`'s blacklist.
    fn blacklist_remove(&mut self, user: &str, others: &[String]) -> StoreResult<()>;
    /// `user`'s blacklist.
    fn blacklist(&mut self, user: &str) -> StoreResult<Vec<String>>;
    /// Whether `user` has blacklisted `other`.
    fn is_blacklisted(&mut self, user: &str, other: &str) -> StoreResult<bool>;

    /// A discussion with its members, if it exists.
    fn discussion(&mut self, id: &str) -> StoreResult<Option<Discussion>>;
    /// Creates or replaces a discussion and its member list.
    fn save_discussion(&mut self, discussion: &Discussion) -> StoreResult<()>;
    /// Creates or renames a group.
    fn upsert_group(&mut self, group: &str, name: Option<&str>) -> StoreResult<()>;
    /// Adds members (creating the group if needed).
    fn add_members(&mut self, group: &str, users: &[String]) -> StoreResult<()>;
    /// Removes members.
    fn remove_members(&mut self, group: &str, users: &[String]) -> StoreResult<()>;
    /// Deletes a group and its memberships (its history stays).
    fn dismiss_group(&mut self, group: &str) -> StoreResult<()>;
    /// Members of a group, in join order.
    fn members(&mut self, group: &str) -> StoreResult<Vec<String>>;
    /// Sets exactly the groups a user belongs to, creating unknown ones with their names.
    fn sync_user_groups(&mut self, user: &str, groups: &[(String, String)]) -> StoreResult<()>;

    /// Creates or updates a user's profile.
    fn upsert_user(
        &mut self,
        user: &str,
        name: Option<&str>,
        portrait: Option<&str>,
    ) -> StoreResult<()>;
    /// Stores a token revocation watermark.
    fn set_token_watermark(&mut self, user: &str, before_ms: i64) -> StoreResult<()>;
    /// Every stored token watermark.
    fn token_watermarks(&mut self) -> StoreResult<HashMap<String, i64>>;
    /// Blocks `users` until `until_ms`.
    fn block_users(&mut self, users: &[String], until_ms: i64) -> StoreResult<()>;
    /// Ends the blocks of `users`.
    fn unblock_users(&mut self, users: &[String]) -> StoreResult<()>;
    /// Every block ending after `now_ms`: user → end time (ms).
    fn user_blocks(&mut self, now_ms: i64) -> StoreResult<HashMap<String, i64>>;

    /// Appends a message to a chatroom's history (`msg.target_id` is the room; no inbox
    /// entries, no conversations). Its time and UId were given by the chatroom, from the
    /// clock the store started (newer than any stored time, see [`sqlite::SqliteStore::open`]).
    fn insert_chatroom_message(&mut self, msg: &StoredMessage) -> StoreResult<()>;
    /// A chatroom's history, as [`Store::history`] pages a conversation: before `time` newest
    /// first (`time` 0 = from the newest), or after `time` oldest first (`newer`).
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

/// A discussion (api.md §3.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discussion {
    /// Discussion id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The creator, the only one who may evict, and invite when closed.
    pub admin: String,
    /// 0 = members may invite, 1 = only the creator.
    pub open_status: i32,
    /// Members in join order.
    pub members: Vec<String>,
}
