//! `UpStreamMessage.clientMsgId` (docs/protocol-additions.md §7): a send repeated with the same
//! client message id — a resend after a lost PUBACK — gets the first send's PUBACK (same
//! messageUId and time) and is neither stored nor delivered again, also after the server process
//! was killed between committing the first send and the client reading its PUBACK.

// Test support functions outside #[test] fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::process::Command;

use common::process::spawn_server;
use common::{content_of, history_texts, start, text, Client};
use im_wire::frame::{ClientPublish, Qos};
use im_wire::proto::{self, Add2BlackListInput, UpStreamMessage};
use im_wire::ClientFrame;

fn with_id(s: &str, id: &str) -> UpStreamMessage {
    UpStreamMessage {
        client_msg_id: Some(id.into()),
        ..text(s)
    }
}

#[tokio::test]
async fn a_repeated_client_id_gets_the_first_puback_and_is_neither_stored_nor_delivered_again() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;

    let first = alice.publish("ppMsgP", "bob", &with_id("one", "c-1")).await;
    assert_eq!(first.status, 0);
    bob.wait_notify().await;
    let got: Vec<String> = bob.sync().await.iter().map(content_of).collect();
    assert_eq!(got, ["one"]);

    // The same id again, on the same connection and on a new one (which replaces it): the
    // first PUBACK, whatever the content says now.
    let again = alice.publish("ppMsgP", "bob", &with_id("one", "c-1")).await;
    let mut alice = Client::connect(&server, "alice").await;
    let other = alice
        .publish("ppMsgP", "bob", &with_id("changed", "c-1"))
        .await;
    for repeat in [&again, &other] {
        assert_eq!(repeat.status, 0);
        assert_eq!(repeat.message_uid, first.message_uid);
        assert_eq!(repeat.timestamp(), first.timestamp());
    }

    // Checks made since do not undo an accepted send: bob blacklists alice, and the repeat is
    // still the first PUBACK, while a new send is refused.
    let add = proto::encode(&Add2BlackListInput {
        user_id: "alice".into(),
    });
    assert_eq!(
        bob.query("addBlack", "alice", add, Qos::AtMostOnce)
            .await
            .status,
        0
    );
    let blocked = alice.publish("ppMsgP", "bob", &with_id("one", "c-1")).await;
    assert_eq!(
        (blocked.status, blocked.message_uid.as_str()),
        (0, first.message_uid.as_str())
    );
    assert_eq!(
        alice
            .publish("ppMsgP", "bob", &with_id("new", "c-2"))
            .await
            .status,
        405
    );
    let rm = proto::encode(&proto::RemoveFromBlackListInput {
        user_id: "alice".into(),
    });
    assert_eq!(
        bob.query("rmBlack", "alice", rm, Qos::AtMostOnce)
            .await
            .status,
        0
    );

    // The id is the sender's: another user's message with it is a new message; and a refused
    // send left no record, so its id still sends.
    let mut carol = Client::connect(&server, "carol").await;
    let carols = carol.publish("ppMsgP", "bob", &with_id("c", "c-1")).await;
    assert_eq!(carols.status, 0);
    assert_ne!(carols.message_uid, first.message_uid);
    let retried = alice.publish("ppMsgP", "bob", &with_id("two", "c-2")).await;
    assert_eq!(retried.status, 0);
    assert_ne!(retried.message_uid, first.message_uid);

    // Bob got each message once; alice's history holds hers once.
    let got: Vec<String> = bob.sync().await.iter().map(content_of).collect();
    assert_eq!(got, ["c", "two"]);
    assert_eq!(
        history_texts(&mut alice, "qryPMsg", "bob").await,
        ["two", "one"]
    );

    // Without an id nothing is de-duplicated (original clients); an id over 64 bytes is refused.
    let plain = alice.publish("ppMsgP", "bob", &text("one")).await;
    let plain2 = alice.publish("ppMsgP", "bob", &text("one")).await;
    assert_ne!(plain.message_uid, plain2.message_uid);
    let long = alice
        .publish("ppMsgP", "bob", &with_id("x", &"i".repeat(65)))
        .await;
    assert_eq!(long.status, 33003);
}

fn token(user: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_im-server"))
        .args(["token", user])
        .env("IM_APP_KEY", common::process::APP_KEY)
        .env("IM_APP_SECRET", common::process::APP_SECRET)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[tokio::test]
async fn a_repeat_after_kill_9_between_commit_and_puback_gets_the_first_puback() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, addr) = spawn_server(dir.path());
    let mut alice = Client::connect_with(addr, "testkey", &token("alice"), "alice").await;
    let mut bob = Client::connect_with(addr, "testkey", &token("bob"), "bob").await;

    // Alice's PUBLISH is committed (bob is told and syncs it), but alice never reads its
    // PUBACK before the process is killed.
    let msg_id = alice.id();
    alice
        .send(ClientFrame::Publish(ClientPublish {
            qos: Qos::AtLeastOnce,
            topic: "ppMsgP".into(),
            target_id: "bob".into(),
            msg_id,
            payload: proto::encode(&with_id("before", "k-1")),
        }))
        .await;
    bob.wait_notify().await;
    let first = bob.sync().await;
    assert_eq!(first.iter().map(content_of).collect::<Vec<_>>(), ["before"]);
    server.kill().unwrap(); // SIGKILL: no shutdown path runs.
    server.wait().unwrap();

    let (mut server, addr) = spawn_server(dir.path());
    let mut alice = Client::connect_with(addr, "testkey", &token("alice"), "alice").await;
    let repeat = alice
        .publish("ppMsgP", "bob", &with_id("before", "k-1"))
        .await;
    assert_eq!(repeat.status, 0);
    assert_eq!(
        Some(repeat.message_uid.as_str()),
        first[0].msg_id.as_deref()
    );
    assert_eq!(
        i64::try_from(repeat.timestamp()).unwrap(),
        first[0].data_time
    );
    let after = alice
        .publish("ppMsgP", "bob", &with_id("after", "k-2"))
        .await;
    assert_eq!(after.status, 0);

    let mut bob = Client::connect_with(addr, "testkey", &token("bob"), "bob").await;
    let got: Vec<String> = bob.sync().await.iter().map(content_of).collect();
    assert_eq!(got, ["before", "after"], "each once, in order");
    server.kill().unwrap();
    server.wait().unwrap();
}
