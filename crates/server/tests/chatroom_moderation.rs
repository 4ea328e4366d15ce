//! What the chatroom Server API does to members on the socket: a gag mutes in one room, a ban
//! in every room, a block kicks and keeps out, each until rolled back; stopped distribution
//! accepts messages without delivering them; server-published messages reach members despite
//! mutes. Status values are those of the protocol's ErrorCode table (transport.md §9.5):
//! 23406 NOT_IN_CHATROOM, 23408 FORBIDDEN_IN_CHATROOM, 23409 RC_CHATROOM_USER_KICKED.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::chatroom::{join, join_only, pull_from, room_notify, say, sent_time};
use common::{api, content_of, start, Client};

const NOT_IN_CHATROOM: u16 = 23406;
const FORBIDDEN_IN_CHATROOM: u16 = 23408;
const KICKED: u16 = 23409;

async fn ok(server: &im_server::RunningServer, path: &str, form: &str) {
    let (status, body) = api(
        server.addr,
        "test-app-secret-0123456789",
        &format!("/{path}.json"),
        form,
    )
    .await;
    assert_eq!(status, 200, "{path}: {body}");
}

#[tokio::test]
async fn gags_bans_and_blocks_refuse_with_their_codes_until_lifted() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    join(&mut alice, "r1", -1).await;
    join(&mut alice, "r2", -1).await;
    let cursor = join(&mut bob, "r1", -1).await.sync_time;

    ok(
        &server,
        "chatroom/user/gag/add",
        "chatroomId=r1&userId=alice&minute=10",
    )
    .await;
    assert_eq!(
        say(&mut alice, "r1", "muted").await.status,
        FORBIDDEN_IN_CHATROOM
    );
    assert_eq!(
        say(&mut alice, "r2", "elsewhere").await.status,
        0,
        "a gag is per room"
    );
    ok(
        &server,
        "chatroom/user/gag/rollback",
        "chatroomId=r1&userId=alice",
    )
    .await;
    let back = say(&mut alice, "r1", "back").await;
    assert_eq!(back.status, 0);
    // Muted members still receive; nothing of the refused message reached bob.
    let (_, time) = room_notify(&mut bob).await;
    assert_eq!(time, sent_time(&back));
    let got = pull_from(&mut bob, "r1", cursor).await;
    let words: Vec<String> = got.list.iter().map(content_of).collect();
    assert_eq!(words, ["back"]);

    ok(&server, "chatroom/user/ban/add", "userId=alice&minute=10").await;
    assert_eq!(
        say(&mut alice, "r1", "x").await.status,
        FORBIDDEN_IN_CHATROOM
    );
    assert_eq!(
        say(&mut alice, "r2", "x").await.status,
        FORBIDDEN_IN_CHATROOM
    );
    // The Server API is not bound by mutes.
    let form = "toChatroomId=r1&fromUserId=alice&objectName=RC:TxtMsg\
                &content=%7B%22content%22%3A%22by%20api%22%7D";
    ok(&server, "message/chatroom/publish", form).await;
    let (_, time) = room_notify(&mut bob).await;
    let got = pull_from(&mut bob, "r1", got.sync_time).await;
    assert_eq!(content_of(&got.list[0]), "by api");
    assert_eq!(got.list[0].data_time, time);
    ok(&server, "chatroom/user/ban/remove", "userId=alice").await;
    assert_eq!(say(&mut alice, "r2", "free").await.status, 0);

    ok(
        &server,
        "chatroom/user/block/add",
        "chatroomId=r1&userId=bob&minute=10",
    )
    .await;
    assert_eq!(
        say(&mut bob, "r1", "x").await.status,
        NOT_IN_CHATROOM,
        "kicked out"
    );
    assert_eq!(join_only(&mut bob, "r1").await, KICKED);
    assert_eq!(join_only(&mut bob, "r2").await, 0, "a block is per room");
    ok(
        &server,
        "chatroom/user/block/rollback",
        "chatroomId=r1&userId=bob",
    )
    .await;
    assert_eq!(join_only(&mut bob, "r1").await, 0);
    server.stop().await;
}

#[tokio::test]
async fn stopped_distribution_accepts_without_delivering_and_publishing_reaches_members() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    join(&mut alice, "show", -1).await;
    let cursor = join(&mut bob, "show", -1).await.sync_time;
    ok(
        &server,
        "chatroom/message/stopDistribution",
        "chatroomId=show",
    )
    .await;
    assert_eq!(say(&mut alice, "show", "held").await.status, 0);
    ok(
        &server,
        "chatroom/message/resumeDistribution",
        "chatroomId=show",
    )
    .await;
    let after = say(&mut alice, "show", "flowing").await;
    let (_, time) = room_notify(&mut bob).await;
    assert_eq!(time, sent_time(&after));
    let got = pull_from(&mut bob, "show", cursor).await;
    let words: Vec<String> = got.list.iter().map(content_of).collect();
    assert_eq!(words, ["flowing"]);

    // A broadcast reaches every room; the sender's own connection only with isIncludeSender.
    join(&mut bob, "other", -1).await;
    let form = "fromUserId=bob&objectName=RC:TxtMsg&content=%7B%22content%22%3A%22all%22%7D";
    ok(&server, "message/chatroom/broadcast", form).await;
    let (room, _) = room_notify(&mut alice).await;
    assert_eq!(room, "show");
    let got = pull_from(&mut alice, "show", 0).await;
    assert_eq!(content_of(got.list.last().unwrap()), "all");
    let with_sender = format!("toChatroomId=other&isIncludeSender=1&{form}");
    ok(&server, "message/chatroom/publish", &with_sender).await;
    let (room, _) = room_notify(&mut bob).await;
    assert_eq!(
        room, "other",
        "bob got neither broadcast copy of his own message"
    );
    server.stop().await;
}
