//! A user block ends by itself (server-api.md §2.1 `user/block`, §3 item 8): once its end time
//! has come the user connects again and `user/block/query` no longer lists them, both on a
//! running server and for a stored block that ended while the server was down.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{api, connect_raw, start, Client};
use im_server::clock::wall_ms;
use im_wire::{ClientFrame, ServerFrame};
use serde_json::json;

const SECRET: &str = "test-app-secret-0123456789";

#[tokio::test]
async fn a_block_lets_the_user_back_in_once_its_end_time_has_come() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let (status, _) = api(
        server.addr,
        SECRET,
        "/user/block.json",
        "userId=alice&minute=1",
    )
    .await;
    assert_eq!(status, 200);
    let (_ws, first) = connect_raw(&server, "testkey", &server.issue_token("alice")).await;
    assert!(
        matches!(first, ServerFrame::ConnAck(a) if a.status == 9),
        "BLOCK"
    );

    // The API counts in minutes; move the end time to now (in memory and in the store, as
    // `user/block` writes it) instead of waiting for it.
    let now = wall_ms();
    server.state().blocks.block("alice", now);
    server
        .state()
        .store
        .call(move |s| s.block_users(&["alice".into()], now))
        .await
        .unwrap();
    let mut alice = Client::connect(&server, "alice").await;
    alice.send(ClientFrame::PingReq).await;
    assert_eq!(alice.recv().await, Some(ServerFrame::PingResp));
    let (_, listed) = api(server.addr, SECRET, "/user/block/query.json", "").await;
    assert_eq!(listed["users"], json!([]));
    drop(alice);
    server.stop().await;

    // A stored block that ended while the server was down is gone after the restart, while a
    // running one is kept.
    common::store::with_store(dir.path(), |store| {
        store.block_users(&["bob".into()], wall_ms() - 1).unwrap();
        store
            .block_users(&["carol".into()], wall_ms() + 600_000)
            .unwrap();
    });
    let server = start(dir.path(), |_| {}).await;
    let mut bob = Client::connect(&server, "bob").await;
    bob.send(ClientFrame::PingReq).await;
    assert_eq!(bob.recv().await, Some(ServerFrame::PingResp));
    let (_ws, first) = connect_raw(&server, "testkey", &server.issue_token("carol")).await;
    assert!(matches!(first, ServerFrame::ConnAck(a) if a.status == 9));
    let (_, listed) = api(server.addr, SECRET, "/user/block/query.json", "").await;
    assert_eq!(listed["users"].as_array().unwrap().len(), 1);
    assert_eq!(listed["users"][0]["userId"], "carol");
    server.stop().await;
}
