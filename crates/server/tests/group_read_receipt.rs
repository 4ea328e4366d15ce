//! A group read-receipt round trip as 2.5.3 sends it (api.md §4.7, §5.5 step 7): the sender
//! asks with `RC:RRReqMsg`, a member answers with `RC:RRRspMsg` directed (`userId`) at the
//! requester, and the requester learns who read. Both are status messages (tag 0): online
//! members get them as `s_msg`, nothing is stored.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{announces, start, text, Client};
use im_wire::proto::{self, DownStreamMessage, UpStreamMessage};
use im_wire::ServerFrame;

fn status_message(object_name: &str, json: String, directed_to: &[&str]) -> UpStreamMessage {
    UpStreamMessage {
        session_id: 0,
        classname: object_name.into(),
        content: json.into_bytes(),
        user_id: directed_to.iter().map(|u| (*u).to_owned()).collect(),
        config_flag: Some(0),
        ..UpStreamMessage::default()
    }
}

/// The next `s_msg` of `c` with this objectName.
async fn pushed(c: &mut Client, object_name: &str) -> DownStreamMessage {
    let f = c
        .recv_matching(|f| {
            matches!(f, ServerFrame::Publish(p) if p.topic == "s_msg"
                && proto::decode::<DownStreamMessage>(&p.payload)
                    .is_ok_and(|m| m.classname == object_name))
        })
        .await;
    let ServerFrame::Publish(p) = f else {
        unreachable!()
    };
    proto::decode(&p.payload).unwrap()
}

#[tokio::test]
async fn the_requester_learns_which_members_read_and_only_the_requester_gets_the_answers() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let members = ["alice", "bob", "carol"].map(String::from);
    server
        .state()
        .store
        .call(move |s| s.add_members("g1", &members))
        .await
        .unwrap();
    let mut alice = Client::connect_synced(&server, "alice").await;
    let mut bob = Client::connect_synced(&server, "bob").await;
    let mut carol = Client::connect_synced(&server, "carol").await;

    let sent = alice.publish("pgMsgP", "g1", &text("read me")).await;
    assert_eq!(sent.status, 0);
    let uid = sent.message_uid;
    let request = status_message("RC:RRReqMsg", format!(r#"{{"messageUId":"{uid}"}}"#), &[]);
    assert_eq!(alice.publish("pgMsgP", "g1", &request).await.status, 0);
    for member in [&mut bob, &mut carol] {
        let req = pushed(member, "RC:RRReqMsg").await;
        assert_eq!(req.from_user_id, "alice");
        assert_eq!((req.r#type, req.group_id.as_deref()), (3, Some("g1")));
        let json: serde_json::Value = serde_json::from_slice(&req.content).unwrap();
        assert_eq!(json["messageUId"], uid.as_str());
    }

    // Bob read it: his answer names the requester and is directed at her alone.
    let answer = format!(r#"{{"receiptMessageDic":{{"alice":["{uid}"]}}}}"#);
    let response = status_message("RC:RRRspMsg", answer, &["alice"]);
    assert_eq!(bob.publish("pgMsgP", "g1", &response).await.status, 0);
    let got = pushed(&mut alice, "RC:RRRspMsg").await;
    assert_eq!(got.from_user_id, "bob");
    assert_eq!((got.r#type, got.group_id.as_deref()), (3, Some("g1")));
    let json: serde_json::Value = serde_json::from_slice(&got.content).unwrap();
    assert_eq!(json["receiptMessageDic"]["alice"][0], uid.as_str());

    // Carol never sees bob's answer: her frames up to the notice of a later message hold none.
    let later = alice.publish("pgMsgP", "g1", &text("later")).await;
    loop {
        let f = carol.recv().await.expect("carol stays connected");
        let ServerFrame::Publish(p) = f else { continue };
        if p.topic == "s_msg" {
            let m: DownStreamMessage = proto::decode(&p.payload).unwrap();
            assert_ne!(
                m.classname, "RC:RRRspMsg",
                "an answer meant for alice reached carol"
            );
        }
        if announces(&p, later.timestamp()) {
            break;
        }
    }

    // Status messages are not stored: the pulls hold the two texts only.
    assert_eq!(
        alice.synced_object_names().await,
        ["RC:TxtMsg", "RC:TxtMsg"]
    );
    assert_eq!(bob.synced_object_names().await, ["RC:TxtMsg", "RC:TxtMsg"]);
    server.stop().await;
}
