//! Every value the local store writes stays within its chunk size (16 KiB), far below a mini
//! program's 1 MB per key, however long a conversation grows; a single larger message gets a
//! chunk of its own.
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

const CHUNK: usize = 4 * 1024;

fn largest_value(h: &Harness) -> usize {
    store_keys(&h.storage, USER)
        .iter()
        .map(|(_, v)| v.len())
        .max()
        .unwrap_or(0)
}

#[test]
fn stored_values_stay_within_the_chunk_size() {
    let mut h = Harness::new(config());
    h.connect_fully();
    for batch in 0..10i64 {
        let list = (0..200i64)
            .map(|i| {
                let n = batch * 200 + i;
                let text = format!("{n}: {}", "lorem ipsum ".repeat(15));
                text_from("bob", &text, &format!("U{n}"), 1_000 + n)
            })
            .collect();
        h.pull_in(list);
    }
    let keys = store_keys(&h.storage, USER);
    let chunks = keys.iter().filter(|(k, _)| !k.starts_with("msgs_")).count();
    assert!(
        chunks > 20,
        "2,000 messages of ~200 bytes take many chunks: {chunks}"
    );
    assert!(largest_value(&h) <= CHUNK, "{}", largest_value(&h));

    // A message larger than a chunk is stored alone; its neighbours stay within the size.
    let big = "x".repeat(40_000);
    let outs = h.pull_in(vec![
        text_from("bob", &big, "BIG", 5_000),
        text_from("bob", "after", "AFTER", 5_001),
    ]);
    let got = received(&outs);
    let id: u64 = got[0].0.message_id.as_deref().unwrap().parse().unwrap();
    assert_eq!(text_of(&h.engine.get_message(id).unwrap()), big);
    let over: Vec<usize> = store_keys(&h.storage, USER)
        .iter()
        .map(|(_, v)| v.len())
        .filter(|len| *len > CHUNK)
        .collect();
    assert_eq!(over.len(), 1, "only the big message's chunk: {over:?}");
    assert!(over[0] < big.len() + 300, "it holds that message alone");
}
