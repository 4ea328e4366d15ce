//! A refused token: by CONNACK 4, or by navigation code 401 (plain or wrapped body).
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
use im_client::wire::frame::ConnAck;
use im_client::wire::ServerFrame;
use im_client::{Event, Output, NO_DEADLINE};

#[test]
fn connack_4_reports_token_incorrect_without_a_status_event_and_does_not_retry() {
    let mut h = Harness::new(config());
    h.connect(TOKEN);
    let (id, _) = take_http(&h.take())[0].clone();
    h.http(id, 200, &navi_body());
    let outs = h.take();
    let (ping, _) = take_http(&outs)[0].clone();
    h.http(ping, 200, "");
    h.open();
    h.take();
    h.raw(&[0x20, 0x00, 0x04]); // vectors.md V23a
    let outs = h.take();
    assert_eq!(events(&outs), [Event::TokenIncorrect]);
    assert!(outs.contains(&Output::CloseSocket));
    assert_eq!(h.deadline, NO_DEADLINE, "nothing is scheduled: no retry");
    // A late CONNACK on the closed socket changes nothing.
    h.server(ServerFrame::ConnAck(ConnAck::accepted(USER, "s", 1)));
    assert!(h.take().is_empty());
}

#[test]
fn navigation_code_401_reports_token_incorrect_for_wrapped_and_plain_bodies() {
    for (status, body) in [
        (200, r#"getServerEndpoint({"code":401});"#),
        (401, r#"{"code":401}"#),
        (401, "unauthorized"),
    ] {
        let mut h = Harness::new(config());
        h.connect(TOKEN);
        let (id, _) = take_http(&h.take())[0].clone();
        h.http(id, status, body);
        let outs = h.take();
        assert_eq!(statuses(&outs), [202], "{status} {body}");
        assert_eq!(events(&outs).last(), Some(&Event::TokenIncorrect));
        assert_eq!(h.deadline, NO_DEADLINE);
    }
}

#[test]
fn navigation_code_403_reports_appkey_is_fake_and_calls_back() {
    let mut h = Harness::new(config());
    h.connect(TOKEN);
    let (id, _) = take_http(&h.take())[0].clone();
    h.http(id, 200, r#"getServerEndpoint({"code":403});"#);
    let outs = h.take();
    assert_eq!(statuses(&outs), [202, 20]);
    assert_eq!(
        events(&outs).last(),
        Some(&Event::ConnectFailed { code: 20 })
    );
}

#[test]
fn navigation_errors_and_timeouts_retry_then_fail_with_203() {
    let mut c = config();
    c.navi_hosts = vec!["nav1.test".into(), "nav2.test".into()];
    c.max_navi_retry = 2;
    let mut h = Harness::new(c);
    h.connect(TOKEN);
    // Attempt 1 (nav1): HTTP 500 → 203 and the next attempt at once.
    let (id, url) = take_http(&h.take())[0].clone();
    assert!(url.starts_with("http://nav1.test/"));
    h.http(id, 500, "");
    let outs = h.take();
    assert_eq!(statuses(&outs), [203, 201]);
    let (_, url) = take_http(&outs)[0].clone();
    assert!(url.starts_with("http://nav2.test/"));
    // Attempt 2 (nav2) hangs: 204 after 5 s, then attempt 3 on nav1 again.
    h.advance(5000);
    let outs = h.take();
    assert_eq!(statuses(&outs), [204, 201]);
    let (id, url) = take_http(&outs)[0].clone();
    assert!(url.starts_with("http://nav1.test/"));
    // Attempt 3 fails at the network level: N + maxNaviRetry − 1 = 3 attempts, so 203 and
    // onError(203), with no fourth attempt.
    h.http(id, 0, "");
    h.advance(1000);
    let outs = h.take();
    assert_eq!(statuses(&outs), [203]);
    assert!(events(&outs).contains(&Event::ConnectFailed { code: 203 }));
    assert!(take_http(&outs).is_empty());
}
