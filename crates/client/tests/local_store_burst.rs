//! A burst of received messages costs one write per chunk it touched, not one per message: the
//! store writes once per drain of the engine's outputs.
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
use im_client::Output;

fn store_writes(outs: &[Output]) -> Vec<String> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Persist { key, .. } if key.starts_with("msg") => Some(key.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_pull_of_a_thousand_messages_writes_each_chunk_once() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let n = 1000;
    let list = (0..n)
        .map(|i| {
            text_from(
                "bob",
                &format!("burst {i} {}", "-".repeat(60)),
                &format!("U{i}"),
                1_000 + i,
            )
        })
        .collect();
    let outs = h.pull_in(list);
    assert_eq!(received(&outs).len(), 1000);
    let writes = store_writes(&outs);
    let chunks = writes
        .iter()
        .filter(|k| k.starts_with("msgs") && !k.starts_with("msgs_"))
        .count();
    // Chunks, plus the index root and block, the counter and one id block per 256 ids.
    assert!(chunks >= 5, "{chunks}");
    assert!(
        writes.len() <= chunks + 3 + 4,
        "{} writes for {chunks} chunks",
        writes.len()
    );
    let mut unique = writes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), writes.len(), "each key written once");

    // Messages spread over many conversations: one chunk each, and one index block per 16
    // conversations, still once per drain.
    let list = (0..200)
        .map(|i| text_from(&format!("peer{i}"), "hi", &format!("V{i}"), 5_000 + i))
        .collect();
    let writes = store_writes(&h.pull_in(list));
    assert!(
        writes.len() <= 200 + (200 / 16 + 1) + 1 + 2 + 2,
        "{}",
        writes.len()
    );

    // A drain with nothing new writes nothing.
    h.advance(1_000);
    assert!(store_writes(&h.take()).is_empty());
}
