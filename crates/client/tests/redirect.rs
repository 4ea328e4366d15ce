//! CONNACK 6 (REDIRECT): disconnect, forced navigation, a new socket, and `onSuccess` once.
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
use im_client::{Event, Output};

#[test]
fn a_redirect_renavigates_reconnects_and_reports_success_once() {
    let mut h = Harness::new(config());
    h.connect(TOKEN);
    let (id, _) = take_http(&h.take())[0].clone();
    h.http(id, 200, &navi_body());
    let (ping, _) = take_http(&h.take())[0].clone();
    h.http(ping, 200, "");
    h.open();
    h.take();

    h.raw(&[0x20, 0x00, 0x06]); // vectors.md V23c
    let outs = h.take();
    assert!(outs.contains(&Output::CloseSocket));
    // DISCONNECTED, then a fresh navigation (the cache is dropped) and CONNECTING.
    assert_eq!(statuses(&outs), [2, 201]);
    let (id, _) = take_http(&outs)[0].clone();
    h.http(id, 200, &navi_body());
    assert_eq!(statuses(&h.outputs), [202, 1]);
    h.answer_probe_and_accept();
    let outs = h.take();
    assert_eq!(statuses(&outs), [0]);
    let connected = events(&outs)
        .into_iter()
        .filter(|e| matches!(e, Event::Connected { .. }))
        .count();
    assert_eq!(connected, 1);
}
