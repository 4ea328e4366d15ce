//! Discussions over the socket: create, invite, info, messages to members only, rename, invite
//! status, eviction and quitting, with the `RC:DizNtf` notifications the members receive.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{start, text, Client};
use im_wire::frame::Qos;
use im_wire::proto::{
    self, ChannelEvictionInput, ChannelInfoInput, ChannelInfoOutput, ChannelInvitationInput,
    CreateDiscussionInput, CreateDiscussionOutput, LeaveChannelInput, ModifyPermissionInput,
    RenameChannelInput,
};

async fn info(c: &mut Client, id: &str) -> (u16, Option<ChannelInfoOutput>) {
    let ack = c
        .query(
            "dizInf",
            id,
            proto::encode(&ChannelInfoInput { nothing: 1 }),
            Qos::AtLeastOnce,
        )
        .await;
    let out = (ack.status == 0).then(|| proto::decode(&ack.payload).unwrap());
    (ack.status, out)
}

#[tokio::test]
async fn members_create_invite_talk_rename_and_leave_a_discussion() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let mut bob = Client::connect(&server, "bob").await;
    let mut carol = Client::connect(&server, "carol").await;
    let mut mallory = Client::connect(&server, "mallory").await;

    let ack = alice
        .query(
            "crDiz",
            "alice",
            proto::encode(&CreateDiscussionInput {
                name: Some("trip".into()),
            }),
            Qos::AtLeastOnce,
        )
        .await;
    assert_eq!(ack.status, 0);
    let id = proto::decode::<CreateDiscussionOutput>(&ack.payload)
        .unwrap()
        .id;

    let invite = ChannelInvitationInput {
        users: vec!["bob".into(), "carol".into()],
    };
    let ack = mallory
        .query("invtDiz", &id, proto::encode(&invite), Qos::AtLeastOnce)
        .await;
    assert_eq!(ack.status, 21406, "NOT_IN_DISCUSSION");
    let ack = alice
        .query("invtDiz", &id, proto::encode(&invite), Qos::AtLeastOnce)
        .await;
    assert_eq!(ack.status, 0);

    let (status, got) = info(&mut bob, &id).await;
    assert_eq!(status, 0);
    let got = got.unwrap();
    assert_eq!(got.r#type, 2);
    assert_eq!(got.channel_id, id);
    assert_eq!(got.channel_name, "trip");
    assert_eq!(got.admin_user_id, "alice");
    assert_eq!(got.first_ten_user_ids, ["alice", "bob", "carol"]);
    assert_eq!(got.open_status, 0);
    assert_eq!(info(&mut mallory, &id).await.0, 21406);

    // Bob and Carol each got the invite notification, then the message.
    assert_eq!(
        mallory.publish("pdMsgP", &id, &text("hi")).await.status,
        21406
    );
    assert_eq!(alice.publish("pdMsgP", &id, &text("hi")).await.status, 0);
    for who in [&mut bob, &mut carol] {
        let got = who.sync().await;
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].classname, "RC:DizNtf");
        assert_eq!(got[0].r#type, 2);
        let ntf = String::from_utf8_lossy(&got[0].content).into_owned();
        assert!(ntf.contains("bob,carol"), "{ntf}");
        assert_eq!(got[1].classname, "RC:TxtMsg");
        assert_eq!(got[1].group_id.as_deref(), Some(id.as_str()));
        assert_eq!(got[1].r#type, 2);
    }
    assert!(mallory.sync().await.is_empty());

    let rename = RenameChannelInput {
        name: "holiday".into(),
    };
    let ack = bob
        .query("rename", &id, proto::encode(&rename), Qos::AtLeastOnce)
        .await;
    assert_eq!(ack.status, 0);
    let got = carol.sync().await;
    assert_eq!(got.len(), 1);
    assert!(String::from_utf8_lossy(&got[0].content)
        .into_owned()
        .contains("holiday"));
    assert_eq!(
        info(&mut carol, &id).await.1.unwrap().channel_name,
        "holiday"
    );

    // Closed: only the creator invites.
    let closed = ModifyPermissionInput { open_status: 1 };
    let ack = alice
        .query("pdOpen", &id, proto::encode(&closed), Qos::AtLeastOnce)
        .await;
    assert_eq!(ack.status, 0);
    assert_eq!(info(&mut bob, &id).await.1.unwrap().open_status, 1);
    let dave = ChannelInvitationInput {
        users: vec!["dave".into()],
    };
    let ack = bob
        .query("invtDiz", &id, proto::encode(&dave), Qos::AtLeastOnce)
        .await;
    assert_ne!(ack.status, 0);

    // Only the creator evicts.
    let evict_carol = ChannelEvictionInput {
        user: "carol".into(),
    };
    let ack = bob
        .query(
            "evctDiz",
            &id,
            proto::encode(&evict_carol),
            Qos::AtLeastOnce,
        )
        .await;
    assert_ne!(ack.status, 0);
    let ack = alice
        .query(
            "evctDiz",
            &id,
            proto::encode(&evict_carol),
            Qos::AtLeastOnce,
        )
        .await;
    assert_eq!(ack.status, 0);
    assert_eq!(info(&mut carol, &id).await.0, 21406);

    let ack = bob
        .query(
            "quitDiz",
            &id,
            proto::encode(&LeaveChannelInput { nothing: 1 }),
            Qos::AtLeastOnce,
        )
        .await;
    assert_eq!(ack.status, 0);
    assert_eq!(
        info(&mut alice, &id).await.1.unwrap().first_ten_user_ids,
        ["alice"]
    );
    assert_eq!(bob.publish("pdMsgP", &id, &text("bye")).await.status, 21406);
    server.stop().await;
}
