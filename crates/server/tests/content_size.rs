//! Content over 128 KB (131,072 bytes, the Server API's limit) is refused on every socket send
//! topic with PUBACK 30016, and nothing of it is stored or delivered; 128 KB exactly goes.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::chatroom::{join, pull_from, room_notify};
use common::{content_of, history_texts, save_discussion, start, text, Client};
use im_server::RunningServer;
use im_wire::proto::UpStreamMessage;

const LIMIT: usize = 128 * 1024;
const TOO_LARGE: u16 = 30016;

/// A text message whose content JSON is exactly `len` bytes.
fn sized(len: usize, session_id: i32) -> UpStreamMessage {
    let frame = r#"{"content":"","extra":""}"#.len();
    let mut up = text(&"x".repeat(len - frame));
    up.session_id = session_id;
    assert_eq!(up.content.len(), len);
    up
}

/// `from` sends one content a byte too large (refused) then a small one on `topic` to
/// `target`; `to` gets only the small one.
async fn only_the_small_one_arrives(from: &mut Client, to: &mut Client, topic: &str, target: &str) {
    let ack = from.publish(topic, target, &sized(LIMIT + 1, 3)).await;
    assert_eq!(ack.status, TOO_LARGE, "{topic}");
    assert!(ack.message_uid.is_empty());
    assert_eq!(from.publish(topic, target, &text("after")).await.status, 0);
    to.wait_notify().await;
    let got: Vec<String> = to.sync().await.iter().map(content_of).collect();
    assert_eq!(got, ["after"], "{topic}");
}

async fn server() -> (tempfile::TempDir, RunningServer) {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    (dir, server)
}

#[tokio::test]
async fn private_customer_service_and_public_service_sends_over_128_kb_are_refused() {
    let (_dir, server) = server().await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let mut kefu = Client::connect(&server, "kefu").await;
    let mut mp = Client::connect(&server, "mp1").await;

    only_the_small_one_arrives(&mut alice, &mut bob, "ppMsgP", "bob").await;
    only_the_small_one_arrives(&mut alice, &mut kefu, "pcMsgP", "kefu").await;
    only_the_small_one_arrives(&mut alice, &mut mp, "pmcMsgN", "mp1").await;
    only_the_small_one_arrives(&mut alice, &mut mp, "pmpMsgN", "mp1").await;

    // 128 KB exactly is the largest accepted.
    assert_eq!(
        alice
            .publish("ppMsgP", "bob", &sized(LIMIT, 3))
            .await
            .status,
        0
    );
    bob.wait_notify().await;
    assert_eq!(bob.sync().await[0].content.len(), LIMIT);
    server.stop().await;
}

#[tokio::test]
async fn a_status_message_over_128_kb_is_not_delivered() {
    let (_dir, server) = server().await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    bob.sync().await;
    // Session id 0: neither persisted nor counted, delivered online as s_msg.
    let ack = alice.publish("ppMsgP", "bob", &sized(LIMIT + 1, 0)).await;
    assert_eq!(ack.status, TOO_LARGE);
    let mut small = text("typing");
    small.session_id = 0;
    assert_eq!(alice.publish("ppMsgP", "bob", &small).await.status, 0);
    let first = bob
        .recv_matching(|f| matches!(f, im_wire::ServerFrame::Publish(p) if p.topic == "s_msg"))
        .await;
    let im_wire::ServerFrame::Publish(p) = first else {
        unreachable!()
    };
    let got: im_wire::proto::DownStreamMessage = im_wire::proto::decode(&p.payload).unwrap();
    assert_eq!(content_of(&got), "typing", "the large one never came");
    server.stop().await;
}

#[tokio::test]
async fn group_and_discussion_sends_over_128_kb_are_refused() {
    let (_dir, server) = server().await;
    server
        .state()
        .store
        .call(|s| s.add_members("g1", &["alice".into(), "bob".into()]))
        .await
        .unwrap();
    save_discussion(&server, "d1", &["alice", "bob"]).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    only_the_small_one_arrives(&mut alice, &mut bob, "pgMsgP", "g1").await;
    only_the_small_one_arrives(&mut alice, &mut bob, "pdMsgP", "d1").await;
    assert_eq!(history_texts(&mut bob, "qryGMsg", "g1").await, ["after"]);
    server.stop().await;
}

#[tokio::test]
async fn a_recall_over_128_kb_is_refused_and_recalls_nothing() {
    let (_dir, server) = server().await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let sent = alice.publish("ppMsgP", "bob", &text("keep me")).await;
    assert_eq!(sent.status, 0);
    let padding = "p".repeat(LIMIT);
    let recall = UpStreamMessage {
        session_id: 0,
        classname: "RC:RcCmd".into(),
        content: format!(
            r#"{{"messageUId":"{}","conversationType":1,"targetId":"bob","sentTime":0,"extra":"{padding}"}}"#,
            sent.message_uid
        )
        .into_bytes(),
        ..UpStreamMessage::default()
    };
    let ack = alice.publish("recallMsg", "alice", &recall).await;
    assert_eq!(ack.status, TOO_LARGE);
    bob.wait_notify().await;
    let got = bob.sync().await;
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].status & im_wire::enums::downstream_status::RETRIEVED,
        0
    );
    assert_eq!(content_of(&got[0]), "keep me");
    server.stop().await;
}

#[tokio::test]
async fn a_chatroom_message_over_128_kb_is_refused_and_not_seen_by_members() {
    let (_dir, server) = server().await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    join(&mut alice, "lobby", -1).await;
    let cursor = join(&mut bob, "lobby", -1).await.sync_time;

    let ack = alice
        .publish("chatMsg", "lobby", &sized(LIMIT + 1, 3))
        .await;
    assert_eq!(ack.status, TOO_LARGE);
    assert_eq!(
        alice
            .publish("chatMsg", "lobby", &text("after"))
            .await
            .status,
        0
    );
    room_notify(&mut bob).await;
    let got = pull_from(&mut bob, "lobby", cursor).await;
    let texts: Vec<String> = got.list.iter().map(content_of).collect();
    assert_eq!(texts, ["after"]);
    // Nor does it enter the room's history.
    let input = im_wire::proto::encode(&im_wire::proto::HistoryMsgInput {
        target_id: Some("lobby".into()),
        time: Some(0),
        count: Some(10),
        order: Some(0),
    });
    let ack = bob
        .query("qryCHMsg", "bob", input, im_wire::frame::Qos::AtMostOnce)
        .await;
    assert_eq!(ack.status, 0);
    let page: im_wire::proto::HistoryMsgOuput = im_wire::proto::decode(&ack.payload).unwrap();
    let texts: Vec<String> = page.list.iter().map(content_of).collect();
    assert_eq!(texts, ["after"]);
    server.stop().await;
}
