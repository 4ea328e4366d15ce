//! Received messages land in the local store: `getMessage` by their `messageId`, search by
//! content, and local-first history answer from it.
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
use im_client::wire::proto::DownStreamMessage;
use im_client::{Message, Reply};

fn in_group(from: &str, group: &str, text: &str, uid: &str, time: i64) -> DownStreamMessage {
    DownStreamMessage {
        r#type: 3,
        group_id: Some(group.into()),
        ..text_from(from, text, uid, time)
    }
}

fn typing(from: &str, time: i64) -> DownStreamMessage {
    DownStreamMessage {
        classname: "RC:TypSts".into(),
        content: br#"{"typingContentType":"RC:TxtMsg","data":""}"#.to_vec(),
        msg_id: None,
        ..text_from(from, "", "", time)
    }
}

fn history(h: &mut Harness, target: &str, count: i32) -> (Vec<String>, bool) {
    h.take();
    let id = h.engine.history_local_first(
        h.now,
        im_client::wire::enums::ConversationType::Private,
        target,
        Some(0),
        count,
    );
    h.drain();
    let outs = h.take();
    assert!(queries(&outs).is_empty(), "answered by the store");
    match completion(&outs, id) {
        Some(Ok(Reply::History { list, has_more })) => {
            (list.iter().map(text_of).collect(), has_more)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn received_messages_are_found_by_id_by_text_and_in_local_history() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let mut own = text_from(USER, "sent from my phone", "U4", 4000);
    own.group_id = Some("bob".into());
    own.direction = Some(1);
    let outs = h.pull_in(vec![
        text_from("bob", "Hello World", "U1", 1000),
        typing("bob", 1500),
        text_from("bob", "你好 🎉", "U2", 2000),
        in_group("carol", "g1", "hello group", "U3", 3000),
        own,
    ]);
    let got: Vec<Message> = received(&outs).into_iter().map(|(m, _, _)| m).collect();
    assert_eq!(got.len(), 5);
    // A typing status is not persisted: it keeps 2.5.3's `{type}_{random}` id.
    assert!(got[1].message_id.as_deref().unwrap().starts_with("1_"));
    let stored: Vec<&Message> = got
        .iter()
        .filter(|m| m.object_name == "RC:TxtMsg")
        .collect();
    let ids: Vec<u64> = stored.iter().map(|m| local_id(m)).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "increasing: {ids:?}");
    for m in &stored {
        assert_eq!(h.engine.get_message(local_id(m)).as_ref(), Some(*m));
    }
    let mine = h.engine.get_message(local_id(stored[3])).unwrap();
    assert_eq!(
        (mine.message_direction, mine.target_id.as_str()),
        (1, "bob")
    );
    // The conversation list knows its latest message by the same id.
    assert_eq!(
        h.engine
            .conversation(im_client::wire::enums::ConversationType::Private, "bob")
            .unwrap()
            .latest_message_id,
        stored[3].message_id
    );
    assert_eq!(h.engine.get_message(9_999), None);

    // Search: ASCII letters in any case, CJK and emoji as they are, newest first.
    let (found, total) = h.engine.search_messages(1, "bob", "HELLO", 0, 10);
    assert_eq!(
        (found.iter().map(text_of).collect::<Vec<_>>(), total),
        (vec!["Hello World".to_owned()], 1)
    );
    let (found, _) = h.engine.search_messages(1, "bob", "🎉", 0, 10);
    assert_eq!(found.iter().map(text_of).collect::<Vec<_>>(), ["你好 🎉"]);
    let (found, total) = h.engine.search_messages(1, "bob", " ", 0, 1);
    assert_eq!(
        (found.len(), total),
        (1, 3),
        "newest first, total of all matches"
    );
    assert_eq!(text_of(&found[0]), "sent from my phone");
    let (found, total) = h.engine.search_messages(1, "bob", " ", 4000, 10);
    assert_eq!(total, 2, "only before the timestamp");
    assert_eq!(
        found.iter().map(text_of).collect::<Vec<_>>(),
        ["你好 🎉", "Hello World"]
    );
    assert_eq!(h.engine.search_messages(1, "bob", "", 0, 10).1, 0);
    let convs = h.engine.search_conversations("hello", &[]);
    let names: Vec<(i32, &str, u32)> = convs
        .iter()
        .map(|c| (c.conversation_type, c.target_id.as_str(), c.matched_count))
        .collect();
    assert_eq!(names, [(3, "g1", 1), (1, "bob", 1)], "newest match first");
    assert_eq!(h.engine.search_conversations("hello", &[1]).len(), 1);

    // Local history: more than asked for is answered without the server.
    assert_eq!(
        history(&mut h, "bob", 2),
        (
            vec!["你好 🎉".to_owned(), "sent from my phone".to_owned()],
            true
        )
    );
    // Offline, the store is all there is.
    h.engine.disconnect(h.now);
    h.drain();
    assert_eq!(
        history(&mut h, "bob", 20),
        (
            vec![
                "Hello World".to_owned(),
                "你好 🎉".to_owned(),
                "sent from my phone".to_owned()
            ],
            false
        )
    );
}
