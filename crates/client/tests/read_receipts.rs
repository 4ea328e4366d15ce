//! Group read receipts (2.5.3's request/response): requests received in a group are kept under
//! `{self}{type}{targetId}RECEIVED`; `send_receipt_response` answers each requester once with an
//! RC:RRRspMsg directed to them; a response to one of the user's messages names its reader in
//! that stored message's `receiptResponse`.
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
use im_client::wire::proto::{self, DownStreamMessage, UpStreamMessage};
use im_client::wire::ClientFrame;
use im_client::{Reply, RequestId, SendRequest};
use serde_json::{json, Value};

const GROUP: &str = "g1";
const KEY: &str = "user13g1RECEIVED";

/// A message of `classname` from `from` in `GROUP`.
fn in_group(
    from: &str,
    classname: &str,
    content: Value,
    uid: &str,
    time: i64,
) -> DownStreamMessage {
    DownStreamMessage {
        from_user_id: from.into(),
        r#type: 3,
        group_id: Some(GROUP.into()),
        classname: classname.into(),
        content: content.to_string().into_bytes(),
        data_time: time,
        msg_id: Some(uid.into()),
        ..Default::default()
    }
}

fn request(from: &str, about: &str, uid: &str, time: i64) -> DownStreamMessage {
    in_group(
        from,
        "RC:RRReqMsg",
        json!({ "messageUId": about }),
        uid,
        time,
    )
}

fn response(from: &str, dic: Value, uid: &str, time: i64) -> DownStreamMessage {
    in_group(
        from,
        "RC:RRRspMsg",
        json!({ "receiptMessageDic": dic }),
        uid,
        time,
    )
}

/// The PUBLISHes sent since the last take: (signalling id, topic, target, the UpStreamMessage).
fn publishes(h: &mut Harness) -> Vec<(u16, String, String, UpStreamMessage)> {
    sent_frames(&h.take())
        .into_iter()
        .filter_map(|f| match f {
            ClientFrame::Publish(p) => {
                let up: UpStreamMessage = proto::decode(&p.payload).unwrap();
                Some((p.msg_id, p.topic, p.target_id, up))
            }
            _ => None,
        })
        .collect()
}

fn answer(h: &mut Harness) -> RequestId {
    let id = h.engine.send_receipt_response(h.now, 3, GROUP);
    h.drain();
    id
}

fn dic(up: &UpStreamMessage) -> Value {
    let v: Value = serde_json::from_slice(&up.content).unwrap();
    v["receiptMessageDic"].clone()
}

#[test]
fn each_requester_is_answered_once_with_a_response_directed_to_them() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.advance_to(10_000);
    let t = 1_600_000_000_000;
    let outs = h.pull_in(vec![
        request("bob", "U1", "R1", t),
        request("bob", "U2", "R2", t + 1),
        request("carol", "U1", "R3", t + 2),
        // Own requests, and a private conversation's, are not answered.
        request(USER, "U9", "R4", t + 3),
        DownStreamMessage {
            r#type: 1,
            group_id: None,
            ..request("dave", "U8", "R5", t + 4)
        },
    ]);
    assert_eq!(received(&outs).len(), 5, "every request reaches the app");
    let stored: Value = serde_json::from_str(h.storage.get(KEY).unwrap()).unwrap();
    assert_eq!(stored["bob"]["uIds"], json!(["U1", "U2"]));
    assert_eq!(stored["bob"]["isResponse"], json!(false));
    assert_eq!(stored.as_object().unwrap().len(), 2, "{stored}");

    let id = answer(&mut h);
    let sent = publishes(&mut h);
    assert_eq!(sent.len(), 2, "one response per requester");
    let mut answered = Vec::new();
    for (_, topic, target, up) in &sent {
        assert_eq!((topic.as_str(), target.as_str()), ("pgMsgP", GROUP));
        assert_eq!(up.classname, "RC:RRRspMsg");
        assert_eq!(up.session_id, 0, "neither persisted nor counted");
        answered.push((up.user_id.clone(), dic(up)));
    }
    answered.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        answered,
        vec![
            (vec!["bob".to_owned()], json!({"bob": ["U1", "U2"]})),
            (vec!["carol".to_owned()], json!({"carol": ["U1"]})),
        ]
    );

    // Answers in flight are not sent twice.
    let again = answer(&mut h);
    let outs = h.take();
    assert!(published(&outs).is_empty());
    assert_eq!(completion(&outs, again), Some(Ok(Reply::Done)));

    // Done once both are acknowledged; nothing is pending any more.
    h.server(puback(sent[0].0, 0, 1_600_000_001_000, "A1"));
    assert_eq!(
        completion(&h.take(), id),
        None,
        "one answer still in flight"
    );
    h.server(puback(sent[1].0, 0, 1_600_000_001_001, "A2"));
    assert_eq!(result_of(&mut h, id), Ok(Reply::Done));
    h.write_out();
    assert!(!h.storage.contains_key(KEY), "{:?}", h.storage.get(KEY));

    let third = answer(&mut h);
    let outs = h.take();
    assert!(published(&outs).is_empty(), "nothing is sent a second time");
    assert_eq!(completion(&outs, third), Some(Ok(Reply::Done)));

    // A later request is answered alone.
    h.pull_in(vec![request("bob", "U3", "R6", t + 10)]);
    let fourth = answer(&mut h);
    let sent = publishes(&mut h);
    assert_eq!(sent.len(), 1);
    assert_eq!(dic(&sent[0].3), json!({"bob": ["U3"]}));
    h.server(puback(sent[0].0, 0, 1_600_000_002_000, "A3"));
    assert_eq!(result_of(&mut h, fourth), Ok(Reply::Done));

    // The private conversation had nothing to answer.
    let private = h.engine.send_receipt_response(h.now, 1, "dave");
    h.drain();
    let outs = h.take();
    assert!(published(&outs).is_empty());
    assert_eq!(completion(&outs, private), Some(Ok(Reply::Done)));
}

#[test]
fn a_refused_answer_fails_the_call_and_stays_pending() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.advance_to(10_000);
    h.pull_in(vec![request("bob", "U1", "R1", 1_600_000_000_000)]);
    let id = answer(&mut h);
    let sent = publishes(&mut h);
    h.server(puback(sent[0].0, 22406, 1_600_000_001_000, ""));
    let err = result_of(&mut h, id).unwrap_err();
    assert_eq!(err.code, 22406);
    assert!(err.message.is_none());
    assert!(h.storage.contains_key(KEY));

    // Still pending: the next call sends it again, and it persists across a restart.
    let mut again = h.restarted();
    again.answer_probe_and_accept();
    let pull = pull_id(&again.take());
    again.server(pull_reply(pull, vec![], 0, true));
    again.take();
    again.engine.send_receipt_response(again.now, 3, GROUP);
    again.drain();
    let sent = publishes(&mut again);
    assert_eq!(sent.len(), 1);
    assert_eq!(dic(&sent[0].3), json!({"bob": ["U1"]}));
}

#[test]
fn not_connected_with_requests_pending_fails_with_30002() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.advance_to(10_000);
    h.pull_in(vec![request("bob", "U1", "R1", 1_600_000_000_000)]);
    h.engine.disconnect(h.now);
    h.drain();
    h.take();
    let id = answer(&mut h);
    assert_eq!(result_of(&mut h, id).unwrap_err().code, 30002);
}

#[test]
fn responses_name_their_readers_in_the_stored_message() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.advance_to(10_000);
    let id = h.engine.send_message(
        h.now,
        SendRequest::new(3, GROUP, TextMessage::new("read me").into()),
    );
    h.drain();
    let outs = h.take();
    let msg_id = published(&outs)[0];
    let sent_time: i64 = 1_600_000_000_000;
    h.server(puback(msg_id, 0, 1_600_000_000_000, "M1"));
    let Ok(Reply::Sent { message }) = result_of(&mut h, id) else {
        panic!()
    };
    let local = local_id(&message);
    assert_eq!(h.engine.get_message(local).unwrap().receipt_response, None);

    let outs = h.pull_in(vec![
        response("bob", json!({ USER: ["M1"] }), "S1", sent_time + 10),
        response(
            "carol",
            json!({ USER: ["M1", "unknown"] }),
            "S2",
            sent_time + 20,
        ),
        // A repeated reader counts once; a response to someone else changes nothing.
        response("bob", json!({ USER: ["M1"] }), "S3", sent_time + 30),
        response("dave", json!({ "someone": ["M1"] }), "S4", sent_time + 40),
    ]);
    assert_eq!(
        received(&outs)
            .iter()
            .filter(|(m, _, _)| m.object_name == "RC:RRRspMsg")
            .count(),
        4,
        "the responses reach the app"
    );
    let got = h.engine.get_message(local).unwrap();
    assert_eq!(
        got.receipt_response,
        Some(im_client::wire::json!({"M1": ["bob", "carol"]}))
    );
    let as_json = serde_json::to_value(&got).unwrap();
    assert_eq!(as_json["receiptResponse"], json!({"M1": ["bob", "carol"]}));
    assert_eq!(text_of(&got), "read me");

    // Local history shows it too, and it survives a restart on the same storage.
    let page = h.engine.history_local_first(
        h.now,
        im_client::wire::enums::ConversationType::Group,
        GROUP,
        Some(0),
        1,
    );
    h.drain();
    // The server is asked whether older messages remain: none.
    if let Some(q) = queries(&h.outputs).into_iter().next() {
        let none = proto::HistoryMessagesOuput {
            list: vec![],
            sync_time: 0,
            has_msg: 0,
        };
        h.server(ack(q.msg_id, 0, proto::encode(&none)));
    }
    let outs = h.take();
    match completion(&outs, page) {
        Some(Ok(Reply::History { list, .. })) => {
            let m = list.iter().find(|m| m.message_uid.as_deref() == Some("M1"));
            assert_eq!(
                m.unwrap().receipt_response,
                Some(im_client::wire::json!({"M1": ["bob", "carol"]}))
            );
        }
        other => panic!("{other:?}"),
    }
    let mut again = h.restarted();
    assert_eq!(
        again.engine.get_message(local).unwrap().receipt_response,
        Some(im_client::wire::json!({"M1": ["bob", "carol"]}))
    );
}

#[test]
fn own_answers_from_another_device_are_not_sent_again() {
    let mut h = Harness::new(config());
    h.connect_fully();
    h.advance_to(10_000);
    let t = 1_600_000_000_000;
    h.pull_in(vec![
        request("bob", "U1", "R1", t),
        request("carol", "U1", "R2", t + 1),
    ]);
    // The user's other device answered bob (its copy comes back as a sent message).
    h.pull_in(vec![DownStreamMessage {
        direction: Some(1),
        ..response(USER, json!({"bob": ["U1"]}), "S1", t + 2)
    }]);
    answer(&mut h);
    let sent = publishes(&mut h);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].3.user_id, vec!["carol".to_owned()]);
}
