//! How long chatroom entries live (api.md §3.6): an auto-delete entry goes when its owner
//! leaves the room, is kicked, or loses its connection, and the other members see the deletion
//! in `pullKV` after an `s_cmd`; entries outlive a restart (auto-delete ones do not: nobody is
//! in a room after it); destroying the room forgets them. Waits are bounded guards; no test
//! measures time.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::chatroom::{exit, join};
use common::entries::{notice, pull, set, triples, AUTO_DELETE, DELETE, OVERWRITE};
use common::{api, start, Client};
use im_server::RunningServer;

const SECRET: &str = "test-app-secret-0123456789";

/// Bob's view after alice's departure: the s_cmd, then the deletion of her auto-delete entry
/// "seat" in an incremental pull from `cursor`, while her plain entry "topic" stays.
async fn seat_deleted_for(bob: &mut Client, cursor: i64) {
    let (room, time) = notice(bob).await;
    assert_eq!(room, "stage");
    let changed = pull(bob, "stage", cursor).await;
    assert_eq!(changed.b_full_update, Some(false));
    assert_eq!(changed.entries.len(), 1);
    let seat = &changed.entries[0];
    assert_eq!(seat.key, "seat");
    assert_eq!(seat.status.unwrap_or(0) & DELETE, DELETE);
    assert_eq!(seat.timestamp, Some(time));
    assert_eq!(
        triples(&pull(bob, "stage", 0).await),
        [("topic".into(), "chat".into(), "alice".into())]
    );
}

/// Alice and bob in "stage"; alice sets "topic" and the auto-delete "seat". Returns bob's
/// cursor after both.
async fn seated(server: &RunningServer) -> (Client, Client, i64) {
    let mut alice = Client::connect(server, "alice").await;
    let mut bob = Client::connect(server, "bob").await;
    join(&mut alice, "stage", -1).await;
    join(&mut bob, "stage", -1).await;
    assert_eq!(set(&mut alice, "stage", "topic", "chat", 0).await, 0);
    assert_eq!(set(&mut alice, "stage", "seat", "1", AUTO_DELETE).await, 0);
    notice(&mut bob).await;
    notice(&mut bob).await;
    let cursor = pull(&mut bob, "stage", 0).await.sync_time.unwrap();
    (alice, bob, cursor)
}

#[tokio::test]
async fn an_auto_delete_entry_goes_when_its_owner_exits_and_the_room_sees_the_deletion() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let (mut alice, mut bob, cursor) = seated(&server).await;
    assert_eq!(exit(&mut alice, "stage").await, 0);
    seat_deleted_for(&mut bob, cursor).await;
    // Back in the room, alice's new auto-delete entry is hers to keep until she leaves again.
    join(&mut alice, "stage", -1).await;
    assert_eq!(set(&mut alice, "stage", "seat", "2", AUTO_DELETE).await, 0);
    assert_eq!(pull(&mut bob, "stage", 0).await.entries.len(), 2);
    server.stop().await;
}

#[tokio::test]
async fn an_auto_delete_entry_goes_when_its_owner_disconnects_or_is_kicked() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let (alice, mut bob, cursor) = seated(&server).await;
    drop(alice);
    seat_deleted_for(&mut bob, cursor).await;

    let mut alice = Client::connect(&server, "alice").await;
    join(&mut alice, "stage", -1).await;
    assert_eq!(set(&mut alice, "stage", "seat", "1", AUTO_DELETE).await, 0);
    let (_, cursor) = notice(&mut bob).await;
    let (status, body) = api(
        server.addr,
        SECRET,
        "/chatroom/user/block/add.json",
        "chatroomId=stage&userId=alice&minute=10",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    seat_deleted_for(&mut bob, cursor).await;
    server.stop().await;
}

#[tokio::test]
async fn an_auto_delete_entry_taken_over_by_force_stays_when_its_first_owner_leaves() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let (mut alice, mut bob, _) = seated(&server).await;
    assert_eq!(set(&mut bob, "stage", "seat", "bob", OVERWRITE).await, 0);
    let (_, cursor) = notice(&mut bob).await;
    assert_eq!(exit(&mut alice, "stage").await, 0);
    // The exit deletes nothing: a later change is the first bob hears of.
    assert_eq!(set(&mut bob, "stage", "mark", "x", 0).await, 0);
    let (_, time) = notice(&mut bob).await;
    let changed = pull(&mut bob, "stage", cursor).await;
    assert_eq!(
        triples(&changed),
        [("mark".into(), "x".into(), "bob".into())]
    );
    assert_eq!(changed.sync_time, Some(time));
    server.stop().await;
}

#[tokio::test]
async fn entries_outlive_a_restart_but_auto_delete_ones_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let (_alice, _bob, cursor) = seated(&server).await;
    server.stop().await;

    let server = start(dir.path(), |_| {}).await;
    // The room exists again, with its entries.
    let (status, body) = api(
        server.addr,
        SECRET,
        "/chatroom/query.json",
        "chatroomId=stage",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["chatRooms"].as_array().unwrap().len(), 1, "{body}");
    let mut carol = Client::connect(&server, "carol").await;
    join(&mut carol, "stage", -1).await;
    assert_eq!(
        triples(&pull(&mut carol, "stage", 0).await),
        [("topic".into(), "chat".into(), "alice".into())]
    );
    // A cursor from before the restart sees the auto-delete entry's deletion, and changes after
    // the restart are newer than it.
    let changed = pull(&mut carol, "stage", cursor).await;
    assert_eq!(changed.b_full_update, Some(false));
    assert_eq!(changed.entries.len(), 1);
    assert_eq!(changed.entries[0].key, "seat");
    assert_eq!(changed.entries[0].status.unwrap_or(0) & DELETE, DELETE);
    assert_eq!(set(&mut carol, "stage", "topic", "new", OVERWRITE).await, 0);
    let after = pull(&mut carol, "stage", changed.sync_time.unwrap()).await;
    assert_eq!(
        triples(&after),
        [("topic".into(), "new".into(), "carol".into())]
    );
    server.stop().await;
}

#[tokio::test]
async fn destroying_a_room_or_its_idle_end_forgets_its_entries() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.chatroom.idle_destroy_ms = 100).await;
    let mut alice = Client::connect(&server, "alice").await;
    for room in ["doomed", "idle"] {
        join(&mut alice, room, -1).await;
        assert_eq!(set(&mut alice, room, "k", "v", 0).await, 0);
    }
    let (status, _) = api(
        server.addr,
        SECRET,
        "/chatroom/destroy.json",
        "chatroomId=doomed",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(exit(&mut alice, "idle").await, 0);
    let store = server.state().store.clone();
    let deadline = tokio::time::Instant::now() + common::GUARD;
    loop {
        let rooms = store.read(|s| s.chatroom_entry_rooms()).await.unwrap();
        if rooms.is_empty() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "entries of {rooms:?} were never forgotten"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    join(&mut alice, "doomed", -1).await;
    let fresh = pull(&mut alice, "doomed", 0).await;
    assert!(fresh.entries.is_empty());
    server.stop().await;
}
