//! The engine side of the local message store (`crate::store`): which messages it keeps, their
//! local `messageId`, the flush once per drain, and RongIMLib 2.5.3's local-message commands.
//!
//! Kept: messages of persisted types (MessageTag persisted bit), received, sent from this device
//! (from the PUBLISH on, SENDING → SENT or FAILED) and sent from the user's other devices, in
//! the conversation types with a server history (not chatrooms or RTC); never recall commands.
//! Each gets a local id from a per-user counter, which becomes its `messageId`; every send gets
//! one too (stored or not), so `onBefore(messageId)`, the sent message and `getMessage` agree.
//! Messages fetched from the server's history are not stored: the store stays the newest
//! contiguous part of each conversation, which is what lets local-first history continue with
//! the server's older messages without a gap.
//!
//! The store belongs to the current user (`Engine::user_id`) and is loaded on first use; with no
//! user (before connect, after logout) or a budget of 0 there is none. Its writes go out as
//! `Persist` outputs once per drain, but not into the engine's `storage` map: the store keeps
//! what it wrote in memory (a chunk is parsed from `storage` only once, the first time it is
//! needed), and the stores of earlier users of this engine are kept for their return.

mod commands;
mod history;
mod search;

pub use commands::InsertMessage;
pub use history::DeleteMessage;
pub(crate) use history::Remote;
pub use search::ConversationMatch;

use im_wire::enums::SentStatus;
use im_wire::ErrorCode;

use crate::conversation::RECALL;
use crate::engine::Engine;
use crate::message::Message;
use crate::output::RequestError;
use crate::store::edit::Origin;
use crate::store::line::local_id;
use crate::store::{ConvKey, Store};

/// The conversation types whose messages are stored: those with a server history (not
/// chatrooms, RTC or none).
pub(crate) fn stored_type(conversation_type: i32) -> bool {
    matches!(conversation_type, 1..=3 | 5..=8)
}

fn key_of(m: &Message) -> ConvKey {
    (m.conversation_type, m.target_id.clone())
}

/// The error of a command that needs the store when there is none.
fn unavailable() -> RequestError {
    RequestError::with_reason(
        ErrorCode::BIZ_ERROR_CLIENT_NOT_INIT.value(),
        "no local message store: no current user, or the store is off",
    )
}

impl Engine {
    /// Whether the current user has a store, loading it on first use (the previous user's
    /// pending writes are flushed first, and their store is kept).
    pub(crate) fn store_ready(&mut self) -> bool {
        if self.config.store_budget == 0 || self.user_id.is_empty() {
            return false;
        }
        let user = self.user_id.as_str();
        if self.store.as_ref().is_some_and(|s| s.user() == user) {
            return true;
        }
        self.flush_store();
        // What a store wrote is not in `storage` (see `flush_store`): a user met before in this
        // engine's life gets the store it had back.
        let user = self.user_id.as_str();
        let store = match self.other_stores.iter().position(|s| s.user() == user) {
            Some(i) => self.other_stores.swap_remove(i),
            None => Store::load(&self.storage, user, self.config.store_budget),
        };
        if let Some(previous) = self.store.replace(store) {
            self.other_stores.push(previous);
        }
        true
    }

    /// Writes what the store changed since the last flush: called when the outputs of an input
    /// are drained, so a burst of messages costs one write per chunk it touched. The values go
    /// to the host only: the store keeps them in memory, so `storage` need not hold a second
    /// copy of every chunk.
    pub(crate) fn flush_store(&mut self) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        for (key, value) in store.flush(&self.storage) {
            self.out.persist(key, value);
        }
    }

    /// Whether `m` belongs in the store.
    fn storable(&self, m: &Message) -> bool {
        stored_type(m.conversation_type)
            && m.object_name != RECALL
            && self.registry.tag(&m.object_name).is_persisted()
    }

    /// A received message (or one of the user's own from another device): stored, and its
    /// `messageId` becomes its local id. Not called for duplicates.
    pub(crate) fn store_delivered(&mut self, m: &mut Message) {
        if !self.storable(m) || !self.store_ready() {
            return;
        }
        let Some(store) = self.store.as_mut() else {
            return;
        };
        if let Some(id) = store.add(&self.storage, &key_of(m), m, Origin::Server) {
            m.message_id = Some(int_text(id));
        }
    }

    /// A send whose PUBLISH was written: it gets a local id (its `messageId` and what
    /// `onBefore` receives) and, when its type is kept (and `keep`: not a status message), is
    /// stored as SENDING. With the store off, the id is the signalling id, as in 2.5.3.
    pub(crate) fn store_sending(&mut self, m: &mut Message, msg_id: u16, keep: bool) -> u64 {
        if !self.store_ready() {
            m.message_id = Some(int_text(u64::from(msg_id)));
            return u64::from(msg_id);
        }
        let storable = keep && self.storable(m);
        let Some(s) = self.store.as_mut() else {
            return u64::from(msg_id);
        };
        let id = if storable {
            s.add(&self.storage, &key_of(m), m, Origin::Local)
        } else {
            None
        };
        let id = id.unwrap_or_else(|| s.next_id());
        m.message_id = Some(int_text(id));
        id
    }

    /// The outcome of a send (SENT with its messageUId and time, or FAILED) replaces the
    /// stored SENDING copy.
    pub(crate) fn store_send_outcome(&mut self, m: &Message) {
        let Some(id) = local_id(m) else {
            return;
        };
        if !self.storable(m) || !self.store_ready() {
            return;
        }
        let Some(store) = self.store.as_mut() else {
            return;
        };
        let sent = m.sent_status == Some(SentStatus::Sent.value());
        if sent && m.message_uid.is_some() {
            store.acknowledged(&key_of(m), m.sent_time);
        }
        store.replace(&self.storage, id, m);
    }
}

/// The decimal text of a local id.
pub(crate) fn int_text(n: u64) -> String {
    im_wire::json_out::int(i64::try_from(n).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use im_wire::content::JsonContent;

    fn message(conversation_type: i32, object_name: &str) -> Message {
        Message {
            conversation_type,
            target_id: "t".into(),
            sender_user_id: "t".into(),
            content: JsonContent::unknown(object_name, im_wire::json!({"content": "x"})),
            object_name: object_name.into(),
            message_type: String::new(),
            message_direction: 2,
            message_uid: None,
            sent_time: 1000,
            received_time: None,
            received_status: None,
            sent_status: None,
            message_id: Some("random".into()),
            off_line_message: None,
            extra: None,
            receipt_response: None,
        }
    }

    #[test]
    fn only_persisted_types_of_conversations_with_a_history_are_kept() {
        let mut e = Engine::new(crate::Config::new("k"));
        e.user_id = "me".into();
        let cases = [
            (1, "RC:TxtMsg", true),
            (3, "RC:InfoNtf", true),
            (8, "App:Custom", true),
            (4, "RC:TxtMsg", false),
            (12, "RC:TxtMsg", false),
            (0, "RC:TxtMsg", false),
            (1, "RC:TypSts", false),
            (1, "RC:RcCmd", false),
        ];
        for (t, object_name, kept) in cases {
            let mut m = message(t, object_name);
            e.store_delivered(&mut m);
            let id = m
                .message_id
                .as_deref()
                .and_then(|id| id.parse::<u64>().ok());
            assert_eq!(id.is_some(), kept, "{t} {object_name}");
            assert_eq!(id.and_then(|id| e.get_message(id)).is_some(), kept);
        }
        // With the store off, nothing is kept and ids are left alone.
        let mut off = crate::Config::new("k");
        off.store_budget = 0;
        let mut e = Engine::new(off);
        e.user_id = "me".into();
        let mut m = message(1, "RC:TxtMsg");
        e.store_delivered(&mut m);
        assert_eq!(m.message_id.as_deref(), Some("random"));
    }
}
