//! Private read receipts and read-status sync (api.md §4.7): `RC:ReadNtf` reaches the peer as
//! an `s_msg`; `RC:SRSMsg` reaches only the sender's other devices (as the sync copy), in a
//! private conversation too and even when the peer blacklisted the sender. Neither is stored.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{announces, start, text, Client};
use im_wire::proto::{self, DownStreamMessage, UpStreamMessage};
use im_wire::ServerFrame;

fn status(object_name: &str, json: &str, directed_to: &[&str]) -> UpStreamMessage {
    UpStreamMessage {
        session_id: 0,
        classname: object_name.into(),
        content: json.as_bytes().to_vec(),
        user_id: directed_to.iter().map(|u| (*u).to_owned()).collect(),
        config_flag: Some(0),
        ..UpStreamMessage::default()
    }
}

/// The objectNames of the `s_msg` pushes `c` gets before the message at `time` (its `s_ntf`
/// or its own `s_msg`).
async fn pushed_before(c: &mut Client, time: u64) -> Vec<String> {
    let mut names = Vec::new();
    loop {
        let f = c.recv().await.expect("still connected");
        let ServerFrame::Publish(p) = f else { continue };
        match p.topic.as_str() {
            _ if announces(&p, time) => return names,
            "s_msg" => {
                let m: DownStreamMessage = proto::decode(&p.payload).unwrap();
                names.push(m.classname);
            }
            _ => {}
        }
    }
}

#[tokio::test]
async fn read_receipts_reach_the_peer_and_read_status_only_the_senders_other_devices() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.devices_per_user = 2).await;
    let mut phone = Client::connect(&server, "alice").await;
    let mut laptop = Client::connect(&server, "alice").await;
    let mut bob = Client::connect_synced(&server, "bob").await;

    let read = status(
        "RC:ReadNtf",
        r#"{"lastMessageSendTime":1,"messageUId":"U","type":1}"#,
        &[],
    );
    assert_eq!(phone.publish("ppMsgP", "bob", &read).await.status, 0);
    let synced = status("RC:SRSMsg", r#"{"lastMessageSendTime":1}"#, &[]);
    assert_eq!(phone.publish("ppMsgP", "bob", &synced).await.status, 0);
    let in_group = status("RC:SRSMsg", r#"{"lastMessageSendTime":2}"#, &["alice"]);
    server
        .state()
        .store
        .call(|s| s.add_members("g1", &["alice".into(), "bob".into()]))
        .await
        .unwrap();
    assert_eq!(phone.publish("pgMsgP", "g1", &in_group).await.status, 0);
    let mark = phone.publish("ppMsgP", "bob", &text("after")).await;
    assert_eq!(
        pushed_before(&mut bob, mark.timestamp()).await,
        ["RC:ReadNtf"]
    );

    // The laptop gets a sync copy of each, in order, and the text's copy last.
    let mut copies = Vec::new();
    while copies.len() < 4 {
        let f = laptop.recv().await.expect("still connected");
        if let ServerFrame::Publish(p) = f {
            assert!(p.sync, "a sync copy (dup bit)");
            let up: UpStreamMessage = proto::decode(&p.payload).unwrap();
            copies.push((p.topic, up.classname));
        }
    }
    let names: Vec<&str> = copies.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(names, ["RC:ReadNtf", "RC:SRSMsg", "RC:SRSMsg", "RC:TxtMsg"]);
    assert_eq!(copies[2].0, "pgMsgP");

    // A peer's blacklist does not stop alice syncing her own read status.
    let blacklist = im_wire::proto::Add2BlackListInput {
        user_id: "alice".into(),
    };
    assert_eq!(
        bob.ask(im_wire::topic::ADD_BLACK, "alice", &blacklist)
            .await
            .status,
        0
    );
    assert_eq!(phone.publish("ppMsgP", "bob", &synced).await.status, 0);
    assert_eq!(phone.publish("ppMsgP", "bob", &read).await.status, 405);

    // Nothing of it was stored: bob pulls the one text.
    assert_eq!(bob.synced_object_names().await, ["RC:TxtMsg"]);
    server.stop().await;
}
