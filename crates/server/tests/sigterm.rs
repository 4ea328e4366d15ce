//! SIGTERM stops the binary gracefully, as Ctrl-C does: connections are closed, the store is
//! closed, and the process exits with status 0; acknowledged messages are there after a restart.

#![cfg(unix)]
// Test support functions outside #[test] fail loudly on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::process::spawn_server;
use common::{content_of, text, Client};

fn token(user: &str) -> String {
    let tokens =
        im_server::token::Tokens::new("testkey", "test-app-secret-0123456789", Default::default());
    tokens.issue(user, im_server::clock::wall_ms())
}

/// Waits (bounded, to turn a hang into a failure) for the child to exit.
fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + common::GUARD;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn sigterm_stops_the_server_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, addr) = spawn_server(dir.path());
    let mut alice = Client::connect_with(addr, "testkey", &token("alice"), "alice").await;
    assert_eq!(
        alice.publish("ppMsgP", "bob", &text("kept")).await.status,
        0
    );

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(wait_exit(&mut child).success());
    assert_eq!(alice.recv().await, None, "the connection was closed");

    let (mut child, addr) = spawn_server(dir.path());
    let mut bob = Client::connect_with(addr, "testkey", &token("bob"), "bob").await;
    let got = bob.sync().await;
    assert_eq!(got.iter().map(content_of).collect::<Vec<_>>(), ["kept"]);
    let _ = child.kill();
    let _ = child.wait();
}
