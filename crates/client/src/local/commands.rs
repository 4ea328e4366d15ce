//! RongIMLib 2.5.3's local-message commands (api.md §3.3, "Stubs" in 2.5.3; here they work):
//! `getMessage`, `insertMessage`, `deleteLocalMessages`, `clearMessages`, `setMessageContent`,
//! `setMessageExtra`, `setMessageReceivedStatus`, `setMessageSentStatus`, `setMessageStatus` and
//! `updateMessage`. Each answers at once; writes reach storage when the outputs are drained.

use im_wire::content::JsonContent;
use im_wire::enums::{ConversationType, MessageDirection, SentStatus};
use im_wire::text::Piece;
use im_wire::ErrorCode;

use super::{key_of, stored_type, unavailable};
use crate::engine::Engine;
use crate::message::Message;
use crate::output::RequestError;
use crate::send::MAX_CONTENT_LEN;
use crate::store::edit::Origin;
use crate::store::line::local_id;

/// The arguments of `insertMessage(conversationType, targetId, senderUserId, content, …)`: a
/// message kept in the local store only, never sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InsertMessage {
    /// `ConversationType` value (not a chatroom or RTC: their messages are not stored).
    pub conversation_type: i32,
    /// Peer, group, discussion, … id.
    pub target_id: String,
    /// The sender; empty = the current user when sent, the target when received.
    pub sender_user_id: String,
    /// e.g. `RC:TxtMsg`, or a registered custom type.
    pub object_name: String,
    /// The content as JSON (what the content's `encode()` gives).
    pub content: String,
    /// 1 SEND, 2 RECEIVE.
    pub direction: i32,
    /// `sentStatus` when sent (0 = SENT), `receivedStatus` flags when received.
    pub status: i32,
    /// sentTime in ms; 0 = now.
    pub sent_time: i64,
}

fn invalid(reason: &str) -> RequestError {
    RequestError::with_reason(ErrorCode::PARAMETER_ERROR.value(), reason)
}

fn not_found() -> RequestError {
    RequestError::with_reason(
        ErrorCode::GET_MESSAGE_BY_ID_ERROR.value(),
        "no stored message has this messageId",
    )
}

/// A content from its objectName and JSON, checked like a send's.
fn content(object_name: &str, json: &str) -> Result<JsonContent, RequestError> {
    if object_name.is_empty() {
        return Err(invalid("objectName is empty"));
    }
    if json.len() > MAX_CONTENT_LEN {
        return Err(invalid("content is larger than 128 KB"));
    }
    JsonContent::decode(object_name, json.as_bytes()).map_err(|e| invalid(&e.text()))
}

impl Engine {
    /// `getMessage(messageId)`: the stored message with this local id, as it was delivered or
    /// sent plus what was set on it since. `None` for an id the store does not hold (evicted,
    /// deleted, another user's, a chatroom or non-persisted message, or the store off).
    pub fn get_message(&mut self, message_id: u64) -> Option<Message> {
        if !self.store_ready() {
            return None;
        }
        let (key, entry) = self.store.as_mut()?.get(&self.storage, message_id)?;
        entry.message(&key, &self.registry)
    }

    /// Reads message `id`, lets `edit` change it and stores the result.
    fn edit_message(
        &mut self,
        id: u64,
        edit: impl FnOnce(&mut Message),
    ) -> Result<Message, RequestError> {
        if !self.store_ready() {
            return Err(unavailable());
        }
        let mut m = self.get_message(id).ok_or_else(not_found)?;
        edit(&mut m);
        let store = self.store.as_mut().ok_or_else(unavailable)?;
        if !store.replace(&self.storage, id, &m) {
            return Err(not_found());
        }
        Ok(m)
    }

    /// `insertMessage`: stores a local message (never sent) and returns it with its
    /// `messageId`. Fails with −3 for bad arguments and `MSG_INSERT_ERROR` for chatrooms and
    /// types that are not persisted.
    pub fn insert_message(
        &mut self,
        now_ms: u64,
        req: InsertMessage,
    ) -> Result<Message, RequestError> {
        if ConversationType::from_value(req.conversation_type).is_none() {
            return Err(invalid("unknown conversation type"));
        }
        if req.target_id.is_empty() {
            return Err(invalid("targetId is empty"));
        }
        let sent = req.direction == MessageDirection::Send.value();
        if !sent && req.direction != MessageDirection::Receive.value() {
            return Err(invalid("direction must be 1 (SEND) or 2 (RECEIVE)"));
        }
        let content = content(&req.object_name, &req.content)?;
        let not_stored = !stored_type(req.conversation_type)
            || !self.registry.tag(&req.object_name).is_persisted();
        if not_stored {
            return Err(RequestError::with_reason(
                ErrorCode::MSG_INSERT_ERROR.value(),
                "chatroom or RTC messages and types that are not persisted are not stored",
            ));
        }
        if !self.store_ready() {
            return Err(unavailable());
        }
        let now = i64::try_from(now_ms).unwrap_or(i64::MAX);
        let sender = match (req.sender_user_id.is_empty(), sent) {
            (false, _) => req.sender_user_id,
            (true, true) => self.user_id.clone(),
            (true, false) => req.target_id.clone(),
        };
        let status = |s: i32| (s != 0).then_some(s);
        let mut m = Message {
            conversation_type: req.conversation_type,
            target_id: req.target_id,
            sender_user_id: sender,
            message_type: self.registry.type_name(&content),
            object_name: req.object_name,
            content,
            message_direction: req.direction,
            message_uid: None,
            sent_time: if req.sent_time > 0 {
                req.sent_time
            } else {
                now
            },
            received_time: (!sent).then_some(now),
            received_status: if sent { None } else { Some(req.status) },
            sent_status: if sent {
                status(req.status).or(Some(SentStatus::Sent.value()))
            } else {
                None
            },
            message_id: None,
            off_line_message: None,
            extra: None,
            receipt_response: None,
        };
        let store = self.store.as_mut().ok_or_else(unavailable)?;
        let id = store
            .add(&self.storage, &key_of(&m), &m, Origin::Local)
            .ok_or_else(unavailable)?;
        m.message_id = Some(id.text());
        Ok(m)
    }

    /// `deleteLocalMessages(type, targetId, messageIds)`: removes these messages of the
    /// conversation from the store (ids of other conversations are ignored). Local-first
    /// history does not bring them back from the server. Returns how many were removed.
    pub fn delete_local_messages(
        &mut self,
        conversation_type: i32,
        target_id: &str,
        message_ids: &[u64],
    ) -> usize {
        if !self.store_ready() {
            return 0;
        }
        let Some(store) = self.store.as_mut() else {
            return 0;
        };
        let mut removed = 0;
        for &id in message_ids {
            let ours = store
                .get(&self.storage, id)
                .is_some_and(|(key, _)| key.0 == conversation_type && key.1 == target_id);
            if ours && store.remove(&self.storage, id).is_some() {
                removed += 1;
            }
        }
        removed
    }

    /// `removeLocalMessage(type, targetId, timestamps)` (2.x's data-provider form): removes the
    /// conversation's stored messages whose `sentTime` is one of `times`. Returns how many were
    /// removed.
    pub fn delete_local_messages_at(
        &mut self,
        conversation_type: i32,
        target_id: &str,
        times: &[i64],
    ) -> usize {
        if !self.store_ready() {
            return 0;
        }
        let key = (conversation_type, target_id.to_owned());
        let mut ids = Vec::new();
        if let Some(store) = self.store.as_ref() {
            store.each_newest_first(&self.storage, &key, &mut |e| {
                if times.contains(&e.time) {
                    ids.push(e.id);
                }
                true
            });
        }
        self.delete_local_messages(conversation_type, target_id, &ids)
    }

    /// `clearMessages(type, targetId)`: removes the conversation's stored messages (local
    /// only: the server keeps them, see `clear_remote_history`). Local-first history then
    /// shows only messages that arrive later. Returns how many were removed.
    pub fn clear_messages(&mut self, conversation_type: i32, target_id: &str) -> usize {
        if !self.store_ready() {
            return 0;
        }
        let key = (conversation_type, target_id.to_owned());
        self.store
            .as_mut()
            .map_or(0, |s| s.clear(&self.storage, &key))
    }

    /// After `clearRemoteHistoryMessages` succeeded: the conversation's stored messages sent at
    /// or before `timestamp` go too, so local-first history agrees with the server.
    pub(crate) fn clear_stored_until(
        &mut self,
        conversation_type: i32,
        target_id: &str,
        timestamp: i64,
    ) {
        if !self.store_ready() {
            return;
        }
        let key = (conversation_type, target_id.to_owned());
        let mut ids = Vec::new();
        if let Some(store) = self.store.as_ref() {
            store.each_newest_first(&self.storage, &key, &mut |e| {
                if e.time <= timestamp {
                    ids.push(e.id);
                }
                true
            });
        }
        if !ids.is_empty() {
            self.delete_local_messages(conversation_type, target_id, &ids);
        }
    }

    /// `setMessageContent(messageId, content, objectName)`: replaces the content (and type)
    /// of a stored message.
    pub fn set_message_content(
        &mut self,
        message_id: u64,
        content_json: &str,
        object_name: &str,
    ) -> Result<Message, RequestError> {
        let content = content(object_name, content_json)?;
        let message_type = self.registry.type_name(&content);
        self.edit_message(message_id, |m| {
            m.object_name = object_name.to_owned();
            m.message_type = message_type;
            m.content = content;
        })
    }

    /// `setMessageExtra(messageId, value)`: the message's local `extra` (never sent).
    pub fn set_message_extra(
        &mut self,
        message_id: u64,
        extra: &str,
    ) -> Result<Message, RequestError> {
        self.edit_message(message_id, |m| {
            m.extra = (!extra.is_empty()).then(|| extra.to_owned());
        })
    }

    /// `setMessageReceivedStatus(messageId, status)`: `ReceivedStatus` flags.
    pub fn set_message_received_status(
        &mut self,
        message_id: u64,
        status: i32,
    ) -> Result<Message, RequestError> {
        self.edit_message(message_id, |m| m.received_status = Some(status))
    }

    /// `setMessageSentStatus(messageId, status)`: a `SentStatus` (10 SENDING … 60 DESTROYED).
    pub fn set_message_sent_status(
        &mut self,
        message_id: u64,
        status: i32,
    ) -> Result<Message, RequestError> {
        self.edit_message(message_id, |m| m.sent_status = Some(status))
    }

    /// `updateMessage(message)`: replaces the stored message that has its `messageId` by
    /// `message` (content, statuses, extra, sentTime, …), in the same conversation; returns
    /// it as stored.
    pub fn update_message(&mut self, message: &Message) -> Result<Message, RequestError> {
        let id = local_id(message).ok_or_else(not_found)?;
        let stored = self.get_message(id).ok_or_else(not_found)?;
        if key_of(&stored) != key_of(message) {
            return Err(invalid("a message cannot move to another conversation"));
        }
        self.edit_message(id, |m| {
            *m = message.clone();
            m.message_id = stored.message_id;
        })
    }

    /// `setMessageStatus(type, targetId, timestamp, status)`: a read receipt. The user's own
    /// messages of the conversation sent at or before `timestamp` get `sentStatus = status`,
    /// except those still sending or failed (2.x's receipt update). It stops at the first one
    /// that already has `status`: an earlier receipt set everything before it. Returns how
    /// many changed.
    pub fn set_message_status(
        &mut self,
        conversation_type: i32,
        target_id: &str,
        timestamp: i64,
        status: i32,
    ) -> usize {
        if !self.store_ready() {
            return 0;
        }
        let key = (conversation_type, target_id.to_owned());
        let mut changes = Vec::new();
        let Some(store) = self.store.as_ref() else {
            return 0;
        };
        let skip = [SentStatus::Sending.value(), SentStatus::Failed.value()];
        store.each_newest_first(&self.storage, &key, &mut |e| {
            if e.time > timestamp || im_wire::text::find(&e.line, ",\"d\":1,").is_none() {
                return true;
            }
            let Some(m) = e.message(&key, &self.registry) else {
                return true;
            };
            if m.message_direction != MessageDirection::Send.value() {
                return true;
            }
            match m.sent_status {
                Some(s) if s == status => false,
                Some(s) if skip.contains(&s) => true,
                _ => {
                    changes.push(m);
                    true
                }
            }
        });
        let Some(store) = self.store.as_mut() else {
            return 0;
        };
        let mut changed = 0;
        for mut m in changes {
            m.sent_status = Some(status);
            if local_id(&m).is_some_and(|id| store.replace(&self.storage, id, &m)) {
                changed += 1;
            }
        }
        changed
    }
}
