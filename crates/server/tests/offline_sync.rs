//! Offline sync: a user offline while N messages arrive gets all N exactly once, in order, over
//! several truncated pulls.

mod common;

use common::{content_of, start, text, Client};

#[tokio::test]
async fn an_offline_user_receives_every_message_exactly_once_in_order_after_reconnecting() {
    const N: usize = 450;
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.rate_burst = 1000).await;
    let mut alice = Client::connect(&server, "alice").await;
    for i in 0..N {
        let ack = alice
            .publish("ppMsgP", "bob", &text(&format!("m{i}")))
            .await;
        assert_eq!(ack.status, 0);
    }
    let mut bob = Client::connect(&server, "bob").await;
    let (first, finished) = bob.pull_once().await;
    assert_eq!(first.len(), 200, "a pull returns at most 200 messages");
    assert!(!finished);
    bob.wait_notify().await;
    let mut got = first;
    got.extend(bob.sync().await);
    let texts: Vec<String> = got.iter().map(content_of).collect();
    let expected: Vec<String> = (0..N).map(|i| format!("m{i}")).collect();
    assert_eq!(texts, expected);
    assert!(got.windows(2).all(|w| w[0].data_time < w[1].data_time));
    assert!(bob.sync().await.is_empty(), "nothing is delivered twice");
    server.stop().await;
}
