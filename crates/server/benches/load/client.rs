//! The load generator's users: real WebSocket connections with the `im-wire` codec, sending
//! private messages and syncing like the 2.x client.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use im_server::token::Tokens;
use im_wire::content::{MessageContent, TextMessage};
use im_wire::frame::{ClientPubAck, ClientPublish, Qos, Query, QueryCon};
use im_wire::proto::{
    self, DownStreamMessage, DownStreamMessages, SyncRequestMsg, UpStreamMessage,
};
use im_wire::{ClientFrame, ServerFrame};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::{APP_KEY, APP_SECRET};

/// Handshakes in progress at once while connecting.
const CONNECT_CONCURRENCY: usize = 256;

pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Nanoseconds since the first call, shared by every task of this process.
pub(crate) fn now_ns() -> u64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    u64::try_from(EPOCH.get_or_init(Instant::now).elapsed().as_nanos()).unwrap_or(u64::MAX)
}

pub(crate) fn tokens() -> Tokens {
    Tokens::new(APP_KEY, APP_SECRET, Default::default())
}

pub(crate) fn user(i: u64) -> String {
    format!("u{i}")
}

pub(crate) async fn next_frame(ws: &mut Ws) -> Option<ServerFrame> {
    loop {
        match ws.next().await? {
            Ok(Message::Binary(b)) => return ServerFrame::decode(&b).ok(),
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

pub(crate) async fn send(ws: &mut Ws, frame: ClientFrame) -> bool {
    ws.send(Message::Binary(frame.encode().unwrap().into()))
        .await
        .is_ok()
}

async fn connect(addr: SocketAddr, token: String) -> Option<Ws> {
    let url = format!("ws://{addr}/websocket?appId={APP_KEY}&token={token}&sdkVer=2.5.3&apiVer=1");
    // A small read buffer: tungstenite zero-fills all of it before every read.
    let config = WebSocketConfig::default().read_buffer_size(4096);
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(url, Some(config), true)
        .await
        .ok()?;
    match next_frame(&mut ws).await? {
        ServerFrame::ConnAck(a) if a.status == 0 => Some(ws),
        _ => None,
    }
}

/// Connects user `name` with a fresh token.
#[allow(dead_code)] // The floods bench's.
pub(crate) async fn connect_user(addr: SocketAddr, name: &str) -> Option<Ws> {
    connect(addr, tokens().issue(name, im_server::clock::wall_ms())).await
}

/// Connects users `0..n`, `CONNECT_CONCURRENCY` handshakes at a time, in user order.
#[allow(dead_code)] // The fanout and floods benches'.
pub(crate) async fn connect_all(addr: SocketAddr, n: u64) -> Vec<Option<Ws>> {
    connect_spread(n, |_| addr).await
}

/// [`connect_all`], user `i` to the node at `addr_of(i)`.
pub(crate) async fn connect_spread(n: u64, addr_of: impl Fn(u64) -> SocketAddr) -> Vec<Option<Ws>> {
    let tokens = tokens();
    let issued = im_server::clock::wall_ms();
    futures_util::stream::iter(0..n)
        .map(|i| connect(addr_of(i), tokens.issue(&user(i), issued)))
        .buffered(CONNECT_CONCURRENCY)
        .collect()
        .await
}

/// How a user of the ring sends.
#[derive(Clone, Copy)]
pub(crate) enum Sending {
    /// Keep this many messages in flight (closed loop).
    Window(usize),
    /// One message every `period`, the first at `start` (open loop).
    Every {
        start: tokio::time::Instant,
        period: Duration,
    },
}

#[derive(Default)]
pub(crate) struct Counters {
    /// Messages sent (PUBLISH written).
    pub(crate) sent: AtomicU64,
    pub(crate) acked: AtomicU64,
    pub(crate) delivered: AtomicU64,
    pub(crate) refused: AtomicU64,
    /// Messages received a second time (none expected).
    pub(crate) duplicates: AtomicU64,
    /// Deliveries that came as `s_msg` (the others came in pull replies).
    pub(crate) direct: AtomicU64,
    /// When the newest delivery happened (ns, [`now_ns`]).
    pub(crate) last_delivery_ns: AtomicU64,
}

/// When a user sends and how long it keeps receiving.
#[derive(Clone, Copy)]
pub(crate) struct Phases {
    /// Latencies count for messages sent from here on (ns, [`now_ns`]).
    pub(crate) measure_from: u64,
    /// No message is sent from here on.
    pub(crate) send_until: tokio::time::Instant,
    /// Nothing is received from here on, drained or not.
    pub(crate) give_up: tokio::time::Instant,
}

/// What one user measured: send → receive latencies of the messages it received, and send →
/// PUBACK latencies of the messages it sent (µs), of messages sent after `measure_from`.
#[derive(Default)]
pub(crate) struct Samples {
    pub(crate) delivery: Vec<u32>,
    pub(crate) puback: Vec<u32>,
}

fn micros(from_ns: u64, to_ns: u64) -> u32 {
    u32::try_from(to_ns.saturating_sub(from_ns) / 1000).unwrap_or(u32::MAX)
}

/// Counts a message received for the first time, and its send → receive latency.
fn received(m: &DownStreamMessage, counters: &Counters, phases: Phases, samples: &mut Samples) {
    let received_at = now_ns();
    counters.delivered.fetch_add(1, Ordering::Relaxed);
    counters
        .last_delivery_ns
        .fetch_max(received_at, Ordering::Relaxed);
    if let Ok(MessageContent::Text(t)) = MessageContent::decode(&m.classname, &m.content) {
        let sent_at: u64 = t.content.as_deref().unwrap_or("").parse().unwrap_or(0);
        if sent_at >= phases.measure_from {
            samples.delivery.push(micros(sent_at, received_at));
        }
    }
}

/// One user: sends to `peer` (when it has one) and syncs its own inbox like the 2.x client
/// (api.md §5.1–§5.2): an `s_ntf` newer than the receive box starts a `pullMsg`; one more
/// follows an unfinished reply or an `s_ntf` that arrived meanwhile; an `s_msg` is taken when
/// the last pull reply was finished. Sends until `send_until`, then keeps
/// receiving until `stop` turns true (everything acknowledged was delivered) or `give_up`.
pub(crate) async fn run_user(
    mut ws: Ws,
    me: String,
    peer: Option<String>,
    sending: Sending,
    counters: Arc<Counters>,
    phases: Phases,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> Samples {
    let mut samples = Samples::default();
    let mut next_id: u16 = 0;
    let mut id = move || {
        next_id = next_id % 65535 + 1;
        next_id
    };
    // When each message in flight was sent, by its PUBLISH id.
    let mut in_flight: Vec<(u16, u64)> = Vec::new();
    let (mut recv_box, mut send_box) = (0i64, 0i64);
    let mut again = false;
    // `finished` of the last pull reply (`s_msg` is dropped until one was finished).
    let mut finished = false;
    let mut ticker = match (sending, &peer) {
        (Sending::Every { start, period }, Some(_)) => {
            Some(tokio::time::interval_at(start, period))
        }
        _ => None,
    };
    let publish = |id: u16, peer: &str| {
        let content = MessageContent::from(TextMessage::new(now_ns().to_string()));
        let up = UpStreamMessage {
            session_id: 3,
            classname: "RC:TxtMsg".into(),
            content: content.encode().unwrap(),
            ..UpStreamMessage::default()
        };
        ClientFrame::Publish(ClientPublish {
            qos: Qos::AtLeastOnce,
            topic: "ppMsgP".into(),
            target_id: peer.to_owned(),
            msg_id: id,
            payload: proto::encode(&up),
        })
    };
    let pull = |id: u16, recv_box: i64, send_box: i64| {
        let req = SyncRequestMsg {
            sync_time: recv_box,
            ispolling: false,
            is_pull_send: Some(false),
            send_box_sync_time: Some(send_box),
            ..SyncRequestMsg::default()
        };
        ClientFrame::Query(Query {
            qos: Qos::AtLeastOnce,
            topic: "pullMsg".into(),
            target_id: me.clone(),
            msg_id: id,
            payload: proto::encode(&req),
        })
    };
    macro_rules! send_one {
        () => {
            if let Some(peer) = &peer {
                let n = id();
                let frame = publish(n, peer);
                in_flight.push((n, now_ns()));
                counters.sent.fetch_add(1, Ordering::Relaxed);
                send(&mut ws, frame).await;
            }
        };
    }
    // The pull at connect, as the 2.x client does.
    let mut pulling = true;
    send(&mut ws, pull(id(), recv_box, send_box)).await;
    if let Sending::Window(w) = sending {
        for _ in 0..w {
            send_one!();
        }
    }
    let sending_over = tokio::time::sleep_until(phases.send_until);
    tokio::pin!(sending_over);
    let mut over = false;
    let give_up = tokio::time::sleep_until(phases.give_up);
    tokio::pin!(give_up);
    loop {
        tokio::select! {
            () = &mut give_up => break,
            r = stop.changed() => if r.is_err() || *stop.borrow() { break },
            () = &mut sending_over, if !over => {
                over = true;
                ticker = None;
            }
            _ = async { ticker.as_mut().unwrap().tick().await }, if ticker.is_some() => {
                send_one!();
            }
            frame = next_frame(&mut ws) => match frame {
                None => break,
                Some(ServerFrame::PubAck(a)) => {
                    let acked_at = now_ns();
                    if let Some(at) = in_flight.iter().position(|(n, _)| *n == a.msg_id) {
                        let (_, sent_at) = in_flight.swap_remove(at);
                        if sent_at >= phases.measure_from {
                            samples.puback.push(micros(sent_at, acked_at));
                        }
                    }
                    if a.status == 0 {
                        counters.acked.fetch_add(1, Ordering::Relaxed);
                    } else {
                        counters.refused.fetch_add(1, Ordering::Relaxed);
                    }
                    if matches!(sending, Sending::Window(_)) && !over {
                        send_one!();
                    }
                }
                Some(ServerFrame::Publish(p)) if p.topic == "s_ntf" => {
                    if p.qos == Qos::AtLeastOnce {
                        send(&mut ws, ClientFrame::PubAck(ClientPubAck { msg_id: p.msg_id })).await;
                    }
                    let time = proto::decode::<proto::NotifyMsg>(&p.payload)
                        .ok()
                        .and_then(|n| n.time)
                        .unwrap_or(i64::MAX);
                    if time > recv_box {
                        if pulling {
                            again = true;
                        } else {
                            pulling = true;
                            send(&mut ws, pull(id(), recv_box, send_box)).await;
                        }
                    }
                }
                Some(ServerFrame::Publish(p)) if p.topic == "s_msg" => {
                    if p.qos == Qos::AtLeastOnce {
                        send(&mut ws, ClientFrame::PubAck(ClientPubAck { msg_id: p.msg_id })).await;
                    }
                    let Ok(m) = proto::decode::<DownStreamMessage>(&p.payload) else {
                        continue;
                    };
                    if finished {
                        counters.direct.fetch_add(1, Ordering::Relaxed);
                        // The receive box is overwritten, as the 2.x client does.
                        let seen = m.data_time <= recv_box;
                        recv_box = m.data_time;
                        if seen {
                            counters.duplicates.fetch_add(1, Ordering::Relaxed);
                        } else {
                            received(&m, &counters, phases, &mut samples);
                        }
                    }
                }
                Some(ServerFrame::QueryAck(a)) => {
                    send(&mut ws, ClientFrame::QueryCon(QueryCon { msg_id: a.msg_id })).await;
                    let Ok(reply) = proto::decode::<DownStreamMessages>(&a.payload) else {
                        continue;
                    };
                    finished = reply.finished == Some(true);
                    for m in &reply.list {
                        if m.direction == Some(1) {
                            send_box = send_box.max(m.data_time);
                            continue;
                        }
                        if m.data_time <= recv_box {
                            continue;
                        }
                        recv_box = m.data_time;
                        received(m, &counters, phases, &mut samples);
                    }
                    if again || reply.finished != Some(true) {
                        again = false;
                        send(&mut ws, pull(id(), recv_box, send_box)).await;
                    } else {
                        pulling = false;
                    }
                }
                Some(_) => {}
            },
        }
    }
    samples
}
