//! Chatroom history (`qryCHMsg`, api.md §3.6) outlives the server: messages sent before a
//! restart are paged newest first, or forward from a time, with the same UIds and times.
//! Messages that are not persisted stay out of it. Only members read it.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::chatroom::{join, say, sent_time};
use common::{content_of, start, text, Client};
use im_wire::frame::Qos;
use im_wire::proto::{self, HistoryMsgInput, HistoryMsgOuput};

const NOT_IN_CHATROOM: u16 = 23406;

async fn query(c: &mut Client, room: &str, time: i64, count: i32, order: i32) -> (u16, Vec<u8>) {
    let input = proto::encode(&HistoryMsgInput {
        target_id: Some(room.into()),
        time: Some(time),
        count: Some(count),
        order: Some(order),
    });
    let me = c.user.clone();
    let ack = c.query("qryCHMsg", &me, input, Qos::AtMostOnce).await;
    (ack.status, ack.payload)
}

async fn history(c: &mut Client, room: &str, time: i64, count: i32, order: i32) -> HistoryMsgOuput {
    let (status, payload) = query(c, room, time, count, order).await;
    assert_eq!(status, 0);
    proto::decode(&payload).unwrap()
}

async fn history_status(c: &mut Client, room: &str) -> u16 {
    query(c, room, 0, 5, 0).await.0
}

#[tokio::test]
async fn chatroom_history_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    join(&mut alice, "town", -1).await;
    let mut acks = Vec::new();
    for words in ["a", "b", "c"] {
        acks.push(say(&mut alice, "town", words).await);
    }
    let mut typing = text("typing");
    typing.session_id = 0;
    assert_eq!(alice.publish("chatMsg", "town", &typing).await.status, 0);
    server.stop().await;

    let server = start(dir.path(), |_| {}).await;
    let mut bob = Client::connect(&server, "bob").await;
    // Members only: bob joins the room, which the restart emptied, to read what it said before.
    assert_eq!(history_status(&mut bob, "town").await, NOT_IN_CHATROOM);
    join(&mut bob, "town", -1).await;
    let page = history(&mut bob, "town", 0, 2, 0).await;
    let words: Vec<String> = page.list.iter().map(content_of).collect();
    assert_eq!(words, ["c", "b"], "newest first");
    assert_eq!(page.has_msg, 1);
    assert_eq!(page.list[0].msg_id.as_deref(), Some(&*acks[2].message_uid));
    assert_eq!(page.list[0].data_time, sent_time(&acks[2]));
    assert_eq!(page.list[0].group_id.as_deref(), Some("town"));
    let rest = history(&mut bob, "town", page.sync_time, 2, 0).await;
    let words: Vec<String> = rest.list.iter().map(content_of).collect();
    assert_eq!(words, ["a"]);
    assert_eq!(rest.has_msg, 0);
    let forward = history(&mut bob, "town", sent_time(&acks[0]), 5, 1).await;
    assert_eq!(forward.list.len(), 2);
    assert!(forward.list.iter().all(|m| content_of(m) != "typing"));
    assert_eq!(history_status(&mut bob, "elsewhere").await, NOT_IN_CHATROOM);
    server.stop().await;
}
