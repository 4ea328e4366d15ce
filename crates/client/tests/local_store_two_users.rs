//! Two users on one storage: each has a store of their own (keys end with the user id, ids
//! count per user); after a logout the next user sees nothing of the last one's, and the first
//! finds theirs again on return.
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
use im_client::Message;

fn first_received(h: &mut Harness, from: &str, text: &str, uid: &str, time: i64) -> Message {
    received(&h.pull_in(vec![text_from(from, text, uid, time)]))
        .into_iter()
        .next()
        .unwrap()
        .0
}

#[test]
fn one_users_store_is_never_visible_to_another() {
    let mut h = Harness::new(config());
    h.connect_fully_as("user1");
    let one = first_received(&mut h, "bob", "for user1", "U1", 1000);
    assert_eq!(one.message_id.as_deref(), Some("1"));
    h.engine.logout(h.now);
    h.drain();
    // Logged out: no user, no store.
    assert_eq!(h.engine.get_message(1), None);

    h.connect_fully_as("user2");
    assert_eq!(h.engine.get_message(1), None);
    assert_eq!(h.engine.search_messages(1, "bob", "user1", 0, 10).1, 0);
    assert!(h.engine.search_conversations("user", &[]).is_empty());
    // user2's ids start at 1 too: the same number, another message.
    let two = first_received(&mut h, "bob", "for user2", "U2", 2000);
    assert_eq!(two.message_id.as_deref(), Some("1"));
    assert_eq!(text_of(&h.engine.get_message(1).unwrap()), "for user2");
    assert!(!store_keys(&h.storage, "user1").is_empty());
    assert!(!store_keys(&h.storage, "user2").is_empty());
    assert!(h
        .storage
        .keys()
        .filter(|k| k.starts_with("msg"))
        .all(|k| k.ends_with("_user1") || k.ends_with("_user2")));

    // user1 again, on a new engine over the same storage.
    let mut c = config();
    c.storage = h.storage.clone();
    let mut h = Harness::new(c);
    h.connect_fully_as("user1");
    assert_eq!(h.engine.get_message(1).as_ref(), Some(&one));
    assert_eq!(h.engine.search_messages(1, "bob", "user2", 0, 10).1, 0);
}
