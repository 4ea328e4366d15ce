//! Storage of messages and sync (api.md §3.3, §5.2): each message once, one inbox copy per
//! user who sees it, pulls by time cursor, one conversation's history, deletions and recalls.
//!
//! Contract of an implementation:
//! - [`MessageStore::insert_message`] writes the message, its inbox copies, the conversation
//!   updates and the client message id atomically; they are durable once the batch they belong
//!   to is committed ([`super::Batch::commit_batch`]), and no caller hears of a result before
//!   that (a PUBACK follows);
//! - it assigns `dataTime` from a strictly increasing clock in commit order, so a client's time
//!   cursor never skips a message committed later with an earlier time (api.md §5.2).

use super::StoreResult;

/// `direction` of an inbox entry: the user sent it (DownStreamMessage.direction = 1).
pub const SENT: u8 = 1;
/// `direction` of an inbox entry: the user received it.
pub const RECEIVED: u8 = 2;

/// A message: what its sender sent, and once stored (or routed unstored) its UId and time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    /// Message UId (`msgId`); empty until the message is stored.
    pub uid: String,
    /// Server time, unique (ms); 0 until the message is stored.
    pub data_time: i64,
    /// Conversation type (api.md §7).
    pub conv_type: i32,
    /// Sender.
    pub from_user: String,
    /// Target as the sender addressed it (peer, group id, room).
    pub target_id: String,
    /// objectName, e.g. `RC:TxtMsg`.
    pub object_name: String,
    /// Content JSON bytes.
    pub content: Vec<u8>,
    /// MessageTag flags (`UpStreamMessage.sessionId`).
    pub tag: u8,
    /// Push text, if any. Stored with the message; reads of stored messages leave it `None`.
    pub push_text: Option<String>,
    /// Push data, if any. Stored with the message; reads of stored messages leave it `None`.
    pub app_data: Option<String>,
    /// Recalled (DownStreamMessage.status bit 0x02).
    pub recalled: bool,
}

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

/// A message as one user sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxItem {
    /// The message.
    pub message: Message,
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

/// A page of history around a time (api.md §3.3 paging): before `time` newest first (`time` 0
/// = from the newest), or after it oldest first; one row more than asked tells if there is more.
pub(crate) struct Window {
    /// The time comparison, `<` or `>`.
    pub cmp: &'static str,
    /// `DESC` or `ASC`.
    pub order: &'static str,
    /// The time to compare with.
    pub bound: i64,
    /// Rows to fetch: the count plus one.
    pub fetch: i64,
    count: usize,
}

impl Window {
    pub(crate) fn new(time: i64, count: usize, newer: bool) -> Self {
        let (cmp, order, bound) = match (newer, time) {
            (true, t) => (">", "ASC", t),
            (false, 0) => ("<", "DESC", i64::MAX),
            (false, t) => ("<", "DESC", t),
        };
        let fetch = i64::try_from(count.saturating_add(1)).unwrap_or(i64::MAX);
        Self {
            cmp,
            order,
            bound,
            fetch,
            count,
        }
    }

    /// The page of `items` fetched with this window.
    pub(crate) fn page(&self, mut items: Vec<InboxItem>) -> Page {
        let more = items.len() > self.count;
        items.truncate(self.count);
        Page { items, more }
    }
}

/// The page a pull answers from `all`, the items of both directions that a store fetched (at
/// most `limit` + 1 of each): oldest first, at most `limit` items and about `max_bytes` of
/// content, but always one.
pub(crate) fn pull_page(mut all: Vec<InboxItem>, limit: usize, max_bytes: usize) -> Page {
    all.sort_by_key(|i| (i.message.data_time, i.direction));
    let total = all.len();
    let mut bytes = 0usize;
    let mut keep = 0usize;
    for i in &all {
        bytes = bytes.saturating_add(i.message.content.len() + 64);
        // Always return at least one message, so a single huge one cannot stall sync.
        if keep >= limit || (keep > 0 && bytes > max_bytes) {
            break;
        }
        keep += 1;
    }
    all.truncate(keep);
    Page {
        more: total > keep,
        items: all,
    }
}

/// Message and sync calls of a [`super::Store`].
pub trait MessageStore {
    /// Gives `msg` a fresh unique `dataTime` and UId and writes it with one inbox copy per
    /// delivery and, if given, the sender's client message id (protocol-additions.md §7), for
    /// [`MessageStore::sent_with_client_id`].
    fn insert_message(
        &mut self,
        msg: &mut Message,
        deliveries: &[Delivery],
        client_id: Option<&str>,
    ) -> StoreResult<()>;
    /// The UId and `dataTime` of the message `user` sent with this client message id, if one
    /// was stored.
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
    /// A message by UId.
    fn find_message(&mut self, uid: &str) -> StoreResult<Option<Message>>;
    /// Marks a message recalled; false if no such message exists.
    fn mark_recalled(&mut self, uid: &str) -> StoreResult<bool>;
}
