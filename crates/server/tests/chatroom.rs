//! Chatroom messages over the socket: a join pull with a count of recent messages or none
//! (−1), live messages through `s_ntf` type 2 and `chrmPull` from the client's cursor, one
//! outstanding notification per member until it pulls, and the PUBACK's UId and time matching
//! what members receive.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::chatroom::{join, pull_from, room_notify, say, sent_time};
use common::{content_of, start, Client};

#[tokio::test]
async fn members_get_recent_messages_on_join_and_live_ones_after_a_notification() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let mut carol = Client::connect(&server, "carol").await;

    let first = join(&mut alice, "lobby", -1).await;
    assert!(first.list.is_empty(), "a new room has no history");
    let mut acks = Vec::new();
    for words in ["one", "two", "three"] {
        let ack = say(&mut alice, "lobby", words).await;
        assert_eq!(ack.status, 0);
        assert!(!ack.message_uid.is_empty());
        acks.push(ack);
    }

    // A join asking for two messages gets the two newest, oldest first.
    let recent = join(&mut bob, "lobby", 2).await;
    let words: Vec<String> = recent.list.iter().map(content_of).collect();
    assert_eq!(words, ["two", "three"]);
    assert_eq!(
        recent.list[1].msg_id.as_deref(),
        Some(&*acks[2].message_uid)
    );
    assert_eq!(recent.list[1].data_time, sent_time(&acks[2]));
    assert_eq!(recent.list[0].r#type, 4);
    assert_eq!(recent.list[0].group_id.as_deref(), Some("lobby"));
    assert_eq!(recent.list[0].from_user_id, "alice");
    let mut bob_cursor = recent.sync_time;
    assert!(bob_cursor >= sent_time(&acks[2]));

    // −1 asks for none; the cursor still starts at the room's present.
    let none = join(&mut carol, "lobby", -1).await;
    assert!(none.list.is_empty());
    let mut carol_cursor = none.sync_time;

    let live = say(&mut alice, "lobby", "four").await;
    assert_eq!(live.status, 0);
    for (member, cursor) in [(&mut bob, &mut bob_cursor), (&mut carol, &mut carol_cursor)] {
        let (room, time) = room_notify(member).await;
        assert_eq!(room, "lobby");
        assert_eq!(time, sent_time(&live));
        let got = pull_from(member, "lobby", *cursor).await;
        assert_eq!(got.list.len(), 1, "only what is newer than the cursor");
        assert_eq!(content_of(&got.list[0]), "four");
        assert_eq!(got.list[0].msg_id.as_deref(), Some(&*live.message_uid));
        *cursor = got.sync_time;
        assert_eq!(*cursor, sent_time(&live));
    }

    // Bob's reply to his own message does not come back to him.
    let reply = say(&mut bob, "lobby", "five").await;
    assert_eq!(reply.status, 0);
    let (_, time) = room_notify(&mut alice).await;
    assert_eq!(time, sent_time(&reply));
    let six = say(&mut alice, "lobby", "six").await;
    let (_, time) = room_notify(&mut bob).await;
    assert_eq!(
        time,
        sent_time(&six),
        "bob was not told about his own message"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_member_that_has_not_pulled_gets_one_notification_then_everything_in_one_pull() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    join(&mut alice, "stage", -1).await;
    let cursor = join(&mut bob, "stage", -1).await.sync_time;

    let mut acks = Vec::new();
    for i in 0..5 {
        acks.push(say(&mut alice, "stage", &format!("m{i}")).await);
    }
    // The first message's notification is the only one until bob pulls.
    let (_, time) = room_notify(&mut bob).await;
    assert_eq!(time, sent_time(&acks[0]));
    let got = pull_from(&mut bob, "stage", cursor).await;
    let words: Vec<String> = got.list.iter().map(content_of).collect();
    assert_eq!(words, ["m0", "m1", "m2", "m3", "m4"]);
    assert_eq!(got.sync_time, sent_time(&acks[4]));

    // Had more been queued for m1..m4, they would arrive before this one.
    let next = say(&mut alice, "stage", "after").await;
    let (_, time) = room_notify(&mut bob).await;
    assert_eq!(time, sent_time(&next));
    let got = pull_from(&mut bob, "stage", got.sync_time).await;
    assert_eq!(got.list.len(), 1);
    server.stop().await;
}
