//! Writes caused by the server's frames are held for a moment (one write per key for a burst),
//! and storage always holds a state the engine was in as a whole: a host killed before the
//! write-out restarts from the previous state and pulls the rest again, counting each message
//! once.
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
use im_client::wire::enums::ConversationType::Private;
use im_client::wire::proto::{self, SyncRequestMsg};
use im_client::wire::ClientFrame;
use im_client::Output;

fn writes(outs: &[Output]) -> Vec<String> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Persist { key, .. } => Some(key.clone()),
            _ => None,
        })
        .collect()
}

/// Three live messages from bob at 1,000–1,002 ms of virtual time.
fn three_live(h: &mut Harness) {
    for (i, uid) in ["U1", "U2", "U3"].into_iter().enumerate() {
        let n = u16::try_from(i).unwrap() + 1;
        h.server(s_msg(n, &text_from("bob", uid, uid, 10_000 + i64::from(n))));
    }
}

#[test]
fn a_burst_is_written_once_per_key_when_the_timer_fires() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.advance(1);
    let start = h.now;
    three_live(&mut h);
    let outs = h.take();
    assert_eq!(received(&outs).len(), 3, "delivered at once");
    assert!(writes(&outs).is_empty(), "held: {:?}", writes(&outs));
    assert!(h.deadline <= start + 1_000, "a timer writes them out");

    h.advance_to(start + 1_000);
    let keys = writes(&h.take());
    assert!(!keys.is_empty());
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), keys.len(), "one write per key: {keys:?}");
    assert!(keys.iter().any(|k| k.starts_with("msgs")), "{keys:?}");
}

#[test]
fn the_next_call_or_a_frame_after_the_delay_writes_everything_held() {
    let mut h = Harness::new(config());
    h.connect_fully();
    three_live(&mut h);
    assert!(writes(&h.take()).is_empty());
    // Any input other than the server's frames writes out in its drain.
    h.engine.handle_app_state(h.now, false);
    h.drain();
    assert!(!writes(&h.take()).is_empty());

    // A stream that never lets the timer fire still writes once the delay has passed.
    h.engine.handle_app_state(h.now, true);
    h.drain();
    h.take();
    let t = h.now;
    h.server(s_msg(9, &text_from("bob", "a", "U9", 20_000)));
    assert!(writes(&h.take()).is_empty());
    h.now = t + 1_000;
    h.server(s_msg(10, &text_from("bob", "b", "U10", 20_001)));
    assert!(!writes(&h.take()).is_empty());
}

#[test]
fn a_host_killed_before_the_write_out_pulls_again_and_counts_each_message_once() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.write_out();
    three_live(&mut h);
    assert_eq!(h.engine.unread_count(Private, "bob"), 3);
    // Killed: the host's storage is what was written before the three messages.
    let mut c = config();
    c.storage = h.storage.clone();
    let mut again = Harness::new(c);
    assert!(again.connect(TOKEN));
    again.answer_probe_and_accept();
    let outs = again.take();
    let q = sent_frames(&outs)
        .into_iter()
        .find_map(|f| match f {
            ClientFrame::Query(q) => Some(q),
            _ => None,
        })
        .expect("a pull");
    let req: SyncRequestMsg = proto::decode(&q.payload).unwrap();
    assert!(req.sync_time < 10_001, "pulls from before the lost writes");
    assert_eq!(again.engine.unread_count(Private, "bob"), 0);
    again.raw(&[0xd0]);
    let list = ["U1", "U2", "U3"]
        .into_iter()
        .enumerate()
        .map(|(i, uid)| text_from("bob", uid, uid, 10_001 + i64::try_from(i).unwrap()))
        .collect();
    again.server(pull_reply(q.msg_id, list, 10_003, true));
    assert_eq!(received(&again.take()).len(), 3);
    assert_eq!(again.engine.unread_count(Private, "bob"), 3, "each once");
    // Written out, and a second restart knows all three without pulling them.
    let mut third = again.restarted();
    third.answer_probe_and_accept();
    assert_eq!(third.engine.unread_count(Private, "bob"), 3);
}
