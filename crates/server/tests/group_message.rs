//! Group messages: members only, delivery to the other members, @mentions per recipient.

mod common;

use common::{start, text, Client};
use im_wire::enums::downstream_status::MENTIONED;
use im_wire::proto::UpStreamMessage;

#[tokio::test]
async fn only_members_may_send_and_mentioned_members_see_the_mention_bit() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    server
        .state()
        .store
        .call(|s| s.add_members("g1", &["alice".into(), "bob".into(), "carol".into()]))
        .await
        .unwrap();
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let mut carol = Client::connect(&server, "carol").await;
    let mut mallory = Client::connect(&server, "mallory").await;

    let refused = mallory.publish("pgMsgP", "g1", &text("let me in")).await;
    assert_eq!(refused.status, 22406, "NOT_IN_GROUP");

    let at_bob = UpStreamMessage {
        session_id: 7,
        classname: "RC:TxtMsg".into(),
        content: br#"{"content":"@bob hi","mentionedInfo":{"type":2,"userIdList":["bob"]}}"#
            .to_vec(),
        ..UpStreamMessage::default()
    };
    assert_eq!(alice.publish("pgMsgP", "g1", &at_bob).await.status, 0);
    for (who, mentioned) in [(&mut bob, true), (&mut carol, false)] {
        who.wait_notify().await;
        let got = who.sync().await;
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].group_id.as_deref(), Some("g1"));
        assert_eq!(got[0].r#type, 3);
        assert_eq!(got[0].status & MENTIONED != 0, mentioned);
    }
    assert!(mallory.sync().await.is_empty());
    server.stop().await;
}

#[tokio::test]
async fn a_directional_group_message_reaches_only_the_listed_members() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    server
        .state()
        .store
        .call(|s| s.add_members("g1", &["alice".into(), "bob".into(), "carol".into()]))
        .await
        .unwrap();
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let mut carol = Client::connect(&server, "carol").await;
    let mut only_bob = text("psst");
    only_bob.user_id = vec!["bob".into()];
    assert_eq!(alice.publish("pgMsgP", "g1", &only_bob).await.status, 0);
    assert_eq!(bob.sync().await.len(), 1);
    assert!(carol.sync().await.is_empty());
    server.stop().await;
}
