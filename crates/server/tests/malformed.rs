//! Bad input: garbage frames, bad protobuf, unknown topics and floods get an error status or a
//! DISCONNECT, never silence or a hang.

mod common;

use common::{start, text, Client};
use im_wire::frame::{ClientPublish, Disconnect, Qos};
use im_wire::{ClientFrame, ServerFrame};

#[tokio::test]
async fn a_garbage_frame_gets_disconnect_and_a_close() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut c = Client::connect(&server, "alice").await;
    c.send_raw(vec![0x32, 0xff, 0xff, 0x01]).await;
    assert!(matches!(
        c.recv().await,
        Some(ServerFrame::Disconnect(Disconnect { status: 3 }))
    ));
    assert_eq!(c.recv().await, None);
    server.stop().await;
}

#[tokio::test]
async fn an_oversize_frame_gets_disconnect() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.max_frame_bytes = 1024).await;
    let mut c = Client::connect(&server, "alice").await;
    let mut big = text("x");
    big.content = vec![b'a'; 1500];
    let id = c.id();
    c.send(ClientFrame::Publish(ClientPublish {
        qos: Qos::AtLeastOnce,
        topic: "ppMsgP".into(),
        target_id: "bob".into(),
        msg_id: id,
        payload: im_wire::proto::encode(&big),
    }))
    .await;
    assert!(matches!(c.recv().await, Some(ServerFrame::Disconnect(_))));
    server.stop().await;
}

#[tokio::test]
async fn bad_protobuf_unknown_topics_and_invalid_targets_get_error_statuses() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut c = Client::connect(&server, "alice").await;
    let id = c.id();
    c.send(ClientFrame::Publish(ClientPublish {
        qos: Qos::AtLeastOnce,
        topic: "ppMsgP".into(),
        target_id: "bob".into(),
        msg_id: id,
        payload: vec![0xff, 0xff, 0xff],
    }))
    .await;
    let ack = c.recv().await.unwrap();
    assert!(matches!(ack, ServerFrame::PubAck(a) if a.msg_id == id && a.status != 0));
    assert_ne!(c.publish("noSuchTopic", "bob", &text("x")).await.status, 0);
    assert_ne!(c.publish("ppMsgP", "", &text("x")).await.status, 0);
    assert_ne!(
        c.query("noSuchQuery", "bob", vec![], Qos::AtMostOnce)
            .await
            .status,
        0
    );
    assert_ne!(
        c.query("qryPMsg", "bob", vec![0xff], Qos::AtMostOnce)
            .await
            .status,
        0
    );
    // Still connected and answering.
    c.send(ClientFrame::PingReq).await;
    assert_eq!(c.recv().await, Some(ServerFrame::PingResp));
    server.stop().await;
}

#[tokio::test]
async fn a_flood_beyond_the_rate_limit_gets_send_frequency_too_fast() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| {
        c.rate_per_sec = 1;
        c.rate_burst = 3;
    })
    .await;
    let mut c = Client::connect(&server, "alice").await;
    let mut statuses = Vec::new();
    // 20 sends against a burst of 3 at 1 per second: refusals whatever the machine's speed.
    for _ in 0..20 {
        statuses.push(c.publish("ppMsgP", "bob", &text("x")).await.status);
    }
    assert!(statuses.contains(&20604), "{statuses:?}");
    server.stop().await;
}
