//! A request without an ack fails with −1 after 30 s, exactly once; a late ack is ignored
//! (known bug 2 of the original).
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
use im_client::wire::frame::{Qos, QueryAck};
use im_client::wire::{ClientFrame, ServerFrame};
use im_client::{Event, QueryRequest, Reply, SendRequest};

fn completions(h: &mut Harness) -> Vec<Event> {
    events(&h.take())
        .into_iter()
        .filter(|e| matches!(e, Event::RequestCompleted { .. }))
        .collect()
}

#[test]
fn a_send_without_puback_fails_with_minus_1_once_and_a_late_puback_is_ignored() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.raw(&[0xd0]);
    let id = h.engine.send_message(
        h.now,
        SendRequest::new(1, "bob", TextMessage::new("hi").into()),
    );
    h.drain();
    let frames = sent_frames(&h.take());
    let ClientFrame::Publish(p) = &frames[0] else {
        panic!("{frames:?}")
    };
    let sent_at = h.now;
    h.advance_to(sent_at + 29_999);
    assert!(completions(&mut h).is_empty());
    h.advance_to(sent_at + 30_000);
    let done = completions(&mut h);
    assert_eq!(done.len(), 1);
    let Event::RequestCompleted { id: got, result } = &done[0] else {
        unreachable!()
    };
    assert_eq!(*got, id);
    let err = result.as_ref().unwrap_err();
    assert_eq!(err.code, -1);
    assert_eq!(err.message.as_ref().unwrap().sent_status, Some(20));

    h.server(puback(p.msg_id, 0, 1_600_000_000_000, "LATE"));
    assert!(completions(&mut h).is_empty());
    h.advance(120_000);
    assert!(completions(&mut h).is_empty());
}

#[test]
fn a_query_without_queryack_fails_with_minus_1_once() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let req = QueryRequest {
        topic: "qryRelation".into(),
        target_id: USER.into(),
        payload: vec![0x08, 0x01],
        qos1: false,
    };
    let id = h.engine.query(h.now, req);
    h.drain();
    let frames = sent_frames(&h.take());
    let ClientFrame::Query(q) = &frames[0] else {
        panic!("{frames:?}")
    };
    assert_eq!((q.topic.as_str(), q.qos), ("qryRelation", Qos::AtMostOnce));
    h.advance(30_000);
    let done = completions(&mut h);
    assert_eq!(done.len(), 1);
    assert!(
        matches!(&done[0], Event::RequestCompleted { id: got, result: Err(e) } if *got == id && e.code == -1)
    );
    h.server(ServerFrame::QueryAck(QueryAck {
        qos: Qos::AtMostOnce,
        msg_id: q.msg_id,
        date: 0,
        status: 0,
        payload: vec![],
    }));
    assert!(completions(&mut h).is_empty());
}

#[test]
fn a_query_completes_with_its_payload_or_status() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let req = QueryRequest {
            topic: "getBlack".into(),
            target_id: USER.into(),
            payload: vec![0x08, 0x01],
            qos1: false,
        };
        ids.push(h.engine.query(h.now, req));
    }
    h.drain();
    let msg_ids: Vec<u16> = sent_frames(&h.take())
        .into_iter()
        .map(|f| match f {
            ClientFrame::Query(q) => q.msg_id,
            other => panic!("{other:?}"),
        })
        .collect();
    let ack = |msg_id, status, payload: Vec<u8>| {
        ServerFrame::QueryAck(QueryAck {
            qos: Qos::AtLeastOnce,
            msg_id,
            date: 0,
            status,
            payload,
        })
    };
    h.server(ack(msg_ids[1], 23406, vec![]));
    h.server(ack(msg_ids[0], 0, vec![0x0a, 0x01, 0x61]));
    let outs = h.take();
    // QoS 1 QUERYACKs are confirmed with QUERYCON before the callbacks run.
    assert_eq!(
        sent_bytes(&outs),
        [
            vec![0x70, 0x00, msg_ids[1] as u8],
            vec![0x70, 0x00, msg_ids[0] as u8]
        ]
    );
    let done: Vec<Event> = events(&outs);
    assert!(
        matches!(&done[0], Event::RequestCompleted { id, result: Err(e) } if *id == ids[1] && e.code == 23406)
    );
    assert!(
        matches!(&done[1], Event::RequestCompleted { id, result: Ok(Reply::Query { payload }) } if *id == ids[0] && payload == &[0x0a, 0x01, 0x61])
    );
}
