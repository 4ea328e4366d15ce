//! Durability: messages acknowledged before a restart are pulled after it, from the same data
//! directory, and new messages sort after them.

mod common;

use common::{content_of, start, text, Client};

#[tokio::test]
async fn messages_acknowledged_before_a_restart_are_synced_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut acks = Vec::new();
    for i in 0..5 {
        acks.push(
            alice
                .publish("ppMsgP", "bob", &text(&format!("before {i}")))
                .await,
        );
    }
    assert!(acks.iter().all(|a| a.status == 0));
    drop(alice);
    server.stop().await;

    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let after = alice.publish("ppMsgP", "bob", &text("after")).await;
    assert!(after.timestamp() > acks.last().unwrap().timestamp());
    let mut bob = Client::connect(&server, "bob").await;
    let got: Vec<String> = bob.sync().await.iter().map(content_of).collect();
    assert_eq!(
        got,
        ["before 0", "before 1", "before 2", "before 3", "before 4", "after"]
    );
    server.stop().await;
}
