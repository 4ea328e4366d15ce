//! Chatroom entries over the socket (api.md §3.6 `setKV`, `delKV`, `pullKV`; §5.1 `s_cmd`):
//! members set and read them, only the owner changes or deletes an entry unless forced, keys
//! and values are checked as the 2.5.3 client checks them (33003), a room takes 100 entries
//! (23423), every change reaches the other members as `s_cmd` type 2, and a change asking for
//! its `RC:chrmKVNotiMsg` sends it to the room like a chatroom message.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::chatroom::{join, pull as chatroom_pull, room_notify};
use common::entries::{
    self, delete, delete_with, notice, notification, pull, pull_status, set, set_with, triples,
    DELETE, OVERWRITE,
};
use common::{http_get, start, Client};
use im_wire::frame::Qos;
use im_wire::proto::{self, DeleteChrmKv, DownStreamMessages, SetChrmKv};

const NOT_IN_CHATROOM: u16 = 23406;
const FORBIDDEN_IN_CHATROOM: u16 = 23408;
const INVALID: u16 = 33003;
const KV_EXCEED: u16 = 23423;
const NOT_OWNER: u16 = 23424;
const KV_OFF: u16 = 23426;
const NO_SUCH_KEY: u16 = 23427;

fn entry<'a>(out: &'a proto::ChrmKvOutput, key: &str) -> &'a proto::ChrmKvEntity {
    out.entries.iter().find(|e| e.key == key).unwrap()
}

#[tokio::test]
async fn a_member_sets_entries_that_every_member_reads_and_strangers_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let mut eve = Client::connect(&server, "eve").await;
    join(&mut alice, "stage", -1).await;
    join(&mut bob, "stage", -1).await;

    // Joining a room without entries: a full (empty) list.
    let empty = pull(&mut bob, "stage", 0).await;
    assert!(empty.entries.is_empty());
    assert_eq!(empty.b_full_update, Some(true));

    assert_eq!(set(&mut alice, "stage", "host", "alice", 0).await, 0);
    assert_eq!(set(&mut alice, "stage", "topic", "运动 😀", 0).await, 0);
    let all = pull(&mut bob, "stage", 0).await;
    assert_eq!(all.b_full_update, Some(true));
    assert_eq!(
        triples(&all),
        [
            ("host".into(), "alice".into(), "alice".into()),
            ("topic".into(), "运动 😀".into(), "alice".into()),
        ]
    );
    let host = entry(&all, "host").timestamp.unwrap();
    let topic = entry(&all, "topic").timestamp.unwrap();
    assert!(host < topic && all.sync_time == Some(topic));

    // A stranger neither reads nor writes, and changes nothing.
    assert_eq!(
        set(&mut eve, "stage", "host", "eve", OVERWRITE).await,
        NOT_IN_CHATROOM
    );
    assert_eq!(
        delete(&mut eve, "stage", "host", true).await,
        NOT_IN_CHATROOM
    );
    assert_eq!(pull_status(&mut eve, "stage", 0).await.0, NOT_IN_CHATROOM);
    assert_eq!(set(&mut eve, "nowhere", "k", "v", 0).await, NOT_IN_CHATROOM);
    assert_eq!(triples(&pull(&mut alice, "stage", 0).await), triples(&all));

    // Navigation announces the feature the client's join reads (transport.md §2.5).
    let token = server.issue_token("alice");
    let navi = http_get(
        server.addr,
        &format!("/navi.json?appId=testkey&token={token}"),
    )
    .await;
    assert!(navi.contains(r#""kvStorage":1"#), "{navi}");
    server.stop().await;
}

#[tokio::test]
async fn only_the_owner_changes_or_deletes_an_entry_unless_it_forces_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    join(&mut alice, "stage", -1).await;
    join(&mut bob, "stage", -1).await;
    assert_eq!(set(&mut alice, "stage", "seat", "alice", 0).await, 0);
    let cursor = pull(&mut bob, "stage", 0).await.sync_time.unwrap();

    assert_eq!(set(&mut bob, "stage", "seat", "bob", 0).await, NOT_OWNER);
    assert_eq!(delete(&mut bob, "stage", "seat", false).await, NOT_OWNER);
    assert_eq!(
        triples(&pull(&mut bob, "stage", 0).await),
        [("seat".into(), "alice".into(), "alice".into())]
    );
    // The owner changes its own entry; then a forced change makes bob the owner.
    assert_eq!(set(&mut alice, "stage", "seat", "alice2", 0).await, 0);
    assert_eq!(set(&mut bob, "stage", "seat", "bob", OVERWRITE).await, 0);
    assert_eq!(
        set(&mut alice, "stage", "seat", "alice3", 0).await,
        NOT_OWNER
    );
    let changed = pull(&mut alice, "stage", cursor).await;
    assert_eq!(changed.b_full_update, Some(false));
    assert_eq!(
        triples(&changed),
        [("seat".into(), "bob".into(), "bob".into())]
    );
    // Every entry of a pull carries the overwrite bit, so the 2.5.3 cache takes it.
    assert_eq!(
        changed.entries[0].status.unwrap_or(0) & OVERWRITE,
        OVERWRITE
    );

    // Deleting: the owner may; alice only by force; a missing key is 23427.
    assert_eq!(set(&mut alice, "stage", "mine", "a", 0).await, 0);
    assert_eq!(delete(&mut alice, "stage", "mine", false).await, 0);
    assert_eq!(
        delete(&mut alice, "stage", "mine", false).await,
        NO_SUCH_KEY
    );
    assert_eq!(
        delete(&mut alice, "stage", "never", true).await,
        NO_SUCH_KEY
    );
    assert_eq!(delete(&mut alice, "stage", "seat", true).await, 0);
    let after = pull(&mut bob, "stage", cursor).await;
    for key in ["seat", "mine"] {
        let e = entry(&after, key);
        assert_eq!(
            e.status.unwrap_or(0) & DELETE,
            DELETE,
            "{key} reads as deleted"
        );
        assert_eq!(e.value, "");
        assert_eq!(e.uid.as_deref(), Some("alice"), "who deleted it");
    }
    assert!(pull(&mut bob, "stage", 0).await.entries.is_empty());
    // A deleted key is free again for anyone.
    assert_eq!(set(&mut bob, "stage", "seat", "bob", 0).await, 0);
    server.stop().await;
}

#[tokio::test]
async fn keys_values_and_malformed_requests_are_refused_with_33003_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    join(&mut alice, "stage", -1).await;
    let long_key = "k".repeat(128);
    let long_value = "值".repeat(4096);
    assert_eq!(set(&mut alice, "stage", &long_key, &long_value, 0).await, 0);
    assert_eq!(set(&mut alice, "stage", "a_Z-0=+", "v", 0).await, 0);
    let before = triples(&pull(&mut alice, "stage", 0).await);

    for (key, value) in [
        ("", "v"),
        (&*"k".repeat(129), "v"),
        ("bad key", "v"),
        ("bad.key", "v"),
        ("ключ", "v"),
        ("k", ""),
        ("k", &*"x".repeat(4097)),
        ("k", &*"😀".repeat(2049)),
    ] {
        assert_eq!(
            set(&mut alice, "stage", key, value, 0).await,
            INVALID,
            "{key:?} = {} chars",
            value.chars().count()
        );
    }
    assert_eq!(delete(&mut alice, "stage", "bad key", true).await, INVALID);
    // Not protobuf at all, a truncated request, and a notification without its message.
    for garbage in [vec![0xff, 0xff, 0xff], vec![0x0a, 0x20, 0x0a]] {
        for topic in ["setKV", "delKV", "pullKV"] {
            let ack = alice
                .query(topic, "stage", garbage.clone(), Qos::AtMostOnce)
                .await;
            assert_eq!(ack.status, INVALID, "{topic} with {garbage:?}");
        }
    }
    let no_message = SetChrmKv {
        entry: entries::entity(&alice, "k", "v", 0),
        b_notify: Some(true),
        ..SetChrmKv::default()
    };
    assert_eq!(set_with(&mut alice, "stage", &no_message).await, INVALID);
    assert_eq!(triples(&pull(&mut alice, "stage", 0).await), before);
    // The connection still works.
    assert_eq!(set(&mut alice, "stage", "k", "v", 0).await, 0);
    server.stop().await;
}

#[tokio::test]
async fn a_room_holds_100_entries_and_refuses_the_101st_new_key() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    join(&mut alice, "stage", -1).await;
    for i in 0..100 {
        assert_eq!(set(&mut alice, "stage", &format!("k{i}"), "v", 0).await, 0);
    }
    assert_eq!(set(&mut alice, "stage", "k100", "v", 0).await, KV_EXCEED);
    // Changing an existing key is no new entry.
    assert_eq!(set(&mut alice, "stage", "k7", "changed", 0).await, 0);
    let full = pull(&mut alice, "stage", 0).await;
    assert_eq!(full.entries.len(), 100);
    assert!(!full.entries.iter().any(|e| e.key == "k100"));
    // A deletion makes room for one more.
    assert_eq!(delete(&mut alice, "stage", "k0", false).await, 0);
    assert_eq!(set(&mut alice, "stage", "k100", "v", 0).await, 0);
    assert_eq!(set(&mut alice, "stage", "k101", "v", 0).await, KV_EXCEED);
    // Other rooms have their own 100.
    join(&mut alice, "other", -1).await;
    assert_eq!(set(&mut alice, "other", "k0", "v", 0).await, 0);
    server.stop().await;
}

#[tokio::test]
async fn other_members_get_s_cmd_type_2_after_each_change_and_pull_from_their_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    join(&mut alice, "stage", -1).await;
    join(&mut bob, "stage", -1).await;
    assert_eq!(set(&mut alice, "stage", "intro", "hi", 0).await, 0);
    let (room, first) = notice(&mut bob).await;
    assert_eq!(room, "stage");
    // The joining client's pull from 0: the full list, and the cursor at the newest change.
    let cursor = pull(&mut bob, "stage", 0).await.sync_time.unwrap();
    assert_eq!(cursor, first);

    assert_eq!(set(&mut alice, "stage", "song", "one", 0).await, 0);
    let (room, time) = notice(&mut bob).await;
    assert_eq!(room, "stage");
    assert!(time > cursor);
    let changed = pull(&mut bob, "stage", cursor).await;
    assert_eq!(changed.b_full_update, Some(false));
    assert_eq!(
        triples(&changed),
        [("song".into(), "one".into(), "alice".into())]
    );
    assert_eq!(changed.entries[0].timestamp, Some(time));
    assert_eq!(
        changed.sync_time,
        Some(time),
        "the cursor moves to the notice's time"
    );

    assert_eq!(delete(&mut alice, "stage", "song", false).await, 0);
    let (_, deleted_at) = notice(&mut bob).await;
    assert!(deleted_at > time);
    let gone = pull(&mut bob, "stage", time).await;
    assert_eq!(gone.entries.len(), 1);
    assert_eq!(gone.entries[0].status.unwrap_or(0) & DELETE, DELETE);
    assert_eq!(gone.sync_time, Some(deleted_at));
    // Up to date: nothing more.
    assert!(pull(&mut bob, "stage", deleted_at).await.entries.is_empty());
    server.stop().await;
}

#[tokio::test]
async fn a_change_with_b_notify_sends_its_notification_message_to_the_room() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    join(&mut alice, "stage", -1).await;
    join(&mut bob, "stage", -1).await;

    let req = SetChrmKv {
        entry: entries::entity(&alice, "mic", "on", 0),
        b_notify: Some(true),
        notification: Some(notification("mic", "on", 1)),
        r#type: Some(4),
    };
    assert_eq!(set_with(&mut alice, "stage", &req).await, 0);
    let (room, _) = room_notify(&mut bob).await;
    assert_eq!(room, "stage");
    let ack = chatroom_pull(&mut bob, "stage", 0, 0).await;
    assert_eq!(ack.status, 0);
    let got: DownStreamMessages = proto::decode(&ack.payload).unwrap();
    assert_eq!(got.list.len(), 1);
    let m = &got.list[0];
    assert_eq!(m.classname, "RC:chrmKVNotiMsg");
    assert_eq!(m.from_user_id, "alice");
    assert_eq!(m.group_id.as_deref(), Some("stage"));
    let content: serde_json::Value = serde_json::from_slice(&m.content).unwrap();
    assert_eq!(content["key"], "mic");
    assert_eq!(content["type"], 1);
    let cursor = got.sync_time;

    // A deletion with its notification; and a change without one sends no message.
    let del = DeleteChrmKv {
        entry: entries::entity(&alice, "mic", "", DELETE),
        b_notify: Some(true),
        notification: Some(notification("mic", "", 2)),
        r#type: Some(4),
    };
    assert_eq!(delete_with(&mut alice, "stage", &del).await, 0);
    assert_eq!(set(&mut alice, "stage", "quiet", "yes", 0).await, 0);
    room_notify(&mut bob).await;
    let ack = chatroom_pull(&mut bob, "stage", cursor, 0).await;
    let got: DownStreamMessages = proto::decode(&ack.payload).unwrap();
    assert_eq!(got.list.len(), 1);
    let content: serde_json::Value = serde_json::from_slice(&got.list[0].content).unwrap();
    assert_eq!(content["type"], 2);
    server.stop().await;
}

#[tokio::test]
async fn a_muted_member_may_not_send_a_notification_with_a_change_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    join(&mut alice, "stage", -1).await;
    let (status, body) = common::api(
        server.addr,
        "test-app-secret-0123456789",
        "/chatroom/user/gag/add.json",
        "chatroomId=stage&userId=alice&minute=10",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let req = SetChrmKv {
        entry: entries::entity(&alice, "mic", "on", 0),
        b_notify: Some(true),
        notification: Some(notification("mic", "on", 1)),
        r#type: Some(4),
    };
    assert_eq!(
        set_with(&mut alice, "stage", &req).await,
        FORBIDDEN_IN_CHATROOM
    );
    assert!(pull(&mut alice, "stage", 0).await.entries.is_empty());
    // Without a notification the change is no message, and goes through.
    assert_eq!(set(&mut alice, "stage", "mic", "on", 0).await, 0);
    server.stop().await;
}

#[tokio::test]
async fn entries_can_be_turned_off_and_navigation_then_does_not_announce_them() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.chatroom.kv_entries = 0).await;
    let mut alice = Client::connect(&server, "alice").await;
    join(&mut alice, "stage", -1).await;
    assert_eq!(set(&mut alice, "stage", "k", "v", 0).await, KV_OFF);
    assert_eq!(delete(&mut alice, "stage", "k", false).await, KV_OFF);
    assert_eq!(pull_status(&mut alice, "stage", 0).await.0, KV_OFF);
    let token = server.issue_token("alice");
    let navi = http_get(
        server.addr,
        &format!("/navi.json?appId=testkey&token={token}"),
    )
    .await;
    assert!(navi.contains(r#""kvStorage":0"#), "{navi}");
    server.stop().await;
}
