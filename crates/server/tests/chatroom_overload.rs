//! The overload policy of a member's bounded chatroom queue (server-api.md §3 item 24): a member
//! that does not pull loses low-priority objectNames first, then the oldest ordinary messages;
//! whitelisted objectNames and messages from protected members are always delivered.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::chatroom::{join, pull_from, room_notify, sent_time};
use common::{api, start, Client};
use im_wire::proto::{DownStreamMessage, UpStreamMessage};

fn message(object_name: &str, label: &str) -> UpStreamMessage {
    UpStreamMessage {
        session_id: 3,
        classname: object_name.into(),
        content: format!(r#"{{"label":"{label}"}}"#).into_bytes(),
        ..UpStreamMessage::default()
    }
}

fn label(m: &DownStreamMessage) -> String {
    let v: serde_json::Value = serde_json::from_slice(&m.content).unwrap();
    v["label"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_member_that_does_not_pull_loses_low_priority_first_and_never_protected_messages() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.chatroom.member_queue = 4).await;
    for (path, form) in [
        ("chatroom/message/priority/add", "objectName=App:Like"),
        ("chatroom/whitelist/add", "objectnames=App:Gift"),
        ("chatroom/user/whitelist/add", "chatroomId=arena&userId=vip"),
    ] {
        let (status, body) = api(
            server.addr,
            "test-app-secret-0123456789",
            &format!("/{path}.json"),
            form,
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let mut alice = Client::connect(&server, "alice").await;
    let mut vip = Client::connect(&server, "vip").await;
    let mut slow = Client::connect(&server, "slow").await;
    join(&mut alice, "arena", -1).await;
    join(&mut vip, "arena", -1).await;
    let cursor = join(&mut slow, "arena", -1).await.sync_time;

    // (sender, objectName, label), in sending order; the queue holds 4.
    let script = [
        ("alice", "App:Like", "L1"),
        ("alice", "RC:TxtMsg", "N1"),
        ("alice", "App:Like", "L2"),
        ("alice", "RC:TxtMsg", "N2"),
        ("alice", "RC:TxtMsg", "N3"),
        ("alice", "App:Gift", "G1"),
        ("alice", "App:Like", "L3"),
        ("vip", "RC:TxtMsg", "V1"),
        ("alice", "App:Gift", "G2"),
        ("alice", "App:Gift", "G3"),
        ("alice", "App:Gift", "G4"),
        ("alice", "RC:TxtMsg", "N4"),
    ];
    let mut first_time = None;
    for (sender, name, tag) in script {
        let c = if sender == "vip" {
            &mut vip
        } else {
            &mut alice
        };
        let ack = c.publish("chatMsg", "arena", &message(name, tag)).await;
        assert_eq!(ack.status, 0, "every message is accepted");
        first_time.get_or_insert(sent_time(&ack));
    }
    // The slow member reads its one notification only now, and pulls once.
    let (_, time) = room_notify(&mut slow).await;
    assert_eq!(Some(time), first_time);
    let got = pull_from(&mut slow, "arena", cursor).await;
    let labels: Vec<String> = got.list.iter().map(label).collect();
    assert_eq!(labels, ["G1", "V1", "G2", "G3", "G4"]);
    assert!(got.list.windows(2).all(|w| w[0].data_time < w[1].data_time));
    server.stop().await;
}

#[tokio::test]
async fn while_there_is_room_nothing_is_dropped_and_low_priority_goes_before_older_ordinary() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.chatroom.member_queue = 3).await;
    let (status, _) = api(
        server.addr,
        "test-app-secret-0123456789",
        "/chatroom/message/priority/add.json",
        "objectName=App:Like",
    )
    .await;
    assert_eq!(status, 200);
    let mut alice = Client::connect(&server, "alice").await;
    let mut slow = Client::connect(&server, "slow").await;
    join(&mut alice, "arena", -1).await;
    let cursor = join(&mut slow, "arena", -1).await.sync_time;
    for (name, tag) in [("RC:TxtMsg", "N1"), ("App:Like", "L1"), ("RC:TxtMsg", "N2")] {
        alice.publish("chatMsg", "arena", &message(name, tag)).await;
    }
    room_notify(&mut slow).await;
    let got = pull_from(&mut slow, "arena", cursor).await;
    let labels: Vec<String> = got.list.iter().map(label).collect();
    assert_eq!(labels, ["N1", "L1", "N2"], "a full queue drops nothing");
    for (name, tag) in [
        ("RC:TxtMsg", "N3"),
        ("App:Like", "L2"),
        ("RC:TxtMsg", "N4"),
        ("RC:TxtMsg", "N5"),
    ] {
        alice.publish("chatMsg", "arena", &message(name, tag)).await;
    }
    room_notify(&mut slow).await;
    let got = pull_from(&mut slow, "arena", got.sync_time).await;
    let labels: Vec<String> = got.list.iter().map(label).collect();
    assert_eq!(labels, ["N3", "N4", "N5"]);
    server.stop().await;
}
