//! Directional discussion messages (api.md §4.2 `userId`): only the listed members receive
//! them, as 2.5.3 sends a read-receipt answer to its requester in a discussion.

mod common;

use common::{connect_all, content_of, save_discussion, start, text};
use im_wire::proto::UpStreamMessage;

#[tokio::test]
async fn a_message_with_a_user_list_reaches_only_those_members() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    save_discussion(&server, "d1", &["alice", "bob", "carol"]).await;
    let [mut alice, mut bob, mut carol] = connect_all(&server, ["alice", "bob", "carol"]).await;

    let to_bob = UpStreamMessage {
        user_id: vec!["bob".into()],
        ..text("for bob")
    };
    assert_eq!(alice.publish("pdMsgP", "d1", &to_bob).await.status, 0);
    assert_eq!(
        alice.publish("pdMsgP", "d1", &text("for all")).await.status,
        0
    );

    let texts = |c: Vec<im_wire::proto::DownStreamMessage>| -> Vec<String> {
        c.iter().map(content_of).collect()
    };
    bob.wait_notify().await;
    assert_eq!(texts(bob.sync().await), ["for bob", "for all"]);
    carol.wait_notify().await;
    assert_eq!(texts(carol.sync().await), ["for all"]);
    server.stop().await;
}
