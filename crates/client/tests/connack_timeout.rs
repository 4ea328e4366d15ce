//! A socket that opens but never sends CONNACK fails the attempt (2.5.3 waits forever: known
//! bug 4); the next attempt probes the other server first.
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
fn no_connack_within_the_timeout_closes_reports_and_retries_another_server() {
    let mut h = Harness::new(config());
    h.connect(TOKEN);
    let (id, _) = take_http(&h.take())[0].clone();
    h.http(id, 200, &navi_body());
    let (ping, url) = take_http(&h.take())[0].clone();
    assert!(url.starts_with("http://cmp1.test/"));
    h.http(ping, 200, "");
    h.open();
    h.take();
    // The socket is open, but CONNACK never comes.
    h.advance(14_999);
    assert!(h.take().is_empty());
    h.advance(1);
    let outs = h.take();
    assert!(outs.contains(&Output::CloseSocket));
    assert_eq!(statuses(&outs), [3]);
    assert!(events(&outs).contains(&Event::ConnectFailed { code: 31000 }));

    // The automatic retry probes cmp2 first now.
    h.advance_to(h.deadline);
    let outs = h.take();
    assert_eq!(statuses(&outs), [1]);
    assert!(take_http(&outs)[0].1.starts_with("http://cmp2.test/"));
}
