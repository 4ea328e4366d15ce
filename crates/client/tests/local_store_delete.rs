//! Deleting from the local store (`deleteLocalMessages`, `clearMessages`) and on the server
//! (`deleteRemoteMessages`: `delMsg`, then the store): what is deleted does not come back in
//! local-first history.
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
use im_client::wire::proto::{self, DeleteMsgInput, DeleteMsgOutput, HistoryMessagesOuput};
use im_client::{DeleteMessage, Message, Reply, RequestId};

fn ack(h: &mut Harness, msg_id: u16, status: u16, payload: Vec<u8>) {
    h.server(query_ack(msg_id, status, payload));
}

/// Bob's m1…m5 (1000…5000) and one from ann, all received.
fn setup() -> (Harness, Vec<Message>, Message) {
    let mut h = Harness::new(config());
    h.connect_fully();
    let mut list: Vec<_> = (1..=5)
        .map(|n| text_from("bob", &format!("m{n}"), &format!("U{n}"), n * 1000))
        .collect();
    list.push(text_from("ann", "a1", "A1", 6000));
    let mut got: Vec<Message> = received(&h.pull_in(list))
        .into_iter()
        .map(|(m, _, _)| m)
        .collect();
    let ann = got.pop().unwrap();
    (h, got, ann)
}

/// A local-first page of bob's conversation; any history QUERY is answered with nothing more.
fn bob_history(h: &mut Harness) -> Vec<String> {
    h.take();
    let id: RequestId = h.engine.history_local_first(
        h.now,
        im_client::wire::enums::ConversationType::Private,
        "bob",
        Some(0),
        20,
    );
    h.drain();
    if let Some(q) = queries(&h.outputs).into_iter().next() {
        let none = HistoryMessagesOuput {
            list: vec![],
            sync_time: 0,
            has_msg: 0,
        };
        ack(h, q.msg_id, 0, proto::encode(&none));
    }
    match completion(&h.take(), id) {
        Some(Ok(Reply::History { list, .. })) => list.iter().map(text_of).collect(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn deleted_local_messages_are_gone_and_stay_gone() {
    let (mut h, bob, ann) = setup();
    // Ids of another conversation are ignored.
    let removed = h.engine.delete_local_messages(
        1,
        "bob",
        &[local_id(&bob[1]), local_id(&bob[0]), local_id(&ann)],
    );
    assert_eq!(removed, 2);
    assert_eq!(h.engine.get_message(local_id(&bob[0])), None);
    assert!(h.engine.get_message(local_id(&ann)).is_some());
    assert_eq!(bob_history(&mut h), ["m3", "m4", "m5"]);
    // Deleting again removes nothing.
    assert_eq!(
        h.engine
            .delete_local_messages(1, "bob", &[local_id(&bob[1])]),
        0
    );

    // Clearing: everything of the conversation goes, and its older history is not fetched.
    assert_eq!(h.engine.clear_messages(1, "bob"), 3);
    assert!(h.engine.get_message(local_id(&bob[4])).is_none());
    h.take();
    let id = h.engine.history_local_first(
        h.now,
        im_client::wire::enums::ConversationType::Private,
        "bob",
        Some(0),
        20,
    );
    h.drain();
    let outs = h.take();
    assert!(queries(&outs).is_empty());
    assert_eq!(
        completion(&outs, id),
        Some(Ok(Reply::History {
            list: vec![],
            has_more: false
        }))
    );
    // New messages are kept as before.
    h.pull_in(vec![text_from("bob", "m6", "U6", 7000)]);
    assert_eq!(bob_history(&mut h), ["m6"]);
    assert!(h.engine.get_message(local_id(&ann)).is_some());
}

#[test]
fn remote_deletion_sends_del_msg_and_then_removes_the_local_copies() {
    let (mut h, bob, _) = setup();
    let del = |m: &Message| DeleteMessage {
        message_uid: m.message_uid.clone().unwrap(),
        sent_time: m.sent_time,
        message_direction: m.message_direction,
    };
    h.take();
    let id = h
        .engine
        .delete_remote_messages(h.now, 1, "bob", vec![del(&bob[2]), del(&bob[3])]);
    h.drain();
    let q = queries(&h.take()).pop().unwrap();
    assert_eq!((q.topic.as_str(), q.target_id.as_str()), ("delMsg", "bob"));
    let input: DeleteMsgInput = proto::decode(&q.payload).unwrap();
    assert_eq!(
        (input.r#type, input.conversation_id.as_deref()),
        (Some(1), Some("bob"))
    );
    let sent: Vec<_> = input
        .msgs
        .iter()
        .map(|m| (m.msg_id.clone().unwrap(), m.msg_data_time, m.direct))
        .collect();
    assert_eq!(
        sent,
        [
            ("U3".to_owned(), Some(3000), Some(2)),
            ("U4".to_owned(), Some(4000), Some(2))
        ]
    );
    // Not before the server agrees.
    assert!(h.engine.get_message(local_id(&bob[2])).is_some());
    ack(
        &mut h,
        q.msg_id,
        0,
        proto::encode(&DeleteMsgOutput { nothing: 1 }),
    );
    assert_eq!(completion(&h.take(), id), Some(Ok(Reply::Done)));
    assert!(h.engine.get_message(local_id(&bob[2])).is_none());
    assert!(h.engine.get_message(local_id(&bob[3])).is_none());
    assert_eq!(bob_history(&mut h), ["m1", "m2", "m5"]);

    // A refusal keeps them.
    let id = h
        .engine
        .delete_remote_messages(h.now, 1, "bob", vec![del(&bob[4])]);
    h.drain();
    let q = queries(&h.take()).pop().unwrap();
    ack(&mut h, q.msg_id, 1, vec![]);
    assert_eq!(completion(&h.take(), id).unwrap().unwrap_err().code, 1);
    assert!(h.engine.get_message(local_id(&bob[4])).is_some());
    // Nothing to delete, or no connection: at once.
    let id = h.engine.delete_remote_messages(h.now, 1, "bob", vec![]);
    h.drain();
    assert_eq!(completion(&h.take(), id).unwrap().unwrap_err().code, 61001);
    h.engine.disconnect(h.now);
    let id = h
        .engine
        .delete_remote_messages(h.now, 1, "bob", vec![del(&bob[4])]);
    h.drain();
    assert_eq!(completion(&h.take(), id).unwrap().unwrap_err().code, 30002);
}
