//! Malformed or unexpected server frames are ignored: no panic, no state change, and after any
//! input `poll_output` still ends in `Timeout`.
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
#[cfg(not(target_arch = "wasm32"))]
use im_client::{Engine, Output};
#[cfg(not(target_arch = "wasm32"))]
use proptest::collection::vec;
#[cfg(not(target_arch = "wasm32"))]
use proptest::prelude::*;

const GARBAGE: &[&[u8]] = &[
    &[],
    &[0x00],
    &[0xf0, 0x01],
    &[0x20, 0x00, 0x0d],       // CONNACK status 13 (vectors.md V24)
    &[0xe0, 0x00, 0x06],       // DISCONNECT status 6 (V26c)
    &[0xe0],                   // truncated DISCONNECT
    &[0x90, 0x00, 0x01],       // SUBACK: not a PINGRESP (known bug 8)
    &[0xb0],                   // UNSUBACK
    &[0x52, 0x00, 0x01, 0x61], // a server QUERY (known bug 8)
    &[0xc0],                   // a server PINGREQ is not answered
    &[0x10, 0x00],             // CONNECT from a server
    &[0x32, 0x5e, 0x0b],       // truncated PUBLISH
    &[
        0x32, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, b's', b'_', b'n', b't', b'f', 0x00, 0x00, 0x00,
        0x09, 0xff, 0xff,
    ], // bad protobuf
    &[
        0x32, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, b's', b'_', b'm', b's', b'g', 0x00, 0x00, 0x00,
        0x00, 0x0a, 0x0b,
    ], // V28-like junk
    &[0x40, 0x00],             // truncated PUBACK
    &[0x40, 0x00, 0x63],       // short PUBACK for an unknown id (V17 form)
    &[0x62, 0x00, 0x09],       // truncated QUERYACK
    &[0x62, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff], // QUERYACK for nothing
    &[0xd0, 0x00],             // PINGRESP with trailing bytes
];

#[cfg(not(target_arch = "wasm32"))]
fn drains_to_timeout(engine: &mut Engine) {
    for _ in 0..10_000 {
        if let Output::Timeout { .. } = engine.poll_output() {
            return;
        }
    }
    panic!("poll_output never returned Timeout");
}

#[test]
fn malformed_and_unexpected_frames_change_nothing() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let deadline = h.deadline;
    for bytes in GARBAGE {
        h.raw(bytes);
        let outs = h.take();
        // Only acks go out, as in the original: PUBACK for a QoS 1 PUBLISH (sent before its
        // payload is looked at) and QUERYCON for a QoS 1 QUERYACK.
        let allowed = sent_bytes(&outs)
            .iter()
            .all(|b| matches!(b.first(), Some(0x40 | 0x70)));
        assert!(
            allowed && events(&outs).is_empty(),
            "{bytes:02x?} gave {outs:?}"
        );
        assert_eq!(h.deadline, deadline, "{bytes:02x?}");
    }
    assert_eq!(h.engine.status(), 0);
    // Still alive: an s_ntf pulls.
    h.server(s_ntf(1, 99));
    pull_id(&h.take());
}

#[test]
fn a_sync_copy_flood_stays_bounded() {
    let mut h = Harness::new(config());
    h.connect_fully();
    for id in 0..2000u16 {
        h.server(publish(
            "ppMsgP",
            id,
            Qos::AtLeastOnce,
            true,
            vec![0x08, 0x03],
        ));
    }
    // The oldest copies were dropped; the newest still completes (with an invalid payload, so
    // nothing is delivered, and nothing breaks).
    h.server(puback(1999, 0, 5, "U"));
    h.server(puback(1, 0, 5, "V"));
    assert!(received(&h.take()).is_empty());
}

// Property tests run natively (proptest seeds from the OS).
#[cfg(not(target_arch = "wasm32"))]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes_as_socket_data_never_panic_and_poll_ends_in_timeout(
        frames in vec(vec(any::<u8>(), 0..64), 1..16),
        connected in any::<bool>(),
    ) {
        let mut h = Harness::new(config());
        if connected {
            h.connect_fully();
        } else {
            h.connect(TOKEN);
            let (id, _) = take_http(&h.take())[0].clone();
            h.http(id, 200, &navi_body());
            let (ping, _) = take_http(&h.take())[0].clone();
            h.http(ping, 200, "");
            h.open();
        }
        for bytes in &frames {
            h.engine.handle_socket_data(h.now, bytes);
            drains_to_timeout(&mut h.engine);
            h.now += 1000;
            h.engine.handle_timeout(h.now);
            drains_to_timeout(&mut h.engine);
        }
    }

    #[test]
    fn frames_with_a_valid_header_byte_never_panic(
        header in prop::sample::select(vec![0x20u8, 0x30, 0x32, 0x3a, 0x40, 0x60, 0x62, 0xd0, 0xe0]),
        body in vec(any::<u8>(), 0..48),
    ) {
        let mut h = Harness::new(config());
        h.connect_fully();
        let mut bytes = vec![header];
        bytes.extend(body);
        h.engine.handle_socket_data(h.now, &bytes);
        drains_to_timeout(&mut h.engine);
    }
}
