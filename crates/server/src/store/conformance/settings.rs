//! Per-user settings: conversation flags, quiet hours, the offline message duration and the
//! settings version.

use crate::store::settings::{
    ConversationFlag, FlagChange, FlagUpdate, QuietHours, MAX_CONVERSATION_SETTINGS,
};
use crate::store::{Batch, SettingsStore, Store};

pub(super) fn all<S: Store>(fresh: &mut impl FnMut() -> S) {
    flags_change_the_version_only_when_they_change_and_clear_rows_when_all_are_off(&mut fresh());
    quiet_hours_and_the_offline_duration_are_kept_with_the_version(&mut fresh());
    a_user_has_a_bounded_number_of_conversations_with_settings(&mut fresh());
}

fn update(target: &str, flag: ConversationFlag, on: bool) -> FlagUpdate {
    FlagUpdate {
        conv_type: 1,
        target: target.into(),
        flag,
        on,
    }
}

fn flags_change_the_version_only_when_they_change_and_clear_rows_when_all_are_off(
    s: &mut impl SettingsStore,
) {
    let (top, muted) = (ConversationFlag::Top, ConversationFlag::Muted);
    let set = |s: &mut dyn SettingsStore, flag, on, now| {
        s.set_conversation_flag("u", &update("p", flag, on), now)
            .unwrap()
    };
    assert_eq!(set(s, top, true, 100), FlagChange::Changed(100));
    assert_eq!(set(s, top, true, 200), FlagChange::Unchanged);
    // A clock that went back still moves the version forward.
    assert_eq!(set(s, muted, true, 50), FlagChange::Changed(101));
    let got = s.conversation_settings("u", 1, "p").unwrap();
    assert!(got.top && got.muted && !got.hidden);
    assert_eq!((got.conv_type, &*got.target), (1, "p"));
    let all = s.user_settings("u").unwrap();
    assert_eq!(all.conversations, [got]);
    set(s, top, false, 300);
    set(s, muted, false, 301);
    let all = s.user_settings("u").unwrap();
    assert!(all.conversations.is_empty());
    assert_eq!(all.version, 301);
    let none = s.conversation_settings("u", 1, "p").unwrap();
    assert!(!none.top && !none.muted && !none.hidden);
    assert_eq!(s.user_settings("nobody").unwrap().version, 0);
}

fn quiet_hours_and_the_offline_duration_are_kept_with_the_version(s: &mut impl SettingsStore) {
    let hours = QuietHours {
        start: "22:30:00".into(),
        span_minutes: 480,
    };
    assert_eq!(s.set_quiet_hours("u", Some(&hours), 1_000).unwrap(), 1_000);
    assert_eq!(s.offline_days("u").unwrap(), None);
    assert_eq!(s.set_offline_days("u", 3, 1_000).unwrap(), 1_001);
    let all = s.user_settings("u").unwrap();
    assert_eq!(
        (all.quiet_hours, all.offline_days, all.version),
        (Some(hours), Some(3), 1_001)
    );
    assert_eq!(s.offline_days("u").unwrap(), Some(3));
    assert_eq!(s.offline_days("nobody").unwrap(), None);
    assert_eq!(s.set_quiet_hours("u", None, 5_000).unwrap(), 5_000);
    let all = s.user_settings("u").unwrap();
    assert_eq!((all.quiet_hours, all.offline_days), (None, Some(3)));
}

fn a_user_has_a_bounded_number_of_conversations_with_settings(
    s: &mut (impl Batch + SettingsStore),
) {
    let hidden = ConversationFlag::Hidden;
    s.begin_batch().unwrap();
    for i in 0..MAX_CONVERSATION_SETTINGS {
        let change = s
            .set_conversation_flag("u", &update(&format!("t{i}"), hidden, true), 1)
            .unwrap();
        assert!(matches!(change, FlagChange::Changed(_)));
    }
    s.commit_batch().unwrap();
    let full = s.set_conversation_flag("u", &update("one more", hidden, true), 1);
    assert_eq!(full.unwrap(), FlagChange::Full);
    // A conversation that has settings may still change them; another user is not bounded.
    let pinned = s.set_conversation_flag("u", &update("t0", ConversationFlag::Top, true), 1);
    assert!(matches!(pinned.unwrap(), FlagChange::Changed(_)));
    let other = s.set_conversation_flag("v", &update("one more", hidden, true), 1);
    assert!(matches!(other.unwrap(), FlagChange::Changed(_)));
}
