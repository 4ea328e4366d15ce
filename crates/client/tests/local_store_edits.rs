//! The local edits of 2.x: `insertMessage`, `setMessageContent`, `setMessageExtra`,
//! `setMessageReceivedStatus`, `setMessageSentStatus`, `updateMessage` and `setMessageStatus`
//! (read receipts by time); each is kept across a restart.
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
use im_client::{InsertMessage, Message};

fn insert(h: &mut Harness, text: &str, direction: i32, status: i32, time: i64) -> Message {
    let req = InsertMessage {
        conversation_type: 1,
        target_id: "bob".into(),
        object_name: "RC:TxtMsg".into(),
        content: format!(r#"{{"content":"{text}","extra":""}}"#),
        direction,
        status,
        sent_time: time,
        ..Default::default()
    };
    h.engine.insert_message(h.now, req).unwrap()
}

#[test]
fn inserted_messages_take_edits_that_survive_a_restart() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.advance_to(9_000);
    let mine = insert(&mut h, "draft reply", 1, 0, 0);
    assert_eq!(
        (
            mine.sender_user_id.as_str(),
            mine.sent_status,
            mine.sent_time
        ),
        (USER, Some(30), 9_000),
        "from the user, SENT by default, now"
    );
    assert_eq!(mine.message_uid, None, "never sent");
    assert!(sent_frames(&h.take()).is_empty());
    let theirs = insert(&mut h, "old note", 2, 1, 3_000);
    assert_eq!(
        (theirs.sender_user_id.as_str(), theirs.received_status),
        ("bob", Some(1))
    );
    assert_eq!(h.engine.get_message(local_id(&mine)).as_ref(), Some(&mine));

    // Refused: bad arguments, a chatroom, a type that is not persisted.
    let bad =
        |conversation_type: i32, object_name: &str, content: &str, direction: i32| InsertMessage {
            conversation_type,
            target_id: "x".into(),
            object_name: object_name.into(),
            content: content.into(),
            direction,
            ..Default::default()
        };
    let codes: Vec<i32> = [
        bad(1, "RC:TxtMsg", "not json", 1),
        bad(1, "RC:TxtMsg", r#"{"content":"x"}"#, 3),
        bad(9, "RC:TxtMsg", r#"{"content":"x"}"#, 1),
        bad(4, "RC:TxtMsg", r#"{"content":"x"}"#, 1),
        bad(1, "RC:TypSts", r#"{"typingContentType":"RC:TxtMsg"}"#, 1),
    ]
    .into_iter()
    .map(|req| h.engine.insert_message(h.now, req).unwrap_err().code)
    .collect();
    assert_eq!(codes, [-3, -3, -3, 33008, 33008]);

    let id = local_id(&theirs);
    let edited = h
        .engine
        .set_message_content(id, r#"{"message":"replaced","extra":""}"#, "RC:InfoNtf")
        .unwrap();
    assert_eq!(
        (edited.object_name.as_str(), edited.message_type.as_str()),
        ("RC:InfoNtf", "InformationNotificationMessage")
    );
    assert!(h.engine.set_message_content(id, "{", "RC:TxtMsg").is_err());
    h.engine.set_message_extra(id, "starred").unwrap();
    h.engine.set_message_received_status(id, 2).unwrap();
    let mine_id = local_id(&mine);
    h.engine.set_message_sent_status(mine_id, 50).unwrap();
    assert_eq!(
        h.engine.set_message_extra(999, "x").unwrap_err().code,
        61001,
        "GET_MESSAGE_BY_ID_ERROR"
    );

    // updateMessage replaces the stored fields, in the same conversation only.
    let mut changed = h.engine.get_message(mine_id).unwrap();
    changed.sent_time = 1_000;
    changed.extra = Some("moved back".into());
    let updated = h.engine.update_message(&changed).unwrap();
    assert_eq!(updated, changed);
    let mut elsewhere = changed.clone();
    elsewhere.target_id = "ann".into();
    assert!(h.engine.update_message(&elsewhere).is_err());

    // The edits reach storage when the outputs are drained, as after any command.
    h.drain();
    let mut h = h.restarted();
    let theirs = h.engine.get_message(id).unwrap();
    assert_eq!(
        (
            im_client::content_value(&theirs.content)["message"].as_str(),
            theirs.extra.as_deref(),
            theirs.received_status
        ),
        (Some("replaced"), Some("starred"), Some(2))
    );
    assert_eq!(h.engine.get_message(mine_id), Some(changed));
}

#[test]
fn a_read_receipt_marks_own_messages_up_to_its_time() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let sent: Vec<Message> = [
        (1_000, 30),
        (2_000, 30),
        (3_000, 20),
        (4_000, 30),
        (6_000, 30),
    ]
    .iter()
    .map(|&(t, s)| insert(&mut h, "mine", 1, s, t))
    .collect();
    let peer = insert(&mut h, "theirs", 2, 1, 2_500);
    // Read up to 5000: the SENT ones before it become READ, the FAILED one stays.
    assert_eq!(h.engine.set_message_status(1, "bob", 5_000, 50), 3);
    let statuses: Vec<Option<i32>> = sent
        .iter()
        .map(|m| h.engine.get_message(local_id(m)).unwrap().sent_status)
        .collect();
    assert_eq!(statuses, [Some(50), Some(50), Some(20), Some(50), Some(30)]);
    assert_eq!(
        h.engine.get_message(local_id(&peer)).unwrap().sent_status,
        None
    );
    // Again: nothing left to change.
    assert_eq!(h.engine.set_message_status(1, "bob", 5_000, 50), 0);
    assert_eq!(h.engine.set_message_status(1, "bob", 7_000, 50), 1);
}
