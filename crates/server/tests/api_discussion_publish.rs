//! `message/discussion/publish` (server-api.md §2.2): the message reaches every member of the
//! discussion but the sender, as a member's `pdMsgP` would, lands in their history, and
//! reaches nobody else; unknown discussions answer 200.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{api, content_of, history_texts, save_discussion, start, Client};
use im_wire::ServerFrame;
use serde_json::json;

const SECRET: &str = "test-app-secret-0123456789";
const CONTENT: &str = "content=%7B%22content%22%3A%22%E5%BC%80%E4%BC%9A%22%7D"; // {"content":"开会"}

async fn publish(server: &im_server::RunningServer, form: &str) -> (u16, serde_json::Value) {
    api(
        server.addr,
        SECRET,
        "/message/discussion/publish.json",
        form,
    )
    .await
}

#[tokio::test]
async fn a_server_published_discussion_message_reaches_the_members() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    save_discussion(&server, "d1", &["alice", "bob", "carol"]).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let mut carol = Client::connect(&server, "carol").await;
    let mut mallory = Client::connect(&server, "mallory").await;

    let form = format!(
        "fromUserId=alice&toDiscussionId=d1&toDiscussionId=nowhere&objectName=RC%3ATxtMsg&{CONTENT}&isIncludeSender=1"
    );
    let (status, body) = publish(&server, &form).await;
    assert_eq!((status, body["code"].clone()), (200, json!(200)), "{body}");

    for who in [&mut bob, &mut carol] {
        who.wait_notify().await;
        let got = who.sync().await;
        assert_eq!(got.len(), 1);
        let m = &got[0];
        assert_eq!(m.r#type, 2, "DISCUSSION");
        assert_eq!(m.group_id.as_deref(), Some("d1"));
        assert_eq!(m.from_user_id, "alice");
        assert_eq!(content_of(m), "开会");
    }
    // The sender's own client gets the copy it asked for, on the discussion's send topic.
    let echo = alice
        .recv_matching(|f| matches!(f, ServerFrame::Publish(p) if p.sync))
        .await;
    assert!(matches!(echo, ServerFrame::Publish(p) if p.topic == "pdMsgP" && p.target_id == "d1"));
    assert!(mallory.sync().await.is_empty(), "not a member");

    assert_eq!(history_texts(&mut bob, "qryDMsg", "d1").await, ["开会"]);

    let form = format!("fromUserId=alice&objectName=RC%3ATxtMsg&{CONTENT}");
    let (status, body) = publish(&server, &form).await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(1002)));
    server.stop().await;
}
