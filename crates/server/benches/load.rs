//! Load benchmark of the `im-server` binary over real WebSocket connections on 127.0.0.1, with
//! the real frame codec and a real SQLite file in a temp dir. The server runs as a child process
//! (a fresh one per scenario) so that it and this load generator each have their own file
//! descriptor limit and their own resident memory.
//!
//! `cargo bench -p im-server --bench load` prints:
//! 1. idle connections: `IM_BENCH_CONNS` (10,000) connections, each answered by a ping, and the
//!    server's resident memory per idle connection (VmRSS delta / connections);
//! 2. throughput: `IM_BENCH_USERS` (1,000) users in a ring, each keeping `IM_BENCH_WINDOW` (8)
//!    private messages in flight to the next user for `IM_BENCH_SECS` (5) seconds; a message
//!    counts when the recipient has it from `pullMsg` after the `s_ntf` (PUBACK means stored);
//! 3. latency: the same users sending `IM_BENCH_RATE` (5,000) messages/s in total at fixed
//!    times (open loop), send → receive p50/p99.
//!
//! `IM_BENCH_ONLY=idle`, `throughput` or `latency` runs one scenario. Figures are printed, never
//! checked: a benchmark does not fail on timing.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use im_server::token::Tokens;
use im_wire::content::{MessageContent, TextMessage};
use im_wire::frame::{ClientPubAck, ClientPublish, Qos, Query, QueryCon};
use im_wire::proto::{self, DownStreamMessages, SyncRequestMsg, UpStreamMessage};
use im_wire::{ClientFrame, ServerFrame};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const APP_KEY: &str = "benchkey";
const APP_SECRET: &str = "benchsecret";
/// Handshakes in progress at once while connecting.
const CONNECT_CONCURRENCY: usize = 256;

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Nanoseconds since the first call, shared by every task of this process.
fn now_ns() -> u64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    u64::try_from(EPOCH.get_or_init(Instant::now).elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// The `im-server` binary in a child process with its own data directory.
struct Server {
    child: Child,
    addr: SocketAddr,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("bench.toml");
        // The per-connection rate limit protects a real deployment; here it would cap the load.
        std::fs::write(
            &config,
            "rate_per_sec = 1000000\nrate_burst = 1000000\nidle_timeout_secs = 600\n",
        )
        .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_im-server"))
            .arg("--config")
            .arg(&config)
            .env("IM_ADDR", "127.0.0.1:0")
            .env("IM_DATA_DIR", dir.path().join("data"))
            .env("IM_APP_KEY", APP_KEY)
            .env("IM_APP_SECRET", APP_SECRET)
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .rsplit("http://")
            .next()
            .unwrap()
            .parse()
            .unwrap();
        Self {
            child,
            addr,
            _dir: dir,
        }
    }

    /// Resident memory of the server process, in KiB (`VmRSS` of /proc/<pid>/status).
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }
}

/// CPU time (user + system) of process `pid` so far, in seconds (/proc/<pid>/stat, 100 ticks/s).
fn cpu_secs(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tokens() -> Tokens {
    Tokens::new(APP_KEY, APP_SECRET, Default::default())
}

fn user(i: u64) -> String {
    format!("u{i}")
}

async fn next_frame(ws: &mut Ws) -> Option<ServerFrame> {
    loop {
        match ws.next().await? {
            Ok(Message::Binary(b)) => return ServerFrame::decode(&b).ok(),
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

async fn send(ws: &mut Ws, frame: ClientFrame) -> bool {
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

/// Connects users `0..n`, `CONNECT_CONCURRENCY` handshakes at a time, in user order.
async fn connect_all(addr: SocketAddr, n: u64) -> Vec<Option<Ws>> {
    let tokens = tokens();
    let issued = im_server::clock::wall_ms();
    futures_util::stream::iter(0..n)
        .map(|i| connect(addr, tokens.issue(&user(i), issued)))
        .buffered(CONNECT_CONCURRENCY)
        .collect()
        .await
}

/// How a user of the ring sends.
#[derive(Clone, Copy)]
enum Sending {
    /// Keep this many messages in flight (closed loop).
    Window(usize),
    /// One message every `period`, the first at `start` (open loop).
    Every {
        start: tokio::time::Instant,
        period: Duration,
    },
}

#[derive(Default)]
struct Counters {
    acked: AtomicU64,
    delivered: AtomicU64,
    refused: AtomicU64,
}

/// One user: sends to `peer` and syncs its own inbox like the 2.x client (api.md §5.2): an
/// `s_ntf` newer than the receive box starts a `pullMsg`; one more follows an unfinished reply
/// or an `s_ntf` that arrived meanwhile. Returns send → receive latencies (µs) of messages sent
/// after `measure_from` (ns).
async fn run_user(
    mut ws: Ws,
    me: String,
    peer: String,
    sending: Sending,
    counters: Arc<Counters>,
    measure_from: u64,
    until: tokio::time::Instant,
) -> Vec<u32> {
    let mut latencies = Vec::new();
    let mut next_id: u16 = 0;
    let mut id = move || {
        next_id = next_id % 65535 + 1;
        next_id
    };
    let (mut recv_box, mut send_box) = (0i64, 0i64);
    let (mut pulling, mut again) = (false, false);
    let mut ticker = match sending {
        Sending::Every { start, period } => Some(tokio::time::interval_at(start, period)),
        Sending::Window(_) => None,
    };
    let publish = |id: u16| {
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
            target_id: peer.clone(),
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
    if let Sending::Window(w) = sending {
        for _ in 0..w {
            let frame = publish(id());
            send(&mut ws, frame).await;
        }
    }
    let deadline = tokio::time::sleep_until(until);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            () = &mut deadline => break,
            _ = async { ticker.as_mut().unwrap().tick().await }, if ticker.is_some() => {
                let frame = publish(id());
                send(&mut ws, frame).await;
            }
            frame = next_frame(&mut ws) => match frame {
                None => break,
                Some(ServerFrame::PubAck(a)) => {
                    if a.status == 0 {
                        counters.acked.fetch_add(1, Ordering::Relaxed);
                    } else {
                        counters.refused.fetch_add(1, Ordering::Relaxed);
                    }
                    if matches!(sending, Sending::Window(_)) {
                        let frame = publish(id());
                        send(&mut ws, frame).await;
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
                Some(ServerFrame::QueryAck(a)) => {
                    send(&mut ws, ClientFrame::QueryCon(QueryCon { msg_id: a.msg_id })).await;
                    let Ok(reply) = proto::decode::<DownStreamMessages>(&a.payload) else {
                        continue;
                    };
                    let received_at = now_ns();
                    for m in &reply.list {
                        if m.direction == Some(1) {
                            send_box = send_box.max(m.data_time);
                            continue;
                        }
                        if m.data_time <= recv_box {
                            continue;
                        }
                        recv_box = m.data_time;
                        counters.delivered.fetch_add(1, Ordering::Relaxed);
                        if let Ok(MessageContent::Text(t)) =
                            MessageContent::decode(&m.classname, &m.content)
                        {
                            let sent_at: u64 = t.content.as_deref().unwrap_or("").parse().unwrap_or(0);
                            if sent_at >= measure_from {
                                let us = received_at.saturating_sub(sent_at) / 1000;
                                latencies.push(u32::try_from(us).unwrap_or(u32::MAX));
                            }
                        }
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
    latencies
}

/// What a ring run measured.
struct RingRun {
    /// Messages delivered per second in the measured part.
    delivered: f64,
    /// Send → receive latencies (µs) of messages sent in the measured part.
    latencies: Vec<u32>,
    /// PUBACKs with a non-zero status.
    refused: u64,
    /// CPU used by the server and by this load generator, in cores.
    server_cores: f64,
    client_cores: f64,
}

/// Runs a ring of `users` users for `warmup + secs`.
async fn ring(
    users: u64,
    sending: impl Fn(u64, tokio::time::Instant) -> Sending,
    secs: u64,
) -> RingRun {
    let server = Server::start();
    let conns = connect_all(server.addr, users).await;
    let counters = Arc::new(Counters::default());
    let warmup = Duration::from_secs(1);
    let measured = Duration::from_secs(secs);
    let start = tokio::time::Instant::now();
    let measure_from = now_ns() + u64::try_from(warmup.as_nanos()).unwrap_or(0);
    let until = start + warmup + measured;
    let mut tasks = Vec::new();
    for (i, ws) in conns.into_iter().enumerate() {
        let i = u64::try_from(i).unwrap();
        let Some(ws) = ws else { continue };
        tasks.push(tokio::spawn(run_user(
            ws,
            user(i),
            user((i + 1) % users),
            sending(i, start),
            counters.clone(),
            measure_from,
            until,
        )));
    }
    let pid = server.child.id().to_string();
    tokio::time::sleep_until(start + warmup).await;
    let before = counters.delivered.load(Ordering::Relaxed);
    let cpu_before = (cpu_secs(&pid), cpu_secs("self"));
    tokio::time::sleep_until(until).await;
    let after = counters.delivered.load(Ordering::Relaxed);
    let cpu_after = (cpu_secs(&pid), cpu_secs("self"));
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    let secs = measured.as_secs_f64();
    RingRun {
        delivered: (after - before) as f64 / secs,
        latencies,
        refused: counters.refused.load(Ordering::Relaxed),
        server_cores: (cpu_after.0 - cpu_before.0) / secs,
        client_cores: (cpu_after.1 - cpu_before.1) / secs,
    }
}

async fn idle_connections(n: u64) {
    let server = Server::start();
    // A few connections first, so that the baseline includes the runtime's warm-up.
    drop(connect_all(server.addr, 16).await);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = server.rss_kib();
    let t = Instant::now();
    let conns: Vec<Ws> = connect_all(server.addr, n)
        .await
        .into_iter()
        .flatten()
        .collect();
    let connect_secs = t.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_after = server.rss_kib();
    let answered = futures_util::stream::iter(conns)
        .map(|mut ws| async move {
            if !send(&mut ws, ClientFrame::PingReq).await {
                return false;
            }
            let reply = tokio::time::timeout(Duration::from_secs(10), next_frame(&mut ws)).await;
            matches!(reply, Ok(Some(ServerFrame::PingResp)))
        })
        .buffer_unordered(1024)
        .filter(|ok| std::future::ready(*ok))
        .count()
        .await;
    let per_conn = (rss_after.saturating_sub(rss_before)) as f64 * 1024.0 / n.max(1) as f64;
    println!(
        "idle connections: {answered}/{n} connected and answered a ping \
         (connected in {connect_secs:.1} s)"
    );
    println!(
        "memory per idle connection: {:.1} KiB (server RSS {:.1} MiB -> {:.1} MiB)",
        per_conn / 1024.0,
        rss_before as f64 / 1024.0,
        rss_after as f64 / 1024.0
    );
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    f64::from(sorted[i.min(sorted.len() - 1)]) / 1000.0
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is accepted and ignored.
    let conns = env_or("IM_BENCH_CONNS", 10_000);
    let users = env_or("IM_BENCH_USERS", 1_000).max(2);
    let window = usize::try_from(env_or("IM_BENCH_WINDOW", 8))
        .unwrap_or(8)
        .max(1);
    let secs = env_or("IM_BENCH_SECS", 5).max(1);
    let rate = env_or("IM_BENCH_RATE", 5_000).max(1);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        println!(
            "im-server load benchmark: 127.0.0.1, SQLite in a temp dir, server in a child process"
        );
        let only = std::env::var("IM_BENCH_ONLY").unwrap_or_default();
        let run = |name: &str| only.is_empty() || only == name;
        if run("idle") {
            idle_connections(conns).await;
        }
        if run("throughput") {
            let r = ring(users, |_, _| Sending::Window(window), secs).await;
            println!(
                "throughput: {:.0} private messages/s delivered and persisted ({users} users, \
                 {window} in flight each, {secs} s, {} refused; CPU: server {:.2} cores = \
                 {:.0} messages per server CPU-second, load generator {:.2} cores)",
                r.delivered,
                r.refused,
                r.server_cores,
                r.delivered / r.server_cores.max(0.01),
                r.client_cores
            );
        }
        if run("latency") {
            let period = Duration::from_secs_f64(users as f64 / rate as f64);
            let mut r = ring(
                users,
                |i, start| Sending::Every {
                    start: start + period.mul_f64(i as f64 / users as f64),
                    period,
                },
                secs,
            )
            .await;
            let lat = &mut r.latencies;
            lat.sort_unstable();
            println!(
                "latency at {rate} messages/s offered: p50 {:.2} ms, p99 {:.2} ms, \
                 max {:.2} ms ({} samples, {:.0} delivered/s, {} refused; CPU: server {:.2} \
                 cores, load generator {:.2} cores)",
                percentile(lat, 0.5),
                percentile(lat, 0.99),
                percentile(lat, 1.0),
                lat.len(),
                r.delivered,
                r.refused,
                r.server_cores,
                r.client_cores
            );
        }
    });
}
