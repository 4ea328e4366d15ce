//! The conversation list, unread counts, @mention state and drafts (api.md §3.4, §5.6, §9).
//!
//! Differences from 2.5.3, on purpose: a missing counter is 0, never NaN (§8.2 item 1); every
//! delivered message is counted at most once because delivery itself is de-duplicated by
//! messageUId and box time; sending does not zero the unread count; drafts are persisted; the
//! conversation list keeps every counted conversation, newest first.

use crate::storage::Storage;
use im_wire::text;
use im_wire::text::Piece;
use std::sync::Arc;

use im_wire::enums::{ConversationType, MessageDirection};
use im_wire::proto::RelationsOutput;
use im_wire::value::Value;
use serde::Serialize;

use crate::message::Message;
use crate::output::{Reply, RequestError, RequestId};
use crate::Engine;

/// A conversation as 2.x's `getConversationList` returns it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    /// `ConversationType` value.
    pub conversation_type: i32,
    /// The peer, group or discussion id.
    pub target_id: String,
    /// Set by `updateConversation`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversation_title: Option<String>,
    /// The newest counted message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_message: Option<Arc<Message>>,
    /// Its local id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_message_id: Option<String>,
    /// Its objectName.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_name: Option<String>,
    /// Its sender.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_user_id: Option<String>,
    /// Its `SentStatus` (own messages), as the app last set it through `updateConversation`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_status: Option<i32>,
    /// Its `ReceivedStatus` (messages from others).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_status: Option<i32>,
    /// The sender's display name; the app sets it through `updateConversation`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_user_name: Option<String>,
    /// The sender's avatar URL; the app sets it through `updateConversation`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_portrait_uri: Option<String>,
    /// Its time: the list is ordered by it, newest first.
    pub sent_time: i64,
    /// Counted messages from others since the last clear.
    pub unread_message_count: u32,
    /// The unread message that @mentions the user, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mentioned_msg: Option<MentionedMsg>,
    /// `ConversationNotificationStatus`: 0 DO_NOT_DISTURB, 1 NOTIFY (the user's setting).
    pub notification_status: i32,
    /// Pinned (`setConversationToTop`): listed before the others.
    pub is_top: bool,
    /// Hidden (`setConversationHidden`): left out of lists unless asked for.
    pub is_hidden: bool,
}

/// The fields `updateConversation` copies (absent, empty or 0 = left as they are). 2.x also
/// copies `latestMessage`; here the latest message is always the one the engine delivered or
/// sent, so that field is not taken from the app.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConversationUpdate {
    /// `conversationTitle`.
    pub conversation_title: Option<String>,
    /// `senderUserName`.
    pub sender_user_name: Option<String>,
    /// `senderPortraitUri`.
    pub sender_portrait_uri: Option<String>,
    /// `sentStatus`.
    pub sent_status: Option<i32>,
}

/// `conversation.mentionedMsg`: `{uid, time, mentionedInfo}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MentionedMsg {
    /// messageUId of the mentioning message.
    pub uid: String,
    /// Its sentTime.
    pub time: i64,
    /// Its `mentionedInfo`, as received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mentioned_info: Option<im_wire::value::Value>,
}

type Key = (i32, String);

/// The objectName of a recall (`RecallCommandMessage`).
pub(crate) const RECALL: &str = "RC:RcCmd";

/// In-memory conversations, rebuilt from storage (counts) and from the server (latest messages):
/// a vector sorted by (type, target id), searched like a `BTreeMap` for a fraction of its code
/// in the wasm. Boxed, so that listing a new conversation moves pointers, not conversations.
#[derive(Clone, Debug, Default)]
pub(crate) struct Conversations {
    #[allow(clippy::vec_box)] // Boxed on purpose, see above.
    by_key: Vec<Box<Conversation>>,
}

fn unread_key(self_id: &str, key: &Key) -> String {
    let mut k = String::with_capacity(self_id.len() + key.1.len() + 4);
    k.push_str("cu");
    k.push_str(self_id);
    im_wire::json_out::WriteJson::write_json(&i64::from(key.0), &mut k);
    k.push_str(&key.1);
    k
}

/// The stored unread count: `{count}_{sentTime of the latest}`.
fn unread_value(count: u32, time: i64) -> String {
    let mut v = im_wire::json_out::int(i64::from(count));
    v.push('_');
    im_wire::json_out::WriteJson::write_json(&time, &mut v);
    v
}

/// Drafts are per user (the host's storage is shared by every user of the app key).
fn draft_key(self_id: &str, conversation_type: i32, target_id: &str) -> String {
    text!("darf_", self_id, "_", conversation_type, "_", target_id)
}

impl Conversations {
    fn find(&self, key: &Key) -> Result<usize, usize> {
        let key = (key.0, key.1.as_str());
        self.by_key
            .binary_search_by(|c| (c.conversation_type, c.target_id.as_str()).cmp(&key))
    }

    fn get(&self, key: &Key) -> Option<&Conversation> {
        self.by_key.get(self.find(key).ok()?).map(|c| &**c)
    }

    fn get_mut(&mut self, key: &Key) -> Option<&mut Conversation> {
        let i = self.find(key).ok()?;
        self.by_key.get_mut(i).map(|c| &mut **c)
    }

    fn remove(&mut self, key: &Key) {
        if let Ok(i) = self.find(key) {
            self.by_key.remove(i);
        }
    }

    /// The conversation of `key`, listed (with its stored unread count) if it was not.
    fn entry(&mut self, key: Key, storage: &Storage, self_id: &str) -> Option<&mut Conversation> {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                let c = Conversation {
                    unread_message_count: stored_count(storage, &unread_key(self_id, &key)),
                    conversation_type: key.0,
                    target_id: key.1,
                    conversation_title: None,
                    latest_message: None,
                    latest_message_id: None,
                    object_name: None,
                    sender_user_id: None,
                    sent_status: None,
                    received_status: None,
                    sender_user_name: None,
                    sender_portrait_uri: None,
                    sent_time: 0,
                    mentioned_msg: None,
                    notification_status: 1,
                    is_top: false,
                    is_hidden: false,
                };
                self.by_key.insert(i, Box::new(c));
                i
            }
        };
        self.by_key.get_mut(i).map(|c| &mut **c)
    }
}

/// The 2.5.3 counter format `"{count}_{sentTime}"`, or a plain number (≤ 2.5.2); missing is 0.
fn stored_count(storage: &Storage, key: &str) -> u32 {
    storage
        .get(key)
        .and_then(|v| v.split('_').next())
        .and_then(im_wire::text::u32_of)
        .unwrap_or(0)
}

/// Shares `msg` (no copy) as the conversation's latest message when it is the newest.
fn set_latest(c: &mut Conversation, msg: &Arc<Message>) {
    if msg.sent_time >= c.sent_time {
        c.sent_time = msg.sent_time;
        c.latest_message_id = msg.message_id.clone();
        c.object_name = Some(msg.object_name.clone());
        c.sender_user_id = Some(msg.sender_user_id.clone());
        c.sent_status = msg.sent_status;
        c.received_status = msg.received_status;
        c.latest_message = Some(Arc::clone(msg));
    }
}

impl Engine {
    /// Conversation and unread bookkeeping for a delivered message (api.md §5.6). `mentioned` is
    /// the `DownStreamMessage.status` 0x40 bit.
    pub(crate) fn note_delivered(&mut self, msg: &Arc<Message>, mentioned: bool) {
        if msg
            .content
            .builtin()
            .is_some_and(|t| t.object_name == RECALL)
        {
            self.note_recalled(msg);
            return;
        }
        if msg.conversation_type == 4 || !self.registry.tag(&msg.object_name).is_counted() {
            return; // Chatroom messages and uncounted types never touch the list (issue spec).
        }
        let key = (msg.conversation_type, msg.target_id.clone());
        let from_other = msg.message_direction == MessageDirection::Receive.value()
            && msg.sender_user_id != self.user_id;
        let Some(c) = self
            .conversations
            .entry(key.clone(), &self.storage, &self.user_id)
        else {
            return;
        };
        set_latest(c, msg);
        if from_other {
            c.unread_message_count = c.unread_message_count.saturating_add(1);
            if mentioned {
                c.mentioned_msg = Some(MentionedMsg {
                    uid: msg.message_uid.clone().unwrap_or_default(),
                    time: msg.sent_time,
                    mentioned_info: msg.content.mentioned_info().cloned(),
                });
            }
            let value = unread_value(c.unread_message_count, msg.sent_time);
            self.persist(unread_key(&self.user_id, &key), value);
        }
    }

    /// A recall (`RC:RcCmd`): if the recalled message is the conversation's latest, the recall
    /// takes its place, and an unread count that included it goes down by one.
    fn note_recalled(&mut self, msg: &Message) {
        let r = &msg.content;
        let (Some(t), Some(target), Some(uid)) = (
            r.get("conversationType").and_then(Value::as_i64),
            r.get("targetId").and_then(Value::as_str),
            r.get("messageUId").and_then(Value::as_str),
        ) else {
            return;
        };
        let Ok(t) = i32::try_from(t) else { return };
        // In a private conversation the target named by the sender is this user; the
        // conversation is the sender's.
        let target = if t == 1 && target == self.user_id {
            msg.sender_user_id.clone()
        } else {
            target.to_owned()
        };
        let key = (t, target);
        let Some(c) = self.conversations.get_mut(&key) else {
            return;
        };
        let latest_uid = c
            .latest_message
            .as_ref()
            .and_then(|m| m.message_uid.clone());
        if latest_uid.as_deref() == Some(uid) {
            let mut shown = msg.clone();
            shown.conversation_type = t;
            shown.target_id = key.1.clone();
            c.latest_message = Some(Arc::new(shown));
            c.object_name = Some(msg.object_name.clone());
            if msg.sender_user_id != self.user_id && c.unread_message_count > 0 {
                c.unread_message_count -= 1;
                let value = unread_value(c.unread_message_count, msg.sent_time);
                self.persist(unread_key(&self.user_id, &key), value);
            }
        }
    }

    /// An own message acknowledged by the server becomes the conversation's latest (§4.5).
    pub(crate) fn note_sent(&mut self, msg: &Arc<Message>) {
        if msg.conversation_type == 4 || !self.registry.tag(&msg.object_name).is_counted() {
            return;
        }
        let key = (msg.conversation_type, msg.target_id.clone());
        if let Some(c) = self.conversations.entry(key, &self.storage, &self.user_id) {
            set_latest(c, msg);
        }
    }

    /// `getConversationList` from local state: conversations of `types` (all if empty), pinned
    /// ones first, each part newest first; hidden ones only when `hidden` is set.
    pub fn conversation_list(&self, types: &[ConversationType], hidden: bool) -> Vec<Conversation> {
        let types = values(types);
        let mut list: Vec<Conversation> = self
            .conversations
            .by_key
            .iter()
            .filter(|c| types.is_empty() || types.contains(&c.conversation_type))
            .map(|c| self.with_settings(c))
            .filter(|c| hidden || !c.is_hidden)
            .collect();
        // Unstable with a total order (pinned, newest, then type and target): a heapsort is far
        // less code in the wasm than the stable merge sort.
        list.sort_unstable_by(|a, b| {
            (b.is_top, b.sent_time, a.conversation_type)
                .cmp(&(a.is_top, a.sent_time, b.conversation_type))
                .then_with(|| a.target_id.cmp(&b.target_id))
        });
        list
    }

    /// `getConversation(type, targetId)`.
    pub fn conversation(&self, t: ConversationType, target_id: &str) -> Option<Conversation> {
        self.conversations
            .get(&(t.value(), target_id.to_owned()))
            .map(|c| self.with_settings(c))
    }

    fn with_settings(&self, c: &Conversation) -> Conversation {
        let mut c = c.clone();
        self.apply_settings(&mut c);
        c
    }

    /// `getUnreadCount(type, targetId)`: also known for conversations not in memory yet.
    pub fn unread_count(&self, t: ConversationType, target_id: &str) -> u32 {
        let conversation_type = t.value();
        match self.conversation(t, target_id) {
            Some(c) => c.unread_message_count,
            None => stored_count(
                &self.storage,
                &unread_key(&self.user_id, &(conversation_type, target_id.to_owned())),
            ),
        }
    }

    /// `getTotalUnreadCount` / `getConversationUnreadCount(types)`: the sum over stored counters
    /// of this user, restricted to `types` when given.
    pub fn total_unread_count(&self, types: &[ConversationType]) -> u32 {
        let types = values(types);
        if self.user_id.is_empty() {
            return 0; // Counters are per user; before CONNACK there is none.
        }
        let prefix = text!("cu", self.user_id);
        let mut total = 0u32;
        for (key, value) in self.storage.from(&prefix) {
            let Some(rest) = key.strip_prefix(&prefix) else {
                break;
            };
            // The conversation type is one digit (1–8) right after the user id.
            let Some(t) = rest.chars().next().and_then(|c| c.to_digit(10)) else {
                continue;
            };
            // Only counted conversation types; this also skips a longer user id that shares the
            // prefix and continues with a 0 or 9 (`cuuser10…` when the user is `user1`).
            if !(1..=8).contains(&t) {
                continue;
            }
            if types.is_empty() || types.contains(&(t as i32)) {
                let n = value
                    .split('_')
                    .next()
                    .and_then(im_wire::text::u32_of)
                    .unwrap_or(0);
                total = total.saturating_add(n);
            }
        }
        total
    }

    /// `clearUnreadCount(type, targetId)`: the count and the @mention state go back to none.
    /// Returns whether anything was unread.
    pub fn clear_unread_count(&mut self, t: ConversationType, target_id: &str) -> bool {
        let key = (t.value(), target_id.to_owned());
        let had = self.unread_count(t, target_id) > 0;
        if let Some(c) = self.conversations.get_mut(&key) {
            c.unread_message_count = 0;
            c.mentioned_msg = None;
        }
        let storage_key = unread_key(&self.user_id, &key);
        if self.storage.contains_key(&storage_key) {
            self.storage.remove(&storage_key);
            self.out.persist(storage_key, String::new());
        }
        had
    }

    /// `updateConversation(conversation)`: copies the given fields into the listed
    /// conversation, as 2.x does for its truthy ones (api.md §3.4); `false` when the
    /// conversation is not listed.
    pub fn update_conversation(
        &mut self,
        t: ConversationType,
        target_id: &str,
        update: &ConversationUpdate,
    ) -> bool {
        let Some(c) = self
            .conversations
            .get_mut(&(t.value(), target_id.to_owned()))
        else {
            return false;
        };
        let copy = |to: &mut Option<String>, from: &Option<String>| {
            if let Some(v) = from.as_ref().filter(|v| !v.is_empty()) {
                *to = Some(v.clone());
            }
        };
        copy(&mut c.conversation_title, &update.conversation_title);
        copy(&mut c.sender_user_name, &update.sender_user_name);
        copy(&mut c.sender_portrait_uri, &update.sender_portrait_uri);
        if let Some(s) = update.sent_status.filter(|s| *s != 0) {
            c.sent_status = Some(s);
        }
        true
    }

    /// `saveTextMessageDraft`: persisted (unlike 2.x, where drafts were memory-only).
    pub fn save_draft(&mut self, t: ConversationType, target_id: &str, text: &str) {
        self.persist(
            draft_key(&self.user_id, t.value(), target_id),
            text.to_owned(),
        );
    }

    /// `getTextMessageDraft`.
    pub fn draft(&self, t: ConversationType, target_id: &str) -> Option<String> {
        self.stored(&draft_key(&self.user_id, t.value(), target_id))
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
    }

    /// `clearTextMessageDraft`. A `Persist` with an empty value deletes the key.
    pub fn clear_draft(&mut self, t: ConversationType, target_id: &str) {
        let key = draft_key(&self.user_id, t.value(), target_id);
        self.storage.remove(&key);
        self.out.persist(key, String::new());
    }

    /// Merges a `qryRelation` reply (api.md §3.4): the server's latest message per conversation,
    /// which the client lists in reverse.
    pub(crate) fn merge_relations(
        &mut self,
        now_ms: u64,
        payload: &[u8],
    ) -> Result<(), RequestError> {
        let out: RelationsOutput = im_wire::proto::decode(payload).map_err(|e| RequestError {
            code: -2,
            message: None,
            reason: Some(e.text()),
        })?;
        for info in out.info.iter().rev() {
            let key = (info.r#type, info.user_id.clone());
            let latest = info.msg.as_ref().map(|m| self.convert_message(now_ms, m));
            let c = self.conversations.entry(key, &self.storage, &self.user_id);
            if let (Some(c), Some(mut m)) = (c, latest) {
                m.target_id = c.target_id.clone();
                set_latest(c, &Arc::new(m));
            }
        }
        Ok(())
    }

    pub(crate) fn complete_conversation_list(
        &mut self,
        id: RequestId,
        types: &[ConversationType],
        hidden: bool,
    ) {
        let list = self.conversation_list(types, hidden);
        self.complete(id, Ok(Reply::Conversations { list }));
    }

    pub(crate) fn forget_conversation(&mut self, conversation_type: i32, target_id: &str) {
        self.conversations
            .remove(&(conversation_type, target_id.to_owned()));
    }
}

impl Engine {
    /// `getConversationList(callback, types)`: asks the server (`qryRelation`, api.md §3.4), merges
    /// its answer with what arrived locally, and completes with the list. When not connected it
    /// completes at once with the local list.
    pub fn fetch_conversation_list(
        &mut self,
        now_ms: u64,
        types: Vec<ConversationType>,
        count: i32,
        hidden: bool,
    ) -> RequestId {
        let id = self.out.request_id();
        if !self.is_connected() {
            self.complete_conversation_list(id, &types, hidden);
            return id;
        }
        self.refresh_settings(now_ms, None);
        let input = im_wire::proto::RelationsInput {
            r#type: 1,
            count: Some(count),
            ..Default::default()
        };
        let target = self.user_id.clone();
        let pending = crate::requests::Pending::Conversations { id, types, hidden };
        let payload = im_wire::proto::encode(&input);
        if let Err(e) = self.send_query(
            now_ms,
            im_wire::topic::CONVERSATIONS.name(),
            &target,
            payload,
            im_wire::frame::Qos::AtMostOnce,
            pending,
        ) {
            self.complete(id, Err(e));
        }
        id
    }

    /// `removeConversation(type, targetId)`: `delRelation` on the server, then the local entry
    /// goes. The unread counter is cleared too, so a later message starts from 1.
    pub fn remove_conversation(
        &mut self,
        now_ms: u64,
        t: ConversationType,
        target_id: &str,
    ) -> RequestId {
        let id = self.out.request_id();
        let conversation_type = t.value();
        if !self.is_connected() {
            self.clear_unread_count(t, target_id);
            self.forget_conversation(conversation_type, target_id);
            self.complete(id, Ok(Reply::Done));
            return id;
        }
        let input = im_wire::proto::RelationsInput {
            r#type: conversation_type,
            ..Default::default()
        };
        let pending = crate::requests::Pending::RemoveConversation {
            id,
            conversation_type: t,
            target_id: target_id.to_owned(),
        };
        let payload = im_wire::proto::encode(&input);
        if let Err(e) = self.send_query(
            now_ms,
            im_wire::topic::DELETE_CONVERSATION.name(),
            target_id,
            payload,
            im_wire::frame::Qos::AtMostOnce,
            pending,
        ) {
            self.complete(id, Err(e));
        }
        id
    }
}

/// The wire values of conversation types.
fn values(types: &[ConversationType]) -> Vec<i32> {
    types.iter().map(|t| t.value()).collect()
}

impl Engine {
    /// `addConversation(conversation)` / `createConversation(type, targetId, title)`: lists the
    /// conversation (keeping what is known of it) and sets its title when one is given; answers
    /// the listed conversation.
    pub fn add_conversation(
        &mut self,
        t: ConversationType,
        target_id: &str,
        title: Option<String>,
    ) -> Option<Conversation> {
        let key = (t.value(), target_id.to_owned());
        let c = self.conversations.entry(key, &self.storage, &self.user_id);
        if let (Some(c), Some(title)) = (c, title.filter(|s| !s.is_empty())) {
            c.conversation_title = Some(title);
        }
        self.conversation(t, target_id)
    }

    /// `clearUnreadCountByTimestamp(type, targetId, timestamp)`: clears the count when every
    /// counted message is at or before `timestamp` (the counters hold no per-message times, so
    /// an earlier timestamp leaves the count as it is); whether it cleared.
    pub fn clear_unread_count_by_timestamp(
        &mut self,
        t: ConversationType,
        target_id: &str,
        timestamp: i64,
    ) -> bool {
        let newest = self.conversation(t, target_id).map_or(0, |c| c.sent_time);
        if newest > timestamp {
            return false;
        }
        self.clear_unread_count(t, target_id);
        true
    }

    /// `clearTotalUnreadCount()`: every counter and @mention state of this user goes.
    pub fn clear_total_unread_count(&mut self) {
        let prefix = text!("cu", self.user_id);
        let keys: Vec<String> = self
            .storage
            .from(&prefix)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for key in keys {
            self.persist(key, String::new());
        }
        for c in &mut self.conversations.by_key {
            c.unread_message_count = 0;
            c.mentioned_msg = None;
        }
    }

    /// `getUnreadMentionedMessages(type, targetId)`: the unread message that @mentions the user,
    /// as a list (2.5.3's web build answered null).
    pub fn unread_mentioned_messages(&self, t: ConversationType, target_id: &str) -> Vec<Message> {
        let Some(c) = self.conversations.get(&(t.value(), target_id.to_owned())) else {
            return Vec::new();
        };
        let Some(mentioned) = &c.mentioned_msg else {
            return Vec::new();
        };
        c.latest_message
            .as_deref()
            .filter(|m| m.message_uid.as_deref() == Some(mentioned.uid.as_str()))
            .cloned()
            .into_iter()
            .collect()
    }
}
