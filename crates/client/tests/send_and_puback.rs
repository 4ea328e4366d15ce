//! Sending: the PUBLISH and its `UpStreamMessage` (api.md §4.2–§4.3), then success with
//! messageUId and sentTime, or failure with the PUBACK status; argument errors fail at once.
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
use im_client::wire::content::{MentionedInfo, MessageContent, TextMessage};
use im_client::wire::frame::{ClientPublish, Qos};
use im_client::wire::proto::{self, UpStreamMessage};
use im_client::wire::{ClientFrame, MessageTag, ServerFrame};
use im_client::{
    Event, Message, Output, RecallRequest, Reply, RequestError, RequestId, SendContent, SendRequest,
};

fn send(
    h: &mut Harness,
    req: SendRequest,
) -> (RequestId, Option<(ClientPublish, UpStreamMessage)>) {
    h.take();
    let id = h.engine.send_message(h.now, req);
    h.drain();
    let outs = h.take();
    let publish = sent_frames(&outs).into_iter().find_map(|f| match f {
        ClientFrame::Publish(p) => Some(p),
        _ => None,
    });
    let publish = publish.map(|p| {
        let up: UpStreamMessage = proto::decode(&p.payload).unwrap();
        (p, up)
    });
    h.outputs = outs;
    (id, publish)
}

fn completion(h: &mut Harness, id: RequestId) -> Result<Reply, RequestError> {
    let done: Vec<_> = events(&h.take())
        .into_iter()
        .filter_map(|e| match e {
            Event::RequestCompleted { id: got, result } if got == id => Some(result),
            _ => None,
        })
        .collect();
    assert_eq!(done.len(), 1, "exactly one completion");
    done.into_iter().next().unwrap()
}

fn sent_message(result: Result<Reply, RequestError>) -> Message {
    match result {
        Ok(Reply::Sent { message }) => (*message).clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_text_message_is_published_and_completed_by_a_successful_puback() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.advance_to(5_000);
    let (id, publish) = send(
        &mut h,
        SendRequest::new(1, "bob", TextMessage::new("hi").into()),
    );
    let (p, up) = publish.unwrap();
    assert_eq!(
        (p.topic.as_str(), p.target_id.as_str(), p.qos),
        ("ppMsgP", "bob", Qos::AtLeastOnce)
    );
    assert_eq!(p.msg_id, 2, "the initial pull took id 1");
    // `onBefore(messageId)` comes with the PUBLISH, carrying the message's local id.
    let started: Vec<_> = events(&h.outputs)
        .into_iter()
        .filter_map(|e| match e {
            Event::SendStarted {
                id: got,
                message_id,
            } if got == id => Some(message_id),
            _ => None,
        })
        .collect();
    assert_eq!(started.len(), 1);
    assert_eq!(up.session_id, 3);
    assert_eq!(up.classname, "RC:TxtMsg");
    assert_eq!(up.content, br#"{"content":"hi","extra":""}"#);
    assert_eq!(
        (up.push_text, up.app_data, up.config_flag),
        (None, None, Some(0))
    );
    assert!(up.user_id.is_empty());

    // vectors.md V15-CAP layout: sentTime = seconds × 1000 + millis.
    h.server(puback(
        p.msg_id,
        0,
        1_577_836_801_250,
        "BKQ2-ABCD-1234-5678",
    ));
    h.write_out();
    let outs = h.outputs.clone();
    let m = sent_message(completion(&mut h, id));
    assert_eq!(m.message_uid.as_deref(), Some("BKQ2-ABCD-1234-5678"));
    assert_eq!(
        (m.sent_time, m.sent_status, m.message_direction),
        (1_577_836_801_250, Some(30), 1)
    );
    assert_eq!(
        (m.sender_user_id.as_str(), m.target_id.as_str()),
        (USER, "bob")
    );
    assert_eq!(
        (m.message_type.as_str(), m.object_name.as_str()),
        ("TextMessage", "RC:TxtMsg")
    );
    // The sent message carries the id `onBefore` had, and the local store knows it by it.
    assert_eq!(m.message_id, Some(started[0].to_string()));
    assert_eq!(h.engine.get_message(started[0]).as_ref(), Some(&m));
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["messageUId"], "BKQ2-ABCD-1234-5678");
    assert_eq!(json["content"]["content"], "hi");
    assert!(outs.contains(&Output::Persist {
        key: "last_sentTime_user1".into(),
        value: "1577836801250".into()
    }));

    // The server's echo of it in a later pull is not delivered.
    h.server(s_ntf(4, 1_577_836_802_000));
    let pull = pull_id(&h.take());
    let mut own = text_from(USER, "hi", "BKQ2-ABCD-1234-5678", 1_577_836_801_250);
    own.group_id = Some("bob".into());
    own.direction = Some(1);
    h.server(pull_reply(pull, vec![own], 0, true));
    assert!(received(&h.take()).is_empty());
}

#[test]
fn a_failed_puback_reports_its_status_with_the_message() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let (id, publish) = send(
        &mut h,
        SendRequest::new(3, "g1", TextMessage::new("x").into()),
    );
    let (p, _) = publish.unwrap();
    assert_eq!(p.topic, "pgMsgP");
    // vectors.md V16: status 20604, no messageUId.
    h.raw(&[
        0x40,
        0x00,
        p.msg_id as u8,
        0x5e,
        0x0b,
        0xe1,
        0x00,
        0x50,
        0x7c,
        0x00,
        0x00,
        0x00,
        0x00,
    ]);
    let err = completion(&mut h, id).unwrap_err();
    assert_eq!(err.code, 20604);
    let m = err.message.unwrap();
    assert_eq!(
        (m.sent_status, m.sent_time, m.message_uid),
        (Some(20), 1_577_836_800_000, None)
    );

    for status in [405u16, 22406, 21406, 23406] {
        let (id, publish) = send(
            &mut h,
            SendRequest::new(3, "g1", TextMessage::new("x").into()),
        );
        h.server(puback(publish.unwrap().0.msg_id, status, 1, ""));
        assert_eq!(completion(&mut h, id).unwrap_err().code, i32::from(status));
    }
}

#[test]
fn mentions_push_flags_and_directional_recipients_fill_the_upstream_message() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let mut text = TextMessage::new("@all");
    text.mentioned_info = Some(MentionedInfo::all());
    let mut req = SendRequest::new(3, "g1", text.clone().into());
    req.mentioned = true;
    req.push_text = Some("push".into());
    req.app_data = Some("data".into());
    req.user_ids = Some(vec!["u2".into(), "u3".into()]);
    req.is_push = true;
    req.is_filter_white_blacklist = true;
    let (_, publish) = send(&mut h, req);
    let (_, up) = publish.unwrap();
    assert_eq!(up.session_id, 7);
    assert_eq!(
        (up.push_text.as_deref(), up.app_data.as_deref()),
        (Some("push"), Some("data"))
    );
    assert_eq!(up.user_id, ["u2", "u3"]);
    assert_eq!(up.config_flag, Some(3));

    // In a private conversation the mention flag is ignored.
    let mut req = SendRequest::new(1, "bob", text.into());
    req.mentioned = true;
    let (_, publish) = send(&mut h, req);
    assert_eq!(publish.unwrap().1.session_id, 3);

    // Custom types use the tag they were registered with; unregistered ones count like
    // UnknownMessage.
    h.engine
        .register_message_type("PokeMessage", "App:Poke", MessageTag::new(false, true));
    let custom = |name: &str| SendRequest {
        content: SendContent::Json {
            object_name: name.into(),
            json: r#"{"n":1}"#.into(),
        },
        ..SendRequest::new(1, "bob", MessageContent::from(TextMessage::new("")))
    };
    let (id, publish) = send(&mut h, custom("App:Poke"));
    let (p, up) = publish.unwrap();
    assert_eq!((up.session_id, up.classname.as_str()), (1, "App:Poke"));
    assert_eq!(up.content, br#"{"n":1}"#);
    h.server(puback(p.msg_id, 0, 10, "P1"));
    assert_eq!(
        sent_message(completion(&mut h, id)).message_type,
        "PokeMessage"
    );
    let (_, publish) = send(&mut h, custom("App:Other"));
    assert_eq!(publish.unwrap().1.session_id, 3);
}

#[test]
fn invalid_arguments_and_sends_while_disconnected_fail_at_once_without_a_frame() {
    let mut h = Harness::new(config());
    let (id, publish) = send(
        &mut h,
        SendRequest::new(1, "bob", TextMessage::new("x").into()),
    );
    assert!(publish.is_none());
    assert_eq!(completion(&mut h, id).unwrap_err().code, 30002);

    h.connect_fully();
    let cases = [
        SendRequest::new(9, "bob", TextMessage::new("x").into()),
        SendRequest::new(1, "", TextMessage::new("x").into()),
        SendRequest {
            content: SendContent::Json {
                object_name: "RC:TxtMsg".into(),
                json: "not json".into(),
            },
            ..SendRequest::new(1, "bob", TextMessage::new("x").into())
        },
    ];
    for req in cases {
        let (id, publish) = send(&mut h, req);
        assert!(publish.is_none());
        let err = completion(&mut h, id).unwrap_err();
        assert_eq!(err.code, -3);
        assert!(err.reason.is_some());
    }
}

#[test]
fn a_recall_is_published_on_recall_msg_to_self() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let req = RecallRequest {
        conversation_type: 3,
        target_id: "g1".into(),
        message_uid: "UID9".into(),
        sent_time: 1234,
        sender_user_id: USER.into(),
        extra: None,
    };
    let (id, publish) = {
        let id = h.engine.send_recall(h.now, req.clone());
        h.drain();
        let frames = sent_frames(&h.take());
        (id, frames)
    };
    let ClientFrame::Publish(p) = &publish[0] else {
        panic!("{publish:?}")
    };
    assert_eq!(
        (p.topic.as_str(), p.target_id.as_str()),
        ("recallMsg", USER)
    );
    let up: UpStreamMessage = proto::decode(&p.payload).unwrap();
    assert_eq!((up.session_id, up.classname.as_str()), (1, "RC:RcCmd"));
    let json: serde_json::Value = serde_json::from_slice(&up.content).unwrap();
    assert_eq!(json["messageUId"], "UID9");
    assert_eq!(
        (json["conversationType"].as_i64(), json["targetId"].as_str()),
        (Some(3), Some("g1"))
    );
    h.server(ServerFrame::PubAck(
        im_client::wire::frame::ServerPubAck::new(p.msg_id, 0, 5000, "R1"),
    ));
    assert!(completion(&mut h, id).is_ok());

    let other = RecallRequest {
        sender_user_id: "bob".into(),
        ..req
    };
    let id = h.engine.send_recall(h.now, other);
    h.drain();
    assert!(sent_bytes(&h.outputs).is_empty());
    assert_eq!(completion(&mut h, id).unwrap_err().code, 25101);
}

#[test]
fn a_status_send_has_flag_word_0_and_is_kept_neither_in_the_store_nor_in_the_list() {
    let mut h = Harness::new(config());
    h.connect_fully();
    let req = SendRequest {
        status: true,
        mentioned: true,
        ..SendRequest::new(3, "g1", TextMessage::new("typing").into())
    };
    let (id, publish) = send(&mut h, req);
    let (p, up) = publish.unwrap();
    assert_eq!((p.topic.as_str(), up.session_id), ("pgMsgP", 0));
    let local = events(&h.outputs)
        .into_iter()
        .find_map(|e| match e {
            Event::SendStarted { message_id, .. } => Some(message_id),
            _ => None,
        })
        .unwrap();
    h.server(puback(p.msg_id, 0, 10, "S1"));
    let sent = sent_message(completion(&mut h, id));
    assert_eq!(sent.message_uid.as_deref(), Some("S1"));
    let group = im_client::args::conversation_type(3.0).unwrap();
    assert!(h.engine.conversation(group, "g1").is_none());
    assert!(h.engine.get_message(local).is_none());

    // The same content sent normally is counted, listed and stored.
    let (id, publish) = send(
        &mut h,
        SendRequest::new(3, "g1", TextMessage::new("typing").into()),
    );
    let (p, up) = publish.unwrap();
    assert_eq!(up.session_id, 3);
    h.server(puback(p.msg_id, 0, 20, "S2"));
    let sent = sent_message(completion(&mut h, id));
    assert!(h.engine.conversation(group, "g1").is_some());
    assert!(h.engine.get_message(local_id(&sent)).is_some());
}
