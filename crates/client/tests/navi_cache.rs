//! The persisted navigation cache (transport.md §2.1, §2.6): a reloaded engine with the same
//! token skips navigation, knows its user before CONNACK, and navigates again after a redirect,
//! a failed probe round or a token change.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

// The same scenarios run in headless Chrome when built for wasm32 (wasm-bindgen-test).
use im_client::wire::enums::ConversationType;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use im_client::Storage;

use common::*;
use im_client::wire::frame::ConnAck;
use im_client::wire::ServerFrame;
use im_client::Config;

/// Connects fully with a fresh engine, receives one counted message, saves a draft, and
/// returns the storage a host would hold afterwards.
fn first_run() -> Storage {
    let mut h = Harness::new(config());
    let mut storage = Storage::new();
    h.connect(TOKEN);
    let (id, url) = take_http(&h.outputs)[0].clone();
    assert!(url.contains("/navi"), "{url}");
    h.take();
    h.http(id, 200, &navi_body());
    apply_persisted(&mut storage, &h.outputs);
    h.answer_probe_and_accept();
    apply_persisted(&mut storage, &h.outputs);
    let pull = pull_id(&h.outputs);
    h.raw(&[0xd0]);
    h.server(pull_reply(pull, vec![], 0, true));
    h.server(s_msg(0, &text_from("bob", "a", "U1", 1000)));
    h.engine
        .save_draft(ConversationType::Private, "bob", "half-typed");
    h.drain();
    apply_persisted(&mut storage, &h.take());
    storage
}

fn reloaded(storage: &Storage) -> Harness {
    let mut cfg: Config = config();
    cfg.storage = storage.clone();
    Harness::new(cfg)
}

#[test]
fn navigation_is_stored_under_the_original_keys() {
    let storage = first_run();
    // vectors.md U2: the token `tok+en/=` gives `16f6d092`.
    assert_eq!(storage.get("rc_uid").map(String::as_str), Some("16f6d092"));
    assert_eq!(storage.get("current_user").map(String::as_str), Some(USER));
    assert_eq!(
        storage.get("servers").map(String::as_str),
        Some(r#"["cmp1.test","cmp2.test"]"#)
    );
    assert_eq!(
        storage.get("rongSDK").map(String::as_str),
        Some("websocket")
    );
    let raw = storage.get("fullnavi").expect("fullnavi");
    assert!(raw.contains("cmp1.test") && raw.contains(USER), "{raw}");
}

#[test]
fn a_reload_with_the_same_token_skips_navigation_and_reads_counts_before_connack() {
    let storage = first_run();
    let mut h = reloaded(&storage);
    assert_eq!(h.engine.user_id(), "");
    assert!(h.connect(TOKEN));
    // Before any answer: the user, the count and the draft of the previous page are known.
    assert_eq!(h.engine.user_id(), USER);
    assert_eq!(h.engine.unread_count(ConversationType::Private, "bob"), 1);
    assert_eq!(h.engine.total_unread_count(&[]), 1);
    assert_eq!(
        h.engine.draft(ConversationType::Private, "bob").as_deref(),
        Some("half-typed")
    );
    // The first request is the `/ping` probe of the stored first server, not navigation.
    let http = take_http(&h.outputs);
    assert_eq!(http.len(), 1, "{http:?}");
    assert!(
        http[0].1.contains("cmp1.test/ping?r="),
        "probe first: {}",
        http[0].1
    );
    h.answer_probe_and_accept();
    assert_eq!(h.engine.user_id(), USER);
    assert_eq!(h.engine.navi().map(|n| n.contains("cmp1.test")), Some(true));
}

#[test]
fn without_the_token_md5_from_the_host_the_stored_navigation_is_not_reused() {
    let storage = first_run();
    for md5 in [
        None,
        Some("not hex"),
        Some("0123456789abcdef0123456789abcdeg"),
    ] {
        let mut h = reloaded(&storage);
        if let Some(md5) = md5 {
            h.engine.set_token_md5(TOKEN, md5);
        }
        assert!(h.engine.connect(h.now, TOKEN));
        h.drain();
        // Navigation first, not the `/ping` probe of the stored server.
        let http = take_http(&h.outputs);
        assert_eq!(http.len(), 1, "{http:?}");
        assert!(http[0].1.contains("navi"), "{md5:?}: {}", http[0].1);
    }
    // The MD5 of another token keys nothing for this one.
    let mut h = reloaded(&storage);
    h.engine
        .set_token_md5("other", &im_client::md5::hex(TOKEN.as_bytes()));
    assert!(h.engine.connect(h.now, TOKEN));
    h.drain();
    let http = take_http(&h.outputs);
    assert!(http[0].1.contains("navi"), "{}", http[0].1);
}

#[test]
fn another_token_navigates() {
    let storage = first_run();
    let mut h = reloaded(&storage);
    h.connect("another-token");
    let http = take_http(&h.outputs);
    assert!(http[0].1.contains("/navi"), "{}", http[0].1);
    assert_eq!(
        h.engine.user_id(),
        "",
        "no user is assumed for an unknown token"
    );
}

#[test]
fn a_different_user_in_connack_replaces_the_assumed_one() {
    let storage = first_run();
    let mut h = reloaded(&storage);
    h.connect(TOKEN);
    assert_eq!(h.engine.unread_count(ConversationType::Private, "bob"), 1);
    let (ping, _) = take_http(&h.take())[0].clone();
    h.http(ping, 200, "");
    h.open();
    h.server(ServerFrame::ConnAck(ConnAck::accepted(
        "user2",
        "s1",
        CONNACK_TIME,
    )));
    assert_eq!(h.engine.user_id(), "user2");
    assert_eq!(
        h.engine.unread_count(ConversationType::Private, "bob"),
        0,
        "user1's count is not user2's"
    );
    assert_eq!(
        persisted(&h.take()).get("current_user").map(String::as_str),
        Some("user2")
    );
}

#[test]
fn a_stored_server_list_that_is_not_an_array_of_strings_navigates() {
    for servers in [
        "",
        "{}",
        r#""cmp1.test""#,
        r#"["cmp1.test",1]"#,
        "[]",
        r#"[""]"#,
    ] {
        let mut storage = first_run();
        storage.insert("servers".to_owned(), servers.to_owned());
        let mut h = reloaded(&storage);
        h.connect(TOKEN);
        let http = take_http(&h.outputs);
        assert!(http[0].1.contains("/navi"), "{servers}: {}", http[0].1);
    }
}

#[test]
fn after_logout_the_next_user_does_not_see_the_conversations_of_the_last() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.server(s_msg(0, &text_from("bob", "for user1", "U1", 1000)));
    assert_eq!(h.engine.conversation_list(&[], true).len(), 1);
    h.engine.logout(h.now);
    h.drain();
    h.take();
    assert!(h.engine.conversation_list(&[], true).is_empty());
    assert_eq!(
        h.engine.conversation(ConversationType::Private, "bob"),
        None
    );
}

#[test]
fn a_redirect_forgets_the_stored_navigation() {
    let storage = first_run();
    let mut h = reloaded(&storage);
    h.connect(TOKEN);
    let (ping, _) = take_http(&h.take())[0].clone();
    h.http(ping, 200, "");
    h.open();
    h.take();
    h.raw(&[0x20, 0x00, 0x06]); // CONNACK 6, vectors.md V23c
    let outs = h.take();
    assert!(
        take_http(&outs)[0].1.contains("/navi"),
        "a redirect navigates again"
    );
    let mut after = storage.clone();
    apply_persisted(&mut after, &outs);
    assert_eq!(after.get("rc_uid"), None, "{after:?}");
    // A page loaded now navigates too.
    let mut again = reloaded(&after);
    again.connect(TOKEN);
    assert!(take_http(&again.outputs)[0].1.contains("/navi"));
}

#[test]
fn a_probe_round_without_an_answer_forgets_the_stored_navigation() {
    let storage = first_run();
    let mut h = reloaded(&storage);
    h.connect(TOKEN);
    // No server answers its `/ping` within the 15 s budget.
    h.advance(15_000);
    let outs = h.take();
    let mut after = storage.clone();
    apply_persisted(&mut after, &outs);
    assert_eq!(after.get("rc_uid"), None);
    assert_eq!(after.get("rongSDK"), None);
    let mut again = reloaded(&after);
    again.connect(TOKEN);
    assert!(take_http(&again.outputs)[0].1.contains("/navi"));
}

#[test]
fn a_server_that_fails_moves_to_the_end_of_the_stored_list() {
    let storage = first_run();
    let mut h = reloaded(&storage);
    h.connect(TOKEN);
    let (ping, _) = take_http(&h.take())[0].clone();
    h.http(ping, 200, "");
    // The socket to cmp1 fails before CONNACK.
    h.close(1006);
    let mut after = storage.clone();
    apply_persisted(&mut after, &h.take());
    assert_eq!(
        after.get("servers").map(String::as_str),
        Some(r#"["cmp2.test","cmp1.test"]"#)
    );
}
