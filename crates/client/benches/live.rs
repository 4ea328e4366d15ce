//! Live receive: 10,000 `s_msg` frames, one per input as they arrive on a socket, each input's
//! outputs drained and serialised to JSON as the wasm boundary does (`pollOutput`; a persisted
//! value crosses as it is). From one
//! sender and from 1,000 senders (a new conversation every message for the first 1,000), with
//! the local message store off and on. Prints messages/s (median of a few alternating rounds)
//! and the store's writes per message (keys and bytes).
//!
//! Run with `cargo bench -p im-client --bench live`; `-- <n>` runs only case n once (for
//! profilers).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::indexing_slicing
)]

use std::time::{Duration, Instant};

use im_client::wire::frame::{ConnAck, Qos, QueryAck, ServerPublish};
use im_client::wire::json_out;
use im_client::wire::proto::{self, DownStreamMessage, DownStreamMessages};
use im_client::wire::{ClientFrame, ServerFrame};
use im_client::{Config, Engine, Event, Output};

const MESSAGES: usize = 10_000;

/// Drains the outputs, serialising each as the boundary does; counts deliveries and store writes.
fn drain(e: &mut Engine, tally: &mut Tally) -> Vec<Output> {
    let mut out = Vec::new();
    loop {
        let o = e.poll_output();
        // As crates/wasm's pollOutput: a persisted value crosses as a string of its own.
        tally.json_bytes += match &o {
            Output::Persist { key, .. } => json_out::text(key).len(),
            _ => json_out::text(&o).len(),
        };
        match &o {
            Output::Timeout { .. } => return out,
            Output::Event {
                event: Event::MessageReceived { .. },
            } => tally.delivered += 1,
            Output::Persist { key, value } if key.starts_with("msg") => {
                tally.writes += 1;
                tally.bytes += value.len();
            }
            _ => {}
        }
        out.push(o);
    }
}

#[derive(Default)]
struct Tally {
    delivered: usize,
    writes: usize,
    bytes: usize,
    json_bytes: usize,
}

fn find_http(outs: &[Output]) -> im_client::RequestId {
    outs.iter()
        .find_map(|o| match o {
            Output::HttpGet { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap()
}

/// A connected engine whose first pull was answered (finished), so `s_msg` is taken.
fn connected_engine(store_budget: usize) -> Engine {
    let mut t = Tally::default();
    let mut c = Config::new("appkey");
    c.navi_hosts = vec!["nav.test".into()];
    c.secure = false;
    c.store_budget = store_budget;
    let mut e = Engine::new(c);
    drain(&mut e, &mut t);
    e.connect(0, "token");
    let navi = find_http(&drain(&mut e, &mut t));
    e.handle_http_response(
        1,
        navi,
        200,
        r#"{"code":200,"server":"cmp.test","userId":"me"}"#,
    );
    let ping = find_http(&drain(&mut e, &mut t));
    e.handle_http_response(2, ping, 200, "");
    drain(&mut e, &mut t);
    e.handle_socket_open(3);
    let ack = ServerFrame::ConnAck(ConnAck::accepted("me", "s", 1_700_000_000_000));
    e.handle_socket_data(4, &ack.encode().unwrap());
    let outs = drain(&mut e, &mut t);
    let pull = outs
        .iter()
        .find_map(|o| match o {
            Output::SendBytes { bytes } => match ClientFrame::decode(bytes) {
                Ok(ClientFrame::Query(q)) if q.topic == "pullMsg" => Some(q.msg_id),
                _ => None,
            },
            _ => None,
        })
        .unwrap();
    let reply = DownStreamMessages {
        list: vec![],
        sync_time: 0,
        finished: Some(true),
    };
    let frame = ServerFrame::QueryAck(QueryAck {
        qos: Qos::AtLeastOnce,
        msg_id: pull,
        date: 0,
        status: 0,
        payload: proto::encode(&reply),
    });
    e.handle_socket_data(5, &frame.encode().unwrap());
    drain(&mut e, &mut t);
    e
}

fn frames(senders: usize) -> Vec<Vec<u8>> {
    (0..MESSAGES)
        .map(|i| {
            let m = DownStreamMessage {
                from_user_id: format!("user{:04}", i % senders),
                r#type: 1,
                classname: "RC:TxtMsg".into(),
                content: format!(r#"{{"content":"live message {i}","extra":""}}"#).into_bytes(),
                data_time: 1_700_000_000_000 + i as i64,
                msg_id: Some(format!("UID-{i:06}")),
                ..Default::default()
            };
            ServerFrame::Publish(ServerPublish {
                qos: Qos::AtMostOnce,
                sync: false,
                date: 0,
                topic: "s_msg".into(),
                target_id: "me".into(),
                msg_id: u16::try_from(i % 65_535 + 1).unwrap(),
                payload: proto::encode(&m),
            })
            .encode()
            .unwrap()
        })
        .collect()
}

fn run(store_budget: usize, frames: &[Vec<u8>]) -> (Duration, Tally) {
    let mut e = connected_engine(store_budget);
    let mut t = Tally::default();
    let start = Instant::now();
    for (i, f) in frames.iter().enumerate() {
        e.handle_socket_data(10 + i as u64, f);
        drain(&mut e, &mut t);
    }
    let took = start.elapsed();
    assert_eq!(t.delivered, MESSAGES);
    (took, t)
}

fn main() {
    const ROUNDS: usize = 5;
    let cases = [
        ("1 sender, store off", 1, 0),
        ("1 sender, store on", 1, im_client::DEFAULT_STORE_BUDGET),
        ("1,000 senders, store off", 1_000, 0),
        (
            "1,000 senders, store on",
            1_000,
            im_client::DEFAULT_STORE_BUDGET,
        ),
    ];
    let inputs: Vec<Vec<Vec<u8>>> = cases.iter().map(|c| frames(c.1)).collect();
    if let Some(n) = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
    {
        let n = n.min(cases.len() - 1);
        let (took, _) = run(cases[n].2, &inputs[n]);
        println!("{}: {:.2} ms", cases[n].0, took.as_secs_f64() * 1e3);
        return;
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    let mut tallies: Vec<Option<Tally>> = (0..cases.len()).map(|_| None).collect();
    for round in 0..ROUNDS {
        for i in 0..cases.len() {
            let i = if round % 2 == 0 {
                i
            } else {
                cases.len() - 1 - i
            };
            let (took, t) = run(cases[i].2, &inputs[i]);
            times[i].push(took);
            tallies[i] = Some(t);
        }
    }
    println!("live receive of {MESSAGES} s_msg, one per input, outputs serialised as JSON; median of {ROUNDS}");
    for (i, (name, _, _)) in cases.iter().enumerate() {
        let mut v = times[i].clone();
        v.sort();
        let t = v[v.len() / 2];
        let tally = tallies[i].as_ref().unwrap();
        println!(
            "  {name:<26} {:>8.1} ms = {:>7.0} messages/s; store writes per message: {:.2} keys, {:.0} B; output JSON per message {:.0} B",
            t.as_secs_f64() * 1e3,
            MESSAGES as f64 / t.as_secs_f64(),
            tally.writes as f64 / MESSAGES as f64,
            tally.bytes as f64 / MESSAGES as f64,
            tally.json_bytes as f64 / MESSAGES as f64,
        );
    }
}
