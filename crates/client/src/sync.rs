//! The sync loop: `pullMsg` on connect, on `s_ntf` and every 180 s; `s_msg` delivery; box times
//! and de-duplication (api.md §5.1, §5.2, §5.5 step 4, §5.7).

use im_wire::text;

use crate::storage::Storage;

use im_wire::frame::{Qos, ServerPublish};
use im_wire::proto::{self, DownStreamMessage, DownStreamMessages, NotifyMsg, SyncRequestMsg};
use im_wire::topic;

use crate::engine::Engine;
use crate::message::{self, Message};
use crate::output::Event;
use crate::requests::Pending;

/// Interval of the periodic pull (api.md §0).
pub(crate) const PERIODIC_PULL_MS: u64 = 180_000;
/// messageUIds remembered for de-duplication.
const SEEN_CAPACITY: usize = 2048;

/// The three times of api.md §9 that decide what is new.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Boxes {
    /// `{appKey}_{self}_receivebox`: newest received message.
    pub(crate) receive: i64,
    /// `{appKey}_{self}_sendbox`: newest own message.
    pub(crate) send: i64,
    /// `last_sentTime_{self}`: newest own message acknowledged on this device.
    pub(crate) last_sent: i64,
}

/// The storage keys of the boxes for `user` (api.md §9).
pub(crate) fn box_keys(app_key: &str, user: &str) -> [String; 3] {
    [
        text!(app_key, "_", user, "_receivebox"),
        text!(app_key, "_", user, "_sendbox"),
        text!("last_sentTime_", user),
    ]
}

impl Boxes {
    pub(crate) fn load(storage: &Storage, app_key: &str, user: &str) -> Self {
        let [r, s, l] = box_keys(app_key, user);
        let read = |k: &String| {
            storage
                .get(k)
                .and_then(|v| v.trim_ascii().parse::<i64>().ok())
                .unwrap_or(0)
        };
        Self {
            receive: read(&r),
            send: read(&s),
            last_sent: read(&l),
        }
    }
}

/// A bounded set of recently seen messageUIds, oldest forgotten first: the uids in a ring in the
/// order seen, and an open-addressing table (linear probing) of their places in the ring.
///
/// Every `s_msg` and pulled message passes here, so both operations are O(1): a sorted vector
/// would shift half of its 2,048 entries on every insertion and eviction, which in an interpreter
/// (JavaScriptCore without JIT runs the wasm that way) cost a quarter of the time per message.
#[derive(Clone, Debug, Default)]
pub(crate) struct Seen {
    /// The uids in the order seen, as a ring once full: `next` is the oldest, overwritten next
    /// (a Vec rather than a VecDeque, whose code the wasm would carry for this alone).
    order: Vec<String>,
    next: usize,
    /// [`SEEN_TABLE`] slots, each empty (0) or a place in `order` plus one.
    table: Vec<u16>,
}

/// Slots of [`Seen`]'s table: a power of two, twice [`SEEN_CAPACITY`] (at most half full).
const SEEN_TABLE: usize = 2 * SEEN_CAPACITY;

/// The table slot where `uid`'s probe starts (FNV-1a).
fn seen_home(uid: &str) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in uid.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h as usize & (SEEN_TABLE - 1)
}

impl Seen {
    /// The slot holding `uid`, or else the empty slot where it would go.
    fn find(&self, uid: &str) -> Result<usize, usize> {
        let mut at = seen_home(uid);
        loop {
            match self.table.get(at).copied() {
                Some(0) | None => return Err(at),
                Some(n) => {
                    if self.order.get(usize::from(n) - 1).is_some_and(|u| u == uid) {
                        return Ok(at);
                    }
                }
            }
            at = (at + 1) & (SEEN_TABLE - 1);
        }
    }

    /// Empties slot `at`, moving later entries of the probe run back so none becomes
    /// unreachable (deletion without tombstones).
    fn clear(&mut self, mut at: usize) {
        let mut from = at;
        loop {
            if let Some(slot) = self.table.get_mut(at) {
                *slot = 0;
            }
            loop {
                from = (from + 1) & (SEEN_TABLE - 1);
                let n = match self.table.get(from).copied() {
                    Some(0) | None => return,
                    Some(n) => n,
                };
                let home = self
                    .order
                    .get(usize::from(n) - 1)
                    .map_or(from, |u| seen_home(u));
                // The entry stays when its home lies cyclically in (at, from].
                let stays = if at <= from {
                    at < home && home <= from
                } else {
                    at < home || home <= from
                };
                if !stays {
                    if let Some(slot) = self.table.get_mut(at) {
                        *slot = n;
                    }
                    at = from;
                    break;
                }
            }
        }
    }

    /// Records `uid`; `false` if it was already there.
    pub(crate) fn insert(&mut self, uid: &str) -> bool {
        if self.table.is_empty() {
            self.table.resize(SEEN_TABLE, 0);
        }
        if self.find(uid).is_ok() {
            return false;
        }
        let place = if self.order.len() < SEEN_CAPACITY {
            self.order.push(uid.to_owned());
            self.order.len() - 1
        } else {
            let place = self.next;
            if let Some(old) = self.order.get(place) {
                if let Ok(at) = self.find(old) {
                    self.clear(at);
                }
            }
            if let Some(slot) = self.order.get_mut(place) {
                uid.clone_into(slot);
            }
            self.next = (place + 1) % SEEN_CAPACITY;
            place
        };
        if let (Err(at), Ok(n)) = (self.find(uid), u16::try_from(place + 1)) {
            if let Some(slot) = self.table.get_mut(at) {
                *slot = n;
            }
        }
        true
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct SyncState {
    pub(crate) boxes: Boxes,
    /// Signalling id of the pull in flight.
    in_flight: Option<u16>,
    /// Another pull is wanted once the current one is answered.
    wanted: bool,
    /// The pulls of the connect drain carry `isPullSend` (api.md §5.2).
    pull_send: bool,
    /// `finished` of the last answered pull; `None` until one is answered on this connection,
    /// during which `s_msg` is dropped (the pull will return it).
    pub(crate) finished: Option<bool>,
    next_periodic: Option<u64>,
    pub(crate) seen: Seen,
    /// [`box_keys`] of the connected user (made once, not per message).
    keys: Option<(String, [String; 3])>,
    /// The boxes changed since they were last written: the keys to write them under and the
    /// values as written (see [`Engine::write_boxes`]).
    unwritten: Option<([String; 3], Boxes)>,
}

impl SyncState {
    /// Whether [`Engine::write_boxes`] has something to write.
    pub(crate) fn unwritten_boxes(&self) -> bool {
        self.unwritten.is_some()
    }

    pub(crate) fn on_connected(&mut self, boxes: Boxes, now_ms: u64) {
        self.boxes = boxes;
        self.in_flight = None;
        self.wanted = true;
        self.pull_send = true;
        self.finished = None;
        self.next_periodic = Some(now_ms.saturating_add(PERIODIC_PULL_MS));
    }

    pub(crate) fn on_disconnected(&mut self) {
        self.in_flight = None;
        self.wanted = false;
        self.next_periodic = None;
    }

    pub(crate) fn deadline(&self) -> Option<u64> {
        self.next_periodic
    }
}

impl Engine {
    /// Sends the wanted pull unless one is in flight.
    pub(crate) fn pull_if_wanted(&mut self, now_ms: u64) {
        if !self.sync.wanted || self.sync.in_flight.is_some() || !self.is_connected() {
            return;
        }
        self.sync.wanted = false;
        let boxes = self.sync.boxes;
        let req = SyncRequestMsg {
            sync_time: boxes.receive,
            ispolling: false,
            is_pull_send: self.sync.pull_send.then_some(true),
            send_box_sync_time: Some(boxes.send),
            ..Default::default()
        };
        let pending = Pending::Pull {
            receive_box: boxes.receive,
            send_box: boxes.send,
        };
        let target = self.user_id.clone();
        if let Ok(id) = self.send_query(
            now_ms,
            topic::PULL.name(),
            &target,
            proto::encode(&req),
            Qos::AtLeastOnce,
            pending,
        ) {
            self.sync.in_flight = Some(id);
        }
    }

    pub(crate) fn sync_timer(&mut self, now_ms: u64) {
        if let Some(at) = self.sync.next_periodic {
            if at <= now_ms && self.is_connected() {
                self.sync.next_periodic = Some(now_ms.saturating_add(PERIODIC_PULL_MS));
                self.sync.wanted = true;
                self.pull_if_wanted(now_ms);
            }
        }
    }

    /// `s_ntf`: pull if the server has something newer than the receive box (api.md §5.2).
    pub(crate) fn handle_notify(&mut self, now_ms: u64, payload: &[u8]) {
        let Ok(n) = proto::decode::<NotifyMsg>(payload) else {
            return;
        };
        // Type 2 is a chatroom notification, served by `chrmPull` (api.md §5.3).
        if n.r#type == 2 {
            self.chatroom_notified(now_ms, n.chrm_id.as_deref(), n.time);
            return;
        }
        if n.time.is_some_and(|t| t <= self.sync.boxes.receive) {
            return;
        }
        self.sync.wanted = true;
        self.pull_if_wanted(now_ms);
    }

    /// `s_cmd`: type 2 says a chatroom's entries changed (ChrmNotifyMsg, NotifyMsg's layout;
    /// api.md §5.1); type 3 says a setting of this user changed on another device
    /// (docs/protocol-additions.md §4).
    pub(crate) fn handle_command(&mut self, now_ms: u64, payload: &[u8]) {
        if let Ok(n) = proto::decode::<NotifyMsg>(payload) {
            if n.r#type == 2 {
                self.entries_notified(now_ms, n.chrm_id.as_deref(), n.time);
            } else if n.r#type == 3 {
                self.refresh_settings(now_ms, Some(n.time.unwrap_or(i64::MAX)));
            }
        }
    }

    /// The pull was lost (timeout or error status): let the next trigger pull again.
    pub(crate) fn pull_failed(&mut self, msg_id: u16, now_ms: u64) {
        if self.sync.in_flight == Some(msg_id) {
            self.sync.in_flight = None;
        }
        self.pull_if_wanted(now_ms);
    }

    /// A `DownStreamMessages` pull reply (api.md §5.2, "Response").
    pub(crate) fn handle_pull_reply(
        &mut self,
        now_ms: u64,
        msg_id: u16,
        receive_box: i64,
        send_box: i64,
        payload: &[u8],
    ) {
        if self.sync.in_flight == Some(msg_id) {
            self.sync.in_flight = None;
        }
        let Ok(reply) = proto::decode::<DownStreamMessages>(payload) else {
            self.pull_if_wanted(now_ms);
            return;
        };
        // An absent `finished` means "not finished" in protobuf mode (api.md §8.1 item 12).
        let finished = reply.finished.unwrap_or(false);
        self.sync.finished = Some(finished);
        let before = self.sync.boxes;
        let len = reply.list.len();
        for (i, item) in reply.list.iter().enumerate() {
            let floor = if item.direction == Some(1) {
                send_box
            } else {
                receive_box
            };
            if item.data_time <= floor {
                continue;
            }
            let left = u32::try_from(len - 1 - i).unwrap_or(u32::MAX);
            self.deliver(now_ms, item, left, !finished, false);
        }
        let progressed = self.sync.boxes != before;
        self.persist_boxes(before);
        if finished {
            self.sync.pull_send = false;
        } else if progressed {
            // Unlike 2.5.3, keep pulling while the server says there is more; a batch that moved
            // nothing forward waits for the next `s_ntf` or the periodic pull instead of looping.
            self.sync.wanted = true;
        }
        self.pull_if_wanted(now_ms);
    }

    /// `s_msg`: one pushed message, dropped until a pull has finished (api.md §5.1).
    pub(crate) fn handle_pushed(&mut self, now_ms: u64, payload: &[u8]) {
        if self.sync.finished != Some(true) {
            return;
        }
        let Ok(item) = proto::decode::<DownStreamMessage>(payload) else {
            return;
        };
        let before = self.sync.boxes;
        self.deliver(now_ms, &item, 0, false, false);
        self.persist_boxes(before);
    }

    /// An upstream message echoed from another device (api.md §5.1, "any other topic"), either
    /// directly or, for a dup-bit copy, once the server PUBACK named its uid and time.
    pub(crate) fn handle_echo(
        &mut self,
        now_ms: u64,
        p: &ServerPublish,
        completion: Option<(String, i64)>,
    ) {
        let Ok(up) = proto::decode::<proto::UpStreamMessage>(&p.payload) else {
            return;
        };
        if up.classname.is_empty() {
            // Not a message at all (prost accepts a payload that lacks required fields).
            return;
        }
        let mut kind = topic::conversation_type_of_echo(&p.topic).map_or(0, |t| t.value());
        let mut target = p.target_id.clone();
        if p.topic == topic::RECALL_MSG {
            // The recalled conversation is inside the RC:RcCmd JSON (api.md §5.4).
            let recall = (up.classname == crate::conversation::RECALL)
                .then(|| im_wire::content::JsonContent::decode(&up.classname, &up.content).ok())
                .flatten();
            if let Some(r) = recall {
                kind = r
                    .get("conversationType")
                    .and_then(im_wire::value::Value::as_i64)
                    .and_then(|t| i32::try_from(t).ok())
                    .unwrap_or(kind);
                if let Some(t) = r.get("targetId").and_then(im_wire::value::Value::as_str) {
                    target = t.to_owned();
                }
            }
        }
        let now = i64::try_from(now_ms).unwrap_or(i64::MAX);
        let (uid, time) = completion.clone().unwrap_or_default();
        let item = DownStreamMessage {
            from_user_id: self.user_id.clone(),
            r#type: kind,
            group_id: Some(target),
            classname: up.classname,
            content: up.content,
            data_time: if completion.is_some() { time } else { now },
            msg_id: (!uid.is_empty()).then_some(uid),
            direction: Some(1),
            ..Default::default()
        };
        let before = self.sync.boxes;
        if completion.is_some() {
            self.sync.boxes.last_sent = self.sync.boxes.last_sent.max(time);
        }
        let has_more = self.sync.finished != Some(true);
        self.deliver(now_ms, &item, 0, has_more, completion.is_some());
        self.persist_boxes(before);
    }

    /// Box update, echo filter, uid de-duplication, conversion and delivery of one message
    /// (api.md §5.5 steps 3–4 and 8).
    pub(crate) fn deliver(
        &mut self,
        now_ms: u64,
        item: &DownStreamMessage,
        left: u32,
        has_more: bool,
        sync_echo: bool,
    ) {
        let ctx = message::Context {
            self_id: &self.user_id,
            now_ms,
            connect_ack_time: self.connect_ack_time,
            registry: &self.registry,
        };
        let mut msg: Message = message::from_downstream(&ctx, item, &mut self.rng);
        let sent = msg.message_direction == 1;
        let boxes = &mut self.sync.boxes;
        if msg.conversation_type != 4 {
            // Chatroom messages keep their own cursor (api.md §5.3).
            let slot = if sent {
                &mut boxes.send
            } else {
                &mut boxes.receive
            };
            *slot = (*slot).max(msg.sent_time);
            if sent && !sync_echo && msg.sent_time <= boxes.last_sent {
                // Own message already acknowledged on this device.
                return;
            }
        }
        if let Some(uid) = &msg.message_uid {
            if !self.sync.seen.insert(uid) {
                return;
            }
        }
        let mentioned = item.status & im_wire::enums::downstream_status::MENTIONED != 0;
        if !self.custom_service_passes(now_ms, &msg) {
            return;
        }
        self.store_delivered(&mut msg);
        self.note_receipt(&msg);
        let msg = std::sync::Arc::new(msg);
        self.note_delivered(&msg, mentioned);
        self.out.event(Event::MessageReceived {
            message: msg,
            left,
            has_more,
        });
    }

    /// Notes that the boxes changed from `before`; [`Engine::write_boxes`] writes them, once
    /// per write-out rather than per message.
    pub(crate) fn persist_boxes(&mut self, before: Boxes) {
        if self.sync.boxes == before || self.sync.unwritten.is_some() {
            return;
        }
        let keys = match &self.sync.keys {
            Some((user, keys)) if *user == self.user_id => keys.clone(),
            _ => {
                let keys = box_keys(&self.config.app_key, &self.user_id);
                self.sync.keys = Some((self.user_id.clone(), keys.clone()));
                keys
            }
        };
        self.sync.unwritten = Some((keys, before));
    }

    /// Writes the boxes that changed since they were last written, under the keys of the user
    /// they belong to.
    pub(crate) fn write_boxes(&mut self) {
        let Some((keys, before)) = self.sync.unwritten.take() else {
            return;
        };
        let now = self.sync.boxes;
        let values = [
            (before.receive, now.receive),
            (before.send, now.send),
            (before.last_sent, now.last_sent),
        ];
        for (key, (old, new)) in keys.into_iter().zip(values) {
            if old != new {
                self.persist(key, im_wire::json_out::int(new));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_forgets_the_oldest_beyond_capacity() {
        let mut s = Seen::default();
        assert!(s.insert("a"));
        assert!(!s.insert("a"));
        for i in 0..SEEN_CAPACITY {
            s.insert(&i.to_string());
        }
        assert!(s.insert("a"));
    }

    #[test]
    fn seen_answers_as_a_bounded_set_forgetting_the_oldest() {
        // A reference model: the last SEEN_CAPACITY distinct uids recorded, in order.
        let mut model: std::collections::VecDeque<String> = std::collections::VecDeque::new();
        let mut s = Seen::default();
        let mut x: u64 = 7;
        for step in 0..60_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            // Uids from a space about twice the capacity, so both repeats and evictions happen;
            // every tenth is a fresh, time-ordered one as the server hands out.
            let uid = if step % 10 == 0 {
                format!("T{step:08}")
            } else {
                format!("R{}", (x >> 33) % 4_000)
            };
            let fresh = !model.contains(&uid);
            assert_eq!(s.insert(&uid), fresh, "step {step}: {uid}");
            if fresh {
                model.push_back(uid);
                if model.len() > SEEN_CAPACITY {
                    model.pop_front();
                }
            }
        }
    }

    #[test]
    fn boxes_load_from_the_storage_keys() {
        let mut storage = Storage::new();
        storage.insert("k_u_receivebox".to_owned(), "42".to_owned());
        storage.insert("last_sentTime_u".to_owned(), "junk".to_owned());
        let b = Boxes::load(&storage, "k", "u");
        assert_eq!((b.receive, b.send, b.last_sent), (42, 0, 0));
    }
}
