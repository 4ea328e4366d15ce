//! Two nodes sharing one store and one NATS bus (`IM_BUS`), users on different nodes: private
//! and group messages, recall, a second login that kicks the first across nodes, offline sync,
//! chatrooms, and Server API calls on one node acting on the other's connections.
//!
//! The store: one SQLite file in one data directory that both nodes open (see
//! [`shared_store`]), or with `IM_TEST_STORE=postgres` one PostgreSQL database (the database of
//! that data directory, see `common::store`). SQLite shows everything that crosses the bus; what
//! it cannot show is the order of message times between nodes that commit at once, which only
//! the PostgreSQL store's `message_clock` guarantees, so each inbox here is written by one node
//! at a time.

// Test support functions outside #[test] fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::chatroom::{join, pull_from, room_notify, say};
use common::testbus::TempNats;
use common::{api, content_of, start, text, Client};
use im_server::{Config, RunningServer};
use im_wire::frame::Disconnect;
use im_wire::proto::{DownStreamMessage, UpStreamMessage};
use im_wire::ServerFrame;

const SECRET: &str = "test-app-secret-0123456789";

/// Points a node at the store both nodes share: the SQLite file in `dir`, or the PostgreSQL
/// database of `dir`.
fn shared_store(c: &mut Config, dir: &Path) {
    c.data_dir = dir.to_path_buf();
    c.store = common::store::store_url(dir);
}

async fn node(dir: &Path, bus: &TempNats, id: u32) -> RunningServer {
    start(dir, |c| {
        shared_store(c, dir);
        c.bus = Some(bus.url().parse().unwrap());
        c.node_id = id.try_into().unwrap();
    })
    .await
}

/// Two nodes on one store and one bus, or `None` when the bus is skipped.
async fn pair(dir: &Path) -> Option<(TempNats, RunningServer, RunningServer)> {
    let bus = TempNats::start()?;
    let a = node(dir, &bus, 1).await;
    let b = node(dir, &bus, 2).await;
    Some((bus, a, b))
}

/// Syncs until `n` received messages came (waiting for notifications in between); the
/// user's own sent messages are left out.
async fn receive(c: &mut Client, n: usize) -> Vec<DownStreamMessage> {
    let received =
        |list: Vec<DownStreamMessage>| list.into_iter().filter(|m| m.direction != Some(1));
    let mut got: Vec<DownStreamMessage> = received(c.sync().await).collect();
    while got.len() < n {
        c.wait_notify().await;
        got.extend(received(c.sync().await));
    }
    got
}

fn texts(list: &[DownStreamMessage]) -> Vec<String> {
    list.iter().map(content_of).collect()
}

#[tokio::test]
async fn private_and_group_messages_reach_users_on_the_other_node() {
    let dir = tempfile::tempdir().unwrap();
    let Some((_bus, a, b)) = pair(dir.path()).await else {
        return;
    };
    let mut alice = Client::connect_synced(&a, "alice").await;
    let mut bob = Client::connect_synced(&b, "bob").await;
    for i in 0..3 {
        let ack = alice
            .publish("ppMsgP", "bob", &text(&format!("p{i}")))
            .await;
        assert_eq!(ack.status, 0);
    }
    assert_eq!(texts(&receive(&mut bob, 3).await), ["p0", "p1", "p2"]);
    assert_eq!(
        bob.publish("ppMsgP", "alice", &text("back")).await.status,
        0
    );
    assert_eq!(texts(&receive(&mut alice, 1).await), ["back"]);

    a.state()
        .store
        .call(|s| s.add_members("g1", &["alice".into(), "bob".into(), "carol".into()]))
        .await
        .unwrap();
    let mut carol = Client::connect_synced(&a, "carol").await;
    assert_eq!(bob.publish("pgMsgP", "g1", &text("hi all")).await.status, 0);
    for member in [&mut alice, &mut carol] {
        let got = receive(member, 1).await;
        assert_eq!(texts(&got), ["hi all"]);
        assert_eq!(got[0].group_id.as_deref(), Some("g1"));
    }
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn a_recall_on_one_node_reaches_the_peer_on_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let Some((_bus, a, b)) = pair(dir.path()).await else {
        return;
    };
    let mut alice = Client::connect_synced(&a, "alice").await;
    let mut bob = Client::connect_synced(&b, "bob").await;
    let ack = alice.publish("ppMsgP", "bob", &text("oops")).await;
    assert_eq!(receive(&mut bob, 1).await.len(), 1);
    let cmd = UpStreamMessage {
        session_id: 1,
        classname: "RC:RcCmd".into(),
        content: format!(
            r#"{{"messageUId":"{}","conversationType":1,"targetId":"bob","sentTime":{}}}"#,
            ack.message_uid,
            ack.timestamp()
        )
        .into_bytes(),
        ..UpStreamMessage::default()
    };
    assert_eq!(alice.publish("recallMsg", "alice", &cmd).await.status, 0);
    let got = receive(&mut bob, 1).await;
    assert_eq!(got[0].classname, "RC:RcCmd");
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn a_second_login_on_the_other_node_kicks_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let Some((_bus, a, b)) = pair(dir.path()).await else {
        return;
    };
    let mut first = Client::connect_synced(&a, "alice").await;
    let mut second = Client::connect_synced(&b, "alice").await;
    let kicked = first
        .recv_matching(|f| matches!(f, ServerFrame::Disconnect(_)))
        .await;
    assert_eq!(kicked, ServerFrame::Disconnect(Disconnect { status: 1 }));
    assert_eq!(first.recv().await, None, "the kicked connection is closed");
    second.send(im_wire::ClientFrame::PingReq).await;
    assert_eq!(
        second
            .recv_matching(|f| matches!(f, ServerFrame::PingResp))
            .await,
        ServerFrame::PingResp
    );
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn messages_sent_while_offline_are_synced_on_the_other_node() {
    let dir = tempfile::tempdir().unwrap();
    let Some((_bus, a, b)) = pair(dir.path()).await else {
        return;
    };
    let mut alice = Client::connect_synced(&a, "alice").await;
    for i in 0..5 {
        let ack = alice
            .publish("ppMsgP", "bob", &text(&format!("o{i}")))
            .await;
        assert_eq!(ack.status, 0);
    }
    let mut bob = Client::connect(&b, "bob").await;
    assert_eq!(texts(&bob.sync().await), ["o0", "o1", "o2", "o3", "o4"]);
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn server_api_calls_on_one_node_act_on_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let Some((_bus, a, b)) = pair(dir.path()).await else {
        return;
    };
    // A sensitive word added through node B replaces text sent through node A.
    let (status, _) = api(
        b.addr,
        SECRET,
        "/sensitiveword/add.json",
        "word=darn&replaceWord=***",
    )
    .await;
    assert_eq!(status, 200);
    let mut alice = Client::connect_synced(&a, "alice").await;
    let mut bob = Client::connect_synced(&a, "bob").await;
    // The change crosses the bus: wait for it as a client of node A would see it.
    let mut replaced = false;
    for _ in 0..100 {
        assert_eq!(
            alice
                .publish("ppMsgP", "bob", &text("darn it"))
                .await
                .status,
            0
        );
        let got = receive(&mut bob, 1).await;
        if content_of(&got[0]) == "*** it" {
            replaced = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(replaced, "the word added on node B is replaced on node A");

    // A block through node B ends alice's session on node A with DISCONNECT 5.
    let (status, _) = api(b.addr, SECRET, "/user/block.json", "userId=alice&minute=10").await;
    assert_eq!(status, 200);
    let blocked = alice
        .recv_matching(|f| matches!(f, ServerFrame::Disconnect(_)))
        .await;
    assert_eq!(blocked, ServerFrame::Disconnect(Disconnect { status: 5 }));
    let (_ws, refused) = common::connect_raw(&a, "testkey", &a.issue_token("alice")).await;
    assert!(
        matches!(&refused, ServerFrame::ConnAck(c) if c.status == 9),
        "node A refuses the blocked user: {refused:?}"
    );

    // A token expiry through node A ends bob's session on node B with DISCONNECT 4.
    let mut bob_b = Client::connect_synced(&b, "bob").await;
    let later = im_server::clock::wall_ms() + 60_000;
    let (status, _) = api(
        a.addr,
        SECRET,
        "/user/token/expire.json",
        &format!("userId=bob&time={later}"),
    )
    .await;
    assert_eq!(status, 200);
    let revoked = bob_b
        .recv_matching(|f| matches!(f, ServerFrame::Disconnect(_)))
        .await;
    assert_eq!(revoked, ServerFrame::Disconnect(Disconnect { status: 4 }));
    drop(bob);
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn chatroom_members_on_both_nodes_get_every_message_once_in_one_order() {
    let dir = tempfile::tempdir().unwrap();
    let Some((_bus, a, b)) = pair(dir.path()).await else {
        return;
    };
    let mut ann = Client::connect(&a, "ann").await;
    let mut ben = Client::connect(&b, "ben").await;
    join(&mut ann, "r1", -1).await;
    join(&mut ben, "r1", -1).await;
    // Both send, alternately, through their own node.
    let mut sent = Vec::new();
    for i in 0..5 {
        assert_eq!(say(&mut ann, "r1", &format!("a{i}")).await.status, 0);
        assert_eq!(say(&mut ben, "r1", &format!("b{i}")).await.status, 0);
        sent.push(format!("a{i}"));
        sent.push(format!("b{i}"));
    }
    let mut seen = Vec::new();
    for c in [&mut ann, &mut ben] {
        let (mut cursor, mut got) = (0, Vec::new());
        // Each member gets the other's five messages (its own are not echoed to it).
        while got.len() < 5 {
            let (room, _) = room_notify(c).await;
            assert_eq!(room, "r1");
            let reply = pull_from(c, "r1", cursor).await;
            cursor = reply.sync_time;
            got.extend(reply.list.iter().map(content_of));
        }
        seen.push(got);
    }
    let others =
        |p: char| -> Vec<String> { sent.iter().filter(|s| !s.starts_with(p)).cloned().collect() };
    assert_eq!(
        seen[0],
        others('a'),
        "ann gets ben's messages once, in order"
    );
    assert_eq!(
        seen[1],
        others('b'),
        "ben gets ann's messages once, in order"
    );
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn a_node_whose_bus_is_down_serves_its_local_users() {
    let dir = tempfile::tempdir().unwrap();
    // A loopback port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let a = start(dir.path(), |c| {
        shared_store(c, dir.path());
        c.bus = Some(format!("nats://127.0.0.1:{port}").parse().unwrap());
        c.node_id = 1_u32.try_into().unwrap();
    })
    .await;
    let mut alice = Client::connect_synced(&a, "alice").await;
    let mut bob = Client::connect_synced(&a, "bob").await;
    assert_eq!(
        alice.publish("ppMsgP", "bob", &text("local")).await.status,
        0
    );
    assert_eq!(texts(&receive(&mut bob, 1).await), ["local"]);
    a.stop().await;
}
