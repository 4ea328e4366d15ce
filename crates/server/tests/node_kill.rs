//! Two nodes as child processes sharing one store and one NATS bus: one is killed with SIGKILL
//! while a user on it is sending; every acknowledged message reaches the peer on the other node
//! exactly once and in order, after the sender moves to the surviving node and the peer to the
//! restarted one.
//!
//! The store is one SQLite file both processes open (see `two_nodes.rs`), or with
//! `IM_TEST_STORE=postgres` one PostgreSQL database (`spawn_server_with` passes `IM_STORE`).

// Test support functions outside #[test] fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;
use std::process::Command;

use common::process::{spawn_server_with, Spawned, APP_KEY, APP_SECRET};
use common::testbus::TempNats;
use common::{content_of, text, Client};
use im_wire::frame::{ClientPublish, Qos};
use im_wire::proto::{self, DownStreamMessage};
use im_wire::{ClientFrame, ServerFrame};

fn token(user: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_im-server"))
        .args(["token", user])
        .env("IM_APP_KEY", APP_KEY)
        .env("IM_APP_SECRET", APP_SECRET)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn node(dir: &std::path::Path, bus: &TempNats, id: &str) -> (Spawned, std::net::SocketAddr) {
    let url = bus.url();
    spawn_server_with(dir, &[("IM_BUS", url.as_str()), ("IM_NODE_ID", id)])
}

async fn connect(addr: std::net::SocketAddr, user: &str) -> Client {
    Client::connect_with(addr, APP_KEY, &token(user), user).await
}

/// Sends a text to `to`; `false` when the connection ended before the PUBACK.
async fn send(c: &mut Client, to: &str, words: &str) -> bool {
    let msg_id = c.id();
    c.send(ClientFrame::Publish(ClientPublish {
        qos: Qos::AtLeastOnce,
        topic: "ppMsgP".into(),
        target_id: to.into(),
        msg_id,
        payload: proto::encode(&text(words)),
    }))
    .await;
    while let Some(f) = c.recv().await {
        if let ServerFrame::PubAck(a) = f {
            if a.msg_id == msg_id {
                return a.status == 0;
            }
        }
    }
    false
}

fn received(list: Vec<DownStreamMessage>) -> Vec<String> {
    list.iter()
        .filter(|m| m.direction != Some(1))
        .map(content_of)
        .collect()
}

#[tokio::test]
async fn every_acknowledged_message_arrives_once_after_a_node_is_killed_mid_traffic() {
    let Some(bus) = TempNats::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut a, a_addr) = node(dir.path(), &bus, "1");
    let (_b, b_addr) = node(dir.path(), &bus, "2");
    let mut bob = connect(b_addr, "bob").await;
    let mut got = received(bob.sync().await);

    // Alice sends through node A until it is killed under her.
    let mut alice = connect(a_addr, "alice").await;
    let (acked_tx, mut acked_rx) = tokio::sync::mpsc::unbounded_channel();
    let sender = tokio::spawn(async move {
        for i in 0.. {
            let words = format!("a{i}");
            if !send(&mut alice, "bob", &words).await {
                return;
            }
            let _ = acked_tx.send(words);
        }
    });
    let mut acked = Vec::new();
    while acked.len() < 20 {
        acked.push(acked_rx.recv().await.unwrap());
    }
    a.kill().unwrap(); // SIGKILL: no shutdown path runs.
    a.wait().unwrap();
    sender.await.unwrap();
    while let Ok(words) = acked_rx.try_recv() {
        acked.push(words);
    }
    // What bob on node B was told of meanwhile.
    got.extend(received(bob.sync().await));

    // Alice reconnects to node B and goes on.
    let mut alice = connect(b_addr, "alice").await;
    alice.sync().await;
    for i in 0..5 {
        let words = format!("b{i}");
        assert!(send(&mut alice, "bob", &words).await);
        acked.push(words);
    }

    // Node A comes back; bob moves to it, keeping his place, and syncs.
    let (_a, a_addr) = node(dir.path(), &bus, "1");
    let (recv_box, send_box) = (bob.recv_box, bob.send_box);
    drop(bob);
    let mut bob = connect(a_addr, "bob").await;
    bob.recv_box = recv_box;
    bob.send_box = send_box;
    got.extend(received(bob.sync().await));

    let unique: HashSet<&String> = got.iter().collect();
    assert_eq!(unique.len(), got.len(), "nothing twice: {got:?}");
    let acked_set: HashSet<&String> = acked.iter().collect();
    for words in &acked {
        assert!(
            unique.contains(words),
            "acknowledged {words} arrived: {got:?}"
        );
    }
    // Beyond the acknowledged ones, at most the one in flight when node A died.
    let extra: Vec<&String> = got.iter().filter(|w| !acked_set.contains(w)).collect();
    assert!(extra.len() <= 1, "{extra:?}");
    // In the order they were sent.
    let order = |w: &String| -> (u8, u32) {
        let (node, n) = w.split_at(1);
        (node.as_bytes()[0], n.parse().unwrap())
    };
    let mut sorted = got.clone();
    sorted.sort_by_key(order);
    assert_eq!(got, sorted, "in the order they were sent");
}
