//! `pullUS` and `setOfflineMsgDur` as 2.5.3 sends them (api.md §3.3): `getPullSetting` asks
//! `pullUS` with `version = 2`; `setOfflineMessageDuration` asks `pullUS`, then sends the days
//! as text in `GetQNupTokenOutput.token` with the version as `deadline`. Days 1–7.

mod common;

use common::{content_of, start, text, Client};
use im_wire::proto::{GetQNupTokenOutput, PullUserSettingInput};
use im_wire::topic;

/// `PullUserSettingInput` as 2.5.3 fills it: the SDK's major version.
const SDK_VERSION: PullUserSettingInput = PullUserSettingInput {
    version: 2,
    reserve: None,
};

fn duration(deadline: i64, days: &str) -> GetQNupTokenOutput {
    GetQNupTokenOutput {
        deadline,
        token: days.into(),
    }
}

#[tokio::test]
async fn the_offline_duration_is_stored_per_user_and_reported_by_pull_us() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let fresh = alice
        .ask_self(topic::PULL_USER_SETTINGS, &SDK_VERSION)
        .await;
    assert!(fresh.items.is_empty());

    let set = duration(fresh.version, "3");
    alice.ask_self(topic::SET_OFFLINE_DURATION, &set).await;
    let after = alice
        .ask_self(topic::PULL_USER_SETTINGS, &SDK_VERSION)
        .await;
    assert!(after.version > fresh.version);
    assert_eq!(after.items.len(), 1);
    let item = &after.items[0];
    assert_eq!(item.key, "offlineMsgDur");
    assert_eq!(item.value, b"3");
    assert_eq!(item.target_id, "alice");
    assert_eq!(item.version, after.version);
    // A client that already holds this version gets no item again.
    let current = PullUserSettingInput {
        version: after.version,
        reserve: None,
    };
    let unchanged = alice.ask_self(topic::PULL_USER_SETTINGS, &current).await;
    assert!(unchanged.items.is_empty());
    assert_eq!(unchanged.version, after.version);

    let invalid = 33003;
    for bad in ["0", "8", "-1", "1.5", "", "a week"] {
        let status = alice
            .status_of(topic::SET_OFFLINE_DURATION, &duration(after.version, bad))
            .await;
        assert_eq!(status, invalid, "{bad:?}");
    }
    alice
        .ask_self(topic::SET_OFFLINE_DURATION, &duration(after.version, "7"))
        .await;
    let last = alice
        .ask_self(topic::PULL_USER_SETTINGS, &SDK_VERSION)
        .await;
    assert_eq!(last.items[0].value, b"7");
    assert_eq!(alice.settings().await.offline_msg_days, Some(7));

    // Another user's duration is their own.
    let mut bob = Client::connect(&server, "bob").await;
    assert!(bob
        .ask_self(topic::PULL_USER_SETTINGS, &SDK_VERSION)
        .await
        .items
        .is_empty());

    // Messages within the duration still arrive by sync.
    alice
        .ask_self(topic::SET_OFFLINE_DURATION, &duration(last.version, "1"))
        .await;
    assert_eq!(
        bob.publish("ppMsgP", "alice", &text("fresh")).await.status,
        0
    );
    alice.wait_notify().await;
    let got: Vec<String> = alice.sync().await.iter().map(content_of).collect();
    assert_eq!(got, ["fresh"]);
    server.stop().await;
}
