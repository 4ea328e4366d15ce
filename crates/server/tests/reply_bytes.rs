//! Replies carry at most 1 MiB of message content: a history page of large messages is cut and
//! says there is more (its cursor goes on from where it was cut), and `qryRelation` lists the
//! most recent conversations that fit. At least one message always goes.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{content_of, start, text, Client};
use im_wire::frame::Qos;
use im_wire::proto::{
    self, HistoryMessagesOuput, HistoryMsgInput, RelationsInput, RelationsOutput,
};

/// A text message of about 100 KB whose text starts with `tag`.
fn big(tag: &str) -> im_wire::proto::UpStreamMessage {
    text(&format!("{tag} {}", "x".repeat(100_000)))
}

fn tag(m: &im_wire::proto::DownStreamMessage) -> String {
    content_of(m)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn large_history_pages_and_conversation_lists_stay_within_one_mebibyte() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| {
        c.rate_burst = 1000;
    })
    .await;
    let mut alice = Client::connect(&server, "alice").await;
    for i in 0..20 {
        assert_eq!(
            alice
                .publish("ppMsgP", "bob", &big(&format!("h{i:02}")))
                .await
                .status,
            0
        );
    }
    let mut seen = Vec::new();
    let mut time = 0;
    for _ in 0..20 {
        let input = proto::encode(&HistoryMsgInput {
            target_id: Some("bob".into()),
            time: Some(time),
            count: Some(20),
            order: Some(0),
        });
        let ack = alice.query("qryPMsg", "bob", input, Qos::AtMostOnce).await;
        assert_eq!(ack.status, 0);
        assert!(
            ack.payload.len() <= 1024 * 1024 + 4096,
            "{} bytes",
            ack.payload.len()
        );
        let page: HistoryMessagesOuput = proto::decode(&ack.payload).unwrap();
        assert!(!page.list.is_empty());
        assert!(page.list.len() < 20, "a page of 20 × 100 KB is cut");
        seen.extend(page.list.iter().map(tag));
        time = page.sync_time;
        if page.has_msg == 0 {
            break;
        }
    }
    let expected: Vec<String> = (0..20).rev().map(|i| format!("h{i:02}")).collect();
    assert_eq!(seen, expected, "every message once, newest first");

    // Twenty conversations whose last messages are large.
    for i in 0..20 {
        let mut peer = Client::connect(&server, &format!("peer{i:02}")).await;
        assert_eq!(
            peer.publish("ppMsgP", "carol", &big(&format!("c{i:02}")))
                .await
                .status,
            0
        );
    }
    let mut carol = Client::connect(&server, "carol").await;
    let input = proto::encode(&RelationsInput {
        r#type: 1,
        count: Some(1000),
        ..RelationsInput::default()
    });
    let ack = carol
        .query("qryRelation", "carol", input, Qos::AtMostOnce)
        .await;
    assert_eq!(ack.status, 0);
    assert!(
        ack.payload.len() <= 1024 * 1024 + 4096,
        "{} bytes",
        ack.payload.len()
    );
    let out: RelationsOutput = proto::decode(&ack.payload).unwrap();
    let listed: Vec<String> = out
        .info
        .iter()
        .map(|r| tag(r.msg.as_ref().unwrap()))
        .collect();
    assert!((5..20).contains(&listed.len()), "{}", listed.len());
    let newest: Vec<String> = (0..20)
        .rev()
        .take(listed.len())
        .map(|i| format!("c{i:02}"))
        .collect();
    assert_eq!(listed, newest, "the most recent ones");
    server.stop().await;
}
