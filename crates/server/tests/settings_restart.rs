//! Settings are stored: after a restart from the same data directory a device loads the same
//! conversation flags, quiet hours, offline duration and version.

mod common;

use common::settings::blockee;
use common::{start, Client};
use im_wire::proto::{ConversationFlagInput, GetQNupTokenOutput, QuietHours};
use im_wire::topic;

#[tokio::test]
async fn every_setting_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let top = ConversationFlagInput {
        r#type: 3,
        target_id: "g1".into(),
        on: true,
    };
    alice.ask_self(topic::SET_TOP, &top).await;
    alice.ask_self(topic::SET_HIDDEN, &top).await;
    alice
        .ask_self(topic::BLOCK_PUSH_PRIVATE, &blockee("bob", None))
        .await;
    let hours = QuietHours {
        start_time: "08:15:00".into(),
        span_minutes: 90,
    };
    alice.ask_self(topic::SET_QUIET_HOURS, &hours).await;
    let days = GetQNupTokenOutput {
        deadline: 0,
        token: "5".into(),
    };
    alice.ask_self(topic::SET_OFFLINE_DURATION, &days).await;
    let before = alice.settings().await;
    assert_eq!(before.conversations.len(), 2);
    drop(alice);
    server.stop().await;

    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    assert_eq!(alice.settings().await, before);
    assert_eq!(
        alice
            .status_of(topic::PUSH_STATUS_PRIVATE, &blockee("bob", None))
            .await,
        0,
        "still DO_NOT_DISTURB"
    );
    server.stop().await;
}
