//! Chatroom memory is bounded in bytes: the ring of recent messages per room, the queue of
//! each member, the rooms of the application, and each `chrmPull` reply (≤ 1 MiB, the rest
//! follows after another `s_ntf`).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::chatroom::{join, join_only, pull_from, room_notify, say};
use common::{content_of, start, text, Client};
use im_server::Config;
use im_wire::frame::Qos;
use im_wire::proto::{self, ChrmPullMsg, DownStreamMessages};
use im_wire::ServerFrame;

const KB100: usize = 100_000;

/// `n` messages of about 100 KB each into `room`, numbered from 0; their texts.
async fn big_messages(c: &mut Client, room: &str, n: usize) -> Vec<String> {
    let mut sent = Vec::new();
    for i in 0..n {
        let words = format!("{i:03}{}", "x".repeat(KB100));
        assert_eq!(c.publish("chatMsg", room, &text(&words)).await.status, 0);
        sent.push(words);
    }
    sent
}

fn texts(list: &DownStreamMessages) -> Vec<String> {
    list.list.iter().map(content_of).collect()
}

async fn server(tweak: impl FnOnce(&mut Config)) -> (tempfile::TempDir, im_server::RunningServer) {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| {
        c.rate_per_sec = 10_000;
        c.rate_burst = 10_000;
        tweak(c);
    })
    .await;
    (dir, server)
}

#[tokio::test]
async fn the_ring_of_recent_messages_keeps_the_newest_that_fit_its_bytes() {
    let (_dir, server) = server(|c| c.chatroom.ring_bytes = 350_000).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    join(&mut alice, "lobby", -1).await;
    let sent = big_messages(&mut alice, "lobby", 10).await;
    let recent = join(&mut bob, "lobby", 10).await;
    let got = texts(&recent);
    assert!(!got.is_empty() && got.len() <= 3, "{} kept", got.len());
    assert_eq!(got, sent[sent.len() - got.len()..], "the newest, in order");
    server.stop().await;
}

#[tokio::test]
async fn a_member_queue_keeps_the_newest_that_fit_its_bytes() {
    let (_dir, server) = server(|c| c.chatroom.member_queue_bytes = 350_000).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    join(&mut alice, "lobby", -1).await;
    let cursor = join(&mut bob, "lobby", -1).await.sync_time;
    let sent = big_messages(&mut alice, "lobby", 10).await;
    room_notify(&mut bob).await;
    let got = texts(&pull_from(&mut bob, "lobby", cursor).await);
    assert!(!got.is_empty() && got.len() <= 3, "{} kept", got.len());
    assert_eq!(got, sent[sent.len() - got.len()..]);
    server.stop().await;
}

#[tokio::test]
async fn a_pull_reply_carries_at_most_1_mib_and_the_rest_follows_after_another_notification() {
    let (_dir, server) = server(|c| c.chatroom.member_queue_bytes = 8 * 1024 * 1024).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    join(&mut alice, "lobby", -1).await;
    let mut cursor = join(&mut bob, "lobby", -1).await.sync_time;
    let sent = big_messages(&mut alice, "lobby", 25).await;
    room_notify(&mut bob).await;

    let mut got = Vec::new();
    let mut pulls = 0;
    while got.len() < sent.len() {
        pulls += 1;
        assert!(
            pulls <= 5,
            "{} of {} after {pulls} pulls",
            got.len(),
            sent.len()
        );
        let msg_id = bob.id();
        bob.send(im_wire::ClientFrame::Query(im_wire::frame::Query {
            qos: Qos::AtLeastOnce,
            topic: "chrmPull".into(),
            target_id: "lobby".into(),
            msg_id,
            payload: proto::encode(&ChrmPullMsg {
                sync_time: cursor,
                count: 0,
            }),
        }))
        .await;
        let ServerFrame::QueryAck(ack) = bob
            .recv_matching(|f| matches!(f, ServerFrame::QueryAck(a) if a.msg_id == msg_id))
            .await
        else {
            unreachable!()
        };
        assert_eq!(ack.status, 0);
        assert!(
            ack.payload.len() <= 1024 * 1024,
            "{} bytes",
            ack.payload.len()
        );
        let reply: DownStreamMessages = proto::decode(&ack.payload).unwrap();
        assert!(!reply.list.is_empty());
        got.extend(texts(&reply));
        cursor = reply.sync_time;
        if got.len() < sent.len() {
            // The rest is announced like new messages.
            room_notify(&mut bob).await;
        }
    }
    assert!(pulls >= 3, "25 × 100 KB take three replies");
    assert_eq!(got, sent, "each once, in order");
    server.stop().await;
}

#[tokio::test]
async fn a_join_that_would_create_a_room_beyond_the_limit_is_refused_with_23410() {
    let (_dir, server) = server(|c| c.chatroom.max_rooms = 2).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    assert_eq!(join_only(&mut alice, "one").await, 0);
    assert_eq!(join_only(&mut alice, "two").await, 0);
    assert_eq!(join_only(&mut alice, "three").await, 23410);
    assert_eq!(join_only(&mut bob, "four").await, 23410);
    // Existing rooms may still be joined and used.
    join(&mut bob, "two", -1).await;
    assert_eq!(say(&mut alice, "two", "hi").await.status, 0);
    room_notify(&mut bob).await;
    server.stop().await;
}

#[tokio::test]
async fn chatroom_create_counts_against_the_room_limit_and_creates_all_or_none() {
    use common::api;
    let (_dir, server) = server(|c| c.chatroom.max_rooms = 2).await;
    let secret = "test-app-secret-0123456789";
    let create = |form: &'static str| api(server.addr, secret, "/chatroom/create.json", form);
    let (status, body) = create("chatroom[one]=One").await;
    assert_eq!((status, body["code"].as_i64()), (200, Some(200)), "{body}");
    // Two new rooms where one fits: refused, and neither is created.
    let (status, body) = create("chatroom[two]=Two&chatroom[three]=Three").await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(1502)), "{body}");
    let (_, rooms) = api(
        server.addr,
        secret,
        "/chatroom/query.json",
        "chatroomId=two&chatroomId=three&chatroomId=one",
    )
    .await;
    let ids: Vec<&str> = rooms["chatRooms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["chrmId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["one"], "{rooms}");
    // An existing room again, and one new one: that fits.
    let (status, _) = create("chatroom[one]=One&chatroom[two]=Two").await;
    assert_eq!(status, 200);
    // The limit now holds for joins too.
    let mut alice = Client::connect(&server, "alice").await;
    assert_eq!(join_only(&mut alice, "three").await, 23410);
    assert_eq!(join_only(&mut alice, "two").await, 0);
    server.stop().await;
}
