//! The [`Engine`]: state, inputs (`handle_*`), and the output queue.

use crate::storage::Storage;

use im_wire::enums::ConnectionStatus;
use im_wire::frame::{ClientPubAck, Qos, QueryAck, QueryCon, ServerPubAck, ServerPublish};
use im_wire::{topic, ClientFrame, ErrorCode, MessageTag, ServerFrame};

use crate::config::Config;
use crate::keepalive::{Keepalive, Tick};
use crate::message::Registry;
use crate::navi::{NaviResult, Navigation};
use crate::out::Out;
use crate::output::{Output, Reply, RequestError, RequestId, NO_DEADLINE};
use crate::probe::Probe;
use crate::reconnect::AppProbe;
use crate::requests::{Pending, Requests};
use crate::rng::Rng;
use crate::sync::SyncState;

/// Sync copies parked until their server PUBACK (transport.md §5.6); older ones are dropped.
const MAX_PARKED: usize = 256;

/// Where the connection stands.
#[derive(Clone, Debug)]
pub(crate) enum Phase {
    /// Not connected and not trying.
    Idle,
    /// Asking the navigation server for connection servers (§2).
    Navigating(Navigation),
    /// Probing the connection servers with `/ping` (§3.2).
    Probing(Probe),
    /// `OpenSocket` emitted; CONNACK expected before `deadline`.
    Opening { deadline: u64 },
    /// The socket is open; CONNACK expected before `deadline`.
    AwaitingConnAck { deadline: u64 },
    /// CONNACK 0 received.
    Connected,
    /// Waiting to reconnect automatically.
    Backoff { at: u64 },
    /// `reconnect({auto: true})` probing the network (§8).
    AppProbe(AppProbe),
}

/// The sans-IO client engine. See the crate documentation for the contract.
#[derive(Debug)]
pub struct Engine {
    pub(crate) config: Config,
    pub(crate) rng: Rng,
    pub(crate) out: Out,
    pub(crate) storage: Storage,
    pub(crate) registry: Registry,
    pub(crate) token: Option<String>,
    /// A token and its navigation cache key (`rc_uid`), as the host gave them
    /// ([`Engine::set_token_md5`]).
    pub(crate) token_uid: Option<(String, String)>,
    pub(crate) user_id: String,
    pub(crate) phase: Phase,
    pub(crate) navi: Option<(String, NaviResult)>,
    pub(crate) requests: Requests,
    pub(crate) sync: SyncState,
    pub(crate) keepalive: Keepalive,
    pub(crate) parked: Vec<(u16, ServerPublish)>,
    pub(crate) connect_ack_time: i64,
    /// Times kicked by another device (`otherDeviceLoginCount`, §7.6).
    pub(crate) kicks: u32,
    /// Whether the app wants to be connected: cleared by disconnect, logout, kick, bad token.
    pub(crate) wanted: bool,
    /// Automatic attempts made since the last success.
    pub(crate) attempts: u32,
    /// Redirects (CONNACK 6) followed in a row.
    pub(crate) redirects: u32,
    pub(crate) first_ping_sent: bool,
    /// The host of the current or last socket (`currentServer`).
    pub(crate) current_host: Option<String>,
    /// Conversation list, unread counts and @mention state.
    pub(crate) conversations: crate::conversation::Conversations,
    /// History cursors and joined chatrooms.
    pub(crate) cursors: crate::typed::Cursors,
    /// The current user's conversation settings and quiet hours.
    pub(crate) settings: crate::settings::Settings,
    /// The local message store of the current user, once used.
    pub(crate) store: Option<crate::store::Store>,
    /// The stores of users before the current one (their writes never went to `storage`).
    pub(crate) other_stores: Vec<crate::store::Store>,
    /// `sendReceiptResponse` calls in flight.
    pub(crate) receipts: crate::receipts::Receipts,
    /// `hasRemoteUnreadMessages` requests in flight (their HTTP GETs' ids).
    pub(crate) exist_checks: Vec<RequestId>,
    /// The app is in the background (see `crate::lifecycle`).
    pub(crate) background: bool,
    /// The host reported no network.
    pub(crate) offline: bool,
    /// Sends kept until a connection takes them (`Config::outbox`).
    pub(crate) outbox: crate::outbox::Outbox,
    /// Users whose status this user subscribed to, subscribed again after a reconnect.
    pub(crate) watched: Vec<String>,
    /// Customer-service sessions and public-service profiles (`crate::services`).
    pub(crate) services: crate::services::Services,
    /// The input being drained is socket data: its writes are held (see [`Engine::poll_output`]).
    holding: bool,
    /// Something written in this input must go out with its drain.
    write_now: bool,
    /// When held writes must reach the host at the latest.
    write_at: Option<u64>,
}

/// How long writes caused by the server's frames may be held, so that a burst of messages costs
/// one write per key rather than one per message.
pub(crate) const WRITE_BEHIND_MS: u64 = 1000;

impl Engine {
    /// A new engine; nothing happens until [`Engine::connect`].
    pub fn new(mut config: Config) -> Self {
        Self {
            rng: Rng::new(config.seed),
            // Moved, not copied: the engine's own map is the one that changes from here on.
            storage: std::mem::take(&mut config.storage),
            config,
            out: Out::default(),
            registry: Registry::default(),
            token: None,
            token_uid: None,
            user_id: String::new(),
            phase: Phase::Idle,
            navi: None,
            requests: Requests::default(),
            sync: SyncState::default(),
            keepalive: Keepalive::default(),
            parked: Vec::new(),
            connect_ack_time: 0,
            kicks: 0,
            wanted: false,
            attempts: 0,
            redirects: 0,
            first_ping_sent: false,
            current_host: None,
            conversations: Default::default(),
            cursors: Default::default(),
            settings: Default::default(),
            store: None,
            other_stores: Vec::new(),
            receipts: Default::default(),
            exist_checks: Vec::new(),
            background: false,
            offline: false,
            outbox: Default::default(),
            watched: Vec::new(),
            services: Default::default(),
            holding: false,
            write_now: false,
            write_at: None,
        }
    }

    /// The next output. Drain until [`Output::Timeout`] after every input.
    ///
    /// Writes (`Persist`) come last in a drain, one per key changed. Those caused by the server's
    /// frames are held for up to a second (`WRITE_BEHIND_MS`) and go out with the drain of the next other
    /// input (a call, a timer, a lifecycle event) or with a frame that comes after that time; so
    /// storage always holds a state the engine was in as a whole (sync time, counts and
    /// messages alike), and a host killed in between restarts from it and pulls again what came
    /// after. A drain without an input (the host's own, before it lets the engine go) writes
    /// everything held.
    pub fn poll_output(&mut self) -> Output {
        if let Some(output) = self.out.pop() {
            return output;
        }
        if std::mem::take(&mut self.holding) && !self.write_now {
            let held = self.out.holds_writes()
                || self.sync.unwritten_boxes()
                || self.store.as_ref().is_some_and(|s| s.is_dirty());
            if !held {
                self.write_at = None;
            }
        } else {
            // What the boxes and the local message store changed since the last write.
            self.write_boxes();
            self.flush_store();
            self.out.release();
            self.write_at = None;
            self.write_now = false;
            if let Some(output) = self.out.pop() {
                return output;
            }
        }
        Output::Timeout {
            at_ms: self.deadline().unwrap_or(NO_DEADLINE),
        }
    }

    /// The current user id: from CONNACK, or from the stored navigation of the token from
    /// `connect` on (so a reloaded page reads its counts and drafts before CONNACK); empty before.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The server time (ms) of the last accepted CONNACK, 0 before any (`getDeltaTime()` is the
    /// local time minus this, taken at connect).
    pub fn connect_ack_time(&self) -> i64 {
        self.connect_ack_time
    }

    /// The last `ConnectionStatus` emitted, or −1 before any (`getCurrentConnectionStatus`).
    pub fn status(&self) -> i32 {
        self.out.status.unwrap_or(-1)
    }

    /// The raw navigation JSON of the last successful navigation (`getNavi()`).
    pub fn navi(&self) -> Option<&str> {
        self.navi.as_ref().map(|(_, n)| n.raw.as_str())
    }

    /// The current value of a persisted key, as loaded at construction or written since (the
    /// local message store's keys excepted: it keeps what it wrote in memory).
    pub fn stored(&self, key: &str) -> Option<&str> {
        self.storage.get(key).map(String::as_str)
    }

    /// `registerMessageType(typeName, objectName, messageTag, …)`: received messages of
    /// `object_name` get `messageType = type_name`, and sends use `tag` as `sessionId`.
    pub fn register_message_type(&mut self, type_name: &str, object_name: &str, tag: MessageTag) {
        self.registry.register(type_name, object_name, tag);
    }

    /// The writes of the input being handled may wait (see [`Engine::poll_output`]), unless
    /// they have waited long enough already.
    pub(crate) fn hold_writes(&mut self, now_ms: u64) {
        let due = *self
            .write_at
            .get_or_insert(now_ms.saturating_add(WRITE_BEHIND_MS));
        self.holding = now_ms < due;
    }

    /// [`Engine::persist`], and everything held goes out with this input's drain: for what
    /// must not be lost (a queued send).
    pub(crate) fn persist_now(&mut self, key: String, value: String) {
        self.persist(key, value);
        self.write_now = true;
    }

    /// Writes `key` (an empty value deletes it) and tells the host to do the same.
    pub(crate) fn persist(&mut self, key: String, value: String) {
        if value.is_empty() {
            self.storage.remove(&key);
        } else {
            self.storage.insert(key.clone(), value.clone());
        }
        self.out.persist(key, value);
    }

    pub(crate) fn is_connected(&self) -> bool {
        matches!(self.phase, Phase::Connected)
    }

    pub(crate) fn socket_open(&self) -> bool {
        matches!(self.phase, Phase::AwaitingConnAck { .. } | Phase::Connected)
    }

    fn deadline(&self) -> Option<u64> {
        let phase = match &self.phase {
            Phase::Idle | Phase::Connected => None,
            Phase::Navigating(n) => n.deadline(),
            Phase::Probing(p) => p.deadline(),
            Phase::Opening { deadline } | Phase::AwaitingConnAck { deadline } => Some(*deadline),
            Phase::Backoff { at } => (*at != NO_DEADLINE).then_some(*at),
            Phase::AppProbe(p) => p.deadline(),
        };
        let keepalive = if self.socket_open() {
            self.keepalive.deadline()
        } else {
            None
        };
        let sync = if self.is_connected() {
            self.sync.deadline()
        } else {
            None
        };
        let outbox = self.outbox_deadline();
        [phase, keepalive, sync, self.requests.next_deadline()]
            .into_iter()
            .chain([outbox, self.write_at])
            .flatten()
            .min()
    }

    /// Timers: call at (or after) the deadline of the last [`Output::Timeout`].
    pub fn handle_timeout(&mut self, now_ms: u64) {
        for (msg_id, pending) in self.requests.expire(now_ms) {
            self.request_failed(now_ms, msg_id, pending, ErrorCode::TIMEOUT.value());
        }
        if self.socket_open() {
            match self.keepalive.poll(now_ms) {
                Tick::Nothing => {}
                Tick::SendPing => {
                    let _ = self.send_frame(&ClientFrame::PingReq);
                }
                Tick::Dead => {
                    self.connection_lost(now_ms, ConnectionStatus::NetworkUnavailable.value());
                }
            }
        }
        self.sync_timer(now_ms);
        self.phase_timer(now_ms);
        self.outbox_timer(now_ms);
    }

    /// Fails a request whose ack can no longer come (timeout or lost connection).
    pub(crate) fn request_failed(&mut self, now_ms: u64, msg_id: u16, pending: Pending, code: i32) {
        match pending {
            Pending::Send {
                id,
                message,
                status,
            } => self.send_timed_out(id, message, status),
            Pending::Outbox => self.outbox_unacked(now_ms, msg_id),
            // An engine-issued rejoin completes nothing; the next reconnect tries again.
            Pending::Typed {
                kind:
                    crate::typed::Kind::ChatRoomRejoined { .. }
                    | crate::typed::Kind::Presence(crate::presence::Expect::Resubscribed)
                    | crate::typed::Kind::Services(crate::services::Expect::Refresh),
                ..
            } => {}
            Pending::Typed {
                id,
                kind: crate::typed::Kind::EntriesPulled { room, join },
            } => self.entries_pull_failed(id, &room, join, code),
            Pending::Query { id }
            | Pending::Local { id, .. }
            | Pending::Conversations { id, .. }
            | Pending::RemoveConversation { id, .. }
            | Pending::Typed { id, .. } => {
                self.complete(id, Err(RequestError::code(code)));
            }
            Pending::ChatRoomPull { room } => self.chatroom_pull_failed(&room),
            Pending::Pull { .. } => self.pull_failed(msg_id, now_ms),
        }
    }

    /// An HTTP response for an [`Output::HttpGet`]; `status` 0 for a network error.
    pub fn handle_http_response(&mut self, now_ms: u64, id: RequestId, status: u16, body: &str) {
        if !self.exist_response(id, status, body) {
            self.http_response(now_ms, id, status, body);
        }
    }

    /// The socket of the last [`Output::OpenSocket`] opened.
    pub fn handle_socket_open(&mut self, now_ms: u64) {
        if let Phase::Opening { deadline } = self.phase {
            self.phase = Phase::AwaitingConnAck { deadline };
            // Keepalive counts from socket open, not from CONNACK (transport.md §7.4).
            self.keepalive = Keepalive::start(now_ms);
        }
    }

    /// One binary WebSocket message. Bytes that are not a valid server frame are ignored.
    pub fn handle_socket_data(&mut self, now_ms: u64, bytes: &[u8]) {
        if !self.socket_open() {
            return;
        }
        let Ok(frame) = ServerFrame::decode(bytes) else {
            return;
        };
        // Messages and answers hold their writes; a CONNACK or DISCONNECT writes at once.
        if matches!(
            frame,
            ServerFrame::Publish(_) | ServerFrame::PubAck(_) | ServerFrame::QueryAck(_)
        ) {
            self.hold_writes(now_ms);
        }
        match frame {
            ServerFrame::ConnAck(c) => self.handle_connack(now_ms, &c),
            ServerFrame::PingResp => self.keepalive.pong_received(),
            ServerFrame::Disconnect(d) => self.handle_disconnect(now_ms, d.status),
            ServerFrame::Publish(p) if self.is_connected() => self.handle_publish(now_ms, p),
            ServerFrame::PubAck(a) if self.is_connected() => self.handle_puback(now_ms, &a),
            ServerFrame::QueryAck(a) if self.is_connected() => self.handle_queryack(now_ms, a),
            _ => {}
        }
    }

    fn handle_publish(&mut self, now_ms: u64, p: ServerPublish) {
        if p.sync {
            // A copy of our own message from another device: no PUBACK; it completes when the
            // server PUBACKs the same id (transport.md §5.4, §5.6).
            if self.parked.len() >= MAX_PARKED {
                self.parked.remove(0);
            }
            // At most one parked copy per id.
            if let Some(i) = self.parked.iter().position(|(id, _)| *id == p.msg_id) {
                self.parked.remove(i);
            }
            self.parked.push((p.msg_id, p));
            return;
        }
        if p.qos != Qos::AtMostOnce {
            // Acknowledged before processing, like 2.5.3.
            let ack = ClientFrame::PubAck(ClientPubAck { msg_id: p.msg_id });
            let _ = self.send_frame(&ack);
        }
        match p.topic.as_str() {
            topic::S_NTF => self.handle_notify(now_ms, &p.payload),
            topic::S_MSG => self.handle_pushed(now_ms, &p.payload),
            topic::S_CMD => self.handle_command(now_ms, &p.payload),
            topic::S_STAT => self.handle_user_status(&p.payload),
            _ => self.handle_echo(now_ms, &p, None),
        }
    }

    fn handle_puback(&mut self, now_ms: u64, ack: &ServerPubAck) {
        match self.requests.get(ack.msg_id) {
            Some(Pending::Send { .. }) => {
                if let Some(Pending::Send {
                    id,
                    message,
                    status,
                }) = self.requests.take(ack.msg_id)
                {
                    self.handle_send_ack(id, message, status, ack);
                }
            }
            Some(Pending::Outbox) => {
                self.requests.take(ack.msg_id);
                self.outbox_acked(now_ms, ack);
            }
            // A PUBACK for a QUERY id is not its answer; keep waiting for the QUERYACK.
            Some(_) => {}
            None => {
                // Completes a parked sync copy; an unmatched PUBACK is ignored (known bug 9).
                let Some(pos) = self.parked.iter().position(|(id, _)| *id == ack.msg_id) else {
                    return;
                };
                let (_, p) = self.parked.remove(pos);
                let time = i64::try_from(ack.timestamp()).unwrap_or(i64::MAX);
                self.handle_echo(now_ms, &p, Some((ack.message_uid.clone(), time)));
            }
        }
    }

    fn handle_queryack(&mut self, now_ms: u64, ack: QueryAck) {
        if ack.qos != Qos::AtMostOnce {
            let _ = self.send_frame(&ClientFrame::QueryCon(QueryCon { msg_id: ack.msg_id }));
        }
        if matches!(
            self.requests.get(ack.msg_id),
            Some(Pending::Send { .. } | Pending::Outbox)
        ) {
            // A QUERYACK for a PUBLISH id is not its answer.
            return;
        }
        match self.requests.take(ack.msg_id) {
            Some(Pending::Query { id }) => {
                let result = if ack.status == 0 {
                    Ok(Reply::Query {
                        payload: ack.payload,
                    })
                } else {
                    Err(RequestError::code(i32::from(ack.status)))
                };
                self.complete(id, result);
            }
            Some(Pending::Pull {
                receive_box,
                send_box,
            }) => {
                if ack.status == 0 {
                    self.handle_pull_reply(now_ms, ack.msg_id, receive_box, send_box, &ack.payload);
                } else {
                    self.pull_failed(ack.msg_id, now_ms);
                }
            }
            Some(Pending::Conversations { id, types, hidden }) => {
                if ack.status != 0 {
                    self.complete(id, Err(RequestError::code(i32::from(ack.status))));
                } else if let Err(e) = self.merge_relations(now_ms, &ack.payload) {
                    self.complete(id, Err(e));
                } else {
                    self.complete_conversation_list(id, &types, hidden);
                }
            }
            Some(Pending::RemoveConversation {
                id,
                conversation_type,
                target_id,
            }) => {
                if ack.status == 0 {
                    // Only once the server agreed: a refused removal keeps the count.
                    self.clear_unread_count(conversation_type, &target_id);
                    self.forget_conversation(conversation_type.value(), &target_id);
                    self.complete(id, Ok(Reply::Done));
                } else {
                    self.complete(id, Err(RequestError::code(i32::from(ack.status))));
                }
            }
            Some(Pending::Typed { id, kind }) => {
                self.finish_typed(now_ms, id, kind, ack.status, &ack.payload);
            }
            Some(Pending::ChatRoomPull { room }) => {
                self.chatroom_pulled(now_ms, &room, ack.status, &ack.payload);
            }
            Some(Pending::Local { id, op }) => {
                self.finish_local(now_ms, id, *op, ack.status, &ack.payload);
            }
            Some(Pending::Send { .. } | Pending::Outbox) | None => {}
        }
    }
}
