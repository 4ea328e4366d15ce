//! A pull answered with `finished = false` is followed at once by another pull from the new box
//! time (2.5.3 waits for the next `s_ntf`); meanwhile listeners see `hasMore = true`.
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
use im_client::wire::proto::{self, SyncRequestMsg};
use im_client::wire::ClientFrame;

fn pull_request(outs: &[im_client::Output]) -> (u16, SyncRequestMsg) {
    let id = pull_id(outs);
    let frames = sent_frames(outs);
    let q = frames
        .iter()
        .find_map(|f| match f {
            ClientFrame::Query(q) if q.msg_id == id => Some(q),
            _ => None,
        })
        .unwrap();
    (id, proto::decode(&q.payload).unwrap())
}

#[test]
fn an_unfinished_pull_is_continued_immediately_until_finished() {
    let mut h = Harness::new(config());
    h.connect(TOKEN);
    let (id, _) = take_http(&h.take())[0].clone();
    h.http(id, 200, &navi_body());
    h.answer_probe_and_accept();
    let (first, req) = pull_request(&h.take());
    assert_eq!(req.is_pull_send, Some(true));

    let batch = vec![
        text_from("bob", "a", "A", 100),
        text_from("bob", "b", "B", 200),
    ];
    h.server(pull_reply(first, batch, 200, false));
    let outs = h.take();
    let got = received(&outs);
    assert_eq!(
        got.iter().map(|(_, l, m)| (*l, *m)).collect::<Vec<_>>(),
        [(1, true), (0, true)]
    );
    // The continuation is part of the connect drain: isPullSend again, from the new box time.
    let (second, req) = pull_request(&outs);
    assert_ne!(second, first);
    assert_eq!((req.sync_time, req.is_pull_send), (200, Some(true)));

    h.server(pull_reply(
        second,
        vec![text_from("bob", "c", "C", 300)],
        300,
        true,
    ));
    let outs = h.take();
    let got = received(&outs);
    assert_eq!(
        (text_of(&got[0].0), got[0].1, got[0].2),
        ("c".to_owned(), 0, false)
    );
    assert!(
        sent_frames(&outs)
            .iter()
            .all(|f| !matches!(f, ClientFrame::Query(_))),
        "no third pull"
    );
}

#[test]
fn an_unfinished_pull_that_brings_nothing_new_does_not_loop() {
    let mut h = Harness::new(config());
    h.connect(TOKEN);
    let (id, _) = take_http(&h.take())[0].clone();
    h.http(id, 200, &navi_body());
    h.answer_probe_and_accept();
    let (first, _) = pull_request(&h.take());
    h.server(pull_reply(first, vec![], 0, false));
    let outs = h.take();
    assert!(sent_frames(&outs)
        .iter()
        .all(|f| !matches!(f, ClientFrame::Query(_))));
    // The next s_ntf pulls again.
    h.server(s_ntf(3, 50));
    assert_eq!(pull_request(&h.take()).1.sync_time, 0);
}
