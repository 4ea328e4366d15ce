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

mod client;
mod server;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use im_wire::{ClientFrame, ServerFrame};

use client::{connect_all, next_frame, now_ns, run_user, send, user, Counters, Sending, Ws};
use server::{cpu_secs, env_or, machine_cpu_secs, percentile, Server};

const APP_KEY: &str = "benchkey";
const APP_SECRET: &str = "bench-app-secret-0123456789";

/// What a ring run measured.
struct RingRun {
    /// Users whose connection was accepted (the others send and receive nothing).
    connected: usize,
    /// Messages delivered per second in the measured part.
    delivered: f64,
    /// Send → receive latencies (µs) of messages sent in the measured part.
    latencies: Vec<u32>,
    /// PUBACKs with a non-zero status.
    refused: u64,
    /// CPU used by the server and by this load generator, in cores.
    server_cores: f64,
    client_cores: f64,
    /// CPU used on the rest of the machine (other processes, and interrupts not charged to a
    /// process), in cores: a run that shared the cores with something else measured less server
    /// than there is.
    other_cores: f64,
}

/// Runs a ring of `users` users for `warmup + secs`.
async fn ring(
    users: u64,
    sending: impl Fn(u64, tokio::time::Instant) -> Sending,
    secs: u64,
) -> RingRun {
    let server = Server::start();
    let conns = connect_all(server.addr, users).await;
    let connected = conns.iter().flatten().count();
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
    let cpu_before = (cpu_secs(&pid), cpu_secs("self"), machine_cpu_secs());
    tokio::time::sleep_until(until).await;
    let after = counters.delivered.load(Ordering::Relaxed);
    let cpu_after = (cpu_secs(&pid), cpu_secs("self"), machine_cpu_secs());
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    let secs = measured.as_secs_f64();
    let (server_cores, client_cores) = (
        (cpu_after.0 - cpu_before.0) / secs,
        (cpu_after.1 - cpu_before.1) / secs,
    );
    let machine_cores = (cpu_after.2 - cpu_before.2) / secs;
    RingRun {
        connected,
        delivered: (after - before) as f64 / secs,
        latencies,
        refused: counters.refused.load(Ordering::Relaxed),
        server_cores,
        client_cores,
        other_cores: (machine_cores - server_cores - client_cores).max(0.0),
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
                "throughput: {:.0} private messages/s delivered and persisted ({}/{users} users \
                 connected, {window} in flight each, {secs} s, {} refused; CPU: server {:.2} cores = \
                 {:.0} messages per server CPU-second, load generator {:.2} cores, rest of \
                 the machine {:.2} cores)",
                r.delivered,
                r.connected,
                r.refused,
                r.server_cores,
                r.delivered / r.server_cores.max(0.01),
                r.client_cores,
                r.other_cores
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
                 max {:.2} ms ({} samples, {:.0} delivered/s, {}/{users} users connected, {} \
                 refused; CPU: server {:.2} cores, load generator {:.2} cores, rest of the \
                 machine {:.2} cores)",
                percentile(lat, 0.5),
                percentile(lat, 0.99),
                percentile(lat, 1.0),
                lat.len(),
                r.delivered,
                r.connected,
                r.refused,
                r.server_cores,
                r.client_cores,
                r.other_cores
            );
        }
    });
}
