//! A lost connection rejoins the chatrooms it was in (the server drops a connection's rooms with
//! its socket) and pulls from each room's cursor, so messages sent meanwhile arrive once; a room
//! that refuses the rejoin is forgotten; an app-initiated disconnect leaves the rooms for good.
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
use im_client::wire::frame::{Qos, Query, QueryAck};
use im_client::wire::proto::{self, DownStreamMessage};
use im_client::wire::{ClientFrame, ServerFrame};
use im_client::{Event, Output};

fn in_room(mut m: DownStreamMessage, room: &str) -> DownStreamMessage {
    m.r#type = 4;
    m.group_id = Some(room.into());
    m
}

fn queries(outs: &[Output], topic: &str) -> Vec<Query> {
    sent_frames(outs)
        .into_iter()
        .filter_map(|f| match f {
            ClientFrame::Query(q) if q.topic == topic => Some(q),
            _ => None,
        })
        .collect()
}

fn ack(qos: Qos, msg_id: u16, status: u16, payload: Vec<u8>) -> ServerFrame {
    ServerFrame::QueryAck(QueryAck {
        qos,
        msg_id,
        date: 0,
        status,
        payload,
    })
}

fn joined() -> Vec<u8> {
    proto::encode(&proto::ChrmOutput { nothing: 1 })
}

fn room_batch(items: Vec<DownStreamMessage>, sync_time: i64) -> Vec<u8> {
    proto::encode(&proto::DownStreamMessages {
        list: items,
        sync_time,
        finished: None,
    })
}

/// Connected and in rooms `a` and `b`, each having delivered one message (cursors 1000, 1100).
fn in_two_rooms() -> Harness {
    let mut h = Harness::new(config());
    h.connect_fully();
    for (room, uid, time) in [("a", "A1", 1000), ("b", "B1", 1100)] {
        h.engine.join_chatroom(h.now, room, -1);
        h.drain();
        let join = queries(&h.take(), "joinChrm").remove(0);
        h.server(ack(Qos::AtMostOnce, join.msg_id, 0, joined()));
        let pull = queries(&h.take(), "chrmPull").remove(0);
        let item = in_room(text_from("bob", "before", uid, time), room);
        h.server(ack(
            Qos::AtLeastOnce,
            pull.msg_id,
            0,
            room_batch(vec![item], time),
        ));
        assert_eq!(received(&h.take()).len(), 1);
    }
    h
}

/// No `RequestCompleted` event among `outs`.
fn no_completion(outs: &[Output]) -> bool {
    events(outs)
        .iter()
        .all(|e| !matches!(e, Event::RequestCompleted { .. }))
}

fn pull_id_in(outs: &[Output]) -> Vec<Query> {
    queries(outs, "pullMsg")
}

/// Loses the socket and lets the automatic reconnection connect again.
fn reconnect(h: &mut Harness) -> Vec<Output> {
    h.close(1006);
    h.advance_to(h.deadline);
    h.answer_probe_and_accept();
    h.take()
}

#[test]
fn a_reconnect_rejoins_each_room_and_delivers_only_what_is_newer_than_its_cursor() {
    let mut h = in_two_rooms();
    let outs = reconnect(&mut h);
    let joins = queries(&outs, "joinChrm");
    let rooms: Vec<&str> = joins.iter().map(|q| q.target_id.as_str()).collect();
    assert_eq!(rooms, ["a", "b"]);
    assert!(
        received(&outs).is_empty(),
        "nothing is delivered before the rooms are pulled"
    );

    // Room a accepts: a pull from its cursor; the repeated message is dropped.
    h.server(ack(Qos::AtMostOnce, joins[0].msg_id, 0, joined()));
    let outs = h.take();
    assert!(no_completion(&outs), "the app did not ask for the rejoin");
    let pull = queries(&outs, "chrmPull").remove(0);
    assert_eq!(pull.target_id, "a");
    let req: proto::ChrmPullMsg = proto::decode(&pull.payload).unwrap();
    assert_eq!(req.sync_time, 1000);
    assert!(req.count > 0, "asks for recent messages: {}", req.count);
    let batch = vec![
        in_room(text_from("bob", "before", "A1", 1000), "a"),
        in_room(text_from("carol", "meanwhile", "A2", 1500), "a"),
    ];
    h.server(ack(
        Qos::AtLeastOnce,
        pull.msg_id,
        0,
        room_batch(batch, 1500),
    ));
    let got = received(&h.take());
    assert_eq!(
        got.iter().map(|(m, _, _)| text_of(m)).collect::<Vec<_>>(),
        ["meanwhile"]
    );

    // Room b refuses (e.g. the user is blocked there now): it is forgotten.
    h.server(ack(Qos::AtMostOnce, joins[1].msg_id, 23409, vec![]));
    let outs = h.take();
    assert!(queries(&outs, "chrmPull").is_empty());
    assert!(
        no_completion(&outs),
        "a refused rejoin is not reported either"
    );
    let notify = |room: &str, time: i64| {
        let payload = proto::encode(&proto::NotifyMsg {
            r#type: 2,
            time: Some(time),
            chrm_id: Some(room.into()),
        });
        publish("s_ntf", 9, Qos::AtMostOnce, false, payload)
    };
    h.server(notify("b", 5000));
    assert!(queries(&h.take(), "chrmPull").is_empty(), "b is not pulled");
    h.server(notify("a", 5000));
    assert_eq!(queries(&h.take(), "chrmPull").len(), 1, "a still is");

    // The next reconnect rejoins only a.
    let outs = reconnect(&mut h);
    let rooms: Vec<String> = queries(&outs, "joinChrm")
        .into_iter()
        .map(|q| q.target_id)
        .collect();
    assert_eq!(rooms, ["a"]);
}

#[test]
fn after_disconnect_a_new_connect_does_not_rejoin() {
    let mut h = in_two_rooms();
    h.engine.disconnect(h.now);
    h.drain();
    h.take();
    assert!(h.connect(TOKEN));
    h.answer_probe_and_accept();
    let outs = h.take();
    assert!(!pull_id_in(&outs).is_empty(), "connected and syncing");
    assert!(queries(&outs, "joinChrm").is_empty());
}
