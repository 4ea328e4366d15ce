//! Chatroom entries: a join pulls the room's entries when the navigation has `kvStorage`, and the
//! join completes with that pull; `s_cmd` type 2 pulls what changed since the cache's time; set
//! and remove check key and value as 2.5.3 does (33003, nothing sent) and send its protobuf and
//! notification; the getters answer from the cache; quitting the room drops it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

// The same scenarios run in headless Chrome when built for wasm32 (wasm-bindgen-test).
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use common::*;
use im_client::wire::frame::{Qos, Query};
use im_client::wire::proto::{self, ChrmKvEntity, ChrmKvOutput, NotifyMsg, QueryChrmKv, SetChrmKv};
use im_client::wire::ClientFrame;
use im_client::{ChatroomEntry, Reply, RequestId};

fn queries_on(h: &mut Harness, topic: &str) -> Vec<Query> {
    sent_frames(&h.outputs)
        .into_iter()
        .filter_map(|f| match f {
            ClientFrame::Query(q) if q.topic == topic => Some(q),
            _ => None,
        })
        .collect()
}

/// Connected through a navigation that says `kvStorage` (or not).
fn connected(kv: bool) -> Harness {
    let mut h = Harness::new(config());
    assert!(h.connect(TOKEN));
    let (id, _) = take_http(&h.outputs).into_iter().next().unwrap();
    h.take();
    let flag = if kv { r#","kvStorage":1"# } else { "" };
    let body = format!(
        r#"getServerEndpoint({{"code":200,"server":"cmp1.test","userId":"{USER}"{flag}}});"#
    );
    h.http(id, 200, &body);
    h.answer_probe_and_accept();
    let pull = pull_id(&h.take());
    h.raw(&[0xd0]);
    h.server(pull_reply(pull, vec![], 0, true));
    h.take();
    h
}

fn entity(key: &str, value: &str, status: i32, uid: &str) -> ChrmKvEntity {
    ChrmKvEntity {
        key: key.into(),
        value: value.into(),
        status: Some(status),
        timestamp: Some(1),
        uid: Some(uid.into()),
    }
}

fn kv_reply(full: bool, time: i64, entries: Vec<ChrmKvEntity>) -> Vec<u8> {
    proto::encode(&ChrmKvOutput {
        entries,
        b_full_update: Some(full),
        sync_time: Some(time),
    })
}

/// Joins `room`; the join's `pullKV` (which must go out) is answered with `entries` at `time`.
fn join(h: &mut Harness, room: &str, time: i64, entries: Vec<ChrmKvEntity>) {
    let id = h.engine.join_chatroom(h.now, room, 0);
    h.drain();
    let q = query(h);
    assert_eq!(q.topic, "joinChrm");
    h.server(ack(
        q.msg_id,
        0,
        proto::encode(&proto::ChrmOutput { nothing: 1 }),
    ));
    let pulls = queries_on(h, "pullKV");
    assert_eq!(pulls.len(), 1);
    assert_eq!(
        proto::decode::<QueryChrmKv>(&pulls[0].payload)
            .unwrap()
            .timestamp,
        0
    );
    assert_eq!(queries_on(h, "chrmPull").len(), 1);
    assert_eq!(
        completion(&h.outputs, id),
        None,
        "the join waits for pullKV"
    );
    h.take();
    h.server(ack(pulls[0].msg_id, 0, kv_reply(true, time, entries)));
    assert_eq!(result_of(h, id), Ok(Reply::Done));
}

fn s_cmd(h: &mut Harness, room: &str, time: i64) {
    let n = NotifyMsg {
        r#type: 2,
        time: Some(time),
        chrm_id: Some(room.into()),
    };
    h.server(publish(
        "s_cmd",
        0,
        Qos::AtMostOnce,
        false,
        proto::encode(&n),
    ));
}

fn all(h: &Harness, room: &str) -> Vec<(String, String)> {
    h.engine.chatroom_entries(room).0
}

fn entry(key: &str, value: &str) -> ChatroomEntry {
    ChatroomEntry {
        key: key.into(),
        value: value.into(),
        ..Default::default()
    }
}

#[test]
fn the_join_completes_with_the_entries_pulled_and_the_getters_read_them() {
    let mut h = connected(true);
    join(
        &mut h,
        "r",
        50,
        vec![entity("a", "1", 2, "bob"), entity("b", "2", 3, "me")],
    );
    assert_eq!(h.engine.chatroom_entry("r", "a").unwrap(), "1");
    assert_eq!(
        h.engine.chatroom_entry("r", "zz").unwrap_err().code,
        23427,
        "a missing key is CHATROOM_KEY_NOT_EXIST, as 2.5.3 reports it"
    );
    assert_eq!(
        h.engine.chatroom_entry("other", "a").unwrap_err().code,
        23427
    );
    assert_eq!(
        all(&h, "r"),
        [("a".into(), "1".into()), ("b".into(), "2".into())]
    );
    assert_eq!(all(&h, "other"), []);
}

#[test]
fn without_kv_storage_the_join_pulls_no_entries() {
    let mut h = connected(false);
    let id = h.engine.join_chatroom(h.now, "r", 0);
    h.drain();
    let q = query(&mut h);
    h.server(ack(
        q.msg_id,
        0,
        proto::encode(&proto::ChrmOutput { nothing: 1 }),
    ));
    assert!(queries_on(&mut h, "pullKV").is_empty());
    assert_eq!(result_of(&mut h, id), Ok(Reply::Done));
}

#[test]
fn a_failed_join_pull_fails_the_join_with_its_status() {
    let mut h = connected(true);
    let id = h.engine.join_chatroom(h.now, "r", 0);
    h.drain();
    let q = query(&mut h);
    h.server(ack(
        q.msg_id,
        0,
        proto::encode(&proto::ChrmOutput { nothing: 1 }),
    ));
    let pull = queries_on(&mut h, "pullKV").remove(0);
    h.take();
    h.server(ack(pull.msg_id, 23426, vec![]));
    assert_eq!(result_of(&mut h, id).unwrap_err().code, 23426);
}

#[test]
fn s_cmd_pulls_changes_newer_than_the_cache_once_at_a_time() {
    let mut h = connected(true);
    join(&mut h, "r", 50, vec![entity("a", "1", 2, "bob")]);
    // Not newer: nothing.
    s_cmd(&mut h, "r", 50);
    assert!(queries_on(&mut h, "pullKV").is_empty());
    // Not a joined room: nothing.
    s_cmd(&mut h, "elsewhere", 99);
    assert!(queries_on(&mut h, "pullKV").is_empty());
    s_cmd(&mut h, "r", 60);
    let pull = queries_on(&mut h, "pullKV").remove(0);
    assert_eq!(
        proto::decode::<QueryChrmKv>(&pull.payload)
            .unwrap()
            .timestamp,
        50
    );
    h.take();
    // Another notice while that pull is in flight waits for it.
    s_cmd(&mut h, "r", 70);
    assert!(queries_on(&mut h, "pullKV").is_empty());
    h.server(ack(
        pull.msg_id,
        0,
        kv_reply(
            false,
            60,
            vec![entity("a", "", 2 | 4, "bob"), entity("c", "3", 2, "bob")],
        ),
    ));
    assert_eq!(all(&h, "r"), [("c".into(), "3".into())]);
    let again = queries_on(&mut h, "pullKV");
    assert_eq!(again.len(), 1, "the notice of 70 is newer than 60");
    assert_eq!(
        proto::decode::<QueryChrmKv>(&again[0].payload)
            .unwrap()
            .timestamp,
        60
    );
    h.take();
    h.server(ack(again[0].msg_id, 0, kv_reply(false, 70, vec![])));
    assert!(queries_on(&mut h, "pullKV").is_empty());
}

#[test]
fn a_bad_key_or_value_fails_with_33003_and_sends_nothing() {
    let mut h = connected(true);
    join(&mut h, "r", 1, vec![]);
    let long_value = "v".repeat(4097);
    let cases = [
        entry("", "v"),
        entry(&"k".repeat(129), "v"),
        entry("a b", "v"),
        entry("k", ""),
        entry("k", &long_value),
    ];
    for (i, e) in cases.iter().enumerate() {
        let id = h
            .engine
            .set_chatroom_entry(h.now, "r", e.clone(), i % 2 == 0);
        h.drain();
        assert!(sent_frames(&h.outputs).is_empty(), "{e:?}");
        assert_eq!(result_of(&mut h, id).unwrap_err().code, 33003, "{e:?}");
    }
    // Removals check the key only.
    let id = h
        .engine
        .remove_chatroom_entry(h.now, "r", entry("bad key", ""), false);
    h.drain();
    assert!(sent_frames(&h.outputs).is_empty());
    assert_eq!(result_of(&mut h, id).unwrap_err().code, 33003);
    // The longest key and value pass.
    let e = entry(&"k".repeat(128), &"é".repeat(4096));
    h.engine.set_chatroom_entry(h.now, "r", e, false);
    h.drain();
    assert_eq!(queries_on(&mut h, "setKV").len(), 1);
}

#[test]
fn set_sends_2_5_3s_entry_and_notification_and_the_cache_takes_it() {
    let mut h = connected(true);
    join(&mut h, "r", 1, vec![]);
    let e = ChatroomEntry {
        key: "k".into(),
        value: "v".into(),
        auto_delete: true,
        notify: true,
        extra: "x".into(),
    };
    let id = h.engine.set_chatroom_entry(h.now, "r", e, true);
    h.drain();
    let q = queries_on(&mut h, "setKV").remove(0);
    assert_eq!((q.target_id.as_str(), q.qos), ("r", Qos::AtMostOnce));
    let input = proto::decode::<SetChrmKv>(&q.payload).unwrap();
    assert_eq!(input.entry.key, "k");
    assert_eq!(input.entry.value, "v");
    assert_eq!(input.entry.status, Some(1 | 2));
    assert_eq!(input.entry.uid.as_deref(), Some(USER));
    assert_eq!((input.b_notify, input.r#type), (Some(true), Some(4)));
    let n = input.notification.unwrap();
    assert_eq!(
        (n.session_id, n.classname.as_str()),
        (0, "RC:chrmKVNotiMsg")
    );
    let content = im_client::wire::json::parse(std::str::from_utf8(&n.content).unwrap()).unwrap();
    assert_eq!(content["key"], "k");
    assert_eq!(content["value"], "v");
    assert_eq!(content["type"], 1);
    assert_eq!(content["extra"], "x");
    // Not in the cache until the server agreed.
    assert!(h.engine.chatroom_entry("r", "k").is_err());
    h.take();
    h.server(ack(
        q.msg_id,
        0,
        proto::encode(&proto::ChrmOutput { nothing: 1 }),
    ));
    assert_eq!(result_of(&mut h, id), Ok(Reply::Done));
    assert_eq!(h.engine.chatroom_entry("r", "k").unwrap(), "v");

    // A plain set carries no status and no notification.
    h.engine
        .set_chatroom_entry(h.now, "r", entry("p", "1"), false);
    h.drain();
    let input = proto::decode::<SetChrmKv>(&queries_on(&mut h, "setKV")[0].payload).unwrap();
    assert_eq!((input.entry.status, input.b_notify), (None, None));
    assert!(input.notification.is_none() && input.r#type.is_none());
}

#[test]
fn remove_sends_the_delete_bit_and_a_type_2_notification() {
    let mut h = connected(true);
    join(&mut h, "r", 1, vec![entity("k", "v", 2, USER)]);
    let e = ChatroomEntry {
        key: "k".into(),
        value: "ignored".into(),
        notify: true,
        ..Default::default()
    };
    let id = h.engine.remove_chatroom_entry(h.now, "r", e, true);
    h.drain();
    let q = queries_on(&mut h, "delKV").remove(0);
    // DeleteChrmKV has SetChrmKV's layout.
    let input = proto::decode::<SetChrmKv>(&q.payload).unwrap();
    assert_eq!(input.entry.value, "");
    assert_eq!(input.entry.status, Some(2 | 4));
    let n = input.notification.unwrap();
    let content = im_client::wire::json::parse(std::str::from_utf8(&n.content).unwrap()).unwrap();
    assert_eq!(content["type"], 2);
    assert!(
        content.get("value").is_none(),
        "2.5.3 writes truthy fields only"
    );
    h.take();
    h.server(ack(q.msg_id, 0, vec![]));
    assert_eq!(result_of(&mut h, id), Ok(Reply::Done));
    assert_eq!(h.engine.chatroom_entry("r", "k").unwrap_err().code, 23427);
}

#[test]
fn a_refused_write_reports_the_servers_code_and_leaves_the_cache() {
    let mut h = connected(true);
    join(&mut h, "r", 1, vec![entity("k", "old", 2, "bob")]);
    let id = h
        .engine
        .set_chatroom_entry(h.now, "r", entry("k", "new"), false);
    h.drain();
    let q = queries_on(&mut h, "setKV").remove(0);
    h.take();
    h.server(ack(q.msg_id, 23424, vec![]));
    assert_eq!(result_of(&mut h, id).unwrap_err().code, 23424);
    assert_eq!(h.engine.chatroom_entry("r", "k").unwrap(), "old");
}

#[test]
fn quitting_drops_the_rooms_entries() {
    let mut h = connected(true);
    join(&mut h, "r", 1, vec![entity("k", "v", 2, "bob")]);
    let id = h.engine.quit_chatroom(h.now, "r");
    h.drain();
    let q = query(&mut h);
    h.server(ack(q.msg_id, 0, vec![]));
    assert_eq!(result_of(&mut h, id), Ok(Reply::Done));
    assert_eq!(h.engine.chatroom_entry("r", "k").unwrap_err().code, 23427);
    assert_eq!(all(&h, "r"), []);
}

#[test]
fn a_lost_pull_lets_the_next_notice_pull_again() {
    let mut h = connected(true);
    join(&mut h, "r", 10, vec![]);
    s_cmd(&mut h, "r", 20);
    assert_eq!(queries_on(&mut h, "pullKV").len(), 1);
    h.take();
    h.advance(31_000);
    h.raw(&[0xd0]);
    h.take();
    s_cmd(&mut h, "r", 20);
    assert_eq!(queries_on(&mut h, "pullKV").len(), 1);
}

#[test]
fn writes_fail_when_not_connected() {
    let mut h = Harness::new(config());
    let id: RequestId = h.engine.set_chatroom_entry(0, "r", entry("k", "v"), false);
    h.drain();
    assert_eq!(result_of(&mut h, id).unwrap_err().code, 30002);
}

#[test]
fn a_rejoin_after_a_lost_connection_pulls_the_entries_changed_meanwhile() {
    let mut h = connected(true);
    join(&mut h, "r", 40, vec![entity("k", "v", 2, "bob")]);
    h.close(1006);
    h.advance_to(h.deadline);
    h.answer_probe_and_accept();
    let joins = queries_on(&mut h, "joinChrm");
    assert_eq!(joins.len(), 1);
    h.take();
    h.server(ack(
        joins[0].msg_id,
        0,
        proto::encode(&proto::ChrmOutput { nothing: 1 }),
    ));
    let pulls = queries_on(&mut h, "pullKV");
    assert_eq!(pulls.len(), 1);
    assert_eq!(
        proto::decode::<QueryChrmKv>(&pulls[0].payload)
            .unwrap()
            .timestamp,
        40,
        "from the cache's time"
    );
    h.take();
    let changed = kv_reply(false, 45, vec![entity("k", "w", 2, "bob")]);
    h.server(ack(pulls[0].msg_id, 0, changed));
    assert!(
        events(&h.take()).is_empty(),
        "the app did not ask for the rejoin"
    );
    assert_eq!(h.engine.chatroom_entry("r", "k").unwrap(), "w");
}
