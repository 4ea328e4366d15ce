//! System and public-service conversations (types 6, 7, 8): `message/system/publish` arrives as
//! a SYSTEM message and is found with `qrySMsg`; a client's `pmcMsgN` / `pmpMsgN` to a public
//! service is acknowledged, stored, delivered to that service's account under the sender's id,
//! synced to the sender's other devices, and found with `qryPMsg`.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{api, content_of, history_texts as history, start, text, Client};

const SECRET: &str = "test-app-secret-0123456789";

#[tokio::test]
async fn system_messages_arrive_as_type_6() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut bob = Client::connect(&server, "bob").await;
    let form = "fromUserId=__SYSTEM__&toUserId=bob&objectName=RC%3ATxtMsg&content=%7B%22content%22%3A%22notice%22%7D";
    let (status, _) = api(server.addr, SECRET, "/message/system/publish.json", form).await;
    assert_eq!(status, 200);
    bob.wait_notify().await;
    let got = bob.sync().await;
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].r#type, got[0].from_user_id.as_str()),
        (6, "__SYSTEM__")
    );
    assert_eq!(history(&mut bob, "qrySMsg", "__SYSTEM__").await, ["notice"]);
    server.stop().await;
}

#[tokio::test]
async fn clients_write_to_public_services_in_types_7_and_8() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.devices_per_user = 2).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut laptop = Client::connect(&server, "alice").await;
    let mut service = Client::connect(&server, "mp1").await;

    for (topic, conv_type, body) in [("pmcMsgN", 7, "menu"), ("pmpMsgN", 8, "hello")] {
        let ack = alice.publish(topic, "mp1", &text(body)).await;
        assert_eq!(ack.status, 0, "{topic}");
        assert!(!ack.message_uid.is_empty());

        service.wait_notify().await;
        let got = service.sync().await;
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].r#type, conv_type);
        assert_eq!(got[0].from_user_id, "alice");
        assert_eq!(got[0].msg_id.as_deref(), Some(ack.message_uid.as_str()));
        assert_eq!(content_of(&got[0]), body);

        // The other device pulls its copy: sent by alice, to mp1, same UId and type.
        laptop.wait_notify().await;
        let mine = laptop.sync().await;
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].direction, Some(1));
        assert_eq!(mine[0].r#type, conv_type);
        assert_eq!(mine[0].group_id.as_deref(), Some("mp1"));
        assert_eq!(mine[0].msg_id, got[0].msg_id);
    }
    assert_eq!(
        history(&mut alice, "qryPMsg", "mp1").await,
        ["hello", "menu"]
    );
    assert_eq!(
        history(&mut service, "qryPMsg", "alice").await,
        ["hello", "menu"]
    );
    server.stop().await;
}
