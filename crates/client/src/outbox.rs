//! The outbox (`Config::outbox`): sends kept until the server has acknowledged them.
//!
//! A send taken by the outbox is not refused when there is no connection: it waits in a queue
//! that is persisted per user (`obox_{userId}`, so a reloaded page or mini program sends it
//! too), and is published as soon as a connection is accepted. A send whose PUBACK did not come
//! (the connection dropped, or 30 s passed) goes back to waiting and is published again. Every
//! publish of one send carries the same `UpStreamMessage.clientMsgId`, on which the server
//! de-duplicates (docs/protocol-additions.md §7), so an unknown outcome is resolved by sending
//! again. The send completes with its PUBACK: `onSuccess`, or `onError` for a refusal (a
//! non-zero status other than "too fast" and "storage failed", which are tried again), or `−1`
//! once `Config::outbox_expiry_ms` has passed since the call without an answer. After a reload
//! the sends have no callbacks: they complete silently, in the local store and the conversation
//! list.
//!
//! Order: per conversation, one send is in flight at a time, the oldest, so a refusal that is
//! tried again can never let a later message overtake it; different conversations go in
//! parallel, at most [`MAX_IN_FLIGHT`] sends at once.
//!
//! Taken by the outbox: persisted message types (MessageTag bit 0, the ones the server stores
//! and so can de-duplicate) in conversations with a history (not chatrooms); not status messages
//! and not recalls; and only while the outbox has room ([`MAX_QUEUED`]). Everything else is sent
//! as in 2.x.

use im_wire::enums::{MessageDirection, SentStatus};
use im_wire::frame::{ClientPublish, Qos, ServerPubAck};
use im_wire::json_out::Object;
use im_wire::proto::{self, UpStreamMessage};
use im_wire::text;
use im_wire::text::Hex;
use im_wire::text::Piece;
use im_wire::value::Value;
use im_wire::{ClientFrame, ErrorCode, MessageTag};

use crate::engine::Engine;
use crate::message::Message;
use crate::output::{Event, RequestError, RequestId, NO_DEADLINE};
use crate::requests::Pending;

/// Sends of the outbox in flight at once (one per conversation).
pub(crate) const MAX_IN_FLIGHT: usize = 32;
/// The wait before a send refused as "too fast" or "storage failed" is tried again.
pub(crate) const RETRY_MS: u64 = 2_000;
/// Sends the outbox holds at most, and the content bytes of them: its persisted value stays
/// well under a mini program's 1 MB per storage key. A send beyond is not taken (see
/// [`Engine::outbox_takes`]).
pub(crate) const MAX_QUEUED: usize = 1000;
/// See [`MAX_QUEUED`].
pub(crate) const MAX_QUEUED_BYTES: usize = 512 * 1024;

/// One send kept by the outbox.
#[derive(Clone, Debug)]
struct Entry {
    /// `UpStreamMessage.clientMsgId`, also inside `up`.
    client_id: String,
    topic: String,
    /// The PUBLISH target id.
    target: String,
    up: UpStreamMessage,
    /// When the app sent it (ms): expiry counts from here.
    queued_at: u64,
    /// The message as the app sees it: SENDING, with its local id once it has one.
    message: Box<Message>,
    /// The app's request, `None` for a send of an earlier run (no callback any more).
    request: Option<RequestId>,
    /// The signalling id of the PUBLISH waiting for its PUBACK.
    in_flight: Option<u16>,
    /// Not published again before this time (ms); 0 = at once.
    retry_at: u64,
    /// Perhaps stored by the server already: published without an answer since, or loaded
    /// from an earlier run (which may have published it).
    uncertain: bool,
}

impl Entry {
    fn conversation(&self) -> (i32, &str) {
        (self.message.conversation_type, &self.message.target_id)
    }

    fn expires_at(&self, expiry_ms: u64) -> u64 {
        self.queued_at.saturating_add(expiry_ms)
    }

    /// The persisted form: `{"c": clientMsgId, "t": topic, "g": target, "ct": conversation type,
    /// "s": flag word, "o": objectName, "b": content JSON text, "pt": pushText, "ad": appData,
    /// "u": [userId…], "f": configFlag, "i": local id, "at": time of the call}`.
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("c", &self.client_id)
            .field("t", &self.topic)
            .field("g", &self.target)
            .field("ct", &self.message.conversation_type)
            .field("s", &self.up.session_id)
            .field("o", &self.up.classname)
            .field("b", &*im_wire::text::lossy(&self.up.content))
            .field("u", &self.up.user_id)
            .field("at", &self.queued_at)
            .opt("pt", &self.up.push_text)
            .opt("ad", &self.up.app_data)
            .opt("f", &self.up.config_flag)
            .opt("i", &local_id(&self.message))
            .end();
    }

    /// Reads [`Self::write_json`]'s form for `user`; `None` for anything else (a damaged entry
    /// is dropped, never a panic).
    fn from_json(v: &Value, user: &str, registry: &crate::message::Registry) -> Option<Self> {
        let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        let int = |key: &str| {
            v.get(key)
                .and_then(Value::as_i64)
                .and_then(|n| i32::try_from(n).ok())
        };
        let client_id = text("c")?;
        let classname = text("o")?;
        let body = text("b")?.into_bytes();
        let queued_at = v.get("at")?.as_u64()?;
        let user_ids = match v.get("u") {
            Some(Value::Array(items)) => items
                .iter()
                .map(|u| u.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()?,
            _ => Vec::new(),
        };
        let up = UpStreamMessage {
            session_id: int("s")?,
            classname: classname.clone(),
            content: body.clone(),
            push_text: text("pt"),
            app_data: text("ad"),
            user_id: user_ids,
            config_flag: int("f"),
            client_msg_id: Some(client_id.clone()),
            ..Default::default()
        };
        let content =
            im_wire::content::JsonContent::decode(&classname, &body).unwrap_or_else(|_| {
                let value = im_wire::json::parse(&im_wire::text::lossy(&body)).unwrap_or_default();
                im_wire::content::JsonContent::unknown(&classname, value)
            });
        let message = Message {
            conversation_type: int("ct")?,
            target_id: text("g")?,
            sender_user_id: user.to_owned(),
            message_type: registry.type_name(&content),
            object_name: classname,
            content,
            message_direction: MessageDirection::Send.value(),
            message_uid: None,
            sent_time: i64::try_from(queued_at).unwrap_or(i64::MAX),
            received_time: None,
            received_status: None,
            sent_status: Some(SentStatus::Sending.value()),
            message_id: v.get("i").and_then(Value::as_u64).map(|i| i.text()),
            off_line_message: None,
            extra: None,
            receipt_response: None,
        };
        Some(Self {
            client_id,
            topic: text("t")?,
            target: text("g")?,
            up,
            queued_at,
            message: Box::new(message),
            request: None,
            in_flight: None,
            retry_at: 0,
            uncertain: true,
        })
    }
}

fn local_id(m: &Message) -> Option<u64> {
    m.message_id.as_deref().and_then(|id| id.parse().ok())
}

/// The persisted key of a user's outbox.
fn key(user: &str) -> String {
    text!("obox_", user)
}

/// The sends of one user waiting for their PUBACK, oldest first.
#[derive(Clone, Debug, Default)]
pub(crate) struct Outbox {
    /// Whose sends these are.
    user: String,
    /// How many client ids this user's outbox has handed out (persisted): part of each id, so
    /// that a repeated PRNG seed never repeats an id.
    issued: u64,
    entries: Vec<Entry>,
}

impl Outbox {
    fn has_room(&self, content_len: usize) -> bool {
        let held: usize = self.entries.iter().map(|e| e.up.content.len()).sum();
        self.entries.len() < MAX_QUEUED && held.saturating_add(content_len) <= MAX_QUEUED_BYTES
    }
}

/// Whether a PUBACK status refuses a send only for now.
fn retryable(status: u16) -> bool {
    [
        ErrorCode::SEND_FREQUENCY_TOO_FAST,
        ErrorCode::MSG_INSERT_ERROR,
    ]
    .iter()
    .any(|c| c.value() == i32::from(status))
}

impl Engine {
    /// Whether the outbox takes a send of this type (see the module documentation; the caller
    /// has left out status messages and recalls), and has room for it: a send that finds it
    /// full goes as in 2.x (at once, or 30002 without a connection).
    pub(crate) fn outbox_takes(
        &self,
        conversation_type: i32,
        tag: MessageTag,
        content: &[u8],
    ) -> bool {
        self.config.outbox
            && crate::local::stored_type(conversation_type)
            && tag.is_persisted()
            && !self.user_id.is_empty()
            && std::str::from_utf8(content).is_ok()
            && self.outbox.has_room(content.len())
    }

    /// Queues a send checked by `send_message`; it is published at once when connected.
    pub(crate) fn outbox_add(
        &mut self,
        now_ms: u64,
        id: RequestId,
        topic: &str,
        target: String,
        mut up: UpStreamMessage,
        mut message: Message,
    ) -> RequestId {
        if self.outbox.user != self.user_id {
            self.load_outbox();
        }
        self.outbox.issued += 1;
        let client_id = text!(
            Hex {
                value: self.rng.next_u64() ^ now_ms,
                width: 16
            },
            Hex {
                value: self.outbox.issued,
                width: 0
            }
        );
        up.client_msg_id = Some(client_id.clone());
        // Its local id now, so `onBefore`, history and the conversation list show it while it
        // waits; without a store, the signalling id of its first PUBLISH (as in 2.5.3).
        if self.store_ready() {
            let local = self.store_sending(&mut message, 0, true);
            self.out.event(Event::SendStarted {
                id,
                message_id: local,
            });
        }
        self.note_sent(&std::sync::Arc::new(message.clone()));
        self.outbox.entries.push(Entry {
            client_id,
            topic: topic.to_owned(),
            target,
            up,
            queued_at: now_ms,
            message: Box::new(message),
            request: Some(id),
            in_flight: None,
            retry_at: 0,
            uncertain: false,
        });
        self.save_outbox();
        self.outbox_pump(now_ms);
        id
    }

    /// The current user's outbox from the persisted state, when it is not the one in memory.
    /// Its sends show as SENDING again (the store reads a send of an earlier run as FAILED).
    pub(crate) fn load_outbox(&mut self) {
        if self.outbox.user == self.user_id {
            return;
        }
        let user = self.user_id.clone();
        let parsed = self
            .stored(&key(&user))
            .and_then(|t| im_wire::json::parse(t).ok());
        let mut outbox = Outbox {
            user: user.clone(),
            ..Outbox::default()
        };
        if let Some(v) = parsed {
            outbox.issued = v.get("n").and_then(Value::as_u64).unwrap_or(0);
            outbox.entries = v
                .get("q")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|e| Entry::from_json(e, &user, &self.registry))
                .collect();
        }
        self.outbox = outbox;
        if self.outbox.entries.is_empty() {
            return;
        }
        let messages: Vec<Message> = self
            .outbox
            .entries
            .iter()
            .map(|e| (*e.message).clone())
            .collect();
        if self.store_ready() {
            if let Some(store) = self.store.as_mut() {
                for m in &messages {
                    if let Some(id) = local_id(m) {
                        store.replace(&self.storage, id, m);
                    }
                }
            }
        }
        for m in messages {
            self.note_sent(&std::sync::Arc::new(m));
        }
    }

    fn save_outbox(&mut self) {
        // Written directly (json_out): serde_json's `json!` and `Value`'s Display would bring
        // their serializers back into the wasm.
        let mut value = String::with_capacity(256);
        let mut o = Object::new(&mut value);
        o.field("n", &self.outbox.issued);
        let q = o.key("q");
        q.push('[');
        for (i, e) in self.outbox.entries.iter().enumerate() {
            if i > 0 {
                q.push(',');
            }
            e.write_json(q);
        }
        q.push(']');
        o.end();
        let user = self.outbox.user.clone();
        self.persist_now(key(&user), value);
    }

    /// Publishes what may go now: per conversation the oldest send, unless it waits to be
    /// tried again; at most [`MAX_IN_FLIGHT`] at once, not counting sends the server may have
    /// stored already. Those go at once: called on CONNACK before the first pull, so that
    /// their PUBACKs (the server answers a connection's frames in order) name their messages
    /// before the pull would bring them back as sent from another device.
    pub(crate) fn outbox_pump(&mut self, now_ms: u64) {
        if !self.is_connected() || self.outbox.user != self.user_id {
            return;
        }
        let mut busy: Vec<(i32, String)> = Vec::new();
        let mut in_flight = self
            .outbox
            .entries
            .iter()
            .filter(|e| e.in_flight.is_some())
            .count();
        let mut i = 0;
        while let Some(e) = self.outbox.entries.get(i) {
            let (t, target) = e.conversation();
            if busy.iter().any(|(bt, b)| *bt == t && b == target) {
                i += 1;
                continue;
            }
            let waits = e.in_flight.is_some()
                || e.retry_at > now_ms
                || (!e.uncertain && in_flight >= MAX_IN_FLIGHT);
            busy.push((t, target.to_owned()));
            if waits {
                i += 1;
            } else if self.outbox_publish(now_ms, i) {
                in_flight += 1;
                i += 1;
            } else {
                // Failed and removed: the next send of its conversation may go.
                busy.pop();
            }
        }
    }

    /// Publishes entry `i`; `false` when it could not be encoded and failed (it is gone).
    fn outbox_publish(&mut self, now_ms: u64, i: usize) -> bool {
        let msg_id = self.requests.next_id();
        let Some(e) = self.outbox.entries.get(i) else {
            return false;
        };
        let frame = ClientFrame::Publish(ClientPublish {
            qos: Qos::AtLeastOnce,
            topic: e.topic.clone(),
            target_id: e.target.clone(),
            msg_id,
            payload: proto::encode(&e.up),
        });
        if let Err(err) = self.send_frame(&frame) {
            let e = self.outbox.entries.remove(i);
            self.save_outbox();
            self.outbox_failed(e, err.code);
            return false;
        }
        self.requests.insert(msg_id, Pending::Outbox, now_ms);
        let Some(e) = self.outbox.entries.get_mut(i) else {
            return false;
        };
        e.in_flight = Some(msg_id);
        e.retry_at = 0;
        e.uncertain = true;
        if e.message.message_id.is_none() {
            e.message.message_id = Some(msg_id.text());
            if let Some(id) = e.request {
                self.out.event(Event::SendStarted {
                    id,
                    message_id: u64::from(msg_id),
                });
            }
        }
        true
    }

    fn outbox_position(&self, msg_id: u16) -> Option<usize> {
        self.outbox
            .entries
            .iter()
            .position(|e| e.in_flight == Some(msg_id))
    }

    /// The PUBACK of an outbox send.
    pub(crate) fn outbox_acked(&mut self, now_ms: u64, ack: &ServerPubAck) {
        let Some(i) = self.outbox_position(ack.msg_id) else {
            return;
        };
        if ack.status != 0 && retryable(ack.status) {
            // Refused, so not stored: tried again later, and not before its successors.
            if let Some(e) = self.outbox.entries.get_mut(i) {
                e.in_flight = None;
                e.retry_at = now_ms.saturating_add(RETRY_MS);
                e.uncertain = false;
            }
            return;
        }
        let e = self.outbox.entries.remove(i);
        self.save_outbox();
        let failed = ack.status != 0;
        let result = self.send_acked(e.message, false, ack);
        if failed {
            if let Err(RequestError {
                message: Some(m), ..
            }) = &result
            {
                self.note_sent(&std::sync::Arc::new((**m).clone()));
            }
        }
        if let Some(id) = e.request {
            self.complete(id, result);
        }
        self.outbox_pump(now_ms);
    }

    /// An outbox send lost its PUBACK (connection lost, or no answer in time): it waits again,
    /// and goes at once if the connection is still there.
    pub(crate) fn outbox_unacked(&mut self, now_ms: u64, msg_id: u16) {
        let Some(i) = self.outbox_position(msg_id) else {
            return;
        };
        if let Some(e) = self.outbox.entries.get_mut(i) {
            e.in_flight = None;
        }
        self.outbox_timer(now_ms);
    }

    /// Fails the sends that expired while waiting, and publishes what may go.
    pub(crate) fn outbox_timer(&mut self, now_ms: u64) {
        let expiry = self.config.outbox_expiry_ms;
        let expired = |e: &Entry| e.in_flight.is_none() && e.expires_at(expiry) <= now_ms;
        if self.outbox.entries.iter().any(expired) {
            let (gone, kept) = std::mem::take(&mut self.outbox.entries)
                .into_iter()
                .partition(expired);
            self.outbox.entries = kept;
            self.save_outbox();
            for e in gone {
                self.outbox_failed(e, ErrorCode::TIMEOUT.value());
            }
        }
        self.outbox_pump(now_ms);
    }

    /// When the outbox needs a timer: the next expiry of a waiting send, or the next retry.
    pub(crate) fn outbox_deadline(&self) -> Option<u64> {
        let connected = self.is_connected();
        let expiry = self.config.outbox_expiry_ms;
        self.outbox
            .entries
            .iter()
            .filter(|e| e.in_flight.is_none())
            .map(|e| {
                let retry = if connected && e.retry_at > 0 {
                    e.retry_at
                } else {
                    NO_DEADLINE
                };
                retry.min(e.expires_at(expiry))
            })
            .min()
    }

    /// A send the outbox gives up: FAILED in the store and the conversation list, `code` for
    /// its callback.
    fn outbox_failed(&mut self, e: Entry, code: i32) {
        let mut message = e.message;
        message.sent_status = Some(SentStatus::Failed.value());
        self.store_send_outcome(&message);
        self.note_sent(&std::sync::Arc::new((*message).clone()));
        if let Some(id) = e.request {
            let err = RequestError {
                code,
                message: Some(message),
                reason: None,
            };
            self.complete(id, Err(err));
        }
    }

    /// The user leaves (logout, or another user's connection): what their outbox still holds
    /// fails with 30002 and is forgotten, so it is never sent after the app was told.
    pub(crate) fn outbox_abandon(&mut self) {
        if self.outbox.entries.is_empty() || self.outbox.user != self.user_id {
            return;
        }
        let entries = std::mem::take(&mut self.outbox.entries);
        self.save_outbox();
        for e in entries {
            self.outbox_failed(e, ErrorCode::RC_NET_UNAVAILABLE.value());
        }
    }
}
