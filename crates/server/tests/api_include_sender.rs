//! `isIncludeSender=1` on a Server API publish reaches the sender's online devices as a sync
//! copy (transport.md §5.6): a `sync` PUBLISH on the send topic, completed by a PUBACK.

mod common;

use common::{api, start, Client};
use im_wire::proto::{self, UpStreamMessage};
use im_wire::ServerFrame;

#[tokio::test]
async fn an_api_message_with_include_sender_is_echoed_to_the_senders_devices() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let (status, body) = api(
        server.addr,
        "test-app-secret-0123456789",
        "/message/private/publish.json",
        "fromUserId=alice&toUserId=bob&objectName=RC%3ATxtMsg\
         &content=%7B%22content%22%3A%22hi%22%7D&isIncludeSender=1",
    )
    .await;
    assert_eq!(status, 200);
    let uid = body["messageUIDs"][0]["messageUID"]
        .as_str()
        .unwrap()
        .to_owned();

    let publish = match alice.recv().await {
        Some(ServerFrame::Publish(p)) => p,
        other => panic!("expected a sync PUBLISH, got {other:?}"),
    };
    assert!(publish.sync);
    assert_eq!(
        (publish.topic.as_str(), publish.target_id.as_str()),
        ("ppMsgP", "bob")
    );
    let up: UpStreamMessage = proto::decode(&publish.payload).unwrap();
    assert_eq!(up.classname, "RC:TxtMsg");
    assert_eq!(up.content, br#"{"content":"hi"}"#);
    match alice.recv().await {
        Some(ServerFrame::PubAck(a)) => {
            assert_eq!(a.msg_id, publish.msg_id);
            assert_eq!(a.message_uid, uid);
        }
        other => panic!("expected the completing PUBACK, got {other:?}"),
    }

    // Without the flag the sender hears nothing.
    let (status, _) = api(
        server.addr,
        "test-app-secret-0123456789",
        "/message/private/publish.json",
        "fromUserId=alice&toUserId=bob&objectName=RC%3ATxtMsg&content=%7B%7D",
    )
    .await;
    assert_eq!(status, 200);
    alice.send(im_wire::ClientFrame::PingReq).await;
    assert_eq!(alice.recv().await, Some(ServerFrame::PingResp));
    server.stop().await;
}
