//! Connect-time ingest: 10,000 offline messages across 1,000 conversations arrive in pull batches
//! of 200, then the conversation list and the total unread count are read. Prints the times.
//!
//! Run with `cargo bench -p im-client --bench ingest`. The same engine runs in wasm; this native
//! run measures the engine's own work.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

use std::time::Instant;

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

fn connected_engine() -> (Engine, Vec<Output>) {
    let mut c = Config::new("appkey");
    c.navi_hosts = vec!["nav.test".into()];
    c.secure = false;
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

fn main() {
    let (mut e, mut outs) = connected_engine();
    let start = Instant::now();
    let mut delivered = 0usize;
    let mut sent = 0usize;
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
        delivered += outs
            .iter()
            .filter(|o| {
                matches!(
                    o,
                    Output::Event {
                        event: Event::MessageReceived { .. }
                    }
                )
            })
            .count();
    }
    let ingest = start.elapsed();
    assert_eq!(delivered, MESSAGES);

    let t = Instant::now();
    let list = e.conversation_list(&[], true);
    let list_time = t.elapsed();
    let t = Instant::now();
    let total = e.total_unread_count(&[]);
    let total_time = t.elapsed();
    assert_eq!((list.len(), total as usize), (CONVERSATIONS, MESSAGES));

    println!("ingest of {MESSAGES} offline messages across {CONVERSATIONS} conversations (batches of {BATCH})");
    println!(
        "  ingest:                {:>10.2} ms ({:.0} messages/s)",
        ingest.as_secs_f64() * 1e3,
        MESSAGES as f64 / ingest.as_secs_f64()
    );
    println!(
        "  getConversationList:   {:>10.3} ms ({} conversations)",
        list_time.as_secs_f64() * 1e3,
        list.len()
    );
    println!(
        "  getTotalUnreadCount:   {:>10.3} ms (total {total})",
        total_time.as_secs_f64() * 1e3
    );
}
