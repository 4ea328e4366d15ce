//! `user/token/expire` ends the sessions opened with older tokens (DISCONNECT 4) and refuses
//! those tokens afterwards, while a newer token keeps working.

mod common;

use common::{api, start, Client};
use im_wire::frame::Disconnect;
use im_wire::{ClientFrame, ServerFrame};

#[tokio::test]
async fn expiring_tokens_disconnects_sessions_opened_with_them() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let old_token = server.issue_token("alice");
    let now = im_server::clock::wall_ms();
    let (status, _) = api(
        server.addr,
        "test-app-secret-0123456789",
        "/user/token/expire.json",
        &format!("userId=alice&time={}", now + 1),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        alice.recv().await,
        Some(ServerFrame::Disconnect(Disconnect { status: 4 }))
    );
    assert_eq!(alice.recv().await, None, "the session is closed");

    let (_ws, first) = common::connect_raw(&server, "testkey", &old_token).await;
    assert!(matches!(first, ServerFrame::ConnAck(a) if a.status == 4));

    // Other users are untouched, and a token issued after the expiry time works.
    bob.send(ClientFrame::PingReq).await;
    assert_eq!(bob.recv().await, Some(ServerFrame::PingResp));
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let mut again = Client::connect(&server, "alice").await;
    again.send(ClientFrame::PingReq).await;
    assert_eq!(again.recv().await, Some(ServerFrame::PingResp));
    server.stop().await;
}
