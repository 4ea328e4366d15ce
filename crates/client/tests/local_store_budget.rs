//! The store's byte budget: beyond it the oldest messages go first, whatever their
//! conversation, and what the store writes stays within it; each conversation keeps its newest
//! messages, so local history still pages back without a gap.
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
use im_client::{Message, Reply};

const BUDGET: usize = 24_000;

#[test]
fn over_budget_the_oldest_messages_go_first_across_conversations() {
    let mut c = config();
    c.store_budget = BUDGET;
    let mut h = Harness::new(c);
    h.connect_fully();
    let peers = ["ann", "bob", "cid"];
    let mut delivered: Vec<Message> = Vec::new();
    for batch in 0..8i64 {
        let list = (0..50i64)
            .map(|i| {
                let n = batch * 50 + i;
                let from = peers[usize::try_from(n % 3).unwrap()];
                let text = format!("message {n:03} {}", "padding ".repeat(8));
                text_from(from, &text, &format!("U{n}"), 10_000 + n)
            })
            .collect();
        let outs = h.pull_in(list);
        delivered.extend(received(&outs).into_iter().map(|(m, _, _)| m));
        let used: usize = store_keys(&h.storage, USER)
            .iter()
            .map(|(_, v)| v.len())
            .sum();
        assert!(used <= BUDGET, "after batch {batch}: {used} bytes stored");
    }
    assert_eq!(delivered.len(), 400);

    // What is kept is the newest messages, across the three conversations.
    let kept: Vec<bool> = delivered
        .iter()
        .map(|m| {
            let id: u64 = m.message_id.as_deref().unwrap().parse().unwrap();
            h.engine.get_message(id).is_some()
        })
        .collect();
    let first_kept = kept.iter().position(|k| *k).unwrap();
    assert!(first_kept > 0, "something was evicted");
    assert!(
        kept[first_kept..].iter().all(|k| *k),
        "a newest suffix is kept"
    );
    let newest_evicted = delivered[first_kept - 1].sent_time;

    // Each conversation pages back through its kept messages, then says so offline.
    h.engine.disconnect(h.now);
    h.drain();
    for peer in peers {
        h.take();
        let id = h.engine.history_local_first(
            h.now,
            im_client::wire::enums::ConversationType::Private,
            peer,
            Some(0),
            20,
        );
        h.drain();
        let Some(Ok(Reply::History { list, .. })) = completion(&h.take(), id) else {
            panic!()
        };
        let want: Vec<i64> = delivered
            .iter()
            .filter(|m| m.target_id == peer && m.sent_time > newest_evicted)
            .map(|m| m.sent_time)
            .collect();
        let got: Vec<i64> = list.iter().map(|m| m.sent_time).collect();
        assert_eq!(got, want[want.len().saturating_sub(20)..], "{peer}");
    }

    // An evicted message arriving again is not stored again (it would leave a gap).
    h.connect_fully();
    h.server(s_msg(0, &text_from("ann", "late", "U-late", 10_000)));
    let again = received(&h.take());
    let id = again[0].0.message_id.clone().unwrap();
    assert!(id.parse::<u64>().is_err(), "not stored: {id}");
}
