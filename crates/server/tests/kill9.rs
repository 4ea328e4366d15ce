//! Durability against kill -9: every message whose PUBACK arrived is synced after the server
//! process is killed without warning and started again on the same data directory.

// Test support functions outside #[test] fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::{content_of, text, Client};

/// Starts the real binary on a free port and returns it with its address.
fn spawn_server(dir: &std::path::Path) -> (Child, std::net::SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_im-server"))
        .env("IM_ADDR", "127.0.0.1:0")
        .env("IM_DATA_DIR", dir)
        .env("IM_APP_KEY", "testkey")
        .env("IM_APP_SECRET", "testsecret")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    (child, addr)
}

fn token(user: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_im-server"))
        .args(["token", user])
        .env("IM_APP_KEY", "testkey")
        .env("IM_APP_SECRET", "testsecret")
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
