//! Do not disturb per conversation over RongCloud's topics (api.md §3.4): `blk?Push` sets it,
//! `unblk?Push` clears it, `qry?Push` answers with the QUERYACK status alone (0 DO_NOT_DISTURB,
//! 1 NOTIFY); P = private, D = group as 2.5.3 sends them, and our `BlockPushInput.type` for the
//! other conversation types.

mod common;

use common::settings::blockee;
use common::{start, Client};
use im_wire::topic;

const DO_NOT_DISTURB: u16 = 0;
const NOTIFY: u16 = 1;

#[tokio::test]
async fn do_not_disturb_is_set_queried_and_cleared_per_conversation_and_type() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;

    let (bob, group) = (blockee("bob", None), blockee("g1", None));
    // With our type field a P topic names a group too, and the types 2.5.3 cannot reach.
    let group_by_type = blockee("g1", Some(3));
    let (discussion, system) = (blockee("d1", Some(2)), blockee("d1", Some(6)));
    let steps = [
        (topic::PUSH_STATUS_PRIVATE, &bob, NOTIFY, "the default"),
        (topic::BLOCK_PUSH_PRIVATE, &bob, 0, "set"),
        (
            topic::PUSH_STATUS_PRIVATE,
            &bob,
            DO_NOT_DISTURB,
            "read back",
        ),
        (
            topic::PUSH_STATUS_GROUP,
            &bob,
            NOTIFY,
            "the group of that id is another",
        ),
        (topic::BLOCK_PUSH_GROUP, &group, 0, "set a group"),
        (
            topic::PUSH_STATUS_GROUP,
            &group,
            DO_NOT_DISTURB,
            "read the group",
        ),
        (
            topic::PUSH_STATUS_PRIVATE,
            &group_by_type,
            DO_NOT_DISTURB,
            "P with type 3",
        ),
        (
            topic::BLOCK_PUSH_PRIVATE,
            &discussion,
            0,
            "set a discussion",
        ),
        (
            topic::PUSH_STATUS_GROUP,
            &discussion,
            DO_NOT_DISTURB,
            "D with type 2",
        ),
        (
            topic::PUSH_STATUS_PRIVATE,
            &system,
            NOTIFY,
            "the system one of that id",
        ),
        (topic::UNBLOCK_PUSH_PRIVATE, &bob, 0, "clear"),
        (topic::PUSH_STATUS_PRIVATE, &bob, NOTIFY, "cleared"),
        (topic::UNBLOCK_PUSH_GROUP, &group, 0, "clear the group"),
        (topic::PUSH_STATUS_GROUP, &group, NOTIFY, "group cleared"),
        (
            topic::UNBLOCK_PUSH_GROUP,
            &group,
            0,
            "clearing again is fine",
        ),
    ];
    for (t, input, expected, what) in steps {
        assert_eq!(
            alice.status_of(t, input).await,
            expected,
            "{}: {what}",
            t.name()
        );
    }

    // The setting is alice's own: bob's view of alice is untouched.
    let mut bob_client = Client::connect(&server, "bob").await;
    assert_eq!(
        bob_client
            .status_of(topic::PUSH_STATUS_PRIVATE, &blockee("alice", None))
            .await,
        NOTIFY
    );

    // Bad input: no conversation id, a chatroom, an unknown type, a malformed payload.
    let invalid = 33003;
    for bad in [
        blockee("", None),
        blockee("room", Some(4)),
        blockee("x", Some(99)),
    ] {
        assert_eq!(
            alice.status_of(topic::BLOCK_PUSH_PRIVATE, &bad).await,
            invalid
        );
        assert_eq!(
            alice.status_of(topic::PUSH_STATUS_PRIVATE, &bad).await,
            invalid
        );
    }
    let garbage = alice
        .query(
            "blkPPush",
            "alice",
            vec![0xff, 0xff],
            im_wire::frame::Qos::AtMostOnce,
        )
        .await;
    assert_eq!(garbage.status, invalid);
    server.stop().await;
}
