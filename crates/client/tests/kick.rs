//! Kicked by another device (DISCONNECT 1): status 6, no automatic reconnection, and
//! `onError(1101)` once kicked more than 5 times.
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
use im_client::{Event, Output, NO_DEADLINE};

#[test]
fn a_kick_reports_status_6_and_stops_reconnecting() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.raw(&[0xe0, 0x00, 0x01]); // vectors.md V25
    let outs = h.take();
    assert!(outs.contains(&Output::CloseSocket));
    assert_eq!(statuses(&outs), [6]);
    assert!(
        sent_bytes(&outs).is_empty(),
        "the client never sends DISCONNECT"
    );
    assert_eq!(h.deadline, NO_DEADLINE);
    h.advance(600_000);
    assert!(h.take().is_empty());
    // The socket's close after the kick is not a second event.
    h.close(1000);
    assert!(h.take().is_empty());
}

#[test]
fn more_than_five_kicks_make_connect_fail_with_1101() {
    let mut h = Harness::new(config());
    for round in 1..=6 {
        if round == 1 {
            h.connect_fully();
        } else {
            // The navigation result is cached: CONNECTING, probe, socket, CONNACK.
            assert!(h.connect(TOKEN));
            assert_eq!(statuses(&h.outputs), [1]);
            h.answer_probe_and_accept();
            h.take();
        }
        h.raw(&[0xe0, 0x00, 0x01]);
        assert_eq!(statuses(&h.take()), [6], "round {round}");
    }
    assert!(h.connect(TOKEN));
    let outs = h.take();
    assert_eq!(events(&outs), [Event::ConnectFailed { code: 1101 }]);
    assert!(take_http(&outs).is_empty());
}

#[test]
fn other_disconnect_codes_map_like_2x() {
    for (code, status, retries) in [
        (0u8, 2, true),
        (2, 2, false),
        (3, 3, true),
        (4, 4, false),
        (5, 5, false),
    ] {
        let mut h = Harness::new(config());
        h.connect_fully();
        h.raw(&[0xe0, 0x00, code]);
        assert_eq!(statuses(&h.take()), [status], "DISCONNECT {code}");
        assert_eq!(h.deadline != NO_DEADLINE, retries, "DISCONNECT {code}");
    }
}
