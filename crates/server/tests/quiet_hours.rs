//! Notification quiet hours (our `xSetQuiet`, `xQryQuiet`, `xDelQuiet`, as RongIMLib's
//! set/get/removeNotificationQuietHours): a start "HH:MM:SS" and 1–1439 minutes.

mod common;

use common::{start, Client};
use im_wire::proto::QuietHours;
use im_wire::topic;

fn hours(start: &str, span_minutes: i32) -> QuietHours {
    QuietHours {
        start_time: start.into(),
        span_minutes,
    }
}

#[tokio::test]
async fn quiet_hours_are_set_read_replaced_and_removed_and_bad_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), |_| {}).await;
    let mut alice = Client::connect(&server, "alice").await;
    let none = alice.ask_self(topic::QUIET_HOURS, &()).await;
    assert_eq!(none.quiet_hours, None);

    alice
        .ask_self(topic::SET_QUIET_HOURS, &hours("23:00:00", 420))
        .await;
    alice
        .ask_self(topic::SET_QUIET_HOURS, &hours("00:30:15", 1439))
        .await;
    let got = alice.ask_self(topic::QUIET_HOURS, &()).await;
    assert_eq!(got.quiet_hours, Some(hours("00:30:15", 1439)));

    let invalid = 33003;
    for bad in [
        hours("24:00:00", 60),
        hours("12:00", 60),
        hours("12:00:00", 0),
        hours("12:00:00", 1440),
        hours("12:00:00", -5),
        hours("", 60),
    ] {
        assert_eq!(
            alice.status_of(topic::SET_QUIET_HOURS, &bad).await,
            invalid,
            "{bad:?}"
        );
    }
    let kept = alice.ask_self(topic::QUIET_HOURS, &()).await;
    assert_eq!(kept.quiet_hours, Some(hours("00:30:15", 1439)));

    alice.ask_self(topic::REMOVE_QUIET_HOURS, &()).await;
    assert_eq!(
        alice.ask_self(topic::QUIET_HOURS, &()).await.quiet_hours,
        None
    );
    assert_eq!(alice.settings().await.quiet_hours, None);
    // Removing none is fine too.
    alice.ask_self(topic::REMOVE_QUIET_HOURS, &()).await;
    server.stop().await;
}
