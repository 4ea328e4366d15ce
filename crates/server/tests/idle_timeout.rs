//! The idle timeout counts the client's own frames: a client that sends nothing is closed after
//! `idle_timeout_secs` even while the server keeps sending to it, and a client that keeps
//! talking stays.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{start, text, Client};

#[tokio::test]
async fn a_silent_client_is_closed_even_while_messages_keep_coming_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| {
        c.idle_timeout_secs = 1;
        c.rate_burst = 10_000;
        c.rate_per_sec = 10_000;
    })
    .await;
    let mut bob = Client::connect(&server, "bob").await;
    let mut alice = Client::connect(&server, "alice").await;
    // Alice talks to bob for longer than the hang guard below (6 s), 5 messages a second.
    let talker = tokio::spawn(async move {
        for i in 0..30 {
            assert_eq!(
                alice
                    .publish("ppMsgP", "bob", &text(&format!("m{i}")))
                    .await
                    .status,
                0
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        alice
    });
    // Bob reads what comes (s_ntf) and says nothing: the server closes him.
    let mut frames = 0usize;
    tokio::time::timeout(Duration::from_secs(5), async {
        while bob.recv().await.is_some() {
            frames += 1;
        }
    })
    .await
    .expect("the silent client was closed");
    assert!(frames >= 1, "notifications reached bob before the close");
    // Alice, who kept sending, is still connected.
    let alice = talker.await.unwrap();
    drop(alice);
    server.stop().await;
}
