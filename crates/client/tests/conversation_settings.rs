//! Conversation settings kept by the server (docs/protocol-additions.md): pinning, hiding and
//! notification status change only once the server agreed, lists put pinned conversations first
//! and leave hidden ones out, another device's change (`s_cmd` type 3) reloads them, and a new
//! engine on the same storage shows them before the server answers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use common::*;
use im_client::wire::enums::ConversationType::{Group, Private};
use im_client::wire::frame::Qos;
use im_client::wire::proto::{self, ConversationSetting, NotifyMsg, UserSettingsOutput};
use im_client::wire::topic;
use im_client::{Reply, RequestId};

/// A harness with messages from bob (older) and carol (newer) listed.
fn with_two_conversations() -> Harness {
    let mut h = Harness::new(config());
    h.connect_fully();
    for (i, (from, time)) in [("bob", 1_000), ("carol", 2_000)].into_iter().enumerate() {
        let id = u16::try_from(i).unwrap() + 100;
        h.server(s_msg(id, &text_from(from, "hi", &format!("U{i}"), time)));
    }
    h.take();
    h
}

fn order(h: &Harness, hidden: bool) -> Vec<String> {
    h.engine
        .conversation_list(&[], hidden)
        .into_iter()
        .map(|c| c.target_id)
        .collect()
}

/// Answers the one QUERY sent with status `status`; the request's result.
fn answer(h: &mut Harness, id: RequestId, topic: &str, status: u16) -> Reply {
    let q = query(h);
    assert_eq!((q.topic.as_str(), q.target_id.as_str()), (topic, USER));
    h.server(ack(q.msg_id, status, vec![]));
    result_of(h, id).unwrap()
}

#[test]
fn pinning_and_hiding_change_the_list_once_the_server_agreed() {
    let mut h = with_two_conversations();
    assert_eq!(order(&h, false), ["carol", "bob"]);
    let id = h
        .engine
        .set_conversation_to_top(h.now, Private, "bob", true);
    h.drain();
    // Not before the answer.
    assert_eq!(order(&h, false), ["carol", "bob"]);
    assert_eq!(answer(&mut h, id, "xSetTop", 0), Reply::Done);
    assert_eq!(order(&h, false), ["bob", "carol"]);
    assert!(h.engine.conversation(Private, "bob").unwrap().is_top);

    let id = h
        .engine
        .set_conversation_hidden(h.now, Private, "carol", true);
    h.drain();
    assert_eq!(answer(&mut h, id, "xSetHidden", 0), Reply::Done);
    assert_eq!(order(&h, false), ["bob"]);
    assert_eq!(order(&h, true), ["bob", "carol"]);

    // A refusal changes nothing.
    let id = h
        .engine
        .set_conversation_to_top(h.now, Private, "bob", false);
    h.drain();
    let q = query(&mut h);
    h.server(ack(q.msg_id, 33003, vec![]));
    assert_eq!(result_of(&mut h, id).unwrap_err().code, 33003);
    assert_eq!(order(&h, false), ["bob"]);
}

#[test]
fn notification_status_travels_with_its_type_and_is_read_from_the_ack_status() {
    let mut h = with_two_conversations();
    let id = h.engine.set_notification_status(h.now, Group, "g1", 0);
    h.drain();
    let q = query(&mut h);
    assert_eq!(q.topic, "blkPPush");
    let input: proto::BlockPushInput = proto::decode(&q.payload).unwrap();
    assert_eq!((input.blockee_id.as_str(), input.r#type), ("g1", Some(3)));
    h.server(ack(q.msg_id, 0, vec![]));
    assert_eq!(result_of(&mut h, id).unwrap(), Reply::Done);

    let id = h.engine.notification_status(h.now, Private, "bob");
    h.drain();
    assert_eq!(
        answer(&mut h, id, "qryPPush", 1),
        Reply::Status { status: 1 }
    );
    let id = h.engine.notification_status(h.now, Private, "bob");
    h.drain();
    assert_eq!(
        answer(&mut h, id, "qryPPush", 0),
        Reply::Status { status: 0 }
    );
    // The answer is remembered: the conversation shows it.
    assert_eq!(
        h.engine
            .conversation(Private, "bob")
            .unwrap()
            .notification_status,
        0
    );
}

#[test]
fn another_devices_change_reloads_every_setting_and_a_reload_shows_them_at_once() {
    let mut h = with_two_conversations();
    let settings = UserSettingsOutput {
        conversations: vec![ConversationSetting {
            r#type: 1,
            target_id: "bob".into(),
            is_top: true,
            is_hidden: false,
            notification_status: 0,
        }],
        quiet_hours: Some(proto::QuietHours {
            start_time: "22:00:00".into(),
            span_minutes: 480,
        }),
        offline_msg_days: None,
        version: 5_000,
    };
    let notice = proto::encode(&NotifyMsg {
        r#type: 3,
        time: Some(5_000),
        ..Default::default()
    });
    h.server(publish("s_cmd", 0, Qos::AtMostOnce, false, notice.clone()));
    let q = query(&mut h);
    assert_eq!(q.topic, topic::SETTINGS.name());
    h.server(ack(q.msg_id, 0, topic::SETTINGS.encode_reply(&settings)));
    h.write_out();
    let outputs = h.take();
    assert_eq!(order(&h, false), ["bob", "carol"]);
    // The same version again asks nothing.
    h.server(publish("s_cmd", 0, Qos::AtMostOnce, false, notice));
    assert!(sent_frames(&h.take()).is_empty());

    // A new engine on the same storage knows them from the first CONNACK on, before asking.
    let mut storage = im_client::Storage::new();
    apply_persisted(&mut storage, &outputs);
    let mut cfg = config();
    cfg.storage = storage;
    let mut again = Harness::new(cfg);
    again.connect_fully();
    again.server(s_msg(7, &text_from("bob", "again", "U9", 3_000)));
    again.take();
    let bob = again.engine.conversation(Private, "bob").unwrap();
    assert!(bob.is_top);
    assert_eq!(bob.notification_status, 0);
    let id = again.engine.quiet_hours(again.now);
    again.drain();
    let q = query(&mut again);
    assert_eq!(q.topic, "xQryQuiet");
    let reply = proto::QuietHoursOutput {
        quiet_hours: settings.quiet_hours.clone(),
    };
    again.server(ack(q.msg_id, 0, proto::encode(&reply)));
    assert_eq!(
        result_of(&mut again, id).unwrap(),
        Reply::QuietHours {
            start_time: "22:00:00".into(),
            span_minutes: 480
        }
    );
}

#[test]
fn quiet_hours_and_offline_duration_are_checked_before_anything_is_sent() {
    let mut h = with_two_conversations();
    for (start, span) in [
        ("24:00:00", 10),
        ("10:00", 10),
        ("10:00:00", 0),
        ("10:00:00", 1440),
    ] {
        let id = h.engine.set_quiet_hours(h.now, start, span);
        h.drain();
        assert_eq!(
            result_of(&mut h, id).unwrap_err().code,
            -3,
            "{start} {span}"
        );
    }
    let id = h.engine.set_offline_message_duration(h.now, 8);
    h.drain();
    assert_eq!(result_of(&mut h, id).unwrap_err().code, -3);
    let id = h.engine.set_offline_message_duration(h.now, 3);
    h.drain();
    let q = query(&mut h);
    assert_eq!(q.topic, "setOfflineMsgDur");
    let input: proto::GetQNupTokenOutput = proto::decode(&q.payload).unwrap();
    assert_eq!(input.token, "3");
    h.server(ack(q.msg_id, 0, vec![]));
    assert_eq!(result_of(&mut h, id).unwrap(), Reply::Done);
}
