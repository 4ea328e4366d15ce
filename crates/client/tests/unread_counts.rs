//! Unread counts and the conversation list under interleavings of live push, pull, reconnect,
//! duplicates, recall and clear, on virtual time; and a property: unread = distinct counted
//! messages from others since the last clear.
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
use im_client::wire::proto::DownStreamMessage;
use im_client::Config;

fn in_group(mut m: DownStreamMessage, group: &str) -> DownStreamMessage {
    m.r#type = 3;
    m.group_id = Some(group.into());
    m
}

fn command_from(from: &str, uid: &str, time: i64) -> DownStreamMessage {
    DownStreamMessage {
        from_user_id: from.into(),
        r#type: 1,
        classname: "RC:CmdMsg".into(),
        content: br#"{"name":"n","data":"d"}"#.to_vec(),
        data_time: time,
        msg_id: Some(uid.into()),
        ..Default::default()
    }
}

#[test]
fn push_pull_and_reconnect_count_each_message_once() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.server(s_msg(0, &text_from("bob", "a", "U1", 1000)));
    h.server(s_ntf(5, 2000));
    let pull = pull_id(&h.take());
    let batch = vec![
        text_from("bob", "a", "U1", 1000),
        text_from("bob", "b", "U2", 2000),
    ];
    h.server(pull_reply(pull, batch, 2000, true));
    assert_eq!(h.engine.unread_count(ConversationType::Private, "bob"), 2);

    // Reconnect: the server repeats both and adds one.
    h.close(1006);
    h.advance_to(h.deadline);
    h.answer_probe_and_accept();
    let pull = pull_id(&h.take());
    let batch = vec![
        text_from("bob", "a", "U1", 1000),
        text_from("bob", "b", "U2", 2000),
        text_from("bob", "c", "U3", 3000),
    ];
    h.server(pull_reply(pull, batch, 3000, true));
    assert_eq!(h.engine.unread_count(ConversationType::Private, "bob"), 3);
    assert_eq!(h.engine.total_unread_count(&[]), 3);
    let list = h.engine.conversation_list(&[], true);
    assert_eq!(list.len(), 1);
    assert_eq!(text_of(list[0].latest_message.as_ref().unwrap()), "c");
}

#[test]
fn uncounted_types_chatrooms_and_own_messages_are_not_unread() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.server(s_msg(0, &command_from("bob", "C1", 1000)));
    let mut room = text_from("bob", "hi", "R1", 1100);
    room.r#type = 4;
    room.group_id = Some("room".into());
    h.server(s_msg(0, &room));
    let mut own = text_from(USER, "mine", "O1", 1200);
    own.group_id = Some("bob".into());
    own.direction = Some(1);
    h.server(s_msg(0, &own));
    assert_eq!(h.engine.total_unread_count(&[]), 0);
    let list = h.engine.conversation_list(&[], true);
    assert_eq!(
        list.len(),
        1,
        "only the own text creates a conversation: {list:?}"
    );
    assert_eq!(list[0].target_id, "bob");
    assert_eq!(list[0].unread_message_count, 0);
}

#[test]
fn clear_resets_count_and_mention_and_later_messages_count_from_zero() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let mut m = in_group(text_from("bob", "@you", "G1", 1000), "g1");
    m.status = 0x40;
    m.content =
        br#"{"content":"@you","extra":"","mentionedInfo":{"type":2,"userIdList":["user1"]}}"#
            .to_vec();
    h.server(s_msg(0, &m));
    let c = h
        .engine
        .conversation(ConversationType::Group, "g1")
        .unwrap();
    assert_eq!(c.unread_message_count, 1);
    assert_eq!(c.mentioned_msg.as_ref().unwrap().uid, "G1");

    assert!(h.engine.clear_unread_count(ConversationType::Group, "g1"));
    h.drain();
    let outs = h.take();
    assert_eq!(
        persisted(&outs).get("cuuser13g1").map(String::as_str),
        Some("")
    );
    let c = h
        .engine
        .conversation(ConversationType::Group, "g1")
        .unwrap();
    assert_eq!(
        (c.unread_message_count, c.mentioned_msg.is_none()),
        (0, true)
    );
    assert!(
        !h.engine.clear_unread_count(ConversationType::Group, "g1"),
        "nothing left to clear"
    );

    h.server(s_msg(
        0,
        &in_group(text_from("carol", "x", "G2", 2000), "g1"),
    ));
    assert_eq!(h.engine.unread_count(ConversationType::Group, "g1"), 1);
    assert_eq!(h.engine.total_unread_count(&[ConversationType::Private]), 0);
    assert_eq!(h.engine.total_unread_count(&[ConversationType::Group]), 1);
}

#[test]
fn counts_and_drafts_survive_a_reload_on_the_same_storage() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.server(s_msg(0, &text_from("bob", "a", "U1", 1000)));
    h.server(s_msg(0, &text_from("bob", "b", "U2", 1100)));
    h.engine
        .save_draft(ConversationType::Private, "bob", "half-typed");
    h.drain();
    let mut storage = Storage::new();
    for (k, v) in persisted(&h.take()) {
        storage.insert(k, v);
    }
    assert_eq!(
        storage.get("cuuser11bob").map(String::as_str),
        Some("2_1100")
    );

    let mut cfg: Config = config();
    cfg.storage = storage;
    let mut again = Harness::new(cfg);
    again.connect_fully();
    assert_eq!(
        again.engine.unread_count(ConversationType::Private, "bob"),
        2
    );
    assert_eq!(again.engine.total_unread_count(&[]), 2);
    assert_eq!(
        again
            .engine
            .draft(ConversationType::Private, "bob")
            .as_deref(),
        Some("half-typed")
    );
    assert!(
        again.engine.stored("darf_user1_1_bob").is_some(),
        "drafts are kept per user"
    );
    // A pull that repeats what was already delivered before the reload counts only the new one.
    again.server(s_ntf(7, 1200));
    let pull = pull_id(&again.take());
    let batch = vec![
        text_from("bob", "b", "U2", 1100),
        text_from("bob", "c", "U3", 1200),
    ];
    again.server(pull_reply(pull, batch, 1200, true));
    assert_eq!(
        again.engine.unread_count(ConversationType::Private, "bob"),
        3
    );
    again.engine.clear_draft(ConversationType::Private, "bob");
    assert_eq!(again.engine.draft(ConversationType::Private, "bob"), None);
}

#[test]
fn a_missing_or_legacy_counter_reads_as_a_number_never_nan() {
    let mut cfg = config();
    cfg.storage.insert("cuuser11bob".into(), "4".into());
    cfg.storage.insert("cuuser12d1".into(), "garbage".into());
    // Another user whose id extends this one ("user10") must not add to this user's total.
    cfg.storage.insert("cuuser103g9".into(), "7_5".into());
    let mut h = Harness::new(cfg);
    h.connect_fully();
    assert_eq!(h.engine.unread_count(ConversationType::Private, "bob"), 4);
    assert_eq!(h.engine.unread_count(ConversationType::Discussion, "d1"), 0);
    assert_eq!(
        h.engine.unread_count(ConversationType::Private, "nobody"),
        0
    );
    assert_eq!(h.engine.total_unread_count(&[]), 4);
}

#[cfg(not(target_arch = "wasm32"))]
mod property {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeSet, HashMap};

    #[derive(Clone, Debug)]
    enum Op {
        /// Deliver message `uid` (possibly again) by live push.
        Push(u8),
        /// Deliver a batch by pull (server order), possibly with repeats.
        Pull(Vec<u8>),
        /// Clear one of the conversations.
        Clear(u8),
        /// Drop the connection and reconnect.
        Reconnect,
    }

    /// Message `k`: from someone else unless k % 5 == 0 (own), counted unless k % 7 == 0,
    /// in conversation `k % 3`; times increase with k so pulls keep them.
    fn message(k: u8) -> DownStreamMessage {
        let conv = format!("peer{}", k % 3);
        let mut m = if k % 7 == 0 {
            command_from(&conv, &format!("U{k}"), 1000 + i64::from(k))
        } else {
            text_from(&conv, "t", &format!("U{k}"), 1000 + i64::from(k))
        };
        if k % 5 == 0 {
            m.from_user_id = USER.into();
            m.group_id = Some(conv);
            m.direction = Some(1);
        }
        m
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0u8..40).prop_map(Op::Push),
            2 => proptest::collection::vec(0u8..40, 0..6).prop_map(|mut v| { v.sort(); Op::Pull(v) }),
            1 => (0u8..3).prop_map(Op::Clear),
            1 => Just(Op::Reconnect),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn unread_is_distinct_counted_messages_from_others_since_the_last_clear(
            ops in proptest::collection::vec(op(), 1..40)
        ) {
            let mut h = Harness::new(config());
            h.connect_fully();
            let mut delivered: BTreeSet<u8> = BTreeSet::new();
            let mut expected: HashMap<String, u32> = HashMap::new();
            let note = |k: u8, delivered: &mut BTreeSet<u8>, expected: &mut HashMap<String, u32>| {
                if delivered.insert(k) && k % 5 != 0 && k % 7 != 0 {
                    *expected.entry(format!("peer{}", k % 3)).or_default() += 1;
                }
            };
            for op in ops {
                match op {
                    Op::Push(k) => {
                        h.server(s_msg(0, &message(k)));
                        note(k, &mut delivered, &mut expected);
                    }
                    Op::Pull(ks) => {
                        let newest = ks.iter().copied().max().map_or(0, |k| 1000 + i64::from(k));
                        h.server(s_ntf(9, newest.max(h.now as i64) + 1));
                        let outs = h.take();
                        let pulls: Vec<_> = sent_frames(&outs)
                            .into_iter()
                            .filter(|f| matches!(f, im_client::wire::ClientFrame::Query(q) if q.topic == "pullMsg"))
                            .collect();
                        if let Some(im_client::wire::ClientFrame::Query(q)) = pulls.first() {
                            let batch: Vec<_> = ks.iter().map(|k| message(*k)).collect();
                            h.server(pull_reply(q.msg_id, batch, newest, true));
                            // A pull keeps only items newer than the box of their direction.
                            for k in ks {
                                if !delivered.contains(&k) && received_uid(&h.outputs, k) {
                                    note(k, &mut delivered, &mut expected);
                                }
                            }
                        }
                    }
                    Op::Clear(c) => {
                        h.engine.clear_unread_count(ConversationType::Private, &format!("peer{c}"));
                        expected.insert(format!("peer{c}"), 0);
                    }
                    Op::Reconnect => {
                        h.close(1006);
                        h.advance_to(h.deadline);
                        h.answer_probe_and_accept();
                        let pull = pull_id(&h.take());
                        h.raw(&[0xd0]);
                        h.server(pull_reply(pull, vec![], 0, true));
                    }
                }
                h.take();
                for c in 0..3 {
                    let peer = format!("peer{c}");
                    prop_assert_eq!(
                        h.engine.unread_count(ConversationType::Private, &peer),
                        expected.get(&peer).copied().unwrap_or(0),
                        "conversation {}", peer
                    );
                }
            }
        }
    }

    fn received_uid(outs: &[im_client::Output], k: u8) -> bool {
        received(outs)
            .iter()
            .any(|(m, _, _)| m.message_uid.as_deref() == Some(&format!("U{k}")))
    }
}
