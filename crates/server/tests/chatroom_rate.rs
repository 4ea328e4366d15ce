//! The per-connection rate limit and `chrmPull`: a pull that answers the server's `s_ntf` for a
//! room is never refused (a refused one would leave the member waiting for a notification that
//! the server sends once per pull), one per notification; pulls nobody asked for are limited like
//! any other request (20604, transport.md §9.5), so a client cannot pull in a loop unchecked.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::chatroom::{join, pull, room_notify, say};
use common::{content_of, start, Client};
use im_wire::frame::Qos;
use im_wire::proto::{self, DownStreamMessages, QueryChatroomInfoInput};

const SEND_FREQUENCY_TOO_FAST: u16 = 20604;

#[tokio::test]
async fn a_pull_answering_a_notification_passes_the_rate_limit_and_an_unprompted_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| {
        c.rate_per_sec = 1;
        c.rate_burst = 3;
    })
    .await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    join(&mut alice, "quiet", -1).await;
    let cursor = join(&mut bob, "quiet", -1).await.sync_time;
    let info = || {
        proto::encode(&QueryChatroomInfoInput {
            count: 1,
            order: None,
        })
    };
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(
            bob.query("queryChrmI", "quiet", info(), Qos::AtMostOnce)
                .await
                .status,
        );
    }
    assert!(statuses.contains(&SEND_FREQUENCY_TOO_FAST), "{statuses:?}");
    // Unprompted pulls in a loop are limited too.
    let mut pulls = Vec::new();
    for _ in 0..5 {
        pulls.push(pull(&mut bob, "quiet", cursor, 0).await.status);
    }
    assert!(pulls.contains(&SEND_FREQUENCY_TOO_FAST), "{pulls:?}");

    // A message in the room: bob is told, and his answering pull gets it although his
    // requests are still over the limit.
    assert_eq!(say(&mut alice, "quiet", "hello").await.status, 0);
    let (room, _) = room_notify(&mut bob).await;
    assert_eq!(room, "quiet");
    let ack = pull(&mut bob, "quiet", cursor, 0).await;
    assert_eq!(ack.status, 0);
    let got: DownStreamMessages = proto::decode(&ack.payload).unwrap();
    assert_eq!(
        got.list.iter().map(content_of).collect::<Vec<_>>(),
        ["hello"]
    );
    // The notification is used up: the next unprompted pull is limited again.
    assert_eq!(
        pull(&mut bob, "quiet", cursor, 0).await.status,
        SEND_FREQUENCY_TOO_FAST
    );
    server.stop().await;
}
