//! Load benchmark of the `im-server` binary over real WebSocket connections on 127.0.0.1, with
//! the real frame codec and a real SQLite file in a temp dir. The server runs as a child process
//! (a fresh one per scenario) so that it and this load generator each have their own file
//! descriptor limit and their own resident memory. Receivers behave like the 2.5.3 SDK:
//! `pullMsg` at connect, `s_ntf` → `pullMsg` → QUERYCON, `s_msg` taken once a pull finished; a
//! message counts as delivered when its recipient took it (pulled or pushed).
//!
//! `cargo bench -p im-server --bench load` prints:
//! 1. idle connections: `IM_BENCH_CONNS` (10,000) connections, each answered by a ping, and the
//!    server's resident memory per idle connection (VmRSS delta / connections);
//! 2. open loop: `IM_BENCH_USERS` (2,000) users, the first half each sending private messages
//!    to one of the other half at fixed times (whether or not acknowledgements came back), at
//!    each total rate of `IM_BENCH_RATES` (5000,10000,15000,20000) for a warm-up second plus
//!    `IM_BENCH_SECS` (10) seconds, then until everything acknowledged was delivered (30 s at
//!    most). Delivered/s is over the whole time from the first send to the last delivery (a
//!    queue that drains later is not throughput); it prints the backlog when sending stopped,
//!    the drain time, send → receive p50/p99/p99.9, PUBACK p50/p99, server CPU per delivered
//!    message, and then the knee: the highest rate whose p99 stayed within 10 ms;
//! 3. latency: the same at `IM_BENCH_RATE` (5,000) messages/s from `IM_BENCH_LATENCY_USERS`
//!    (200) users;
//! 4. closed loop: every user of a ring keeps `IM_BENCH_WINDOW` (8) messages in flight to the
//!    next, for comparison.
//!
//! `IM_BENCH_ONLY=idle`, `open`, `latency` or `throughput` runs one scenario. Figures are
//! printed, never checked: a benchmark does not fail on timing.
//!
//! `IM_BENCH_STORE=postgres` runs the server on a private PostgreSQL instead (started in a temp
//! dir for each scenario, as the SQLite file is); `IM_BENCH_NODES=2` runs two servers sharing
//! that PostgreSQL and a private `nats-server`, with senders and their receivers on different
//! nodes (see `backend.rs`). Then the server CPU counts every node, and each line adds the CPU
//! of PostgreSQL's processes and of NATS per delivered message.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod backend;
mod client;
mod server;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use im_wire::{ClientFrame, ServerFrame};

use backend::{Backend, Helpers, Setup};
use client::{
    connect_spread, next_frame, now_ns, run_user, send, user, Counters, Phases, Sending, Ws,
};
use server::{cpu_secs, env_or, machine_cpu_secs, percentile};

const APP_KEY: &str = "benchkey";
const APP_SECRET: &str = "bench-app-secret-0123456789";

/// What a run measured.
struct Run {
    /// Users whose connection was accepted (the others send and receive nothing).
    connected: usize,
    /// Messages sent, acknowledged (PUBACK status 0) and delivered (taken by their recipient).
    sent: u64,
    acked: u64,
    delivered: u64,
    /// PUBACKs with a non-zero status.
    refused: u64,
    /// Messages received twice, and deliveries that came as `s_msg`.
    duplicates: u64,
    direct: u64,
    /// Seconds from the first send to the last delivery: the drain counts.
    span_secs: f64,
    /// Seconds from the end of sending to the last delivery (0 when everything was delivered
    /// while sending).
    drain_secs: f64,
    /// Messages sent but not yet delivered when sending stopped.
    backlog: u64,
    /// Whether everything acknowledged was delivered before the run gave up.
    drained: bool,
    /// Send → receive and send → PUBACK latencies (µs) of messages sent after the warm-up.
    delivery: Vec<u32>,
    puback: Vec<u32>,
    /// CPU used by the server and by this load generator over the whole run (seconds), and by
    /// the rest of the machine (other processes, and interrupts not charged to a process), in
    /// cores: a run that shared the cores with something else measured less server than there
    /// is.
    server_cpu: f64,
    client_cores: f64,
    other_cores: f64,
    /// CPU used by PostgreSQL and NATS over the whole run (seconds; `None` on SQLite).
    helpers_cpu: Option<Helpers>,
    /// Senders whose receiver is on another node, of all senders.
    cross_node: (u64, u64),
}

impl Run {
    fn delivered_per_sec(&self) -> f64 {
        self.delivered as f64 / self.span_secs.max(1e-9)
    }
}

/// The longest a run waits after sending for what was acknowledged to be delivered.
const GIVE_UP: Duration = Duration::from_secs(30);

/// Runs `users` users for a warm-up second plus `secs` of sending, then until everything
/// acknowledged was delivered (or [`GIVE_UP`]). User `i` sends to `peer(i)` when it has one.
async fn run(
    setup: Setup,
    users: u64,
    peer: impl Fn(u64) -> Option<u64>,
    sending: impl Fn(u64, tokio::time::Instant) -> Sending,
    secs: u64,
) -> Run {
    let backend = Backend::start(setup);
    let conns = connect_spread(users, |u| backend.addr_of(u, users)).await;
    let senders = (0..users).filter_map(|i| Some((i, peer(i)?)));
    let cross_node = senders.fold((0, 0), |(cross, all), (i, p)| {
        let other = setup.node_of(i, users) != setup.node_of(p, users);
        (cross + u64::from(other), all + 1)
    });
    let connected = conns.iter().flatten().count();
    let counters = Arc::new(Counters::default());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let warmup = Duration::from_secs(1);
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let send_until = start + warmup + Duration::from_secs(secs);
    let start_ns = now_ns() + 100_000_000;
    let phases = Phases {
        measure_from: start_ns + u64::try_from(warmup.as_nanos()).unwrap_or(0),
        send_until,
        give_up: send_until + GIVE_UP,
    };
    let cpu_before = (backend.server_cpu(), cpu_secs("self"), machine_cpu_secs());
    let helpers_before = backend.helpers_cpu();
    let mut tasks = Vec::new();
    for (i, ws) in conns.into_iter().enumerate() {
        let i = u64::try_from(i).unwrap();
        let Some(ws) = ws else { continue };
        tasks.push(tokio::spawn(run_user(
            ws,
            user(i),
            peer(i).map(user),
            sending(i, start),
            counters.clone(),
            phases,
            stop_rx.clone(),
        )));
    }
    tokio::time::sleep_until(send_until).await;
    let send_end_ns = now_ns();
    let load = |c: &std::sync::atomic::AtomicU64| c.load(Ordering::Relaxed);
    let backlog = load(&counters.sent).saturating_sub(load(&counters.delivered));
    // Drained: every send answered, and every acknowledged message delivered.
    let mut drained = false;
    while tokio::time::Instant::now() < phases.give_up {
        let (sent, acked, refused) = (
            load(&counters.sent),
            load(&counters.acked),
            load(&counters.refused),
        );
        if acked + refused >= sent && load(&counters.delivered) >= acked {
            drained = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let _ = stop_tx.send(true);
    let cpu_after = (backend.server_cpu(), cpu_secs("self"), machine_cpu_secs());
    let helpers_cpu = backend
        .helpers_cpu()
        .zip(helpers_before)
        .map(|(a, b)| Helpers {
            postgres: a.postgres - b.postgres,
            nats: a.nats - b.nats,
        });
    let helpers_total = helpers_cpu.map_or(0.0, |h| h.postgres + h.nats);
    let wall = (now_ns() - start_ns.min(now_ns())) as f64 / 1e9;
    let (mut delivery, mut puback) = (Vec::new(), Vec::new());
    for t in tasks {
        let s = t.await.unwrap();
        delivery.extend(s.delivery);
        puback.extend(s.puback);
    }
    delivery.sort_unstable();
    puback.sort_unstable();
    let last = load(&counters.last_delivery_ns);
    let server_cpu = cpu_after.0 - cpu_before.0;
    let client_cpu = cpu_after.1 - cpu_before.1;
    let machine_cpu = cpu_after.2 - cpu_before.2;
    Run {
        connected,
        sent: load(&counters.sent),
        acked: load(&counters.acked),
        delivered: load(&counters.delivered),
        refused: load(&counters.refused),
        duplicates: load(&counters.duplicates),
        direct: load(&counters.direct),
        span_secs: last.saturating_sub(start_ns) as f64 / 1e9,
        drain_secs: last.saturating_sub(send_end_ns) as f64 / 1e9,
        backlog,
        drained,
        delivery,
        puback,
        server_cpu,
        client_cores: client_cpu / wall.max(1e-9),
        other_cores: ((machine_cpu - server_cpu - client_cpu - helpers_total) / wall.max(1e-9))
            .max(0.0),
        helpers_cpu,
        cross_node,
    }
}

/// On PostgreSQL, what the line adds: the CPU of PostgreSQL and NATS per delivered message,
/// the total with the nodes', and how many senders had their receiver on another node.
fn helpers_note(r: &Run) -> String {
    let Some(h) = r.helpers_cpu else {
        return String::new();
    };
    let per = |secs: f64| secs * 1e6 / (r.delivered.max(1) as f64);
    format!(
        " [server CPU above is every node's; PostgreSQL {:.0} µs, NATS {:.0} µs, all of them \
         {:.0} µs per delivered message; {} of {} senders' receivers on another node]",
        per(h.postgres),
        per(h.nats),
        per(r.server_cpu + h.postgres + h.nats),
        r.cross_node.0,
        r.cross_node.1,
    )
}

/// Prints one open-loop run: offered and delivered rates, drain, latencies, CPU.
fn report(label: &str, offered: u64, r: &Run) {
    let ms = percentile;
    println!(
        "{label}: offered {offered}/s -> delivered {:.0}/s over {:.2} s until the last delivery \
         ({} sent, {} acknowledged, {} delivered ({} as s_msg, {} twice), {} refused; backlog {} \
         when sending stopped, \
         drained {} in {:.2} s); send -> receive p50 {:.2} ms, p99 {:.2} ms, p99.9 {:.2} ms; \
         PUBACK p50 {:.2} ms, p99 {:.2} ms; server CPU {:.0} µs per delivered message; load \
         generator {:.2} cores, rest of the machine {:.2} cores; {} users connected{}",
        r.delivered_per_sec(),
        r.span_secs,
        r.sent,
        r.acked,
        r.delivered,
        r.direct,
        r.duplicates,
        r.refused,
        r.backlog,
        if r.drained { "yes" } else { "NO" },
        r.drain_secs,
        ms(&r.delivery, 0.5),
        ms(&r.delivery, 0.99),
        ms(&r.delivery, 0.999),
        ms(&r.puback, 0.5),
        ms(&r.puback, 0.99),
        r.server_cpu * 1e6 / (r.delivered.max(1) as f64),
        r.client_cores,
        r.other_cores,
        r.connected,
        helpers_note(r),
    );
}

/// Open loop: `senders` of `users` users (the first half) each send at `rate / senders` per
/// second to a user of the other half, at fixed times whether or not acknowledgements came
/// back.
async fn open_loop(setup: Setup, users: u64, rate: u64, secs: u64) -> Run {
    let senders = (users / 2).max(1);
    let period = Duration::from_secs_f64(senders as f64 / rate.max(1) as f64);
    run(
        setup,
        users,
        |i| (i < senders).then_some(senders + i % (users - senders).max(1)),
        |i, start| Sending::Every {
            start: start + period.mul_f64(i as f64 / senders as f64),
            period,
        },
        secs,
    )
    .await
}

async fn idle_connections(setup: Setup, n: u64) {
    let server = Backend::start(setup);
    // A few connections first (to every node), so that the baseline includes the runtime's
    // warm-up.
    let warm = 16 * setup.nodes;
    drop(connect_spread(warm, |u| server.addr_of(u, warm)).await);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = server.rss_kib();
    let nats_before = server.nats_rss_kib();
    let t = Instant::now();
    let conns: Vec<Ws> = connect_spread(n, |u| server.addr_of(u, n))
        .await
        .into_iter()
        .flatten()
        .collect();
    let connect_secs = t.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_after = server.rss_kib();
    let nats_after = server.nats_rss_kib();
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
    let nodes = if setup.nodes > 1 { ", every node" } else { "" };
    println!(
        "memory per idle connection: {:.1} KiB (server RSS {:.1} MiB -> {:.1} MiB{nodes})",
        per_conn / 1024.0,
        rss_before as f64 / 1024.0,
        rss_after as f64 / 1024.0
    );
    if let (Some(before), Some(after)) = (nats_before, nats_after) {
        println!(
            "nats-server: {:.1} KiB per idle connection (RSS {:.1} MiB -> {:.1} MiB: a \
             subscription per connected user)",
            after.saturating_sub(before) as f64 / n.max(1) as f64,
            before as f64 / 1024.0,
            after as f64 / 1024.0
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is accepted and ignored.
    let conns = env_or("IM_BENCH_CONNS", 10_000);
    let users = env_or("IM_BENCH_USERS", 2_000).max(2);
    let window = usize::try_from(env_or("IM_BENCH_WINDOW", 8))
        .unwrap_or(8)
        .max(1);
    let secs = env_or("IM_BENCH_SECS", 10).max(1);
    let latency_users = env_or("IM_BENCH_LATENCY_USERS", 200).max(2);
    let latency_rate = env_or("IM_BENCH_RATE", 5_000).max(1);
    let rates: Vec<u64> = std::env::var("IM_BENCH_RATES")
        .unwrap_or_else(|_| "5000,10000,15000,20000".into())
        .split(',')
        .filter_map(|r| r.trim().parse().ok())
        .collect();
    let setup = Setup::from_env();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        println!("im-server load benchmark: 127.0.0.1, {}", setup.describe());
        let only = std::env::var("IM_BENCH_ONLY").unwrap_or_default();
        let run_it = |name: &str| only.is_empty() || only == name;
        if run_it("idle") {
            idle_connections(setup, conns).await;
        }
        if run_it("open") {
            // The knee: the highest offered rate whose p99 stayed within 10 ms.
            let mut knee: Option<u64> = None;
            let mut crossed: Option<u64> = None;
            for &rate in &rates {
                let r = open_loop(setup, users, rate, secs).await;
                report(
                    &format!("open loop, {users} users ({} senders)", users / 2),
                    rate,
                    &r,
                );
                let p99 = percentile(&r.delivery, 0.99);
                if p99 <= 10.0 && r.drained && crossed.is_none() {
                    knee = Some(rate);
                } else if crossed.is_none() {
                    crossed = Some(rate);
                }
            }
            match (knee, crossed) {
                (Some(k), Some(c)) => println!(
                    "knee: p99 within 10 ms up to {k}/s offered; over it (or not drained) at {c}/s"
                ),
                (Some(k), None) => println!("knee: p99 within 10 ms at every rate up to {k}/s"),
                (None, _) => println!("knee: p99 over 10 ms already at the lowest rate"),
            }
        }
        if run_it("latency") {
            let r = open_loop(setup, latency_users, latency_rate, secs).await;
            report(
                &format!(
                    "latency, {latency_users} users ({} senders)",
                    latency_users / 2
                ),
                latency_rate,
                &r,
            );
        }
        if run_it("throughput") {
            let r = run(
                setup,
                users,
                |i| Some((i + 1) % users),
                |_, _| Sending::Window(window),
                secs,
            )
            .await;
            println!(
                "closed loop ({window} in flight per user, {users} users in a ring, {secs} s): \
                 {:.0} messages/s delivered until the last delivery ({} delivered, drained {} \
                 in {:.2} s, {} refused); server CPU {:.0} µs per delivered message; load \
                 generator {:.2} cores, rest of the machine {:.2} cores{}",
                r.delivered_per_sec(),
                r.delivered,
                if r.drained { "yes" } else { "NO" },
                r.drain_secs,
                r.refused,
                r.server_cpu * 1e6 / (r.delivered.max(1) as f64),
                r.client_cores,
                r.other_cores,
                helpers_note(&r),
            );
        }
    });
}
