//! Local-first history: the store's messages first, then the server's older ones (`qry?Msg`
//! below the stored part), with no duplicate at the seam and an exact `hasMore`.
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
use im_client::wire::content::TextMessage;
use im_client::wire::frame::Query;
use im_client::wire::proto::{self, DownStreamMessage, HistoryMessagesOuput, HistoryMsgInput};
use im_client::{InsertMessage, Reply, RequestId};

/// Bob's messages U1…U8 at 1000…8000; this device received U5…U8.
fn bob(n: i64) -> DownStreamMessage {
    text_from("bob", &format!("m{n}"), &format!("U{n}"), n * 1000)
}

fn connected_with_u5_to_u8() -> Harness {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.pull_in((5..=8).map(bob).collect());
    h
}

/// Asks for a page; returns the request and the history QUERY it sent, if any.
fn ask(h: &mut Harness, timestamp: Option<i64>, count: i32) -> (RequestId, Option<Query>) {
    h.take();
    let id = h.engine.history_local_first(
        h.now,
        im_client::wire::enums::ConversationType::Private,
        "bob",
        timestamp,
        count,
    );
    h.drain();
    let q = queries(&h.outputs).into_iter().next();
    (id, q)
}

/// The server answers a history QUERY with `list` (newest first).
fn answer(h: &mut Harness, q: &Query, list: Vec<DownStreamMessage>, has_msg: bool) {
    let sync_time = list.last().map_or(0, |m| m.data_time);
    let out = HistoryMessagesOuput {
        list,
        sync_time,
        has_msg: i32::from(has_msg),
    };
    h.server(query_ack(q.msg_id, 0, proto::encode(&out)));
}

fn page(h: &mut Harness, id: RequestId) -> (Vec<String>, bool) {
    match completion(&h.take(), id) {
        Some(Ok(Reply::History { list, has_more })) => {
            (list.iter().map(text_of).collect(), has_more)
        }
        other => panic!("{other:?}"),
    }
}

fn texts(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn the_server_continues_below_the_stored_messages_without_duplicates() {
    let mut h = connected_with_u5_to_u8();
    let (id, q) = ask(&mut h, Some(0), 6);
    let q = q.expect("four stored, six wanted: the server is asked");
    assert_eq!((q.topic.as_str(), q.target_id.as_str()), ("qryPMsg", "bob"));
    let input: HistoryMsgInput = proto::decode(&q.payload).unwrap();
    // Below the first stored message, for what is missing.
    assert_eq!(
        (input.time, input.count, input.order),
        (Some(5000), Some(2), Some(0))
    );
    // A server that includes the seam message again: it is not shown twice.
    answer(&mut h, &q, vec![bob(5), bob(4), bob(3)], true);
    assert_eq!(
        page(&mut h, id),
        (texts(&["m3", "m4", "m5", "m6", "m7", "m8"]), true)
    );

    // The next page continues from the oldest shown, at the server.
    let (id, q) = ask(&mut h, None, 6);
    let q = q.unwrap();
    let input: HistoryMsgInput = proto::decode(&q.payload).unwrap();
    assert_eq!((input.time, input.count), (Some(3000), Some(6)));
    answer(&mut h, &q, vec![bob(2), bob(1)], false);
    assert_eq!(page(&mut h, id), (texts(&["m1", "m2"]), false));
    // After the last page, continuing answers at once.
    let (id, q) = ask(&mut h, None, 6);
    assert!(q.is_none());
    assert_eq!(page(&mut h, id), (vec![], false));
}

#[test]
fn has_more_is_exact_when_the_store_fills_the_page() {
    let mut h = connected_with_u5_to_u8();
    // More stored than asked: no server.
    let (id, q) = ask(&mut h, Some(0), 3);
    assert!(q.is_none());
    assert_eq!(page(&mut h, id), (texts(&["m6", "m7", "m8"]), true));
    // Exactly as many: the server is asked for one, only to know whether there is more.
    let (id, q) = ask(&mut h, Some(0), 4);
    let q = q.unwrap();
    let input: HistoryMsgInput = proto::decode(&q.payload).unwrap();
    assert_eq!((input.time, input.count), (Some(5000), Some(1)));
    answer(&mut h, &q, vec![bob(4)], true);
    assert_eq!(page(&mut h, id), (texts(&["m5", "m6", "m7", "m8"]), true));
    let (id, q) = ask(&mut h, Some(0), 4);
    answer(&mut h, &q.unwrap(), vec![], false);
    assert_eq!(page(&mut h, id), (texts(&["m5", "m6", "m7", "m8"]), false));
    // A server error fails the page.
    let (id, q) = ask(&mut h, Some(0), 10);
    h.server(query_ack(q.unwrap().msg_id, 33007, Vec::new()));
    assert_eq!(completion(&h.take(), id).unwrap().unwrap_err().code, 33007);
}

#[test]
fn local_only_messages_below_the_stored_part_merge_with_the_server_ones() {
    let mut h = connected_with_u5_to_u8();
    let tip = InsertMessage {
        conversation_type: 1,
        target_id: "bob".into(),
        object_name: "RC:TxtMsg".into(),
        content: r#"{"content":"tip"}"#.into(),
        direction: 2,
        sent_time: 4500,
        ..Default::default()
    };
    h.engine.insert_message(h.now, tip).unwrap();
    let (id, q) = ask(&mut h, Some(0), 6);
    let q = q.unwrap();
    let input: HistoryMsgInput = proto::decode(&q.payload).unwrap();
    assert_eq!((input.time, input.count), (Some(5000), Some(2)));
    answer(&mut h, &q, vec![bob(4), bob(3)], false);
    // The tip sits between the server's m4 and the stored m5; m3 is one more, so more remain.
    assert_eq!(
        page(&mut h, id),
        (texts(&["m4", "tip", "m5", "m6", "m7", "m8"]), true)
    );
    // Offline, the page is the store's.
    h.engine.disconnect(h.now);
    h.drain();
    let (id, q) = ask(&mut h, Some(0), 20);
    assert!(q.is_none());
    assert_eq!(
        page(&mut h, id),
        (texts(&["tip", "m5", "m6", "m7", "m8"]), false)
    );
}

#[test]
fn a_send_acknowledged_below_the_stored_part_is_shown_once_with_its_local_id() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.engine.send_message(
        h.now,
        im_client::SendRequest::new(1, "bob", TextMessage::new("mine").into()),
    );
    h.drain();
    let publish = published(&h.take())[0];
    // Bob's newer message arrives before the PUBACK, whose time is older.
    h.pull_in(vec![bob(8)]);
    h.server(puback(publish, 0, 7000, "S7"));
    h.take();
    let (id, q) = ask(&mut h, Some(0), 5);
    let q = q.unwrap();
    let input: HistoryMsgInput = proto::decode(&q.payload).unwrap();
    assert_eq!(input.time, Some(8000));
    let mut copy = text_from(USER, "mine", "S7", 7000);
    copy.group_id = Some("bob".into());
    copy.direction = Some(1);
    answer(&mut h, &q, vec![copy, bob(6)], false);
    let list = match completion(&h.take(), id) {
        Some(Ok(Reply::History { list, has_more })) => {
            assert!(!has_more);
            list
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(
        list.iter().map(text_of).collect::<Vec<_>>(),
        ["m6", "mine", "m8"]
    );
    let mine = &list[1];
    assert_eq!(h.engine.get_message(local_id(mine)).as_ref(), Some(mine));
}
