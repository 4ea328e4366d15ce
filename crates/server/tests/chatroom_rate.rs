//! The per-connection rate limit does not refuse `chrmPull`: a chatroom member pulls only when
//! the server told it to, and a refused pull would leave it waiting for a notification that the
//! server sends once per pull. Other requests are still limited (20604, transport.md §9.5).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::chatroom::{join, pull};
use common::{start, Client};
use im_wire::frame::Qos;
use im_wire::proto::{self, QueryChatroomInfoInput};

const SEND_FREQUENCY_TOO_FAST: u16 = 20604;

#[tokio::test]
async fn chatroom_pulls_are_never_refused_for_rate_while_other_requests_are() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| {
        c.rate_per_sec = 1;
        c.rate_burst = 2;
    })
    .await;
    let mut bob = Client::connect(&server, "bob").await;
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
    for _ in 0..10 {
        assert_eq!(pull(&mut bob, "quiet", cursor, 0).await.status, 0);
    }
    server.stop().await;
}
