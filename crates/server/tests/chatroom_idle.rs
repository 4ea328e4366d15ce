//! Idle chatrooms (server-api.md §3 item 21): an empty room without joins or messages for the
//! configured time is destroyed, unless it is kept alive (`chatroom/keepalive/*`) or still has
//! members. The test waits for the destruction with a bounded guard; it measures no time.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::chatroom::join;
use common::{api, start, Client};

#[tokio::test]
async fn idle_rooms_are_destroyed_unless_kept_alive_or_occupied() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.chatroom.idle_destroy_ms = 100).await;
    let call = |path: &'static str, form: &'static str| {
        let addr = server.addr;
        async move {
            let (status, body) = api(
                addr,
                "test-app-secret-0123456789",
                &format!("/chatroom/{path}.json"),
                form,
            )
            .await;
            assert_eq!(status, 200, "{body}");
            body
        }
    };
    call("create", "chatroom%5Bidle%5D=i&chatroom%5Bkept%5D=k").await;
    call("keepalive/add", "chatroomId=kept").await;
    let mut alice = Client::connect(&server, "alice").await;
    join(&mut alice, "busy", -1).await;
    let exists = |room: &'static str| async move {
        let form = format!("chatroomId={room}");
        let (_, body) = api(
            server.addr,
            "test-app-secret-0123456789",
            "/chatroom/query.json",
            &form,
        )
        .await;
        !body["chatRooms"].as_array().unwrap().is_empty()
    };
    let gone = |room: &'static str| async move {
        let deadline = tokio::time::Instant::now() + common::GUARD;
        while exists(room).await {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{room} was never destroyed"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    gone("idle").await;
    assert!(exists("kept").await, "kept alive");
    assert!(exists("busy").await, "a room with a member stays");
    common::chatroom::exit(&mut alice, "busy").await;
    gone("busy").await;
    call("keepalive/remove", "chatroomId=kept").await;
    gone("kept").await;
    server.stop().await;
}
