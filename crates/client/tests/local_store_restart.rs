//! The local store survives a restart: a new engine on the storage the host kept finds the same
//! messages by id, by search and in history, and keeps counting ids from where it was.
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
use im_client::wire::content::TextMessage;
use im_client::{Event, Message, Reply, SendRequest};

fn local_history(h: &mut Harness, count: i32) -> Vec<Message> {
    h.take();
    let id = h.engine.history_local_first(
        h.now,
        im_client::wire::enums::ConversationType::Private,
        "bob",
        Some(0),
        count,
    );
    h.drain();
    match completion(&h.take(), id) {
        Some(Ok(Reply::History { list, .. })) => list,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_new_engine_on_the_same_storage_has_the_same_messages() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let list: Vec<_> = (1..=30)
        .map(|i| text_from("bob", &format!("note {i}"), &format!("U{i}"), 1000 * i))
        .collect();
    let received: Vec<Message> = received(&h.pull_in(list))
        .into_iter()
        .map(|(m, _, _)| m)
        .collect();
    // And one sent, acknowledged.
    h.engine.send_message(
        h.now,
        SendRequest::new(1, "bob", TextMessage::new("my note").into()),
    );
    h.drain();
    let outs = h.take();
    h.server(puback(published(&outs)[0], 0, 40_000, "S1"));
    let sent = events(&h.take())
        .into_iter()
        .find_map(|e| match e {
            Event::RequestCompleted {
                result: Ok(Reply::Sent { message }),
                ..
            } => Some((*message).clone()),
            _ => None,
        })
        .unwrap();
    let before = local_history(&mut h, 20);
    let found = h.engine.search_messages(1, "bob", "NOTE 2", 0, 20);

    // The stored navigation names the user, so the store is there before CONNACK.
    let mut h = h.restarted();
    for m in received.iter().chain([&sent]) {
        assert_eq!(h.engine.get_message(local_id(m)).as_ref(), Some(m));
    }
    assert_eq!(h.engine.search_messages(1, "bob", "NOTE 2", 0, 20), found);
    assert_eq!(found.1, 11, "note 2 and notes 20 to 29");
    assert_eq!(local_history(&mut h, 20), before);
    assert_eq!(before.last(), Some(&sent));

    // Ids continue after the last one handed out.
    let inserted = h
        .engine
        .insert_message(
            h.now,
            im_client::InsertMessage {
                conversation_type: 1,
                target_id: "bob".into(),
                object_name: "RC:TxtMsg".into(),
                content: r#"{"content":"local"}"#.into(),
                direction: 1,
                sent_time: 50_000,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(local_id(&inserted), local_id(&sent) + 1);
}

#[test]
fn messages_delivered_again_after_a_restart_are_stored_once() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let list = || -> Vec<_> {
        (1..=5)
            .map(|i| text_from("bob", &format!("again {i}"), &format!("U{i}"), 1000 * i))
            .collect()
    };
    let first: Vec<Message> = received(&h.pull_in(list()))
        .into_iter()
        .map(|(m, _, _)| m)
        .collect();
    // The box times are lost: the server delivers the same messages again.
    let mut storage = h.storage.clone();
    storage.retain(|k, _| !k.ends_with("box") && !k.starts_with("last_sentTime"));
    let mut c = config();
    c.storage = storage;
    let mut h = Harness::new(c);
    h.connect_fully();
    let again: Vec<Message> = received(&h.pull_in(list()))
        .into_iter()
        .map(|(m, _, _)| m)
        .collect();
    let ids = |ms: &[Message]| ms.iter().map(local_id).collect::<Vec<_>>();
    assert_eq!(ids(&again), ids(&first), "the stored copies' ids");
    assert_eq!(h.engine.search_messages(1, "bob", "again", 0, 20).1, 5);
}
