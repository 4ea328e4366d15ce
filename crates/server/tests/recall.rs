//! Recall (api.md §3.2): `recallMsg` to oneself, the conversation inside the RC:RcCmd content.

mod common;

use common::{start, text, Client};
use im_wire::enums::downstream_status::RETRIEVED;
use im_wire::frame::Qos;
use im_wire::proto::{self, HistoryMessagesOuput, HistoryMsgInput, UpStreamMessage};

#[tokio::test]
async fn a_recalled_message_is_marked_retrieved_and_the_recall_reaches_the_peer() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let ack = alice.publish("ppMsgP", "bob", &text("oops")).await;
    assert_eq!(bob.sync().await.len(), 1);

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
    // Someone else cannot recall it.
    let mut eve = Client::connect(&server, "eve").await;
    assert_eq!(eve.publish("recallMsg", "eve", &cmd).await.status, 25101);
    // Nor can the sender recall it under another conversation.
    let elsewhere = UpStreamMessage {
        content: format!(
            r#"{{"messageUId":"{}","conversationType":1,"targetId":"eve","sentTime":1}}"#,
            ack.message_uid
        )
        .into_bytes(),
        ..cmd.clone()
    };
    assert_eq!(
        alice.publish("recallMsg", "alice", &elsewhere).await.status,
        25101
    );
    let as_group = UpStreamMessage {
        content: format!(
            r#"{{"messageUId":"{}","conversationType":3,"targetId":"bob","sentTime":1}}"#,
            ack.message_uid
        )
        .into_bytes(),
        ..cmd.clone()
    };
    assert_eq!(
        alice.publish("recallMsg", "alice", &as_group).await.status,
        25101
    );

    assert_eq!(alice.publish("recallMsg", "alice", &cmd).await.status, 0);
    bob.wait_notify().await;
    let got = bob.sync().await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].classname, "RC:RcCmd");
    assert_eq!(got[0].from_user_id, "alice");

    let history = bob
        .query(
            "qryPMsg",
            "alice",
            proto::encode(&HistoryMsgInput {
                target_id: Some("alice".into()),
                time: Some(0),
                count: Some(20),
                order: Some(0),
            }),
            Qos::AtMostOnce,
        )
        .await;
    let page: HistoryMessagesOuput = proto::decode(&history.payload).unwrap();
    let original = page
        .list
        .iter()
        .find(|m| m.msg_id.as_deref() == Some(ack.message_uid.as_str()))
        .unwrap();
    assert_eq!(original.status & RETRIEVED, RETRIEVED);
    server.stop().await;
}

fn history_status(page: &HistoryMessagesOuput, uid: &str) -> Option<i64> {
    page.list
        .iter()
        .find(|m| m.msg_id.as_deref() == Some(uid))
        .map(|m| m.status)
}

#[tokio::test]
async fn the_server_api_recalls_only_in_the_messages_own_conversation() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let ack = alice.publish("ppMsgP", "bob", &text("oops")).await;
    assert_eq!(bob.sync().await.len(), 1);
    let recall = |target: &str| {
        format!(
            "fromUserId=alice&targetId={target}&messageUID={}&conversationType=1&sentTime={}",
            ack.message_uid,
            ack.timestamp()
        )
    };
    let history = HistoryMsgInput {
        target_id: Some("alice".into()),
        time: Some(0),
        count: Some(20),
        order: Some(0),
    };

    // Named under another conversation: answered 200 like an unknown UId, and nothing changes.
    let (status, _) = common::api(
        server.addr,
        "test-app-secret-0123456789",
        "/message/recall.json",
        &recall("eve"),
    )
    .await;
    assert_eq!(status, 200);
    let ack_page = bob
        .query("qryPMsg", "alice", proto::encode(&history), Qos::AtMostOnce)
        .await;
    let page: HistoryMessagesOuput = proto::decode(&ack_page.payload).unwrap();
    assert_eq!(
        history_status(&page, &ack.message_uid).unwrap() & RETRIEVED,
        0
    );

    let (status, _) = common::api(
        server.addr,
        "test-app-secret-0123456789",
        "/message/recall.json",
        &recall("bob"),
    )
    .await;
    assert_eq!(status, 200);
    bob.wait_notify().await;
    let got = bob.sync().await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].classname, "RC:RcCmd");
    let cmd: serde_json::Value = serde_json::from_slice(&got[0].content).unwrap();
    assert_eq!(cmd["messageUId"], ack.message_uid.as_str());
    assert_eq!(cmd["targetId"], "bob");
    let ack_page = bob
        .query("qryPMsg", "alice", proto::encode(&history), Qos::AtMostOnce)
        .await;
    let page: HistoryMessagesOuput = proto::decode(&ack_page.payload).unwrap();
    assert_eq!(
        history_status(&page, &ack.message_uid).unwrap() & RETRIEVED,
        RETRIEVED
    );
    server.stop().await;
}
