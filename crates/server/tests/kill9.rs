//! Durability against kill -9: every message whose PUBACK arrived is synced after the server
//! process is killed without warning and started again on the same data directory.

// Test support functions outside #[test] fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::process::spawn_server;
use common::{content_of, text, Client};

fn token(user: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_im-server"))
        .args(["token", user])
        .env("IM_APP_KEY", "testkey")
        .env("IM_APP_SECRET", "test-app-secret-0123456789")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[tokio::test]
async fn acknowledged_messages_survive_kill_9_of_the_server_process() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, addr) = spawn_server(dir.path());
    let mut alice = Client::connect_with(addr, "testkey", &token("alice"), "alice").await;
    for i in 0..20 {
        let ack = alice
            .publish("ppMsgP", "bob", &text(&format!("k{i}")))
            .await;
        assert_eq!(ack.status, 0);
    }
    server.kill().unwrap(); // SIGKILL: no shutdown path runs.
    server.wait().unwrap();

    let (mut server, addr) = spawn_server(dir.path());
    let mut bob = Client::connect_with(addr, "testkey", &token("bob"), "bob").await;
    let got: Vec<String> = bob.sync().await.iter().map(content_of).collect();
    let expected: Vec<String> = (0..20).map(|i| format!("k{i}")).collect();
    assert_eq!(got, expected);
    server.kill().unwrap();
    server.wait().unwrap();
}
