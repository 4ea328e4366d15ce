//! `s_ntf` triggers a `pullMsg`; the batch is delivered in order with `left`/`hasMore`, the
//! receive box advances and is persisted, and an old `s_ntf` pulls nothing.
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
use im_client::wire::frame::Qos;
use im_client::wire::proto::{self, SyncRequestMsg};
use im_client::wire::ClientFrame;
use im_client::Output;

#[test]
fn a_notification_pulls_and_delivers_the_batch_in_order() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.server(s_ntf(9, 3000));
    let outs = h.take();
    let frames = sent_frames(&outs);
    // vectors.md V27r: PUBACK first, then the pull.
    assert_eq!(sent_bytes(&outs)[0], [0x40, 0x00, 0x09]);
    let ClientFrame::Query(q) = &frames[1] else {
        panic!("{frames:?}")
    };
    assert_eq!(
        (q.topic.as_str(), q.target_id.as_str(), q.qos),
        ("pullMsg", USER, Qos::AtLeastOnce)
    );
    let req: SyncRequestMsg = proto::decode(&q.payload).unwrap();
    assert_eq!(
        (req.sync_time, req.is_pull_send, req.send_box_sync_time),
        (0, None, Some(0))
    );

    let list = vec![
        text_from("bob", "one", "U1", 1000),
        text_from("bob", "two", "U2", 2000),
        text_from("carol", "three", "U3", 3000),
    ];
    h.server(pull_reply(q.msg_id, list, 3000, true));
    h.write_out();
    let outs = h.take();
    let got = received(&outs);
    let summary: Vec<(String, u32, bool)> = got
        .iter()
        .map(|(m, left, more)| (text_of(m), *left, *more))
        .collect();
    assert_eq!(
        summary,
        [
            ("one".to_owned(), 2, false),
            ("two".to_owned(), 1, false),
            ("three".to_owned(), 0, false)
        ]
    );
    let m = &got[2].0;
    assert_eq!(
        (m.sender_user_id.as_str(), m.target_id.as_str()),
        ("carol", "carol")
    );
    assert_eq!((m.message_direction, m.conversation_type), (2, 1));
    assert_eq!(m.message_uid.as_deref(), Some("U3"));
    assert_eq!(
        m.off_line_message,
        Some(true),
        "sent before the CONNACK time"
    );
    assert!(outs.contains(&Output::Persist {
        key: "appkey_user1_receivebox".into(),
        value: "3000".into()
    }));
    assert_eq!(h.engine.stored("appkey_user1_receivebox"), Some("3000"));

    // An s_ntf for something already seen pulls nothing.
    h.server(s_ntf(10, 2500));
    assert_eq!(sent_bytes(&h.take()), [vec![0x40, 0x00, 0x0a]]);
    // A newer one pulls from the receive box.
    h.server(s_ntf(11, 4000));
    let outs = h.take();
    let pull = pull_id(&outs);
    let frames = sent_frames(&outs);
    let ClientFrame::Query(q) = &frames[1] else {
        panic!()
    };
    assert_eq!(q.msg_id, pull);
    let req: SyncRequestMsg = proto::decode(&q.payload).unwrap();
    assert_eq!(req.sync_time, 3000);
}

#[test]
fn s_msg_is_dropped_until_a_pull_finished_then_delivered() {
    let mut h = Harness::new(config());
    assert!(h.connect(TOKEN));
    let (id, _) = take_http(&h.take())[0].clone();
    h.http(id, 200, &navi_body());
    h.answer_probe_and_accept();
    let pull = pull_id(&h.take());
    // The pull is unanswered: a pushed message is dropped, the pull will bring it.
    h.server(s_msg(0, &text_from("bob", "early", "E1", 5000)));
    assert!(received(&h.take()).is_empty());
    h.server(pull_reply(
        pull,
        vec![text_from("bob", "early", "E1", 5000)],
        5000,
        true,
    ));
    assert_eq!(received(&h.take()).len(), 1);
    h.server(s_msg(0, &text_from("bob", "live", "L1", 6000)));
    let got = received(&h.take());
    assert_eq!(got.len(), 1);
    assert_eq!(
        (text_of(&got[0].0), got[0].1, got[0].2),
        ("live".to_owned(), 0, false)
    );
}

#[test]
fn the_periodic_pull_runs_every_180_s() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let start = h.now;
    let mut pulls = Vec::new();
    while h.now < start + 400_000 {
        h.advance_to(h.deadline.min(start + 400_000));
        let outs = h.take();
        if sent_frames(&outs)
            .iter()
            .any(|f| matches!(f, ClientFrame::Query(q) if q.topic == "pullMsg"))
        {
            pulls.push(h.now - start);
            h.server(pull_reply(pull_id(&outs), vec![], 0, true));
        }
        if sent_bytes(&outs).contains(&vec![0xc0]) {
            h.raw(&[0xd0]);
        }
        h.take();
    }
    assert_eq!(pulls, [180_000, 360_000]);
}
