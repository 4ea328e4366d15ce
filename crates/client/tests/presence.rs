//! Files and user status against a scripted server on virtual time (api.md §3.8, §5.1):
//! `qnTkn`, `qnUrl`, `setUserStatus`, `getUserStatus`, `subUserStatus`, `s_stat` pushes, and
//! the subscriptions after a lost connection.
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
use im_client::args;
use im_client::wire::enums::FileType;
use im_client::wire::frame::Qos;
use im_client::wire::json;
use im_client::wire::proto::{self, GetUserStatusOutput};
use im_client::wire::ClientFrame;
use im_client::{Event, Output, Reply};

fn connected() -> Harness {
    let mut h = Harness::new(config());
    h.connect_fully();
    h
}

fn status_of(user: &str, us: &str) -> Vec<u8> {
    proto::encode(&GetUserStatusOutput {
        status: Some(us.to_owned()),
        sub_user_id: Some(user.to_owned()),
    })
}

fn user_statuses(outs: &[Output]) -> Vec<(String, String)> {
    events(outs)
        .into_iter()
        .filter_map(|e| match e {
            Event::UserStatus { user_id, status } => {
                Some((user_id, im_client::wire::json_out::text(&status)))
            }
            _ => None,
        })
        .collect()
}

fn subscriptions(outs: &[Output]) -> Vec<Vec<String>> {
    queries(outs)
        .into_iter()
        .filter(|q| q.topic == "subUserStatus")
        .map(|q| {
            assert_eq!(q.target_id, USER);
            proto::decode::<proto::SubUserStatusInput>(&q.payload)
                .unwrap()
                .userid
        })
        .collect()
}

#[test]
fn a_file_token_is_asked_of_self_by_type_and_completes_with_deadline_and_token() {
    let mut h = connected();
    let id = h.engine.file_token(h.now, FileType::Video);
    h.drain();
    let q = query(&mut h);
    assert_eq!((q.topic.as_str(), q.target_id.as_str()), ("qnTkn", USER));
    let input: proto::GetQNupTokenInput = proto::decode(&q.payload).unwrap();
    assert_eq!(input.r#type, 3);
    let out = proto::GetQNupTokenOutput {
        deadline: 1_700_000_600_000,
        token: "tok".into(),
    };
    h.server(ack(q.msg_id, 0, proto::encode(&out)));
    assert_eq!(
        result_of(&mut h, id).unwrap(),
        Reply::FileToken {
            deadline: 1_700_000_600_000,
            token: "tok".into()
        }
    );
    // The server's refusal is the code.
    let id = h.engine.file_token(h.now, FileType::Image);
    h.drain();
    let q = query(&mut h);
    h.server(ack(q.msg_id, 41002, vec![]));
    assert_eq!(result_of(&mut h, id).unwrap_err().code, 41002);
}

#[test]
fn a_file_type_outside_1_to_4_is_41001_and_nothing_is_sent() {
    let mut h = connected();
    for bad in [0.0, 5.0, 11.0, 2.5] {
        let err = args::file_type(bad).unwrap_err();
        assert_eq!(err.code, 41001);
        let id = h.engine.reject(err);
        h.drain();
        let outs = h.take();
        assert!(queries(&outs).is_empty());
        assert_eq!(completion(&outs, id).unwrap().unwrap_err().code, 41001);
    }
}

#[test]
fn a_file_url_names_the_key_and_the_original_name() {
    let mut h = connected();
    let id = h
        .engine
        .file_url(h.now, FileType::File, "k1", Some("a b.txt".into()));
    h.drain();
    let q = query(&mut h);
    assert_eq!((q.topic.as_str(), q.target_id.as_str()), ("qnUrl", USER));
    let input: proto::GetQNdownloadUrlInput = proto::decode(&q.payload).unwrap();
    assert_eq!(
        (input.r#type, input.key.as_str(), input.file_name.as_deref()),
        (4, "k1", Some("a b.txt"))
    );
    let out = proto::GetQNdownloadUrlOutput {
        download_url: "http://h/files/k1".into(),
    };
    h.server(ack(q.msg_id, 0, proto::encode(&out)));
    assert_eq!(
        result_of(&mut h, id).unwrap(),
        Reply::FileUrl {
            download_url: "http://h/files/k1".into()
        }
    );
    // No original name (or an empty one): the field is left out.
    for name in [None, Some(String::new())] {
        h.engine.file_url(h.now, FileType::Image, "k2", name);
        h.drain();
        let q = query(&mut h);
        let input: proto::GetQNdownloadUrlInput = proto::decode(&q.payload).unwrap();
        assert_eq!(input.file_name, None);
    }
}

#[test]
fn own_status_is_set_and_read_on_self_and_expanded_as_2x_does() {
    let mut h = connected();
    let id = h.engine.set_user_status(h.now, 7);
    h.drain();
    let q = query(&mut h);
    assert_eq!(
        (q.topic.as_str(), q.target_id.as_str()),
        ("setUserStatus", USER)
    );
    let input: proto::SetUserStatusInput = proto::decode(&q.payload).unwrap();
    assert_eq!(input.status, Some(7));
    h.server(ack(q.msg_id, 0, vec![]));
    assert_eq!(result_of(&mut h, id).unwrap(), Reply::Done);
    // 0 is sent as no status, as 2.x does.
    h.engine.set_user_status(h.now, 0);
    h.drain();
    let input: proto::SetUserStatusInput = proto::decode(&query(&mut h).payload).unwrap();
    assert_eq!(input.status, None);

    let id = h.engine.user_status(h.now);
    h.drain();
    let q = query(&mut h);
    assert_eq!(
        (q.topic.as_str(), q.target_id.as_str()),
        ("getUserStatus", USER)
    );
    let us = r#"{"us":{"o":1,"p":["Websocket"],"s":7}}"#;
    h.server(ack(q.msg_id, 0, status_of(USER, us)));
    assert_eq!(
        result_of(&mut h, id).unwrap(),
        Reply::UserStatus {
            user_id: USER.into(),
            status: json::parse(r#"{"online":1,"platform":["Websocket"],"status":7}"#).unwrap(),
        }
    );
}

#[test]
fn s_stat_pushes_become_user_status_events_and_are_acknowledged() {
    let mut h = connected();
    let id = h
        .engine
        .subscribe_user_status(h.now, vec!["bob".into(), "carol".into()]);
    h.drain();
    let outs = h.take();
    assert_eq!(subscriptions(&outs), [vec!["bob", "carol"]]);
    let q = queries(&outs).remove(0);
    h.server(ack(q.msg_id, 0, vec![]));
    assert_eq!(result_of(&mut h, id).unwrap(), Reply::Done);

    let us = r#"{"us":{"o":0,"p":[],"s":3}}"#;
    h.server(publish(
        "s_stat",
        9,
        Qos::AtLeastOnce,
        false,
        status_of("bob", us),
    ));
    let outs = h.take();
    assert_eq!(
        user_statuses(&outs),
        [(
            "bob".to_owned(),
            r#"{"online":0,"platform":[],"status":3}"#.to_owned()
        )]
    );
    assert!(sent_frames(&outs)
        .iter()
        .any(|f| matches!(f, ClientFrame::PubAck(a) if a.msg_id == 9)));
    // A status without a `us` object is passed on as its text; garbage is ignored.
    h.server(publish(
        "s_stat",
        10,
        Qos::AtMostOnce,
        false,
        status_of("bob", "{}"),
    ));
    assert_eq!(
        user_statuses(&h.take()),
        [("bob".to_owned(), r#""{}""#.to_owned())]
    );
    h.server(publish(
        "s_stat",
        11,
        Qos::AtMostOnce,
        false,
        vec![0xff, 0xff],
    ));
    assert!(user_statuses(&h.take()).is_empty());
}

#[test]
fn subscriptions_are_made_again_after_a_lost_connection_but_not_after_disconnect() {
    let mut h = connected();
    for users in [vec!["bob".to_owned()], vec!["bob".into(), "carol".into()]] {
        h.engine.subscribe_user_status(h.now, users);
        h.drain();
        let q = query(&mut h);
        h.server(ack(q.msg_id, 0, vec![]));
        h.take();
    }
    // A refused subscription is not remembered.
    h.engine.subscribe_user_status(h.now, vec!["dave".into()]);
    h.drain();
    let q = query(&mut h);
    h.server(ack(q.msg_id, 39001, vec![]));
    h.take();

    h.close(1006);
    h.advance_to(h.deadline);
    h.answer_probe_and_accept();
    let outs = h.take();
    assert_eq!(subscriptions(&outs), [vec!["bob", "carol"]]);
    // The engine's own request completes nothing, answered or not.
    let q = queries(&outs)
        .into_iter()
        .find(|q| q.topic == "subUserStatus")
        .unwrap();
    h.server(ack(q.msg_id, 39001, vec![]));
    assert!(!events(&h.take())
        .iter()
        .any(|e| matches!(e, Event::RequestCompleted { .. })));

    h.engine.disconnect(h.now);
    h.drain();
    h.take();
    assert!(h.connect(TOKEN));
    h.answer_probe_and_accept();
    assert!(subscriptions(&h.take()).is_empty());
}

#[test]
fn commands_fail_with_net_unavailable_when_not_connected() {
    let mut h = Harness::new(config());
    let id = h.engine.user_status(h.now);
    h.drain();
    assert_eq!(result_of(&mut h, id).unwrap_err().code, 30002);
    assert!(queries(&h.take()).is_empty());
}
