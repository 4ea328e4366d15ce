//! Public services and customer service over real sockets with real SQLite
//! (protocol-additions.md §11, §12): the follow and account bounds, bad requests that change
//! nothing, and the customer-service signalling a customer's raw frames get.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{api, start, Client};
use im_server::RunningServer;
use im_wire::frame::Qos;
use im_wire::proto::{
    self, DownStreamMessage, MpFollowInput, PullMpOutput, SearchMpInput, UpStreamMessage,
};
use im_wire::ServerFrame;

const SECRET: &str = "test-app-secret-0123456789";

fn follow(id: &str) -> Vec<u8> {
    proto::encode(&MpFollowInput { id: id.into() })
}

fn cs(object_name: &str, content: &str) -> UpStreamMessage {
    UpStreamMessage {
        session_id: 0,
        classname: object_name.into(),
        content: content.as_bytes().to_vec(),
        ..UpStreamMessage::default()
    }
}

/// The next `s_msg` of `object_name` the client gets (stored messages come as `s_msg` too
/// once the connection has caught up), decoded.
async fn direct(c: &mut Client, object_name: &str) -> DownStreamMessage {
    let is_it = |f: &ServerFrame| match f {
        ServerFrame::Publish(p) if p.topic == "s_msg" => {
            proto::decode::<DownStreamMessage>(&p.payload).is_ok_and(|m| m.classname == object_name)
        }
        _ => false,
    };
    match c.recv_matching(is_it).await {
        ServerFrame::Publish(p) => proto::decode(&p.payload).unwrap(),
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn follows_and_accounts_are_bounded_and_bad_requests_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Five hundred follows in a row: past the default rate limit.
    let server = start(dir.path(), |c| {
        c.rate_per_sec = 100_000;
        c.rate_burst = 100_000;
    })
    .await;
    let mut u = Client::connect(&server, "reader").await;
    for i in 0..1000 {
        let form = format!("id=mp{i:04}&type=mp&name=Account+{i}");
        let (status, body) = api(server.addr, SECRET, "/publicservice/create.json", &form).await;
        assert_eq!((status, body["code"].as_i64()), (200, Some(200)), "{body}");
    }
    let (status, body) = api(
        server.addr,
        SECRET,
        "/publicservice/create.json",
        "id=one&type=mp&name=x",
    )
    .await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(1502)));

    for i in 0..500 {
        let ack = u
            .query(
                "mpFollow",
                "reader",
                follow(&format!("mp{i:04}")),
                Qos::AtMostOnce,
            )
            .await;
        assert_eq!(ack.status, 0);
    }
    // The 501st follow is refused; following one already followed still answers 0.
    let ack = u
        .query("mpFollow", "reader", follow("mp0500"), Qos::AtMostOnce)
        .await;
    assert_eq!(ack.status, 39001);
    let ack = u
        .query("mpFollow", "reader", follow("mp0000"), Qos::AtMostOnce)
        .await;
    assert_eq!(ack.status, 0);
    // Wrong kind, unknown id, malformed payload: 33003.
    for (topic, payload) in [
        ("mcFollow", follow("mp0001")),
        ("mpUnFollow", follow("nobody")),
        ("mpFollow", vec![0xff, 0x01]),
        (
            "schMp",
            proto::encode(&SearchMpInput {
                r#type: 64,
                id: "x".into(),
            }),
        ),
        (
            "schMp",
            proto::encode(&SearchMpInput {
                r#type: 3,
                id: String::new(),
            }),
        ),
    ] {
        let ack = u.query(topic, "reader", payload, Qos::AtMostOnce).await;
        assert_eq!(ack.status, 33003, "{topic}");
    }
    let ack = u
        .query(
            "pullMp",
            "reader",
            proto::encode(&proto::PullMpInput {
                time: 0,
                mpid: String::new(),
            }),
            Qos::AtMostOnce,
        )
        .await;
    assert_eq!(ack.status, 0);
    let list: PullMpOutput = proto::decode(&ack.payload).unwrap();
    assert_eq!(list.info.len(), 500);
    assert!(list
        .info
        .iter()
        .all(|i| i.r#type == "mp" && i.extra.as_deref().unwrap().contains(r#""follow":true"#)));
    server.stop().await;
}

/// A server with one customer service set up by `customerservice/set.json` with `form`.
async fn desk(form: &str) -> (tempfile::TempDir, RunningServer) {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let (status, _) = api(server.addr, SECRET, "/customerservice/set.json", form).await;
    assert_eq!(status, 200);
    (dir, server)
}

#[tokio::test]
async fn a_customer_gets_the_handshake_answer_and_wrong_sessions_are_refused() {
    let (_dir, server) = desk("customerServiceId=kf&mode=1&greeting=hi").await;
    let mut c = Client::connect(&server, "cust").await;
    // The first pull, as a client makes at connect: messages that are not stored (the service's
    // answers) come as `s_msg` only after it (before it, in its reply; see the test below).
    c.sync().await;
    let ack = c.publish("pcMsgP", "kf", &cs("RC:CsHs", "{}")).await;
    assert_eq!(ack.status, 0);
    let hs = direct(&mut c, "RC:CsHsR").await;
    assert_eq!(
        (hs.r#type, hs.from_user_id.as_str(), hs.classname.as_str()),
        (5, "kf", "RC:CsHsR")
    );
    let answer: serde_json::Value = serde_json::from_slice(&hs.content).unwrap();
    assert_eq!(answer["data"]["serviceType"], 1);
    assert_eq!(answer["data"]["pid"], "kf");
    let sid = answer["data"]["sid"].as_str().unwrap().to_owned();

    // A wrong or missing sid, or a signal that is not JSON: 33003, and the session stays.
    for (name, content) in [
        ("RC:CSCha", r#"{"sid":"nope"}"#.to_owned()),
        ("RC:CsSp", "{}".to_owned()),
        ("RC:CsEva", "not json".to_owned()),
    ] {
        let ack = c.publish("pcMsgP", "kf", &cs(name, &content)).await;
        assert_eq!(ack.status, 33003, "{name}");
    }
    // Robot only: no agent.
    let ack = c
        .publish(
            "pcMsgP",
            "kf",
            &cs("RC:CSCha", &format!(r#"{{"sid":"{sid}"}}"#)),
        )
        .await;
    assert_eq!(ack.status, 0);
    let changed = direct(&mut c, "RC:CsChaR").await;
    assert_eq!(changed.classname, "RC:CsChaR");
    assert!(String::from_utf8_lossy(&changed.content).contains(r#""code":1"#));
    let ack = c
        .publish(
            "pcMsgP",
            "kf",
            &cs("RC:CsSp", &format!(r#"{{"sid":"{sid}"}}"#)),
        )
        .await;
    assert_eq!(ack.status, 0);
    let ack = c
        .publish(
            "pcMsgP",
            "kf",
            &cs("RC:CsSp", &format!(r#"{{"sid":"{sid}"}}"#)),
        )
        .await;
    assert_eq!(ack.status, 33003);
    server.stop().await;
}

/// 2.5.3's `startCustomService` called from `connect`'s `onSuccess`: the handshake is sent
/// before the client's first `pullMsg`, and 2.5.3 drops every `s_msg` until a pull reply says
/// `finished`. The desk's answer, which is not stored, comes in that first reply instead, before
/// the robot's stored greeting (2.5.3 drops the greeting unless it knows the session).
#[tokio::test]
async fn a_handshake_sent_before_the_first_pull_is_answered_in_the_pull_reply_before_the_greeting()
{
    let (_dir, server) = desk("customerServiceId=kf&mode=3&greeting=hello&agentId=agent").await;
    let mut c = Client::connect(&server, "cust").await;
    // As 2.5.3 sends it: `HandShakeMessage` has the flag word 0 and encodes its fields
    // (`{}` without any), configFlag 0.
    let handshake = UpStreamMessage {
        session_id: 0,
        classname: "RC:CsHs".into(),
        content: br#"{"userInfo":{"name":"Martin"}}"#.to_vec(),
        config_flag: Some(0),
        ..UpStreamMessage::default()
    };
    let ack = c.publish("pcMsgP", "kf", &handshake).await;
    assert_eq!(ack.status, 0);
    // The first pull: its reply is finished and holds the answer, then the greeting.
    let (items, finished) = c.pull_once().await;
    assert!(finished);
    let got: Vec<(i32, &str, &str)> = items
        .iter()
        .map(|m| (m.r#type, m.from_user_id.as_str(), m.classname.as_str()))
        .collect();
    assert_eq!(got, [(5, "kf", "RC:CsHsR"), (5, "kf", "RC:TxtMsg")]);
    let answer: serde_json::Value = serde_json::from_slice(&items[0].content).unwrap();
    assert_eq!(answer["data"]["uid"], "cust");
    assert_eq!(answer["data"]["serviceType"], 3);
    assert!(items[0].data_time < items[1].data_time);
    // Nothing came as `s_msg` before the reply (the client would have dropped it).
    assert!(c.direct.is_empty());
    assert!(!c.pending_publish("s_msg"));

    // Caught up now: the answer to a switch comes at once, as `s_msg`.
    let sid = answer["data"]["sid"].as_str().unwrap();
    let switch = UpStreamMessage {
        content: format!(r#"{{"uid":"cust","sid":"{sid}","pid":"kf"}}"#).into_bytes(),
        classname: "RC:CSCha".into(),
        ..handshake
    };
    assert_eq!(c.publish("pcMsgP", "kf", &switch).await.status, 0);
    let changed = direct(&mut c, "RC:CsChaR").await;
    assert_eq!(changed.r#type, 5);
    server.stop().await;
}
