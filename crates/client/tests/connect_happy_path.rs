//! Connecting: navigation, `/ping` probe, WebSocket URL, CONNACK, status events in the original's
//! order, and the initial pull byte for byte (vectors.md V12).
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
fn connecting_navigates_probes_opens_the_socket_and_pulls_like_the_original() {
    let mut h = Harness::new(config());
    assert!(h.connect(TOKEN));
    let outs = h.take();
    assert_eq!(statuses(&outs), [201]);
    let navi = take_http(&outs);
    assert_eq!(navi.len(), 1);
    assert_eq!(
        navi[0].1,
        "http://nav.test/navi.js?appId=appkey&token=tok%2Ben%2F%3D&callBack=getServerEndpoint&v=2.5.3&r=0"
    );

    h.advance_to(120);
    h.http(navi[0].0, 200, &navi_body());
    let outs = h.take();
    assert_eq!(statuses(&outs), [202, 1]);
    let pings = take_http(&outs);
    assert_eq!(pings.len(), 1, "the second host waits for its 1 s slot");
    assert_eq!(pings[0].1, "http://cmp1.test/ping?r=120");

    // The second probe goes out 1 s later with the same `r`; the first 200 wins.
    h.advance_to(1120);
    let second = take_http(&h.take());
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].1, "http://cmp2.test/ping?r=120");
    h.http(second[0].0, 200, "");
    let outs = h.take();
    assert!(outs.contains(&Output::CancelHttp { id: pings[0].0 }));
    let url = outs
        .iter()
        .find_map(|o| match o {
            Output::OpenSocket { url } => Some(url.clone()),
            _ => None,
        })
        .unwrap();
    let prefix = "ws://cmp2.test/websocket?appId=appkey&token=tok%2Ben%2F%3D&sdkVer=2.5.3&apiVer=";
    assert!(url.starts_with(prefix), "{url}");
    let api_ver: u64 = url[prefix.len()..].parse().unwrap();
    assert!(api_ver < 1_000_000);

    h.open();
    assert!(h.take().is_empty());
    // vectors.md V22: CONNACK status 0, userId "user1", sessionId "s1".
    h.raw(&[
        0x20, 0x00, 0x00, 0x00, 0x05, 0x75, 0x73, 0x65, 0x72, 0x31, 0x00, 0x02, 0x73, 0x31, 0x00,
        0x00, 0x01, 0x6f, 0x5e, 0x66, 0xe8, 0x00,
    ]);
    let outs = h.take();
    assert_eq!(
        events(&outs),
        [
            Event::StatusChanged { status: 0 },
            Event::Connected {
                user_id: "user1".into()
            }
        ]
    );
    // vectors.md G3 then G5 (= V12): the first-ping check, then the initial pull.
    let v12: Vec<u8> = vec![
        0x52, 0x00, 0x07, 0x70, 0x75, 0x6c, 0x6c, 0x4d, 0x73, 0x67, 0x00, 0x05, 0x75, 0x73, 0x65,
        0x72, 0x31, 0x00, 0x01, 0x08, 0x00, 0x10, 0x00, 0x20, 0x01, 0x30, 0x00,
    ];
    assert_eq!(sent_bytes(&outs), [vec![0xc0], v12]);
    assert_eq!(h.engine.status(), 0);
    assert_eq!(h.engine.user_id(), "user1");

    // G4, G6–G7: PINGRESP, then the pull reply (V18-CAP) answered with QUERYCON.
    h.raw(&[0xd0]);
    h.raw(&[
        0x62, 0x00, 0x01, 0x5e, 0x0b, 0xe1, 0x00, 0x00, 0x00, 0x10, 0xfb, 0xd0, 0x9b, 0xf3, 0xf5,
        0x2d, 0x18, 0x01,
    ]);
    assert_eq!(sent_bytes(&h.take()), [vec![0x70, 0x00, 0x01]]);

    // A second connect while connected is ignored, silently.
    assert!(!h.connect(TOKEN));
    assert!(h.take().is_empty());
}
