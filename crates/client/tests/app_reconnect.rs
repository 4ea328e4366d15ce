//! `reconnect(callback, {auto, url, rate})` (transport.md §8): with `auto` the network is probed
//! at the `rate` delays, then a normal connect; without it the connect starts at once.
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
use im_client::{Event, ReconnectConfig};

fn lost_without_auto_reconnect() -> Harness {
    let mut c = config();
    c.auto_reconnect = None;
    let mut h = Harness::new(c);
    h.connect_fully();
    h.close(1006);
    assert_eq!(statuses(&h.take()), [3]);
    h
}

#[test]
fn auto_reconnect_probes_at_the_rate_delays_then_connects() {
    let mut h = lost_without_auto_reconnect();
    let rate = vec![100, 1000, 3000];
    let rc = ReconnectConfig {
        auto: true,
        url: Some("https://probe.test/x.js".into()),
        rate: Some(rate.clone()),
    };
    let start = h.now;
    assert!(h.engine.reconnect(h.now, &rc));
    h.drain();
    assert!(h.take().is_empty(), "nothing is emitted while probing");
    h.advance_to(start + 100);
    let (id, url) = take_http(&h.take())[0].clone();
    assert_eq!(url, "http://probe.test/x.js");
    h.http(id, 0, "");
    h.advance_to(start + 1100);
    let (id, _) = take_http(&h.take())[0].clone();
    h.http(id, 200, "");
    // Reachable: a normal connect on the cached navigation.
    assert_eq!(statuses(&h.outputs), [1]);
    h.answer_probe_and_accept();
    let outs = h.take();
    assert_eq!(statuses(&outs), [0]);
    assert!(events(&outs).contains(&Event::Connected {
        user_id: USER.into()
    }));
    assert_eq!(rc.rate, Some(rate), "the caller's rate is not modified");
}

#[test]
fn auto_reconnect_gives_up_with_3_and_hanging_probes_time_out() {
    let mut h = lost_without_auto_reconnect();
    let rc = ReconnectConfig {
        auto: true,
        url: None,
        rate: Some(vec![100, 1000]),
    };
    assert!(h.engine.reconnect(h.now, &rc));
    h.drain();
    h.advance(100);
    let (_, url) = take_http(&h.take())[0].clone();
    assert_eq!(url, "http://cdn.ronghub.com/RongIMLib-2.2.6.min.js");
    // The probe hangs: it is abandoned after 10 s, the next one goes out 1 s later and fails.
    h.advance(11_000);
    let (id, _) = take_http(&h.take())[0].clone();
    h.http(id, 404, "");
    assert_eq!(events(&h.take()), [Event::ConnectFailed { code: 3 }]);
}

#[test]
fn reconnect_without_auto_connects_at_once_and_is_a_no_op_while_connected() {
    let mut h = lost_without_auto_reconnect();
    assert!(h.engine.reconnect(h.now, &ReconnectConfig::default()));
    h.drain();
    assert_eq!(statuses(&h.outputs), [1]);
    h.answer_probe_and_accept();
    assert_eq!(statuses(&h.take()), [0]);
    assert!(!h.engine.reconnect(h.now, &ReconnectConfig::default()));

    let mut fresh = Harness::new(config());
    assert!(
        !fresh.engine.reconnect(0, &ReconnectConfig::default()),
        "no token yet"
    );
}
