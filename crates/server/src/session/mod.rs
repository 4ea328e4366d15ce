//! One WebSocket connection (transport.md §3.4, §5, §7): authenticate from the URL, CONNACK
//! first, then answer frames in order and forward what the hub sends.
//!
//! Frames are handled one at a time, each answered before the next is read, so the only client
//! requests pending while the server picks an id for a sync copy are ones not yet read; those
//! follow the last id seen, and sync ids are chosen far from it (§5.6, §6).

mod chatroom;
mod delivery;
mod discussion;
mod dispatch;
mod entries;
mod files;
mod link;
mod publish;
mod query;
mod refusal;
mod services;

pub(crate) use services::registered;
mod settings;
mod status;
mod sync;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query as AxQuery, State as AxState};
use axum::response::Response;
use im_wire::enums::{ConnectionState, DisconnectStatus};
use im_wire::frame::{ConnAck, Disconnect, Qos, ServerPubAck, ServerPublish};
use im_wire::proto::{self, NotifyMsg};
use im_wire::{topic, ClientFrame, ErrorCode, ServerFrame};

use crate::hub::{Close, EchoCopy, Outbound};
use crate::server::State;
use crate::token::TokenError;
use link::Link;

/// A protocol status as a u16 for PUBACK / QUERYACK.
pub(crate) fn code(e: ErrorCode) -> u16 {
    u16::try_from(e.0).unwrap_or(u16::MAX)
}

/// QUERYACK / PUBACK status for a topic this server does not serve (the client's own
/// "unsupported" code, api.md §7).
pub const UNSUPPORTED: u16 = 8001;

/// PUBACK status for a content over [`crate::messaging::MAX_CONTENT_BYTES`]: 30016, the 2.x
/// SDK's own code for "message larger than 128 KB" (its LogFactory table, transport.md §9.5;
/// the enum has no member for it), which the client passes to `onError` like any PUBACK status.
pub const MESSAGE_TOO_LARGE: u16 = 30016;

/// Bytes read from a socket at a time; larger frames grow the buffer as needed.
const READ_BUFFER: usize = 1024;
/// How often a connection stores how far it has synced while it stays connected.
const SYNCED_STORE_INTERVAL: Duration = Duration::from_secs(10);

/// `GET /websocket?appId&token&sdkVer&apiVer`: upgrade without a subprotocol.
pub async fn upgrade(
    AxState(state): AxState<Arc<State>>,
    AxQuery(q): AxQuery<HashMap<String, String>>,
    ws: WebSocketUpgrade,
) -> Response {
    // A little above the frame limit so that an oversize frame reaches the decoder and gets a
    // DISCONNECT rather than a bare close.
    let limit = state.config.max_frame_bytes.saturating_mul(2).max(1024);
    // tungstenite zero-fills the whole read buffer before each read: the 128 KiB default would
    // cost 128 KiB of resident memory per idle connection and a large memset per frame.
    ws.max_message_size(limit)
        .max_frame_size(limit)
        .read_buffer_size(READ_BUFFER)
        .on_upgrade(move |socket| run(socket, state, q))
}

fn now_secs(ms: i64) -> u32 {
    u32::try_from(ms / 1000).unwrap_or(0)
}

/// Encodes and sends one frame with a timeout: used before the connection is registered.
async fn send(socket: &mut WebSocket, frame: &ServerFrame, write: Duration) -> bool {
    match frame.encode() {
        Ok(bytes) => matches!(
            tokio::time::timeout(write, socket.send(Message::Binary(Bytes::from(bytes)))).await,
            Ok(Ok(()))
        ),
        Err(e) => {
            tracing::warn!("cannot encode {frame:?}: {e}");
            true
        }
    }
}

fn authenticate(
    state: &State,
    q: &HashMap<String, String>,
) -> Result<(String, i64), ConnectionState> {
    if q.get("appId").map(String::as_str) != Some(state.app.key.as_str()) {
        return Err(ConnectionState::NotAuthorized);
    }
    let token = q.get("token").map(String::as_str).unwrap_or_default();
    let (user, issued) = state.tokens.verify_issued(token).map_err(|e| match e {
        TokenError::Invalid | TokenError::Revoked => ConnectionState::TokenIncorrect,
    })?;
    if state.blocks.is_blocked(&user, crate::clock::wall_ms()) {
        return Err(ConnectionState::Block);
    }
    Ok((user, issued))
}

async fn refuse(mut socket: WebSocket, refusal: ConnectionState, write: Duration) {
    let refused = ServerFrame::ConnAck(ConnAck::refused(refusal));
    if send(&mut socket, &refused, write).await {
        close(&mut socket, write).await;
    }
}

/// Sends a close frame, waiting at most `write` for it to go.
async fn close(socket: &mut WebSocket, write: Duration) {
    let _ = tokio::time::timeout(write, socket.send(Message::Close(None))).await;
}

async fn run(socket: WebSocket, state: Arc<State>, q: HashMap<String, String>) {
    let (user, token_issued) = match authenticate(&state, &q) {
        Ok(u) => u,
        Err(refusal) => return refuse(socket, refusal, write_limit(&state)).await,
    };
    let (tx, mut rx) = crate::hub::queue(
        state.config.outbound_queue_items,
        state.config.outbound_queue_bytes,
    );
    let (conn_id, close) = state.hub.register(&user, token_issued, tx);
    // A token expiry or block that raced with this login may have missed the registration:
    // check again now that later ones will find it.
    if let Err(refusal) = authenticate(&state, &q) {
        state.hub.unregister(&user, conn_id);
        return refuse(socket, refusal, write_limit(&state)).await;
    }
    state
        .bus
        .user_connected(&state, &user, crate::clock::wall_ms())
        .await;
    status::connected(&state, &user, conn_id).await;
    let write = write_limit(&state);
    let mut link = Link::new(socket, write, close);
    let mut session = Session::new(state.clone(), user.clone(), conn_id);
    let session_id = crate::clock::random_token(10);
    let now = u64::try_from(state.clock.now()).unwrap_or(0);
    tracing::debug!(user, conn_id, "connected");
    let accepted = ServerFrame::ConnAck(ConnAck::accepted(user.clone(), session_id, now));
    let mut open = link.send(&accepted).await;
    // Idle counts from the client's last frame: traffic to a client that has gone quiet does not
    // keep its connection.
    let idle = Duration::from_secs(state.config.idle_timeout_secs.max(1));
    // One timer for the connection, moved when the client is heard from (not one per wake-up).
    let silence = tokio::time::sleep(idle);
    tokio::pin!(silence);
    let shutdown = state.shutdown.clone();
    while open {
        tokio::select! {
            incoming = link.socket.recv() => {
                silence.as_mut().reset(tokio::time::Instant::now() + idle);
                match incoming {
                    // A frame read after a block or a revocation is not handled, whatever
                    // else this connection was waiting for.
                    Some(Ok(Message::Binary(_))) if link.told_to_close() => open = false,
                    Some(Ok(Message::Binary(bytes))) => {
                        let step = session.handle(&bytes).await;
                        for f in &step.frames {
                            open &= link.feed(f).await;
                        }
                        open = open && link.flush().await;
                        if step.close {
                            link.close().await;
                            open = false;
                        }
                    }
                    // Text (the legacy Flash bridge), ping and pong frames carry no protocol
                    // message.
                    Some(Ok(Message::Text(_) | Message::Ping(_) | Message::Pong(_))) => {}
                    Some(Ok(Message::Close(_)) | Err(_)) | None => open = false,
                }
            }
            why = &mut link.close, if link.closed.is_none() => {
                link.closed = Some(why.unwrap_or(Close::Kicked));
                open = false;
            }
            () = &mut silence => {
                tracing::debug!(user, conn_id, "idle timeout");
                open = false;
            }
            out = rx.recv() => {
                let Some(out) = out else {
                    // The hub let go of the connection, and said why first.
                    link.told_to_close();
                    break;
                };
                // This item and what else is queued by now (up to a bound, so that the client's
                // frames are read in between), written out together: one write for the lot.
                let mut next = Some(out);
                let mut taken = 0;
                while let Some(out) = next.take() {
                    let missed = rx.missed();
                    let (first, then) = session.coalesce(out, &mut rx, missed);
                    open = deliver(&mut link, &mut session, first, missed).await;
                    if let (true, Some(o)) = (open, then) {
                        open = deliver(&mut link, &mut session, o, missed).await;
                    }
                    taken += 1;
                    if open && taken < WRITE_BATCH {
                        next = rx.try_recv();
                    }
                }
                // Items refused while the queue was full: one notification, and the client
                // pulls what they announced.
                if open && rx.missed_and_drained() {
                    let time = crate::clock::wall_ms();
                    open = deliver(&mut link, &mut session, Outbound::Notify { time }, true).await;
                }
                open = open && link.flush().await;
            }
            // On shutdown the socket is dropped without a close frame: the client sees an
            // abnormal close (status 3) and reconnects, as after a network failure.
            () = crate::server::stopped(shutdown.clone()) => open = false,
        }
    }
    // Whatever the client sends from now on is not read.
    state.hub.unregister(&user, conn_id);
    state.bus.user_disconnected(&user);
    state.chatrooms.disconnect(&user, conn_id);
    state
        .presence
        .disconnected(&user, conn_id, state.clock.now());
    session.store_synced();
    if let Some(why) = link.closed {
        match why {
            Close::Blocked => session.refusal(refusal::Reason::Blocked),
            Close::Revoked => session.refusal(refusal::Reason::Revoked),
            Close::SlowReader => session.refusal(refusal::Reason::SlowReader),
            Close::Kicked => {}
        }
        link.farewell(why).await;
    }
    tracing::debug!(user, conn_id, "disconnected");
}

/// The longest a frame may wait for the client to take it.
fn write_limit(state: &State) -> Duration {
    Duration::from_secs(state.config.write_timeout_secs.max(1))
}

/// The most queued items written out together before the connection's other work comes round.
const WRITE_BATCH: usize = 64;

/// Queues on the socket what the hub routed to this connection (the caller flushes); false
/// once the connection is to close.
async fn deliver(link: &mut Link, session: &mut Session, out: Outbound, missed: bool) -> bool {
    let mut open = true;
    for f in session.outbound(out, missed) {
        open &= link.feed(&f).await;
    }
    open
}

/// What handling one client frame produced.
#[derive(Debug, Default)]
pub(crate) struct Step {
    /// Frames to send, in order.
    pub frames: Vec<ServerFrame>,
    /// Close the connection after sending them.
    pub close: bool,
}

impl Step {
    fn one(frame: ServerFrame) -> Self {
        Self {
            frames: vec![frame],
            close: false,
        }
    }
}

/// Token bucket of client frames per connection.
#[derive(Debug)]
struct Rate {
    tokens: f64,
    last: Instant,
    per_sec: f64,
    burst: f64,
    refused: u32,
}

impl Rate {
    fn allow(&mut self) -> bool {
        let now = Instant::now();
        let elapsed = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_sec).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            self.refused = 0;
            true
        } else {
            self.refused = self.refused.saturating_add(1);
            false
        }
    }
}

/// Per-connection protocol state.
#[derive(Debug)]
pub(crate) struct Session {
    state: Arc<State>,
    user: String,
    conn_id: u64,
    last_client_id: u16,
    sync_seq: u16,
    rate: Rate,
    /// The newest `syncTime` this connection pulled with, the one last stored, and when it was
    /// stored (`hasRemoteUnreadMessages` reads it).
    synced: i64,
    synced_stored: (i64, Instant),
    /// The last QoS 1 pull reply not yet confirmed by a QUERYCON: its id and newest time.
    pull_unconfirmed: Option<(u16, i64)>,
    /// Direct delivery of stored messages (see [`delivery`]).
    direct: delivery::Direct,
    /// Chatrooms this connection was sent an `s_ntf` for and has not pulled since.
    notified_rooms: Vec<String>,
    /// Refusal reasons already logged for this connection.
    logged: refusal::Logged,
}

/// With a bus, stored messages are announced, never sent directly (see [`crate::bus`]).
fn state_notify_only(state: &State) -> bool {
    state.bus.is_on()
}

impl Session {
    fn new(state: Arc<State>, user: String, conn_id: u64) -> Self {
        let notify_only = state_notify_only(&state);
        let burst = f64::from(state.config.rate_burst.max(1));
        let per_sec = f64::from(state.config.rate_per_sec.max(1));
        Self {
            state,
            user,
            conn_id,
            last_client_id: 0,
            sync_seq: 0,
            rate: Rate {
                tokens: burst,
                last: Instant::now(),
                per_sec,
                burst,
                refused: 0,
            },
            synced: 0,
            synced_stored: (0, Instant::now()),
            pull_unconfirmed: None,
            direct: delivery::Direct::new(notify_only),
            notified_rooms: Vec::new(),
            logged: refusal::Logged::default(),
        }
    }

    /// Logs a refusal of this connection's request, once per reason.
    fn refusal(&mut self, reason: refusal::Reason) {
        self.logged.once(reason, &self.user, self.conn_id);
    }

    /// Refuses a content over [`crate::messaging::MAX_CONTENT_BYTES`] (the Server API's limit).
    fn check_content_size(&mut self, content: &[u8]) -> Result<(), u16> {
        if content.len() > crate::messaging::MAX_CONTENT_BYTES {
            self.refusal(refusal::Reason::ContentTooLarge);
            return Err(MESSAGE_TOO_LARGE);
        }
        Ok(())
    }

    /// Notes that this connection has every received message up to `time` (a pull's `syncTime`,
    /// or the newest time of a pull reply it confirmed). It is stored at
    /// most every [`SYNCED_STORE_INTERVAL`] while connected, and when the connection ends.
    fn synced_up_to(&mut self, time: i64) {
        self.synced = self.synced.max(time);
        if self.synced_stored.1.elapsed() >= SYNCED_STORE_INTERVAL {
            self.store_synced();
        }
    }

    /// Stores [`Session::synced`] if it moved, without waiting for the store.
    fn store_synced(&mut self) {
        let (user, time) = (self.user.clone(), self.synced);
        if time <= self.synced_stored.0 {
            return;
        }
        self.synced_stored = (time, Instant::now());
        let store = self.state.store.clone();
        tokio::spawn(async move {
            let _ = store.call(move |s| s.set_synced(&user, time)).await;
        });
    }

    /// An id for a server PUBLISH that no unanswered client request can hold: 16384–32767
    /// ahead of the last client id seen (transport.md §5.6, §6).
    fn next_server_id(&mut self) -> u16 {
        self.sync_seq = (self.sync_seq + 1) % 16384;
        let offset = 16384 + u32::from(self.sync_seq);
        let base = u32::from(self.last_client_id.max(1)) - 1;
        u16::try_from((base + offset) % 65535 + 1).unwrap_or(1)
    }

    fn date(&self) -> u32 {
        now_secs(self.state.clock.now())
    }

    fn disconnect(status: DisconnectStatus) -> Step {
        Step {
            frames: vec![ServerFrame::Disconnect(Disconnect {
                status: status.value(),
            })],
            close: true,
        }
    }

    /// Handles one binary frame from the client.
    pub(crate) async fn handle(&mut self, bytes: &[u8]) -> Step {
        let frame = match ClientFrame::decode_with_limit(bytes, self.state.config.max_frame_bytes) {
            Ok(f) => f,
            Err(e) => {
                tracing::debug!(user = self.user, "bad frame: {e}");
                return Self::disconnect(DisconnectStatus::UnknownError);
            }
        };
        // A chatroom pull that answers the server's own s_ntf (count ≤ 0: only what is queued)
        // comes from memory; refusing it would leave the member waiting for a notification that
        // never comes, so one such pull per notification is free. Any other pull, and a pull
        // asking for recent messages (count > 0, the join pull), is limited like any request.
        let limited = match &frame {
            ClientFrame::Publish(_) => true,
            ClientFrame::Query(q) => {
                let answering = q.topic == topic::CHATROOM_PULL.name()
                    && topic::CHATROOM_PULL
                        .decode_request(&q.payload)
                        .is_ok_and(|p| p.count <= 0);
                !(answering && self.answers_notify(&q.target_id))
            }
            _ => false,
        };
        if limited && !self.rate.allow() {
            // A client that keeps going after many refusals is not a client that listens.
            if self.rate.refused > self.state.config.rate_burst.max(100) {
                return Self::disconnect(DisconnectStatus::UnknownError);
            }
            let too_fast = code(ErrorCode::SEND_FREQUENCY_TOO_FAST);
            return Step::one(match frame {
                ClientFrame::Publish(p) => {
                    ServerFrame::PubAck(ServerPubAck::new(p.msg_id, too_fast, 0, ""))
                }
                ClientFrame::Query(q) => {
                    self.query_ack(q.msg_id, Qos::AtMostOnce, too_fast, vec![])
                }
                _ => return Step::default(),
            });
        }
        match frame {
            ClientFrame::PingReq => Step::one(ServerFrame::PingResp),
            ClientFrame::Publish(p) => {
                self.last_client_id = p.msg_id;
                if p.topic == "chatMsg" {
                    return self.chatroom_message(p).await;
                }
                Step::one(ServerFrame::PubAck(self.publish(p).await))
            }
            ClientFrame::Query(q) => {
                self.last_client_id = q.msg_id;
                self.query(q).await
            }
            // The client confirms a pull's reply: it has every message of it.
            ClientFrame::QueryCon(c) => {
                if let Some((_, newest)) = self.pull_unconfirmed.filter(|(id, _)| *id == c.msg_id) {
                    self.pull_unconfirmed = None;
                    self.synced_up_to(newest);
                }
                Step::default()
            }
            // Acks of our QoS 1 frames.
            ClientFrame::PubAck(a) => {
                self.acknowledged(a.msg_id);
                Step::default()
            }
            // A CONNECT the web client never sends.
            ClientFrame::Connect(_) => Step::default(),
        }
    }

    fn query_ack(&self, msg_id: u16, qos: Qos, status: u16, payload: Vec<u8>) -> ServerFrame {
        ServerFrame::QueryAck(im_wire::frame::QueryAck {
            qos,
            msg_id,
            date: self.date(),
            status,
            payload,
        })
    }

    /// A server PUBLISH of a `NotifyMsg` (`s_ntf`, `s_cmd`).
    fn notice_frame(
        &mut self,
        (topic, qos): (&str, Qos),
        target_id: String,
        ntf: &NotifyMsg,
    ) -> ServerFrame {
        ServerFrame::Publish(ServerPublish {
            qos,
            sync: false,
            date: self.date(),
            topic: topic.into(),
            target_id,
            msg_id: self.next_server_id(),
            payload: proto::encode(ntf),
        })
    }

    /// `s_ntf{type: 1, time}`: messages are waiting (api.md §5.1).
    fn notify_frame(&mut self, time: i64) -> ServerFrame {
        let ntf = NotifyMsg {
            r#type: 1,
            time: Some(time),
            chrm_id: None,
        };
        let user = self.user.clone();
        self.notice_frame((topic::S_NTF, Qos::AtLeastOnce), user, &ntf)
    }

    /// `s_cmd{type: 3, time: version}`: this user's settings changed (docs/protocol-additions.md).
    fn settings_notice_frame(&mut self, version: i64) -> ServerFrame {
        let ntf = NotifyMsg {
            r#type: topic::S_CMD_SETTINGS,
            time: Some(version),
            chrm_id: None,
        };
        let user = self.user.clone();
        self.notice_frame((topic::S_CMD, Qos::AtMostOnce), user, &ntf)
    }

    /// Frames for something the hub sent this connection.
    fn outbound(&mut self, out: Outbound, missed: bool) -> Vec<ServerFrame> {
        let out = match self.deliver_stored(out, missed) {
            Ok(frames) => return frames,
            Err(other) => other,
        };
        match out {
            Outbound::Notify { .. } | Outbound::Message { .. } => Vec::new(),
            Outbound::Direct(payload) => self.deliver_unstored(payload, missed),
            Outbound::Echo(echo) => {
                let EchoCopy {
                    topic,
                    target_id,
                    payload,
                    uid,
                    time,
                } = *echo;
                let id = self.next_server_id();
                vec![
                    ServerFrame::Publish(ServerPublish {
                        qos: Qos::AtLeastOnce,
                        sync: true,
                        date: now_secs(time),
                        topic,
                        target_id,
                        msg_id: id,
                        payload,
                    }),
                    ServerFrame::PubAck(ServerPubAck::new(
                        id,
                        0,
                        u64::try_from(time).unwrap_or(0),
                        uid,
                    )),
                ]
            }
            Outbound::ChatroomNotify { room, time } => {
                vec![self.chatroom_notify_frame(&room, time)]
            }
            Outbound::ChatroomEntries { room, time } => {
                vec![self.entries_notice_frame(&room, time)]
            }
            Outbound::SettingsChanged { version } => vec![self.settings_notice_frame(version)],
            Outbound::Frame(f) => vec![*f],
            Outbound::UserStatus { user, payload } => vec![ServerFrame::Publish(ServerPublish {
                qos: Qos::AtMostOnce,
                sync: false,
                date: self.date(),
                topic: topic::S_STAT.into(),
                target_id: user.into(),
                msg_id: self.next_server_id(),
                payload: payload.into(),
            })],
        }
    }
}
