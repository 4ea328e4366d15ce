//! `delMsg` (api.md §3.3): the listed messages leave the deleting user's history and the pulls
//! of every device of theirs; the other party keeps them. The conversation list then shows the
//! newest message left.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{content_of, history_texts, start, text, Client};
use im_wire::proto::{DeleteMsg, DeleteMsgInput, HistoryMsgInput, RelationsInput, RelationsOutput};
use im_wire::topic;

fn by_uid(uid: &str, direct: i32) -> DeleteMsg {
    DeleteMsg {
        msg_id: Some(uid.into()),
        msg_data_time: None,
        direct: Some(direct),
    }
}

fn delete(msgs: Vec<DeleteMsg>) -> DeleteMsgInput {
    DeleteMsgInput {
        r#type: Some(1),
        conversation_id: Some("bob".into()),
        msgs,
    }
}

/// The conversation list: (target, latest message text).
async fn latest(c: &mut Client) -> Vec<(String, String)> {
    let all = RelationsInput {
        r#type: 1,
        ..RelationsInput::default()
    };
    let list: RelationsOutput = c.ask_self(topic::CONVERSATIONS, &all).await;
    list.info
        .iter()
        .map(|i| (i.user_id.clone(), content_of(i.msg.as_ref().unwrap())))
        .collect()
}

#[tokio::test]
async fn deleted_messages_leave_one_users_history_and_pulls_but_not_the_peers() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.devices_per_user = 2).await;
    let mut bob = Client::connect(&server, "bob").await;
    let mut phone = Client::connect(&server, "alice").await;
    let mut uids = Vec::new();
    for t in ["m1", "m2", "m3"] {
        uids.push(bob.publish("ppMsgP", "alice", &text(t)).await.message_uid);
    }
    uids.push(
        phone
            .publish("ppMsgP", "bob", &text("m4"))
            .await
            .message_uid,
    );

    let del = delete(vec![by_uid(&uids[1], 2), by_uid(&uids[3], 1)]);
    let out = phone.ask(topic::DELETE_MESSAGES, "bob", &del).await;
    assert_eq!(out.status, 0);
    assert_eq!(out.reply.unwrap().nothing, 1);
    assert_eq!(
        history_texts(&mut phone, "qryPMsg", "bob").await,
        ["m3", "m1"]
    );
    assert_eq!(latest(&mut phone).await, [("bob".into(), "m3".into())]);

    // Another device of alice, pulling from the start, never sees them.
    let mut laptop = Client::connect(&server, "alice").await;
    let pulled: Vec<String> = laptop.sync().await.iter().map(content_of).collect();
    assert_eq!(pulled, ["m1", "m3"]);

    // Bob keeps all four, in his history and on a new device's pull.
    assert_eq!(
        history_texts(&mut bob, "qryPMsg", "alice").await,
        ["m4", "m3", "m2", "m1"]
    );
    drop(bob);
    let mut bob = Client::connect(&server, "bob").await;
    let pulled: Vec<String> = bob.sync().await.iter().map(content_of).collect();
    assert_eq!(pulled, ["m1", "m2", "m3", "m4"]);
    assert_eq!(latest(&mut bob).await, [("alice".into(), "m4".into())]);

    // A message named by its time alone, as a request without UId names it.
    let newest = HistoryMsgInput {
        target_id: Some("bob".into()),
        time: Some(0),
        count: Some(1),
        order: Some(0),
    };
    let page = phone.ask(topic::HISTORY_PRIVATE, "bob", &newest).await;
    let m3_time = page.reply.unwrap().list[0].data_time;
    let by_time = DeleteMsg {
        msg_id: None,
        msg_data_time: Some(m3_time),
        direct: Some(2),
    };
    assert_eq!(
        phone
            .ask(topic::DELETE_MESSAGES, "bob", &delete(vec![by_time]))
            .await
            .status,
        0
    );
    assert_eq!(history_texts(&mut phone, "qryPMsg", "bob").await, ["m1"]);

    // Bad input: nothing listed, a message named by nothing, too many at once.
    let invalid = 33003;
    let nameless = DeleteMsg::default();
    let too_many = (0..101).map(|_| by_uid(&uids[0], 2)).collect();
    for bad in [delete(vec![]), delete(vec![nameless]), delete(too_many)] {
        assert_eq!(
            phone.ask(topic::DELETE_MESSAGES, "bob", &bad).await.status,
            invalid
        );
    }

    // With its last message gone the conversation leaves alice's list only.
    let last = delete(vec![by_uid(&uids[0], 2)]);
    assert_eq!(
        phone.ask(topic::DELETE_MESSAGES, "bob", &last).await.status,
        0
    );
    assert!(latest(&mut phone).await.is_empty());
    assert_eq!(latest(&mut bob).await, [("alice".into(), "m4".into())]);
    server.stop().await;
}
