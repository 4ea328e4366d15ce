//! A user's settings reach their other device (docs/protocol-additions.md): each change sends
//! the other connections an `s_cmd` with `NotifyMsg{type: 3, time: version}`, never the one
//! that made it, and `xQrySettings` returns every setting in one reply.

mod common;

use common::settings::blockee;
use common::{start, Client};
use im_wire::proto::{ConversationFlagInput, ConversationSetting, QuietHours};
use im_wire::topic;

fn flag(conv_type: i32, target: &str, on: bool) -> ConversationFlagInput {
    ConversationFlagInput {
        r#type: conv_type,
        target_id: target.into(),
        on,
    }
}

#[tokio::test]
async fn a_change_on_one_device_is_announced_to_the_other_which_loads_it_in_one_query() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |c| c.devices_per_user = 2).await;
    let mut phone = Client::connect(&server, "alice").await;
    let mut laptop = Client::connect(&server, "alice").await;
    let empty = laptop.settings().await;
    assert!(empty.conversations.is_empty() && empty.quiet_hours.is_none());
    assert_eq!(empty.version, 0);

    phone.ask_self(topic::SET_TOP, &flag(1, "bob", true)).await;
    let v1 = laptop.wait_settings_notice().await;
    phone
        .ask_self(topic::SET_HIDDEN, &flag(3, "g1", true))
        .await;
    let v2 = laptop.wait_settings_notice().await;
    phone
        .ask_self(topic::BLOCK_PUSH_GROUP, &blockee("g1", None))
        .await;
    let v3 = laptop.wait_settings_notice().await;
    let hours = QuietHours {
        start_time: "22:00:00".into(),
        span_minutes: 600,
    };
    phone.ask_self(topic::SET_QUIET_HOURS, &hours).await;
    let v4 = laptop.wait_settings_notice().await;
    assert!(v1 < v2 && v2 < v3 && v3 < v4, "versions only grow");

    let all = laptop.settings().await;
    assert_eq!(all.version, v4);
    assert_eq!(all.quiet_hours, Some(hours));
    assert_eq!(
        all.conversations,
        [
            ConversationSetting {
                r#type: 1,
                target_id: "bob".into(),
                is_top: true,
                is_hidden: false,
                notification_status: 1,
            },
            ConversationSetting {
                r#type: 3,
                target_id: "g1".into(),
                is_top: false,
                is_hidden: true,
                notification_status: 0,
            },
        ]
    );

    // Setting what is already set changes nothing and announces nothing; the next real change
    // from the laptop reaches the phone, and the phone's first notice is that one: it was
    // never told of its own changes.
    phone.ask_self(topic::SET_TOP, &flag(1, "bob", true)).await;
    laptop
        .ask_self(topic::SET_TOP, &flag(1, "bob", false))
        .await;
    let v5 = phone.wait_settings_notice().await;
    assert!(v5 > v4);
    let all = phone.settings().await;
    assert_eq!(all.version, v5);
    assert!(!all.conversations.iter().any(|c| c.is_top));

    // Bad input gets the invalid-parameter status and announces nothing.
    let invalid = 33003;
    for bad in [flag(1, "", true), flag(4, "room", true), flag(0, "x", true)] {
        assert_eq!(laptop.status_of(topic::SET_TOP, &bad).await, invalid);
        assert_eq!(laptop.status_of(topic::SET_HIDDEN, &bad).await, invalid);
    }
    assert_eq!(phone.settings().await.version, v5);
    server.stop().await;
}
