//! Keepalive: PINGREQ every 30 s from socket open; no PINGRESP within 6 s → NETWORK_UNAVAILABLE,
//! then automatic reconnection on an exponential, jittered, seed-determined schedule.
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
use im_client::{Backoff, Config, Event, Output};

/// Connects at t = 0, lets the pings go unanswered and returns when status 3 is reported.
fn connect_then_lose_the_pong(config: Config) -> Harness {
    let mut h = Harness::new(config);
    h.connect_fully();
    // The first-ping check after CONNACK is answered.
    h.raw(&[0xd0]);
    h.advance_to(29_999);
    assert!(sent_bytes(&h.take()).is_empty());
    h.advance_to(30_000);
    assert_eq!(sent_bytes(&h.take()), [vec![0xc0]]);
    h.advance_to(35_999);
    assert!(h.take().is_empty());
    h.advance_to(36_000);
    let outs = h.take();
    assert!(outs.contains(&Output::CloseSocket));
    assert_eq!(statuses(&outs), [3]);
    h
}

/// Times at which automatic attempts start (status 1), each failing its probe round, until
/// `count` attempts were seen.
fn attempt_times(h: &mut Harness, count: usize) -> Vec<u64> {
    let mut times = Vec::new();
    while times.len() < count {
        h.advance_to(h.deadline);
        let mut outs = h.take();
        // A failed probe round drops the cached navigation, so the next attempt navigates.
        for (id, url) in take_http(&outs) {
            if url.contains("/navi.js") {
                h.http(id, 200, &navi_body());
                outs = h.take();
            }
        }
        if statuses(&outs).contains(&1) {
            times.push(h.now);
            // Every probe fails: the round ends after its 15 s budget with status 3.
            for (id, _) in take_http(&outs) {
                h.http(id, 0, "");
            }
        }
        assert!(h.now < 10_000_000, "no attempt scheduled");
    }
    times
}

#[test]
fn an_unanswered_ping_reports_status_3_then_reconnects_with_exponential_backoff() {
    let mut c = config();
    c.auto_reconnect = Some(Backoff {
        initial_ms: 1000,
        max_ms: 8000,
        jitter_percent: 0,
        max_attempts: None,
    });
    let mut h = connect_then_lose_the_pong(c);
    let lost_at = h.now;
    let times = attempt_times(&mut h, 5);
    // Attempt n starts backoff(n) after the previous failure; a failed round lasts 15 s.
    let mut expected = Vec::new();
    let mut failed_at = lost_at;
    for delay in [1000, 2000, 4000, 8000, 8000] {
        expected.push(failed_at + delay);
        failed_at += delay + 15_000;
    }
    assert_eq!(times, expected);
}

#[test]
fn jittered_backoff_is_bounded_and_reproducible_from_the_seed() {
    let run = |seed| {
        let mut c = config();
        c.seed = seed;
        let mut h = connect_then_lose_the_pong(c);
        let lost_at = h.now;
        (lost_at, attempt_times(&mut h, 4))
    };
    let (lost_at, a) = run(7);
    assert_eq!(run(7).1, a);
    assert_ne!(run(8).1, a, "another seed, another schedule");
    let mut failed_at = lost_at;
    for (time, base) in a.iter().zip([1000, 2000, 4000, 8000]) {
        let delay = time - failed_at;
        assert!(delay >= base / 2 && delay <= base, "{delay} for {base}");
        failed_at = time + 15_000;
    }
}

#[test]
fn a_successful_automatic_reconnect_reports_connected_and_pulls_again() {
    let mut h = connect_then_lose_the_pong(config());
    h.advance_to(h.deadline);
    assert_eq!(statuses(&h.outputs), [1]);
    h.answer_probe_and_accept();
    let outs = h.take();
    assert_eq!(statuses(&outs), [0]);
    assert!(events(&outs).contains(&Event::Connected {
        user_id: USER.into()
    }));
    // No first-ping check this time; message ids continue across connections.
    let frames = sent_frames(&outs);
    assert_eq!(frames.len(), 1);
    assert_eq!(pull_id(&outs), 2);
}

#[test]
fn no_reconnection_after_the_app_disconnects() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.engine.disconnect(h.now);
    h.drain();
    let outs = h.take();
    assert!(outs.contains(&Output::CloseSocket));
    assert_eq!(statuses(&outs), [2]);
    h.close(1000);
    h.advance(600_000);
    assert!(h.take().is_empty());
}

#[test]
fn an_abnormal_close_reports_3_and_a_clean_close_reports_2_both_reconnect() {
    for (code, status) in [(1006, 3), (1000, 2)] {
        let mut h = Harness::new(config());
        h.connect_fully();
        h.close(code);
        assert_eq!(statuses(&h.take()), [status]);
        h.advance_to(h.deadline);
        assert_eq!(statuses(&h.take()), [1], "close {code}");
    }
}
