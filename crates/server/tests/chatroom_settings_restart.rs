//! Chatroom settings of the Server API outlive a restart: mutes, bans and blocks with their end
//! times, kept-alive rooms, low-priority and whitelisted objectNames; what was rolled back stays
//! rolled back. A gagged member is still refused with 23408 (transport.md §9.5) afterwards.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::chatroom::{join, say};
use common::{api, start, Client};
use serde_json::{json, Value};

async fn ok(server: &im_server::RunningServer, path: &str, form: &str) -> Value {
    let (status, body) = api(
        server.addr,
        "test-app-secret-0123456789",
        &format!("/{path}.json"),
        form,
    )
    .await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

async fn snapshot(server: &im_server::RunningServer) -> Vec<Value> {
    let mut out = Vec::new();
    for (path, form, key) in [
        ("chatroom/user/gag/list", "chatroomId=r1", "users"),
        ("chatroom/user/block/list", "chatroomId=r1", "users"),
        ("chatroom/user/ban/query", "", "users"),
        ("chatroom/keepalive/query", "", "chatroomIds"),
        ("chatroom/message/priority/query", "", "objectNames"),
        ("chatroom/whitelist/query", "", "whitlistMsgType"),
    ] {
        out.push(ok(server, path, form).await[key].clone());
    }
    out
}

#[tokio::test]
async fn chatroom_settings_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    for (path, form) in [
        (
            "chatroom/user/gag/add",
            "chatroomId=r1&userId=alice&userId=carl&minute=60",
        ),
        ("chatroom/user/gag/rollback", "chatroomId=r1&userId=carl"),
        (
            "chatroom/user/block/add",
            "chatroomId=r1&userId=eve&minute=60",
        ),
        ("chatroom/user/ban/add", "userId=mallory&minute=60"),
        ("chatroom/keepalive/add", "chatroomId=k1"),
        ("chatroom/keepalive/add", "chatroomId=k2"),
        ("chatroom/keepalive/remove", "chatroomId=k2"),
        (
            "chatroom/message/priority/add",
            "objectName=App:Like&objectName=App:Seen",
        ),
        ("chatroom/message/priority/remove", "objectName=App:Seen"),
        ("chatroom/whitelist/add", "objectnames=App:Gift"),
    ] {
        ok(&server, path, form).await;
    }
    let before = snapshot(&server).await;
    assert_eq!(
        before[0].as_array().unwrap().len(),
        1,
        "carl's gag was rolled back"
    );
    assert_eq!(before[0][0]["userId"], "alice");
    assert_eq!(before[1][0]["userId"], "eve");
    assert_eq!(before[2][0]["userId"], "mallory");
    assert_eq!(before[3], json!(["k1"]));
    assert_eq!(before[4], json!(["App:Like"]));
    assert_eq!(before[5], json!(["App:Gift"]));
    server.stop().await;

    let server = start(dir.path(), |_| {}).await;
    assert_eq!(snapshot(&server).await, before);
    let mut alice = Client::connect(&server, "alice").await;
    join(&mut alice, "r1", -1).await;
    assert_eq!(say(&mut alice, "r1", "still muted").await.status, 23408);
    server.stop().await;
}
