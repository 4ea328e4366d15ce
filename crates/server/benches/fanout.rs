//! Chatroom fan-out benchmark of the `im-server` binary (a child process) over real WebSocket
//! connections on 127.0.0.1: one room, `IM_FANOUT_MEMBERS` (5,000) members that each pull with
//! `chrmPull` on every `s_ntf` type 2 as the 2.x client does (api.md §5.3), and one sender.
//!
//! `cargo bench -p im-server --bench fanout` prints:
//! 1. throughput: the sender keeps `IM_FANOUT_WINDOW` (4) messages in flight for
//!    `IM_FANOUT_SECS` (10) seconds; deliveries/s counts messages members received;
//! 2. latency: the sender sends `IM_FANOUT_RATE` (20) messages/s for `IM_FANOUT_SECS` seconds;
//!    per message, the delay from sending to the receipt by the last member, p50/p99/max.
//!
//! Figures are printed, never checked.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[allow(dead_code)]
#[path = "load/client.rs"]
mod client;
#[allow(dead_code)]
#[path = "load/server.rs"]
mod server;

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use im_wire::frame::{ClientPublish, Qos, Query};
use im_wire::proto::{self, ChrmInput, ChrmPullMsg, DownStreamMessages, UpStreamMessage};
use im_wire::{ClientFrame, ServerFrame};

use client::{connect_all, next_frame, now_ns, send, Ws};
use server::{cpu_secs, env_or, percentile, Server};

const APP_KEY: &str = "benchkey";
const APP_SECRET: &str = "bench-app-secret-0123456789";
const ROOM: &str = "stadium";
/// Most messages one run can track.
const MAX_MESSAGES: usize = 1 << 20;

/// Per message: when it was sent, when the last member got it, how many got it.
struct Track {
    sent_ns: Vec<AtomicU64>,
    acked_ns: Vec<AtomicU64>,
    first_ns: Vec<AtomicU64>,
    last_ns: Vec<AtomicU64>,
    receipts: Vec<AtomicU32>,
    delivered: AtomicU64,
    pulls: AtomicU64,
    stop: AtomicBool,
}

impl Track {
    fn new() -> Self {
        let v = |_| AtomicU64::new(0);
        Self {
            sent_ns: (0..MAX_MESSAGES).map(v).collect(),
            acked_ns: (0..MAX_MESSAGES).map(v).collect(),
            first_ns: (0..MAX_MESSAGES)
                .map(|_| AtomicU64::new(u64::MAX))
                .collect(),
            last_ns: (0..MAX_MESSAGES).map(v).collect(),
            receipts: (0..MAX_MESSAGES).map(|_| AtomicU32::new(0)).collect(),
            delivered: AtomicU64::new(0),
            pulls: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        }
    }
}

struct Ids(u16);

impl Ids {
    fn next(&mut self) -> u16 {
        self.0 = self.0 % 65535 + 1;
        self.0
    }
}

fn query(id: u16, topic: &str, payload: Vec<u8>, qos: Qos) -> ClientFrame {
    ClientFrame::Query(Query {
        qos,
        topic: topic.into(),
        target_id: ROOM.into(),
        msg_id: id,
        payload,
    })
}

fn pull(id: u16, sync_time: i64, count: i32) -> ClientFrame {
    let input = proto::encode(&ChrmPullMsg { sync_time, count });
    query(id, "chrmPull", input, Qos::AtLeastOnce)
}

/// `joinChrm` then the join pull with −1; returns the cursor.
async fn join(ws: &mut Ws, ids: &mut Ids) -> i64 {
    let join = proto::encode(&ChrmInput { nothing: 1 });
    send(ws, query(ids.next(), "joinChrm", join, Qos::AtMostOnce)).await;
    let mut joined = false;
    loop {
        match next_frame(ws).await.expect("open") {
            ServerFrame::QueryAck(a) if !joined => {
                assert_eq!(a.status, 0, "join");
                joined = true;
                send(ws, pull(ids.next(), 0, -1)).await;
            }
            ServerFrame::QueryAck(a) => {
                let reply: DownStreamMessages = proto::decode(&a.payload).unwrap();
                return reply.sync_time;
            }
            _ => {}
        }
    }
}

/// The message number carried in a content `{"n":…}`.
fn number(content: &[u8]) -> Option<usize> {
    let digits: String = content
        .iter()
        .filter(|b| b.is_ascii_digit())
        .map(|b| char::from(*b))
        .collect();
    digits.parse().ok()
}

/// A member: pulls on each `s_ntf` (once more if one came during a pull), records receipts.
async fn member(mut ws: Ws, mut ids: Ids, mut cursor: i64, track: Arc<Track>) {
    let (mut pulling, mut again) = (false, false);
    while let Some(frame) = next_frame(&mut ws).await {
        match frame {
            ServerFrame::Publish(p) if p.topic == "s_ntf" => {
                if pulling {
                    again = true;
                } else {
                    pulling = true;
                    track.pulls.fetch_add(1, Ordering::Relaxed);
                    send(&mut ws, pull(ids.next(), cursor, 0)).await;
                }
            }
            ServerFrame::QueryAck(a) => {
                let now = now_ns();
                if let Ok(reply) = proto::decode::<DownStreamMessages>(&a.payload) {
                    for m in &reply.list {
                        if m.data_time <= cursor {
                            continue;
                        }
                        cursor = m.data_time;
                        track.delivered.fetch_add(1, Ordering::Relaxed);
                        if let Some(n) = number(&m.content).filter(|n| *n < MAX_MESSAGES) {
                            track.last_ns[n].fetch_max(now, Ordering::Relaxed);
                            track.first_ns[n].fetch_min(now, Ordering::Relaxed);
                            track.receipts[n].fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    cursor = cursor.max(reply.sync_time);
                }
                if std::mem::take(&mut again) {
                    track.pulls.fetch_add(1, Ordering::Relaxed);
                    send(&mut ws, pull(ids.next(), cursor, 0)).await;
                } else {
                    pulling = false;
                }
            }
            _ => {}
        }
        if track.stop.load(Ordering::Relaxed) {
            return;
        }
    }
}

fn message(id: u16, n: usize) -> ClientFrame {
    let up = UpStreamMessage {
        session_id: 3,
        classname: "RC:TxtMsg".into(),
        content: format!(r#"{{"n":{n}}}"#).into_bytes(),
        ..UpStreamMessage::default()
    };
    ClientFrame::Publish(ClientPublish {
        qos: Qos::AtLeastOnce,
        topic: "chatMsg".into(),
        target_id: ROOM.into(),
        msg_id: id,
        payload: proto::encode(&up),
    })
}

/// How the sender sends.
#[derive(Clone, Copy)]
enum Pace {
    /// Keep this many in flight.
    Window(usize),
    /// One every period.
    Every(Duration),
}

/// Sends messages numbered from `first` for `secs`; returns the next number and refusals.
async fn sender(
    ws: &mut Ws,
    ids: &mut Ids,
    first: usize,
    pace: Pace,
    secs: u64,
    track: &Track,
) -> (usize, u64) {
    let mut n = first;
    let mut refused = 0;
    let mut in_flight = 0usize;
    let until = tokio::time::Instant::now() + Duration::from_secs(secs);
    let mut tick = match pace {
        Pace::Every(p) => Some(tokio::time::interval(p)),
        Pace::Window(_) => None,
    };
    let deadline = tokio::time::sleep_until(until);
    tokio::pin!(deadline);
    let mut sending = true;
    while sending || in_flight > 0 {
        if let (Pace::Window(w), true) = (pace, sending) {
            while in_flight < w && n < MAX_MESSAGES {
                track.sent_ns[n].store(now_ns(), Ordering::Relaxed);
                send(ws, message(ids.next(), n)).await;
                n += 1;
                in_flight += 1;
            }
        }
        tokio::select! {
            () = &mut deadline, if sending => sending = false,
            _ = async { tick.as_mut().unwrap().tick().await }, if sending && tick.is_some() => {
                if n < MAX_MESSAGES {
                    track.sent_ns[n].store(now_ns(), Ordering::Relaxed);
                    send(ws, message(ids.next(), n)).await;
                    n += 1;
                    in_flight += 1;
                }
            }
            frame = next_frame(ws) => match frame {
                Some(ServerFrame::PubAck(a)) => {
                    // One message in flight at a time in the paced phase: the oldest is acked.
                    if let Some(acked) = n.checked_sub(in_flight) {
                        track.acked_ns[acked].store(now_ns(), Ordering::Relaxed);
                    }
                    in_flight = in_flight.saturating_sub(1);
                    refused += u64::from(a.status != 0);
                }
                Some(_) => {}
                None => break,
            },
        }
    }
    (n, refused)
}

/// Nanoseconds as whole microseconds.
fn micros(ns: u64) -> u32 {
    u32::try_from(ns / 1000).unwrap_or(u32::MAX)
}

/// Waits until every message below `upto` reached every member, or `guard` passes.
async fn drain(track: &Track, from: usize, upto: usize, members: u32, guard: Duration) {
    let end = tokio::time::Instant::now() + guard;
    while tokio::time::Instant::now() < end {
        if (from..upto).all(|n| track.receipts[n].load(Ordering::Relaxed) >= members) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn main() {
    let members = env_or("IM_FANOUT_MEMBERS", 5_000).max(1);
    let rate = env_or("IM_FANOUT_RATE", 20).max(1);
    let secs = env_or("IM_FANOUT_SECS", 10).max(1);
    let window = usize::try_from(env_or("IM_FANOUT_WINDOW", 4))
        .unwrap_or(4)
        .max(1);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async move {
        println!("im-server chatroom fan-out benchmark: 127.0.0.1, server in a child process");
        let server = Server::start();
        let pid = server.child.id().to_string();
        let conns = connect_all(server.addr, members + 1).await;
        let track = Arc::new(Track::new());
        let mut conns = conns.into_iter().map(|c| c.expect("connected"));
        let mut sender_ws = conns.next().unwrap();
        let mut sender_ids = Ids(0);
        join(&mut sender_ws, &mut sender_ids).await;
        let joined: Vec<(Ws, Ids, i64)> =
            futures_util::future::join_all(conns.map(|mut ws| async move {
                let mut ids = Ids(0);
                let cursor = join(&mut ws, &mut ids).await;
                (ws, ids, cursor)
            }))
            .await;
        let count = u32::try_from(joined.len()).unwrap();
        let tasks: Vec<_> = joined
            .into_iter()
            .map(|(ws, ids, cursor)| tokio::spawn(member(ws, ids, cursor, track.clone())))
            .collect();
        println!("{count} members joined");

        let cpu0 = (cpu_secs(&pid), cpu_secs("self"));
        let d0 = track.delivered.load(Ordering::Relaxed);
        let p0 = track.pulls.load(Ordering::Relaxed);
        let t0 = now_ns();
        let (next, refused) = sender(
            &mut sender_ws,
            &mut sender_ids,
            0,
            Pace::Window(window),
            secs,
            &track,
        )
        .await;
        let elapsed = (now_ns() - t0) as f64 / 1e9;
        let delivered = track.delivered.load(Ordering::Relaxed) - d0;
        let pulls = track.pulls.load(Ordering::Relaxed) - p0;
        let cpu1 = (cpu_secs(&pid), cpu_secs("self"));
        println!(
            "throughput: {:.0} deliveries/s ({} messages sent in {elapsed:.1} s = {:.0}/s, {} \
             refused, {delivered} deliveries of {} possible, {:.0} pulls/s; CPU: server {:.2} \
             cores, load generator {:.2} cores)",
            delivered as f64 / elapsed,
            next,
            next as f64 / elapsed,
            refused,
            next as u64 * u64::from(count),
            pulls as f64 / elapsed,
            (cpu1.0 - cpu0.0) / elapsed,
            (cpu1.1 - cpu0.1) / elapsed,
        );
        drain(&track, 0, next, count, Duration::from_secs(10)).await;

        let period = Duration::from_secs_f64(1.0 / rate as f64);
        let cpu0 = (cpu_secs(&pid), cpu_secs("self"));
        let p0 = track.pulls.load(Ordering::Relaxed);
        let t0 = now_ns();
        let (end, refused) = sender(
            &mut sender_ws,
            &mut sender_ids,
            next,
            Pace::Every(period),
            secs,
            &track,
        )
        .await;
        drain(&track, next, end, count, Duration::from_secs(10)).await;
        let elapsed = (now_ns() - t0) as f64 / 1e9;
        let cpu1 = (cpu_secs(&pid), cpu_secs("self"));
        let pulls = track.pulls.load(Ordering::Relaxed) - p0;
        let mut delays = Vec::new();
        let mut acks = Vec::new();
        let mut firsts = Vec::new();
        let mut incomplete = 0;
        for n in next..end {
            if track.receipts[n].load(Ordering::Relaxed) < count {
                incomplete += 1;
                continue;
            }
            let sent = track.sent_ns[n].load(Ordering::Relaxed);
            let last = track.last_ns[n].load(Ordering::Relaxed);
            delays.push(micros(last.saturating_sub(sent)));
            let first = track.first_ns[n].load(Ordering::Relaxed);
            firsts.push(micros(first.saturating_sub(sent)));
            let acked = track.acked_ns[n].load(Ordering::Relaxed);
            acks.push(micros(acked.saturating_sub(sent)));
        }
        delays.sort_unstable();
        acks.sort_unstable();
        firsts.sort_unstable();
        println!(
            "latency at {rate} messages/s to {count} members, send -> last member's receipt: \
             p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} messages, {incomplete} not received \
             by every member, {refused} refused, {:.0} pulls/s; CPU: server {:.2} cores, load \
             generator {:.2} cores)",
            percentile(&delays, 0.5),
            percentile(&delays, 0.99),
            percentile(&delays, 1.0),
            end - next,
            pulls as f64 / elapsed,
            (cpu1.0 - cpu0.0) / elapsed,
            (cpu1.1 - cpu0.1) / elapsed,
        );
        println!(
            "  send -> PUBACK p50 {:.1} ms, p99 {:.1} ms; send -> first member's receipt p50 \
             {:.1} ms, p99 {:.1} ms",
            percentile(&acks, 0.5),
            percentile(&acks, 0.99),
            percentile(&firsts, 0.5),
            percentile(&firsts, 0.99),
        );
        track.stop.store(true, Ordering::Relaxed);
        for t in tasks {
            t.abort();
        }
        drop(server);
    });
}
