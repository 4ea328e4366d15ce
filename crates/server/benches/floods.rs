//! Memory of the `im-server` binary under the floods it defends against. Each scenario runs
//! against a fresh server in a child process (default settings, a temp data dir) on 127.0.0.1,
//! so that the resident memory read from /proc/<pid>/status is the server's alone.
//!
//! `cargo bench -p im-server --bench floods` runs, each bounded to 20 s:
//! 1. slowloris: 2,000 sockets, 250 from each of 127.0.0.2–127.0.0.9 (under the per-address cap
//!    of 256), each sending half a request line, held until the header timeout closes them;
//! 2. unsigned bodies: 200 POSTs to `/user/getToken.json` from 127.0.0.2 announcing 512 KiB
//!    without a signature, all at once; each is answered 401 before its body is sent, then
//!    sends the body anyway;
//! 3. large chatroom messages: one user joins 9 fresh rooms and sends ~120 KB messages to them in
//!    turn for 10 s, as fast as the rate limit allows (after a refusal it waits one token's time);
//! 4. slow reader: a connection with a 4 KiB receive buffer that never reads gets 100 KB status
//!    messages until the server disconnects it for its outbound byte budget.
//!
//! For each it prints the server's VmRSS before, its peak (VmHWM, reset just before the flood)
//! and VmRSS after a 2 s settle, and checks that `/ping` answers and two fresh users exchange a
//! message (during the flood where the flood lasts, and after it). It exits with status 1 if a
//! check fails. 10,000 idle connections are the load bench's first scenario.

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

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use im_wire::content::{MessageContent, TextMessage};
use im_wire::frame::{ClientPubAck, ClientPublish, Qos, Query, QueryAck, ServerPubAck};
use im_wire::proto::{self, ChrmInput, ChrmPullMsg, DownStreamMessages, UpStreamMessage};
use im_wire::{ClientFrame, ServerFrame};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use client::{connect_user, next_frame, send, tokens, Ws};
use server::Server;

const APP_KEY: &str = "benchkey";
const APP_SECRET: &str = "bench-app-secret-0123456789";
/// How long any single exchange with the server may take before it counts as a failure.
const GUARD: Duration = Duration::from_secs(5);
/// The longest a flood runs.
const FLOOD_LIMIT: Duration = Duration::from_secs(20);
/// Time left to the server between a flood and the "after" figure.
const SETTLE: Duration = Duration::from_secs(2);
const SLOWLORIS_SOCKETS: usize = 2_000;
/// Sockets per source address: under the default `max_per_ip` (256).
const SLOWLORIS_PER_ADDRESS: usize = 250;
const UNSIGNED_POSTS: usize = 200;
const UNSIGNED_BODY: usize = 512 * 1024;
const ROOMS: usize = 9;
const ROOM_MESSAGE: usize = 120_000;
/// Seconds of sending (`IM_FLOODS_ROOM_SECS`, at most 20).
const ROOM_SECS: u64 = 10;
/// The default `rate_per_sec` is 50: one token every 20 ms.
const TOKEN_TIME: Duration = Duration::from_millis(20);
const STATUS_MESSAGE: usize = 100_000;

/// One scenario's figures, for the table at the end.
struct Row {
    name: &'static str,
    before_kib: u64,
    peak_kib: u64,
    after_kib: u64,
    /// A few words for the table.
    summary: String,
    ok: bool,
}

/// A fresh server with default settings and a warmed-up runtime, its "before" figure read.
struct Measured {
    server: Server,
    before_kib: u64,
}

impl Measured {
    async fn start() -> Self {
        let server = Server::start_with("");
        // One healthy exchange first, so that the baseline includes the runtime's warm-up.
        assert!(healthy(server.addr, "warmup").await, "a fresh server works");
        tokio::time::sleep(Duration::from_millis(500)).await;
        let before_kib = server.rss_kib();
        if !server.reset_peak() {
            println!("  (clear_refs refused: the peak is the one since the server started)");
        }
        Self { server, before_kib }
    }

    /// Reads the peak, lets the server settle, reads "after", then checks its health.
    /// `name` starts with the scenario's number; `outcome` is printed in full, `summary` in the
    /// table.
    async fn finish(
        self,
        name: &'static str,
        outcome: String,
        summary: String,
        ok_so_far: bool,
    ) -> Row {
        let peak_kib = self.server.peak_kib();
        tokio::time::sleep(SETTLE).await;
        let after_kib = self.server.rss_kib();
        let tag = format!("s{}-after", name.split(' ').next().unwrap_or_default());
        let after = healthy(self.server.addr, &tag).await;
        let ok = ok_so_far && after;
        let outcome = format!("{outcome}; healthy after: {}", yes(after));
        println!(
            "{name}: RSS {} MiB before, {} MiB peak, {} MiB after; {outcome}",
            mib(self.before_kib),
            mib(peak_kib),
            mib(after_kib)
        );
        Row {
            name,
            before_kib: self.before_kib,
            peak_kib,
            after_kib,
            summary: format!("{summary}; {}", if ok { "checks ok" } else { "FAILED" }),
            ok,
        }
    }
}

fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

fn yes(ok: bool) -> &'static str {
    if ok {
        "yes"
    } else {
        "NO"
    }
}

/// A TCP connection to `to` from the loopback address `from` (Linux routes all of 127/8 to the
/// loopback device).
async fn connect_from(from: &str, to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(from.parse().unwrap(), 0))?;
    socket.connect(to).await
}

/// One HTTP/1.1 exchange over a fresh connection from 127.0.0.1; the whole response.
async fn http(addr: SocketAddr, request: &str) -> Option<String> {
    let exchange = async {
        let mut s = TcpStream::connect(addr).await.ok()?;
        s.write_all(request.as_bytes()).await.ok()?;
        let mut out = Vec::new();
        s.read_to_end(&mut out).await.ok()?;
        Some(String::from_utf8_lossy(&out).into_owned())
    };
    tokio::time::timeout(GUARD, exchange).await.ok().flatten()
}

/// A signed Server API call (server-api.md §1.3); the response's JSON body.
async fn api(addr: SocketAddr, path: &str, form: &str) -> Option<serde_json::Value> {
    let (nonce, ts) = ("4242", "1700000000");
    let sig = im_server::api::auth::signature(APP_SECRET, nonce, ts);
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nApp-Key: {APP_KEY}\r\nNonce: {nonce}\r\n\
         Timestamp: {ts}\r\nSignature: {sig}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{form}",
        form.len()
    );
    let response = http(addr, &request).await?;
    serde_json::from_str(response.split("\r\n\r\n").nth(1)?).ok()
}

/// A connection's requests and their answers; other frames are acknowledged when they ask for
/// it and otherwise dropped.
struct Conn {
    ws: Ws,
    next_id: u16,
}

impl Conn {
    async fn open(addr: SocketAddr, user: &str) -> Option<Self> {
        Some(Self {
            ws: connect_user(addr, user).await?,
            next_id: 0,
        })
    }

    fn id(&mut self) -> u16 {
        self.next_id = self.next_id % 65535 + 1;
        self.next_id
    }

    /// Sends `frame` and waits (at most [`GUARD`]) for the answer with id `msg_id`.
    async fn exchange(&mut self, frame: ClientFrame, msg_id: u16) -> Option<ServerFrame> {
        if !send(&mut self.ws, frame).await {
            return None;
        }
        let wait = async {
            loop {
                match next_frame(&mut self.ws).await? {
                    ServerFrame::PubAck(a) if a.msg_id == msg_id => {
                        return Some(ServerFrame::PubAck(a))
                    }
                    ServerFrame::QueryAck(a) if a.msg_id == msg_id => {
                        return Some(ServerFrame::QueryAck(a))
                    }
                    ServerFrame::Publish(p) if p.qos == Qos::AtLeastOnce => {
                        let ack = ClientFrame::PubAck(ClientPubAck { msg_id: p.msg_id });
                        send(&mut self.ws, ack).await;
                    }
                    _ => {}
                }
            }
        };
        tokio::time::timeout(GUARD, wait).await.ok().flatten()
    }

    async fn publish(&mut self, topic: &str, target: &str, up: &UpStreamMessage) -> ServerPubAck {
        let msg_id = self.id();
        let frame = ClientFrame::Publish(ClientPublish {
            qos: Qos::AtLeastOnce,
            topic: topic.into(),
            target_id: target.into(),
            msg_id,
            payload: proto::encode(up),
        });
        match self.exchange(frame, msg_id).await {
            Some(ServerFrame::PubAck(a)) => a,
            // No answer: a status no server sends.
            _ => ServerPubAck::new(msg_id, u16::MAX, 0, ""),
        }
    }

    async fn query(&mut self, topic: &str, target: &str, payload: Vec<u8>) -> Option<QueryAck> {
        let msg_id = self.id();
        let frame = ClientFrame::Query(Query {
            qos: Qos::AtLeastOnce,
            topic: topic.into(),
            target_id: target.into(),
            msg_id,
            payload,
        });
        match self.exchange(frame, msg_id).await? {
            ServerFrame::QueryAck(a) => Some(a),
            _ => None,
        }
    }

    /// Waits (at most [`GUARD`]) for an `s_ntf`.
    async fn notified(&mut self) -> bool {
        let wait = async {
            loop {
                match next_frame(&mut self.ws).await? {
                    ServerFrame::Publish(p) if p.topic == "s_ntf" => return Some(()),
                    _ => {}
                }
            }
        };
        tokio::time::timeout(GUARD, wait)
            .await
            .ok()
            .flatten()
            .is_some()
    }
}

fn text(words: &str, session_id: i32) -> UpStreamMessage {
    UpStreamMessage {
        session_id,
        classname: "RC:TxtMsg".into(),
        content: MessageContent::from(TextMessage::new(words.to_owned()))
            .encode()
            .unwrap(),
        ..UpStreamMessage::default()
    }
}

/// `/ping` answers 200 and two users never seen before connect and exchange a message.
async fn healthy(addr: SocketAddr, tag: &str) -> bool {
    let ping = format!("GET /ping HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let pong = http(addr, &ping).await;
    if !pong.is_some_and(|p| p.starts_with("HTTP/1.1 200")) {
        return false;
    }
    let (a, b) = (format!("{tag}-a"), format!("{tag}-b"));
    let (Some(mut alice), Some(mut bob)) = (Conn::open(addr, &a).await, Conn::open(addr, &b).await)
    else {
        return false;
    };
    let words = format!("still here, {tag}");
    if alice.publish("ppMsgP", &b, &text(&words, 3)).await.status != 0 || !bob.notified().await {
        return false;
    }
    let pull = proto::encode(&proto::SyncRequestMsg {
        sync_time: 0,
        ispolling: false,
        is_pull_send: Some(false),
        send_box_sync_time: Some(0),
        ..proto::SyncRequestMsg::default()
    });
    let Some(reply) = bob.query("pullMsg", &b, pull).await else {
        return false;
    };
    let Ok(list) = proto::decode::<DownStreamMessages>(&reply.payload) else {
        return false;
    };
    list.list.iter().any(|m| {
        matches!(MessageContent::decode(&m.classname, &m.content),
            Ok(MessageContent::Text(t)) if t.content.as_deref() == Some(words.as_str()))
    })
}

/// Scenario 1: half a request line on each of 2,000 sockets, held until the server closes them.
async fn slowloris() -> Row {
    let m = Measured::start().await;
    let addr = m.server.addr;
    let started = Instant::now();
    let mut waits = Vec::new();
    let mut refused = 0;
    for i in 0..SLOWLORIS_SOCKETS {
        let from = format!("127.0.0.{}", 2 + i / SLOWLORIS_PER_ADDRESS);
        let Ok(mut s) = connect_from(&from, addr).await else {
            refused += 1;
            continue;
        };
        if s.write_all(b"GET /ping HT").await.is_err() {
            refused += 1;
            continue;
        }
        let opened = Instant::now();
        waits.push(tokio::spawn(async move {
            // Anything the server sends is read and dropped; the end of the stream is the close.
            let mut buf = [0u8; 1024];
            while let Ok(n) = s.read(&mut buf).await {
                if n == 0 {
                    break;
                }
            }
            (opened.elapsed(), started.elapsed())
        }));
    }
    let held = waits.len();
    let opening = started.elapsed();
    let during = healthy(addr, "slow-during").await;
    // How long the server kept a socket open, shortest and longest; when the last one closed.
    let (mut shortest, mut longest, mut last) = (Duration::MAX, Duration::ZERO, Duration::ZERO);
    let mut closed = 0;
    let deadline = tokio::time::Instant::from_std(started + FLOOD_LIMIT);
    for w in waits {
        match tokio::time::timeout_at(deadline, w).await {
            Ok(Ok((kept, at))) => {
                closed += 1;
                shortest = shortest.min(kept);
                longest = longest.max(kept);
                last = last.max(at);
            }
            _ => break,
        }
    }
    let ok = during && closed == held;
    let outcome = format!(
        "{held} sockets opened from 127.0.0.2-127.0.0.{} in {:.1} s ({refused} refused), \
         {closed} closed by the server after {:.1}-{:.1} s each, the last {:.1} s after the \
         first was opened; healthy during: {}",
        1 + SLOWLORIS_SOCKETS.div_ceil(SLOWLORIS_PER_ADDRESS),
        opening.as_secs_f64(),
        shortest.min(longest).as_secs_f64(),
        longest.as_secs_f64(),
        last.as_secs_f64(),
        yes(during)
    );
    let summary = format!(
        "{closed}/{held} closed after {:.1}-{:.1} s",
        shortest.min(longest).as_secs_f64(),
        longest.as_secs_f64()
    );
    m.finish("1 slowloris x2000", outcome, summary, ok).await
}

/// One unsigned POST announcing a 512 KiB body: the status line of the answer, read before the
/// body is sent; then the body, sent anyway (what the server does not read the kernel drops).
async fn unsigned_post(addr: SocketAddr) -> Option<String> {
    let mut s = connect_from("127.0.0.2", addr).await.ok()?;
    let head = format!(
        "POST /user/getToken.json HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {UNSIGNED_BODY}\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.ok()?;
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(GUARD, s.read(&mut buf))
        .await
        .ok()?
        .ok()?;
    let status = String::from_utf8_lossy(&buf[..n])
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    let body = vec![b'x'; UNSIGNED_BODY];
    let _ = tokio::time::timeout(Duration::from_secs(2), s.write_all(&body)).await;
    Some(status)
}

/// Scenario 2: 200 unsigned 512 KiB POSTs at once.
async fn unsigned_bodies() -> Row {
    let m = Measured::start().await;
    let addr = m.server.addr;
    let started = Instant::now();
    let posts: Vec<_> = (0..UNSIGNED_POSTS)
        .map(|_| tokio::spawn(unsigned_post(addr)))
        .collect();
    let mut answered_401 = 0;
    for p in posts {
        let status = tokio::time::timeout(FLOOD_LIMIT, p)
            .await
            .ok()
            .and_then(Result::ok);
        if status
            .flatten()
            .is_some_and(|s| s.starts_with("HTTP/1.1 401"))
        {
            answered_401 += 1;
        }
    }
    let took = started.elapsed();
    let ok = answered_401 == UNSIGNED_POSTS;
    let outcome = format!(
        "{answered_401}/{UNSIGNED_POSTS} answered 401 before their body was sent \
         ({} MiB offered, all done in {} ms)",
        UNSIGNED_POSTS * UNSIGNED_BODY / (1024 * 1024),
        took.as_millis()
    );
    let summary = format!("{answered_401}/{UNSIGNED_POSTS} answered 401");
    m.finish("2 unsigned 512 KiB POST x200", outcome, summary, ok)
        .await
}

/// Scenario 3: ~120 KB chatroom messages to 9 fresh rooms for 10 s at the default rate limit.
async fn large_room_messages() -> Row {
    let m = Measured::start().await;
    let addr = m.server.addr;
    let Some(mut c) = Conn::open(addr, "roomflood").await else {
        return m
            .finish(
                "3 chatroom 120 KB x9 rooms",
                "could not connect".into(),
                "could not connect".into(),
                false,
            )
            .await;
    };
    let rooms: Vec<String> = (0..ROOMS).map(|i| format!("flood{i}")).collect();
    let mut joined = 0;
    for room in &rooms {
        let join = c
            .query("joinChrm", room, proto::encode(&ChrmInput { nothing: 1 }))
            .await;
        let pull = proto::encode(&ChrmPullMsg {
            sync_time: 0,
            count: -1,
        });
        if join.is_some_and(|a| a.status == 0)
            && c.query("chrmPull", room, pull)
                .await
                .is_some_and(|a| a.status == 0)
        {
            joined += 1;
        }
    }
    let body = "x".repeat(ROOM_MESSAGE);
    let room_secs = server::env_or("IM_FLOODS_ROOM_SECS", ROOM_SECS).min(20);
    let during = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(room_secs / 2)).await;
        healthy(addr, "room-during").await
    });
    let (mut accepted, mut refused, mut other) = (0u32, 0u32, 0u32);
    let started = Instant::now();
    let until = started + Duration::from_secs(room_secs);
    let mut i = 0;
    while Instant::now() < until {
        let room = &rooms[i % ROOMS];
        i += 1;
        let ack = c.publish("chatMsg", room, &text(&body, 3)).await;
        match ack.status {
            0 => accepted += 1,
            // SEND_FREQUENCY_TOO_FAST (transport.md §9.5): wait for the next token.
            20604 => {
                refused += 1;
                tokio::time::sleep(TOKEN_TIME).await;
            }
            _ => {
                other += 1;
                tokio::time::sleep(TOKEN_TIME).await;
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let during = during.await.unwrap_or(false);
    let ok = joined == ROOMS && accepted > 0 && during;
    let outcome = format!(
        "{joined}/{ROOMS} rooms joined; in {secs:.1} s {accepted} accepted ({} MB), {refused} \
         refused as too fast, {other} other answers; healthy during: {}",
        u64::from(accepted) * ROOM_MESSAGE as u64 / 1_000_000,
        yes(during)
    );
    drop(c);
    let summary = format!("{accepted} accepted, {} refused", refused + other);
    m.finish("3 chatroom 120 KB x9 rooms", outcome, summary, ok)
        .await
}

/// A connection of `user` with a 4 KiB receive buffer; nothing is read after the CONNACK.
async fn stuck_client(addr: SocketAddr, user: &str) -> Option<Ws> {
    let socket = TcpSocket::new_v4().ok()?;
    socket.set_recv_buffer_size(4096).ok()?;
    let tcp = socket.connect(addr).await.ok()?;
    let token = tokens().issue(user, im_server::clock::wall_ms());
    let url = format!("ws://{addr}/websocket?appId={APP_KEY}&token={token}&sdkVer=2.5.3&apiVer=1");
    let stream = tokio_tungstenite::MaybeTlsStream::Plain(tcp);
    let (mut ws, _) = tokio_tungstenite::client_async(url, stream).await.ok()?;
    match next_frame(&mut ws).await? {
        ServerFrame::ConnAck(a) if a.status == 0 => Some(ws),
        _ => None,
    }
}

async fn online(addr: SocketAddr, user: &str) -> Option<bool> {
    let reply = api(addr, "/user/checkOnline.json", &format!("userId={user}")).await?;
    Some(reply["status"] == "1")
}

/// Scenario 4: 100 KB status messages to a reader that never reads, until it is disconnected.
async fn slow_reader() -> Row {
    let m = Measured::start().await;
    let addr = m.server.addr;
    let (Some(stuck), Some(mut sender)) = (
        stuck_client(addr, "stuck").await,
        Conn::open(addr, "sender").await,
    ) else {
        return m
            .finish(
                "4 slow reader",
                "could not connect".into(),
                "could not connect".into(),
                false,
            )
            .await;
    };
    let status = text(&"x".repeat(STATUS_MESSAGE), 0);
    let started = Instant::now();
    let (mut sent, mut disconnected) = (0u32, false);
    while started.elapsed() < FLOOD_LIMIT {
        match sender.publish("ppMsgP", "stuck", &status).await.status {
            0 => sent += 1,
            _ => tokio::time::sleep(TOKEN_TIME).await,
        }
        if online(addr, "stuck").await == Some(false) {
            disconnected = true;
            break;
        }
    }
    let took = started.elapsed().as_secs_f64();
    drop(stuck);
    let ok = disconnected;
    let outcome = format!(
        "{} after {sent} status messages ({} MB) in {took:.1} s",
        if disconnected {
            "disconnected"
        } else {
            "NOT disconnected"
        },
        u64::from(sent) * STATUS_MESSAGE as u64 / 1_000_000
    );
    drop(sender);
    let summary = if disconnected {
        format!("disconnected after {sent}")
    } else {
        "not disconnected".to_owned()
    };
    m.finish("4 slow reader", outcome, summary, ok).await
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is accepted and ignored.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let rows = runtime.block_on(async {
        println!(
            "im-server floods: default settings, 127.0.0.x, SQLite in a temp dir, a fresh server \
             in a child process per scenario"
        );
        let only = std::env::var("IM_FLOODS_ONLY").unwrap_or_default();
        let run = |n: &str| only.is_empty() || only == n;
        let mut rows = Vec::new();
        if run("1") {
            rows.push(slowloris().await);
        }
        if run("2") {
            rows.push(unsigned_bodies().await);
        }
        if run("3") {
            rows.push(large_room_messages().await);
        }
        if run("4") {
            rows.push(slow_reader().await);
        }
        rows
    });
    println!();
    println!(
        "{:<28} {:>10} {:>10} {:>10}  outcome",
        "scenario", "before MiB", "peak MiB", "after MiB"
    );
    for r in &rows {
        println!(
            "{:<28} {:>10} {:>10} {:>10}  {}",
            r.name,
            mib(r.before_kib),
            mib(r.peak_kib),
            mib(r.after_kib),
            r.summary
        );
    }
    if rows.iter().any(|r| !r.ok) {
        std::process::exit(1);
    }
}
