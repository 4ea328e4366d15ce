//! Blacklist topics (api.md §3.7) and enforcement (PUBACK 405).

mod common;

use common::{start, text, Client};
use im_wire::frame::Qos;
use im_wire::proto::{self, Add2BlackListInput, BlackListStatusInput, QueryBlackListOutput};

#[tokio::test]
async fn a_blacklisted_sender_is_refused_with_405_until_removed() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;

    let stat = |u: &str| proto::encode(&BlackListStatusInput { user_id: u.into() });
    assert_ne!(
        bob.query("blackStat", "alice", stat("alice"), Qos::AtMostOnce)
            .await
            .status,
        0
    );

    let add = proto::encode(&Add2BlackListInput {
        user_id: "alice".into(),
    });
    assert_eq!(
        bob.query("addBlack", "alice", add, Qos::AtMostOnce)
            .await
            .status,
        0
    );
    assert_eq!(
        bob.query("blackStat", "alice", stat("alice"), Qos::AtMostOnce)
            .await
            .status,
        0
    );
    let list = bob
        .query(
            "getBlack",
            "bob",
            proto::encode(&proto::QueryBlackListInput { nothing: 1 }),
            Qos::AtMostOnce,
        )
        .await;
    let out: QueryBlackListOutput = proto::decode(&list.payload).unwrap();
    assert_eq!(out.user_ids, ["alice"]);

    assert_eq!(
        alice.publish("ppMsgP", "bob", &text("hi")).await.status,
        405
    );
    // One-way: bob can still write to alice.
    assert_eq!(bob.publish("ppMsgP", "alice", &text("no")).await.status, 0);

    let rm = proto::encode(&proto::RemoveFromBlackListInput {
        user_id: "alice".into(),
    });
    assert_eq!(
        bob.query("rmBlack", "alice", rm, Qos::AtMostOnce)
            .await
            .status,
        0
    );
    assert_eq!(
        alice
            .publish("ppMsgP", "bob", &text("hi again"))
            .await
            .status,
        0
    );
    server.stop().await;
}
