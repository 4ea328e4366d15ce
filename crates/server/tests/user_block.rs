//! `user/block`, `user/unblock` and `user/block/query` (server-api.md §2.1, §3 item 8): a blocked
//! user is disconnected at once (DISCONNECT 5), refused with CONNACK 9 until unblocked, also
//! after a restart.

mod common;

use common::{api, connect_raw, start, Client};
use im_wire::frame::Disconnect;
use im_wire::{ClientFrame, ServerFrame};

const SECRET: &str = "test-app-secret-0123456789";

#[tokio::test]
async fn a_blocked_user_is_disconnected_and_refused_until_unblocked() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;

    let (status, _) = api(
        server.addr,
        SECRET,
        "/user/block.json",
        "userId=alice&minute=10",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        alice.recv().await,
        Some(ServerFrame::Disconnect(Disconnect { status: 5 }))
    );
    assert_eq!(alice.recv().await, None, "the session is closed");
    let (_ws, first) = connect_raw(&server, "testkey", &server.issue_token("alice")).await;
    assert!(matches!(first, ServerFrame::ConnAck(a) if a.status == 9));
    bob.send(ClientFrame::PingReq).await;
    assert_eq!(bob.recv().await, Some(ServerFrame::PingResp), "others stay");

    let (_, listed) = api(server.addr, SECRET, "/user/block/query.json", "").await;
    assert_eq!(listed["code"], 200);
    assert_eq!(listed["users"][0]["userId"], "alice");
    let end = listed["users"][0]["blockEndTime"].as_str().unwrap();
    assert_eq!(end.len(), "YYYY-MM-DD HH:MM:SS".len());

    for bad in [
        "userId=alice&minute=0",
        "userId=alice&minute=x",
        "userId=alice",
    ] {
        let (status, body) = api(server.addr, SECRET, "/user/block.json", bad).await;
        assert_eq!((status, body["code"].as_i64()), (400, Some(1002)), "{bad}");
    }
    let long = format!("userId={}", "x".repeat(70));
    let (_, body) = api(server.addr, SECRET, "/user/unblock.json", &long).await;
    assert_eq!(body["code"], 1002);

    // The block is stored: it outlives a restart.
    server.stop().await;
    let server = start(dir.path(), |_| {}).await;
    let (_ws, first) = connect_raw(&server, "testkey", &server.issue_token("alice")).await;
    assert!(matches!(first, ServerFrame::ConnAck(a) if a.status == 9));

    let (status, _) = api(server.addr, SECRET, "/user/unblock.json", "userId=alice").await;
    assert_eq!(status, 200);
    let mut alice = Client::connect(&server, "alice").await;
    alice.send(ClientFrame::PingReq).await;
    assert_eq!(alice.recv().await, Some(ServerFrame::PingResp));
    let (_, listed) = api(server.addr, SECRET, "/user/block/query.json", "").await;
    assert_eq!(listed["users"], serde_json::json!([]));
    server.stop().await;
}
