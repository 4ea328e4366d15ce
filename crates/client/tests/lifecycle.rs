//! The host's lifecycle inputs: a connection lost while the app is in the background or the
//! network is down waits without attempts or a growing backoff, and coming back to the foreground
//! or online reconnects at once.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use common::*;
use im_client::{Event, Output, NO_DEADLINE};

/// Whether `outs` start a connection attempt (a `/ping` probe of the cached servers, or navigation).
fn attempts(outs: &[Output]) -> usize {
    take_http(outs).len()
        + outs
            .iter()
            .filter(|o| matches!(o, Output::OpenSocket { .. }))
            .count()
}

#[test]
fn a_connection_lost_in_the_background_waits_for_the_foreground_then_reconnects_at_once() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.engine.handle_app_state(h.now, false);
    h.drain();
    // The host closes the socket a few seconds later.
    h.advance(5_000);
    h.close(1006);
    assert_eq!(statuses(&h.take()), [3]);
    assert_eq!(
        h.deadline, NO_DEADLINE,
        "no reconnection timer while in the background"
    );
    h.advance(600_000);
    assert_eq!(
        attempts(&h.take()),
        0,
        "no attempt in ten minutes of background"
    );

    h.engine.handle_app_state(h.now, true);
    h.drain();
    let outs = h.take();
    assert_eq!(statuses(&outs), [1], "CONNECTING at once");
    assert_eq!(attempts(&outs), 1);
    h.outputs = outs;
    h.answer_probe_and_accept();
    assert!(events(&h.take()).contains(&Event::Connected {
        user_id: USER.into()
    }));
}

#[test]
fn coming_online_cuts_a_long_backoff_short_and_offline_holds_attempts() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.close(1006);
    h.take();
    let first = h.deadline;
    assert!(first != NO_DEADLINE && first > h.now, "a backoff timer");
    // Every attempt fails while the network is down.
    h.engine.handle_network(h.now, false);
    h.drain();
    assert_eq!(h.deadline, first, "the timer of the pending attempt stays");
    h.advance_to(first);
    let (ping, _) = take_http(&h.take())[0].clone();
    h.http(ping, 0, "");
    h.advance(120_000);
    // The attempt under way ends (its probes fail) and is not followed by another.
    assert!(events(&h.take()).contains(&Event::ConnectFailed { code: 3 }));
    assert_eq!(h.deadline, NO_DEADLINE);
    h.advance(600_000);
    assert_eq!(attempts(&h.take()), 0, "no attempt while offline");

    h.engine.handle_network(h.now, true);
    h.drain();
    let outs = h.take();
    assert_eq!(
        attempts(&outs),
        1,
        "an attempt as soon as the network is back"
    );
    // Every server failed its probe: the attempt asks the navigation again.
    let (navi, url) = take_http(&outs)[0].clone();
    assert!(url.contains("/navi.js?"), "{url}");
    h.http(navi, 200, &navi_body());
    h.answer_probe_and_accept();
    assert!(events(&h.take()).contains(&Event::Connected {
        user_id: USER.into()
    }));
}

#[test]
fn foreground_and_online_change_nothing_while_connected_or_after_disconnect() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.engine.handle_app_state(h.now, false);
    h.engine.handle_app_state(h.now, true);
    h.engine.handle_network(h.now, true);
    h.drain();
    assert_eq!(attempts(&h.take()), 0);
    h.engine.disconnect(h.now);
    h.drain();
    h.take();
    h.engine.handle_app_state(h.now, true);
    h.engine.handle_network(h.now, true);
    h.drain();
    assert_eq!(
        attempts(&h.take()),
        0,
        "the app disconnected: nothing to resume"
    );
}
