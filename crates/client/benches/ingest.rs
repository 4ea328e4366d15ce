//! Connect-time ingest: 10,000 offline messages across 1,000 conversations arrive in pull batches
//! of 200, then the conversation list and the total unread count are read. Prints the times,
//! with the local message store off, on (default budget) and on with a budget small enough to
//! evict; the median of a few alternating rounds each.
//!
//! Run with `cargo bench -p im-client --bench ingest`. The same engine runs in wasm; this native
//! run measures the engine's own work.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use im_client::wire::frame::{ConnAck, Qos, QueryAck};
use im_client::wire::proto::{self, DownStreamMessage, DownStreamMessages};
use im_client::wire::{ClientFrame, ServerFrame};
use im_client::{Config, Engine, Event, Output};

const MESSAGES: usize = 10_000;
const CONVERSATIONS: usize = 1_000;
const BATCH: usize = 200;

fn drain(e: &mut Engine) -> Vec<Output> {
    let mut out = Vec::new();
    loop {
        match e.poll_output() {
            Output::Timeout { .. } => return out,
            o => out.push(o),
        }
    }
}

fn pull_id(outs: &[Output]) -> Option<u16> {
    outs.iter().find_map(|o| match o {
        Output::SendBytes { bytes } => match ClientFrame::decode(bytes) {
            Ok(ClientFrame::Query(q)) if q.topic == "pullMsg" => Some(q.msg_id),
            _ => None,
        },
        _ => None,
    })
}

fn connected_engine(store_budget: usize) -> (Engine, Vec<Output>) {
    let mut c = Config::new("appkey");
    c.navi_hosts = vec!["nav.test".into()];
    c.secure = false;
    c.store_budget = store_budget;
    let mut e = Engine::new(c);
    drain(&mut e);
    e.connect(0, "token");
    let outs = drain(&mut e);
    let navi = outs
        .iter()
        .find_map(|o| match o {
            Output::HttpGet { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap();
    e.handle_http_response(
        1,
        navi,
        200,
        r#"{"code":200,"server":"cmp.test","userId":"me"}"#,
    );
    let outs = drain(&mut e);
    let ping = outs
        .iter()
        .find_map(|o| match o {
            Output::HttpGet { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap();
    e.handle_http_response(2, ping, 200, "");
    drain(&mut e);
    e.handle_socket_open(3);
    let ack = ServerFrame::ConnAck(ConnAck::accepted("me", "s", 1_700_000_000_000))
        .encode()
        .unwrap();
    e.handle_socket_data(4, &ack);
    let outs = drain(&mut e);
    (e, outs)
}

fn batch(start: usize) -> Vec<DownStreamMessage> {
    (start..(start + BATCH).min(MESSAGES))
        .map(|i| DownStreamMessage {
            from_user_id: format!("user{:04}", i % CONVERSATIONS),
            r#type: 1,
            classname: "RC:TxtMsg".into(),
            content: format!(r#"{{"content":"offline message {i}","extra":""}}"#).into_bytes(),
            data_time: 1_600_000_000_000 + i as i64,
            msg_id: Some(format!("UID-{i:06}")),
            ..Default::default()
        })
        .collect()
}

/// What one ingest took, with the store's writes (count, bytes).
struct Run {
    ingest: Duration,
    writes: usize,
    bytes: usize,
}

fn ingest(store_budget: usize) -> (Engine, Run) {
    let (mut e, mut outs) = connected_engine(store_budget);
    let start = Instant::now();
    let mut delivered = 0usize;
    let mut sent = 0usize;
    let (mut writes, mut bytes) = (0usize, 0usize);
    while sent < MESSAGES {
        let id = pull_id(&outs).expect("the engine pulls while the server has more");
        let list = batch(sent);
        sent += list.len();
        let reply = DownStreamMessages {
            list,
            sync_time: 0,
            finished: Some(sent >= MESSAGES),
        };
        let frame = ServerFrame::QueryAck(QueryAck {
            qos: Qos::AtLeastOnce,
            msg_id: id,
            date: 0,
            status: 0,
            payload: proto::encode(&reply),
        });
        e.handle_socket_data(10, &frame.encode().unwrap());
        outs = drain(&mut e);
        for o in &outs {
            match o {
                Output::Event {
                    event: Event::MessageReceived { .. },
                } => delivered += 1,
                Output::Persist { key, value } if key.starts_with("msg") => {
                    writes += 1;
                    bytes += value.len();
                }
                _ => {}
            }
        }
    }
    let ingest = start.elapsed();
    assert_eq!(delivered, MESSAGES);
    (
        e,
        Run {
            ingest,
            writes,
            bytes,
        },
    )
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn main() {
    const ROUNDS: usize = 5;
    let cases = [
        ("store off", 0),
        ("store on, 4 MiB budget", im_client::DEFAULT_STORE_BUDGET),
        ("store on, 512 KiB budget (evicting)", 512 * 1024),
    ];
    // `-- <n>` runs only case n (0, 1, 2), once: for profilers and instruction counts.
    if let Some(n) = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
    {
        let (name, budget) = cases[n.min(cases.len() - 1)];
        let (_, run) = ingest(budget);
        println!("{name}: {:.2} ms", run.ingest.as_secs_f64() * 1e3);
        return;
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    let mut last: Vec<Option<Run>> = (0..cases.len()).map(|_| None).collect();
    for round in 0..ROUNDS {
        for i in 0..cases.len() {
            // Alternate the order so that no case always runs first.
            let i = if round % 2 == 0 {
                i
            } else {
                cases.len() - 1 - i
            };
            let (_, run) = ingest(cases[i].1);
            times[i].push(run.ingest);
            last[i] = Some(run);
        }
    }
    println!("ingest of {MESSAGES} offline messages across {CONVERSATIONS} conversations (batches of {BATCH}), median of {ROUNDS}");
    let base = median(times[0].clone());
    for (i, (name, _)) in cases.iter().enumerate() {
        let t = median(times[i].clone());
        let run = last[i].as_ref().unwrap();
        println!(
            "  {name:<38} {:>9.2} ms ({:.0} messages/s, {:.2}x), store writes: {} keys, {:.1} MB",
            t.as_secs_f64() * 1e3,
            MESSAGES as f64 / t.as_secs_f64(),
            t.as_secs_f64() / base.as_secs_f64(),
            run.writes,
            run.bytes as f64 / 1e6,
        );
    }

    let (mut e, _) = ingest(im_client::DEFAULT_STORE_BUDGET);
    let t = Instant::now();
    let list = e.conversation_list(&[], true);
    let list_time = t.elapsed();
    let t = Instant::now();
    let total = e.total_unread_count(&[]);
    let total_time = t.elapsed();
    assert_eq!((list.len(), total as usize), (CONVERSATIONS, MESSAGES));
    let t = Instant::now();
    let (found, matched) = e.search_messages(1, "user0042", "MESSAGE 9", 0, 20);
    let search_time = t.elapsed();
    assert!(!found.is_empty());
    let t = Instant::now();
    let hits = e.search_conversations("message 99", &[]);
    let search_all_time = t.elapsed();
    println!(
        "  getConversationList:   {:>10.3} ms ({} conversations)",
        list_time.as_secs_f64() * 1e3,
        list.len()
    );
    println!(
        "  getTotalUnreadCount:   {:>10.3} ms (total {total})",
        total_time.as_secs_f64() * 1e3
    );
    println!(
        "  searchMessageByContent (one conversation): {:>8.3} ms ({matched} matches)",
        search_time.as_secs_f64() * 1e3
    );
    println!(
        "  searchConversationByContent (all):         {:>8.3} ms ({} conversations)",
        search_all_time.as_secs_f64() * 1e3,
        hits.len()
    );
}
