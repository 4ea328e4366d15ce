//! Private messages: PUBACK after commit, `s_ntf` to the online recipient, pull.

mod common;

use common::{content_of, start, text, Client};
use im_wire::proto::UpStreamMessage;
use im_wire::ServerFrame;

#[tokio::test]
async fn a_private_message_is_acknowledged_notified_and_pulled_by_the_recipient() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;

    let ack = alice.publish("ppMsgP", "bob", &text("hello")).await;
    assert_eq!(ack.status, 0);
    assert_eq!(ack.message_uid.len(), 19);
    assert!(ack.timestamp() > 1_600_000_000_000);

    let ntf = bob.wait_notify().await;
    assert_eq!(ntf.qos, im_wire::frame::Qos::AtLeastOnce);
    let got = bob.sync().await;
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(m.from_user_id, "alice");
    assert_eq!(m.r#type, 1);
    assert_eq!(content_of(m), "hello");
    assert_eq!(m.data_time, i64::try_from(ack.timestamp()).unwrap());
    assert_eq!(m.msg_id.as_deref(), Some(ack.message_uid.as_str()));
    assert_eq!(m.direction, None);

    // The sender's own sent box returns it with direction 1 and the peer as groupId.
    let own = alice.sync().await;
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].direction, Some(1));
    assert_eq!(own[0].group_id.as_deref(), Some("bob"));
    server.stop().await;
}

#[tokio::test]
async fn typing_status_reaches_online_users_directly_and_is_never_stored() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect_synced(&server, "bob").await;
    let typing = UpStreamMessage {
        session_id: 0,
        classname: "RC:TypSts".into(),
        content: br#"{"typingContentType":"RC:TxtMsg","data":""}"#.to_vec(),
        ..UpStreamMessage::default()
    };
    assert_eq!(alice.publish("ppMsgP", "bob", &typing).await.status, 0);
    let direct = bob
        .recv_matching(|f| matches!(f, ServerFrame::Publish(p) if p.topic == "s_msg"))
        .await;
    let ServerFrame::Publish(p) = direct else {
        unreachable!()
    };
    let m: im_wire::proto::DownStreamMessage = im_wire::proto::decode(&p.payload).unwrap();
    assert_eq!(m.classname, "RC:TypSts");
    assert!(bob.sync().await.is_empty(), "not stored, so not pullable");
    server.stop().await;
}
