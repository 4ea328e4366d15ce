//! Chatroom membership over the socket: members listed by join order with `queryChrmI` (to
//! members only), a
//! member who exits or disconnects stops receiving and may no longer send or pull, and a
//! non-member's message is refused with 23406 NOT_IN_CHATROOM (transport.md §9.5).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::chatroom::{exit, join, pull, pull_from, room_notify, say, sent_time};
use common::{content_of, start, Client, GUARD};
use im_wire::frame::Qos;
use im_wire::proto::{self, QueryChatroomInfoInput, QueryChatroomInfoOutput};

const NOT_IN_CHATROOM: u16 = 23406;

async fn info_status(c: &mut Client, room: &str, count: i32, order: i32) -> (u16, Vec<u8>) {
    let input = proto::encode(&QueryChatroomInfoInput {
        count,
        order: Some(order),
    });
    let ack = c.query("queryChrmI", room, input, Qos::AtMostOnce).await;
    (ack.status, ack.payload)
}

async fn info(c: &mut Client, room: &str, count: i32, order: i32) -> QueryChatroomInfoOutput {
    let (status, payload) = info_status(c, room, count, order).await;
    assert_eq!(status, 0);
    proto::decode(&payload).unwrap()
}

fn ids(out: &QueryChatroomInfoOutput) -> Vec<&str> {
    out.user_infos.iter().map(|m| m.id.as_str()).collect()
}

#[tokio::test]
async fn room_info_counts_members_and_lists_them_by_join_order() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut clients = Vec::new();
    for name in ["ann", "bo", "cy", "di"] {
        let mut c = Client::connect(&server, name).await;
        join(&mut c, "club", -1).await;
        clients.push(c);
    }
    let c = &mut clients[0];
    let oldest = info(c, "club", 3, 1).await;
    assert_eq!(oldest.user_total_nums, Some(4));
    assert_eq!(ids(&oldest), ["ann", "bo", "cy"]);
    assert!(oldest.user_infos.windows(2).all(|w| w[0].time <= w[1].time));
    let newest = info(c, "club", 2, 2).await;
    assert_eq!(ids(&newest), ["di", "cy"]);
    let counted = info(c, "club", 0, 0).await;
    assert_eq!(counted.user_total_nums, Some(4));
    assert!(counted.user_infos.is_empty());
    // Members only: a stranger learns nothing of a room, nor of one that does not exist.
    let mut eve = Client::connect(&server, "eve").await;
    assert_eq!(
        info_status(&mut eve, "club", 10, 1).await.0,
        NOT_IN_CHATROOM
    );
    assert_eq!(info_status(c, "nowhere", 10, 1).await.0, NOT_IN_CHATROOM);
    server.stop().await;
}

#[tokio::test]
async fn members_who_exit_or_disconnect_stop_receiving_and_strangers_cannot_send() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let mut eve = Client::connect(&server, "eve").await;
    join(&mut alice, "den", -1).await;
    join(&mut bob, "den", -1).await;

    assert_eq!(
        say(&mut eve, "den", "let me in").await.status,
        NOT_IN_CHATROOM
    );
    assert_eq!(pull(&mut eve, "den", 0, 0).await.status, NOT_IN_CHATROOM);

    assert_eq!(exit(&mut bob, "den").await, 0);
    assert_eq!(say(&mut bob, "den", "gone").await.status, NOT_IN_CHATROOM);
    assert_eq!(pull(&mut bob, "den", 0, 0).await.status, NOT_IN_CHATROOM);
    let missed = say(&mut alice, "den", "missed").await;
    assert_eq!(missed.status, 0);
    let cursor = join(&mut bob, "den", -1).await.sync_time;
    assert!(cursor >= sent_time(&missed));
    let seen = say(&mut alice, "den", "seen").await;
    // Had "missed" been queued for bob, its notification would come first.
    let (_, time) = room_notify(&mut bob).await;
    assert_eq!(time, sent_time(&seen));
    let got = pull_from(&mut bob, "den", cursor).await;
    let words: Vec<String> = got.list.iter().map(content_of).collect();
    assert_eq!(words, ["seen"]);

    // Closing the connection leaves the room; the server notices the close by itself.
    drop(bob);
    let deadline = tokio::time::Instant::now() + GUARD;
    while info(&mut alice, "den", 10, 1).await.user_total_nums != Some(1) {
        assert!(tokio::time::Instant::now() < deadline, "bob never left");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(ids(&info(&mut alice, "den", 10, 1).await), ["alice"]);
    let mut bob = Client::connect(&server, "bob").await;
    assert_eq!(
        say(&mut bob, "den", "still here?").await.status,
        NOT_IN_CHATROOM
    );
    server.stop().await;
}

#[tokio::test]
async fn a_connection_is_in_a_bounded_number_of_rooms_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.chatroom.rooms_per_connection = 2).await;
    let mut amy = Client::connect(&server, "amy").await;
    join(&mut amy, "a", -1).await;
    join(&mut amy, "b", -1).await;
    // 23412 RC_CHATROOM_PATAMETER_INVALID (transport.md §9.5).
    assert_eq!(common::chatroom::join_only(&mut amy, "c").await, 23412);
    assert_eq!(
        common::chatroom::join_only(&mut amy, "a").await,
        0,
        "joining again is fine"
    );
    assert_eq!(exit(&mut amy, "a").await, 0);
    assert_eq!(common::chatroom::join_only(&mut amy, "c").await, 0);
    server.stop().await;
}
