//! Multi-device echo (transport.md §5.6): device B of the sender gets a `3A` sync copy, then a
//! PUBACK with the same id, messageUId and time.

mod common;

use common::{start, text, Client};
use im_wire::ServerFrame;

#[tokio::test]
async fn a_message_sent_from_one_device_is_echoed_to_the_senders_other_device() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.devices_per_user = 2).await;
    let mut phone = Client::connect(&server, "alice").await;
    let mut laptop = Client::connect(&server, "alice").await;
    let ack = phone.publish("ppMsgP", "bob", &text("from phone")).await;
    assert_eq!(ack.status, 0);

    let copy = laptop.recv().await.unwrap();
    let ServerFrame::Publish(p) = copy else {
        panic!("expected a sync PUBLISH, got {copy:?}")
    };
    assert!(p.sync, "dup bit set (3A)");
    assert_eq!(p.topic, "ppMsgP");
    assert_eq!(p.target_id, "bob");
    let up: im_wire::proto::UpStreamMessage = im_wire::proto::decode(&p.payload).unwrap();
    assert_eq!(up.classname, "RC:TxtMsg");
    let done = laptop.recv().await.unwrap();
    let ServerFrame::PubAck(done) = done else {
        panic!("expected a PUBACK, got {done:?}")
    };
    assert_eq!(done.msg_id, p.msg_id);
    assert_eq!(done.message_uid, ack.message_uid);
    assert_eq!(done.timestamp(), ack.timestamp());
    server.stop().await;
}
