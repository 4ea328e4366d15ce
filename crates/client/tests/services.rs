//! Customer service and public services against a scripted server on virtual time (api.md
//! §3.1, §3.8, §5.5 step 6): what each command sends, 2.5.3's receive filter for a service the
//! engine started (and none for an agent's conversations), the session taken from `RC:CsHsR`
//! and the automatic switch to a human, the public-service profiles and their kept list.
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
use im_client::wire::enums::ConversationType;
use im_client::wire::proto::{self, DownStreamMessage, MpInfo, UpStreamMessage};
use im_client::wire::value::Value;
use im_client::wire::{json, ClientFrame};
use im_client::{Output, Reply};

fn connected() -> Harness {
    let mut h = Harness::new(config());
    h.connect_fully();
    h
}

/// The (topic, target, objectName, content) of each PUBLISH in `outs`.
fn publishes(outs: &[Output]) -> Vec<(String, String, String, Value)> {
    sent_frames(outs)
        .into_iter()
        .filter_map(|f| match f {
            ClientFrame::Publish(p) => {
                let up: UpStreamMessage = proto::decode(&p.payload).unwrap();
                let content = json::parse(std::str::from_utf8(&up.content).unwrap()).unwrap();
                Some((p.topic, p.target_id, up.classname, content))
            }
            _ => None,
        })
        .collect()
}

fn from_service(
    service: &str,
    object_name: &str,
    content: &str,
    uid: &str,
    time: i64,
) -> DownStreamMessage {
    DownStreamMessage {
        from_user_id: service.into(),
        r#type: 5,
        classname: object_name.into(),
        content: content.as_bytes().to_vec(),
        data_time: time,
        msg_id: Some(uid.into()),
        ..Default::default()
    }
}

fn received_types(outs: &[Output]) -> Vec<String> {
    received(outs)
        .into_iter()
        .map(|(m, _, _)| m.object_name)
        .collect()
}

#[test]
fn a_started_service_filters_until_its_handshake_answer_and_the_session_drives_the_commands() {
    let mut h = connected();
    // Without a session: 33001, nothing sent.
    let id = h
        .engine
        .custom_service_command(h.now, "kf".into(), "RC:CsSp", None);
    h.drain();
    let outs = h.take();
    assert!(publishes(&outs).is_empty());
    assert_eq!(completion(&outs, id).unwrap().unwrap_err().code, 33001);

    h.engine.start_custom_service(
        h.now,
        "kf".into(),
        Some(r#"{"userInfo":{"name":"M"}}"#.into()),
    );
    h.drain();
    let sent = publishes(&h.take());
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].0.as_str(), sent[0].1.as_str(), sent[0].2.as_str()),
        ("pcMsgP", "kf", "RC:CsHs")
    );

    // A text of the service before its handshake answer is dropped; the answer, and what
    // follows it, pass; a Terminate of another session is dropped.
    let outs = h.pull_in(vec![from_service(
        "kf",
        "RC:TxtMsg",
        r#"{"content":"early"}"#,
        "u1",
        10,
    )]);
    assert!(received_types(&outs).is_empty());
    let hs = r#"{"msg":"","status":0,"data":{"uid":"user1","sid":"s1","pid":"kf","serviceType":3,"notAutoCha":"0"}}"#;
    let outs = h.pull_in(vec![
        from_service("kf", "RC:CsHsR", hs, "u2", 20),
        from_service("kf", "RC:TxtMsg", r#"{"content":"hello"}"#, "u3", 21),
        from_service(
            "kf",
            "RC:CsEnd",
            r#"{"code":0,"msg":"","sid":"other"}"#,
            "u4",
            22,
        ),
    ]);
    assert_eq!(received_types(&outs), ["RC:CsHsR", "RC:TxtMsg"]);
    // ROBOT_FIRST: no automatic switch.
    assert!(publishes(&outs).is_empty());

    // The commands send the session's ids; the evaluation keeps its values.
    h.engine
        .custom_service_command(h.now, "kf".into(), "RC:CSCha", None);
    h.engine
        .custom_service_command(h.now, "kf".into(), "RC:CsEva", Some((1, 4, "ok".into())));
    h.drain();
    let sent = publishes(&h.take());
    assert_eq!(sent[0].2, "RC:CSCha");
    assert_eq!(
        im_client::wire::json_out::text(&sent[0].3),
        r#"{"uid":"user1","sid":"s1","pid":"kf"}"#
    );
    assert_eq!(sent[1].2, "RC:CsEva");
    let ev = &sent[1].3;
    assert_eq!(
        (
            ev.get("source").and_then(Value::as_i64),
            ev.get("type").and_then(Value::as_i64)
        ),
        (Some(4), Some(1))
    );
    assert_eq!(ev.get("suggest").and_then(Value::as_str), Some("ok"));
}

#[test]
fn a_human_first_handshake_asks_for_a_human_and_an_agent_gets_every_customer_message() {
    let mut h = connected();
    h.engine.start_custom_service(h.now, "kf".into(), None);
    h.drain();
    h.take();
    let hs = r#"{"status":0,"data":{"uid":"user1","sid":"s9","pid":"kf","serviceType":4,"notAutoCha":"1"}}"#;
    let outs = h.pull_in(vec![from_service("kf", "RC:CsHsR", hs, "u1", 10)]);
    let sent = publishes(&outs);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (
            sent[0].2.as_str(),
            sent[0].3.get("sid").and_then(Value::as_str)
        ),
        ("RC:CSCha", Some("s9"))
    );

    // A conversation with a customer (this user as an agent): no filter.
    let outs = h.pull_in(vec![from_service(
        "customer",
        "RC:TxtMsg",
        r#"{"content":"hi"}"#,
        "u2",
        11,
    )]);
    let got = received(&outs);
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].0.conversation_type, got[0].0.target_id.as_str()),
        (5, "customer")
    );
}

fn info(id: &str, kind: &str, extra: &str) -> MpInfo {
    MpInfo {
        mpid: id.into(),
        name: id.to_uppercase(),
        r#type: kind.into(),
        time: 1,
        portrait_url: Some(format!("http://p/{id}")),
        extra: Some(extra.into()),
    }
}

#[test]
fn public_services_are_listed_searched_followed_and_kept_for_profiles() {
    let mut h = connected();
    let id = h.engine.public_services(h.now, 0);
    h.drain();
    let q = query(&mut h);
    assert_eq!((q.topic.as_str(), q.target_id.as_str()), ("pullMp", USER));
    let out = proto::PullMpOutput {
        status: 0,
        info: vec![
            info(
                "news",
                "mp",
                r#"{"isGlobal":false,"introduction":"i","menu":[],"follow":true}"#,
            ),
            info("desk", "mc", "not json"),
        ],
    };
    h.server(ack(q.msg_id, 0, proto::encode(&out)));
    let Reply::PublicServices { list } = result_of(&mut h, id).unwrap() else {
        panic!()
    };
    assert_eq!(list.len(), 2);
    let news = h.engine.public_service_profile(8, "news").unwrap();
    assert_eq!(news.get("hasFollowed").and_then(Value::as_bool), Some(true));
    assert_eq!(
        news.get("portraitUri").and_then(Value::as_str),
        Some("http://p/news")
    );
    assert!(h.engine.public_service_profile(7, "news").is_none());
    assert!(h.engine.public_service_profile(7, "desk").is_some());

    // Search masks: all fuzzy 3|48, mc exact 2|4, mp fuzzy 1|32.
    for (t, fuzzy, mask) in [
        (None, true, 51),
        (Some(ConversationType::AppPublicService), false, 6),
        (Some(ConversationType::PublicService), true, 33),
    ] {
        h.engine
            .search_public_services(h.now, t, fuzzy, "ne".into());
        h.drain();
        let q = query(&mut h);
        assert_eq!(q.topic, "schMp");
        let input: proto::SearchMpInput = proto::decode(&q.payload).unwrap();
        assert_eq!((input.r#type, input.id.as_str()), (mask, "ne"));
        h.server(ack(
            q.msg_id,
            0,
            proto::encode(&proto::SearchMpOutput {
                nothing: 1,
                info: vec![],
            }),
        ));
    }

    // Unsubscribing drops the kept profile; subscribing refreshes the list (no completion).
    let id = h.engine.follow_public_service(
        h.now,
        ConversationType::AppPublicService,
        "desk".into(),
        false,
    );
    h.drain();
    let q = query(&mut h);
    assert_eq!(q.topic, "mcUnFollow");
    h.server(ack(
        q.msg_id,
        0,
        proto::encode(&proto::MpFollowOutput {
            nothing: 1,
            info: None,
        }),
    ));
    assert_eq!(result_of(&mut h, id).unwrap(), Reply::Done);
    assert!(h.engine.public_service_profile(7, "desk").is_none());
    let id =
        h.engine
            .follow_public_service(h.now, ConversationType::PublicService, "more".into(), true);
    h.drain();
    let q = query(&mut h);
    assert_eq!(q.topic, "mpFollow");
    h.server(ack(
        q.msg_id,
        0,
        proto::encode(&proto::MpFollowOutput {
            nothing: 1,
            info: None,
        }),
    ));
    let outs = h.take();
    assert_eq!(completion(&outs, id).unwrap().unwrap(), Reply::Done);
    let refresh = queries(&outs);
    assert_eq!(refresh.len(), 1);
    let q = &refresh[0];
    assert_eq!(q.topic, "pullMp");
    let out = proto::PullMpOutput {
        status: 0,
        info: vec![info("more", "mp", "{}")],
    };
    h.server(ack(q.msg_id, 0, proto::encode(&out)));
    h.drain();
    assert!(h.engine.public_service_profile(8, "more").is_some());
    // A refusal is the server's code.
    let id =
        h.engine
            .follow_public_service(h.now, ConversationType::PublicService, "x".into(), true);
    h.drain();
    let q = query(&mut h);
    h.server(ack(q.msg_id, 39001, vec![]));
    assert_eq!(result_of(&mut h, id).unwrap_err().code, 39001);
}
