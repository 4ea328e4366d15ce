//! The blacklist holds on every path that delivers one user's message to another: private
//! and status messages, customer-service sends (`pcMsgP`, `pcuMsgP`), sends to a
//! public-service account, and recalls in a one-to-one conversation. Each is refused with
//! PUBACK 405 and nothing reaches the user who blacklisted the sender.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{content_of, start, text, Client};
use im_wire::enums::downstream_status::RETRIEVED;
use im_wire::frame::Qos;
use im_wire::proto::{self, Add2BlackListInput, DownStreamMessage, UpStreamMessage};
use im_wire::ServerFrame;

const BLACKLISTED: u16 = 405;

fn status_message(words: &str) -> UpStreamMessage {
    let mut up = text(words);
    up.session_id = 0;
    up
}

fn recall_of(uid: &str, target: &str) -> UpStreamMessage {
    UpStreamMessage {
        session_id: 0,
        classname: "RC:RcCmd".into(),
        content: format!(
            r#"{{"messageUId":"{uid}","conversationType":1,"targetId":"{target}","sentTime":0}}"#
        )
        .into_bytes(),
        ..UpStreamMessage::default()
    }
}

#[tokio::test]
async fn a_user_who_blacklisted_the_sender_gets_nothing_from_any_one_to_one_topic() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let mut carol = Client::connect(&server, "carol").await;
    // Bob pulls at connect, as clients do: status messages reach him once he has.
    assert!(bob.sync().await.is_empty());

    let before = alice.publish("ppMsgP", "bob", &text("before")).await;
    assert_eq!(before.status, 0);
    let add = proto::encode(&Add2BlackListInput {
        user_id: "alice".into(),
    });
    let ack = bob.query("addBlack", "alice", add, Qos::AtMostOnce).await;
    assert_eq!(ack.status, 0);

    for topic in ["ppMsgP", "pcMsgP", "pcuMsgP", "pmcMsgN", "pmpMsgN"] {
        let ack = alice.publish(topic, "bob", &text(topic)).await;
        assert_eq!(ack.status, BLACKLISTED, "{topic}");
        assert!(ack.message_uid.is_empty());
    }
    for topic in ["ppMsgP", "pcMsgP"] {
        let ack = alice.publish(topic, "bob", &status_message("typing")).await;
        assert_eq!(ack.status, BLACKLISTED, "status on {topic}");
    }
    let recall = recall_of(&before.message_uid, "bob");
    let ack = alice.publish("recallMsg", "alice", &recall).await;
    assert_eq!(ack.status, BLACKLISTED, "recall");

    // Others still reach bob; the first status message and the only stored ones bob gets are
    // carol's, and alice's earlier message is not recalled.
    assert_eq!(
        carol
            .publish("pcMsgP", "bob", &status_message("carol typing"))
            .await
            .status,
        0
    );
    let f = bob
        .recv_matching(
            |f| matches!(f, ServerFrame::Publish(p) if p.topic == "s_msg" && p.qos == Qos::AtMostOnce),
        )
        .await;
    let ServerFrame::Publish(p) = f else {
        unreachable!()
    };
    let first: DownStreamMessage = proto::decode(&p.payload).unwrap();
    assert_eq!(first.from_user_id, "carol");
    assert_eq!(carol.publish("pcMsgP", "bob", &text("hi")).await.status, 0);
    bob.wait_notify().await;
    let got = bob.sync().await;
    let seen: Vec<(String, String)> = got
        .iter()
        .map(|m| (m.from_user_id.clone(), content_of(m)))
        .collect();
    assert_eq!(
        seen,
        [
            ("alice".to_owned(), "before".to_owned()),
            ("carol".to_owned(), "hi".to_owned())
        ]
    );
    assert_eq!(
        got[0].status & RETRIEVED,
        0,
        "the refused recall recalled nothing"
    );

    // One-way: bob still writes to alice on every path.
    assert_eq!(bob.publish("pcMsgP", "alice", &text("ok")).await.status, 0);
    server.stop().await;
}
