//! A message reaches the app once, whether it comes by pull, by `s_msg`, again after a reconnect,
//! or again in a new engine on the same storage.
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

use im_client::Storage;

use common::*;
use im_client::wire::proto::{self, SyncRequestMsg};
use im_client::wire::ClientFrame;
use im_client::Output;

fn uids(outs: &[Output]) -> Vec<String> {
    received(outs)
        .into_iter()
        .map(|(m, _, _)| m.message_uid.unwrap())
        .collect()
}

#[test]
fn the_same_message_uid_is_delivered_once_across_push_pull_and_reconnect() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let mut seen = Vec::new();

    h.server(s_msg(0, &text_from("bob", "one", "U1", 1000)));
    seen.extend(uids(&h.take()));

    // A pull brings U1 again (with a later time, as a confused server might) and U2.
    h.server(s_ntf(5, 2000));
    let pull = pull_id(&h.take());
    let batch = vec![
        text_from("bob", "one", "U1", 1500),
        text_from("bob", "two", "U2", 2000),
    ];
    h.server(pull_reply(pull, batch, 2000, true));
    seen.extend(uids(&h.take()));

    // The connection drops; the automatic reconnect pulls, and the server repeats everything.
    h.close(1006);
    h.advance_to(h.deadline);
    h.answer_probe_and_accept();
    let pull = pull_id(&h.take());
    let batch = vec![
        text_from("bob", "one", "U1", 1000),
        text_from("bob", "two", "U2", 2000),
        text_from("bob", "two", "U2", 2500),
        text_from("bob", "three", "U3", 3000),
    ];
    h.server(pull_reply(pull, batch, 3000, true));
    seen.extend(uids(&h.take()));
    h.server(s_msg(0, &text_from("bob", "three", "U3", 3500)));
    seen.extend(uids(&h.take()));

    assert_eq!(seen, ["U1", "U2", "U3"]);
}

#[test]
fn a_new_engine_on_the_same_storage_pulls_from_the_persisted_box_times() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.server(s_ntf(5, 2000));
    let pull = pull_id(&h.take());
    h.server(pull_reply(
        pull,
        vec![text_from("bob", "two", "U2", 2000)],
        2000,
        true,
    ));
    h.write_out();
    let storage: Storage = h
        .take()
        .into_iter()
        .filter_map(|o| match o {
            Output::Persist { key, value } => Some((key, value)),
            _ => None,
        })
        .collect();

    let mut c = config();
    c.storage = storage;
    let mut h = Harness::new(c);
    h.connect(TOKEN);
    let (id, _) = take_http(&h.take())[0].clone();
    h.http(id, 200, &navi_body());
    h.answer_probe_and_accept();
    let outs = h.take();
    let q = sent_frames(&outs)
        .into_iter()
        .find_map(|f| match f {
            ClientFrame::Query(q) => Some(q),
            _ => None,
        })
        .unwrap();
    let req: SyncRequestMsg = proto::decode(&q.payload).unwrap();
    assert_eq!(req.sync_time, 2000);
    h.server(pull_reply(
        q.msg_id,
        vec![text_from("bob", "two", "U2", 2000)],
        2000,
        true,
    ));
    assert!(received(&h.take()).is_empty());
}
