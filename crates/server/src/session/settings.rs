//! Settings topics of a connection, all with target = self: RongCloud's notification-status
//! topics (api.md §3.4), `pullUS` and `setOfflineMsgDur` (§3.3), and this project's `x…`
//! topics for pinned and hidden conversations, quiet hours and the whole set at once
//! (docs/protocol-additions.md). A change is announced to the user's other connections.

use im_wire::enums::ConversationType;
use im_wire::frame::Query;
use im_wire::proto::{
    self, BlockPushInput, ConversationFlagInput, ConversationSetting, PullUserSettingOutput,
    QuietHoursOutput, UserSettingItem, UserSettingsOutput,
};
use im_wire::topic::{self, QueryTopic};

use super::query::{invalid, request, valid_id, Reply};
use super::Session;
use crate::settings::{self as domain, SettingError};
use crate::store::settings::{ConversationFlag, FlagUpdate, QuietHours};

/// QUERYACK status of `qry?Push` for a conversation that notifies: ConversationNotificationStatus
/// NOTIFY, which 2.5.3 accepts as a success value (api.md §3.4). DO_NOT_DISTURB is status 0.
const NOTIFY: u16 = 1;
/// `UserSettingItem.key` of the offline message duration in `pullUS` (our choice; the value is
/// the number of days as text).
const OFFLINE_DURATION_KEY: &str = "offlineMsgDur";

/// The conversation a notification-status QUERY names: `BlockPushInput.type` when the client
/// sets it (our addition), else the topic's type: P = private, D = group as 2.5.3 uses it.
fn push_conversation(
    input: BlockPushInput,
    default: ConversationType,
) -> Result<(i32, String), u16> {
    let conv_type = input.r#type.unwrap_or(default.value());
    if !domain::settable_type(conv_type) {
        return Err(invalid());
    }
    Ok((conv_type, valid_id(input.blockee_id)?))
}

fn setting_failed(e: SettingError) -> u16 {
    match e {
        SettingError::Full => invalid(),
        SettingError::Store(e) => super::query::failed(e),
    }
}

fn quiet_hours_out(h: QuietHours) -> proto::QuietHours {
    proto::QuietHours {
        start_time: h.start,
        span_minutes: h.span_minutes,
    }
}

impl Session {
    /// `qryPPush` / `qryDPush`: the state travels as the QUERYACK status alone, 0
    /// DO_NOT_DISTURB or 1 NOTIFY.
    pub(super) async fn notification_status(&self, t: QueryTopic, q: &Query) -> Reply {
        let (query, default) = match t {
            QueryTopic::QryDPush => (topic::PUSH_STATUS_GROUP, ConversationType::Group),
            _ => (topic::PUSH_STATUS_PRIVATE, ConversationType::Private),
        };
        let (conv_type, target) = push_conversation(request(query, q)?, default)?;
        let settings = self
            .read_store(move |s, u| s.conversation_settings(u, conv_type, &target))
            .await?;
        if settings.muted {
            Ok(query.encode_reply(&()))
        } else {
            Err(NOTIFY)
        }
    }

    /// `blkPPush`, `blkDPush` (do not disturb), `unblkPPush`, `unblkDPush` (notify).
    pub(super) async fn set_notification_status(&self, t: QueryTopic, q: &Query) -> Reply {
        let (query, default, muted) = match t {
            QueryTopic::BlkPPush => (topic::BLOCK_PUSH_PRIVATE, ConversationType::Private, true),
            QueryTopic::BlkDPush => (topic::BLOCK_PUSH_GROUP, ConversationType::Group, true),
            QueryTopic::UnblkDPush => (topic::UNBLOCK_PUSH_GROUP, ConversationType::Group, false),
            _ => (
                topic::UNBLOCK_PUSH_PRIVATE,
                ConversationType::Private,
                false,
            ),
        };
        let conversation = push_conversation(request(query, q)?, default)?;
        self.change_flag(conversation, ConversationFlag::Muted, muted)
            .await?;
        Ok(query.encode_reply(&()))
    }

    /// `xSetTop`, `xSetHidden`.
    pub(super) async fn set_flag(
        &self,
        t: topic::Query<ConversationFlagInput, ()>,
        flag: ConversationFlag,
        q: &Query,
    ) -> Reply {
        let input = request(t, q)?;
        if !domain::settable_type(input.r#type) {
            return Err(invalid());
        }
        let conversation = (input.r#type, valid_id(input.target_id)?);
        self.change_flag(conversation, flag, input.on).await?;
        Ok(t.encode_reply(&()))
    }

    async fn change_flag(
        &self,
        conversation: (i32, String),
        flag: ConversationFlag,
        on: bool,
    ) -> Result<(), u16> {
        let (conv_type, target) = conversation;
        let update = FlagUpdate {
            conv_type,
            target,
            flag,
            on,
        };
        domain::set_flag(&self.state, &self.user, Some(self.conn_id), update)
            .await
            .map_err(setting_failed)
    }

    /// `xSetQuiet`: start "HH:MM:SS", 1–1439 minutes.
    pub(super) async fn set_quiet_hours(&self, q: &Query) -> Reply {
        let input = request(topic::SET_QUIET_HOURS, q)?;
        let hours =
            domain::quiet_hours(&input.start_time, input.span_minutes).ok_or_else(invalid)?;
        domain::set_quiet_hours(&self.state, &self.user, Some(self.conn_id), Some(hours))
            .await
            .map_err(super::query::failed)?;
        Ok(topic::SET_QUIET_HOURS.encode_reply(&()))
    }

    /// `xDelQuiet`.
    pub(super) async fn remove_quiet_hours(&self) -> Reply {
        domain::set_quiet_hours(&self.state, &self.user, Some(self.conn_id), None)
            .await
            .map_err(super::query::failed)?;
        Ok(topic::REMOVE_QUIET_HOURS.encode_reply(&()))
    }

    /// `xQryQuiet` → `QuietHoursOutput`.
    pub(super) async fn quiet_hours(&self) -> Reply {
        let all = self.read_store(|s, u| s.user_settings(u)).await?;
        let reply = QuietHoursOutput {
            quiet_hours: all.quiet_hours.map(quiet_hours_out),
        };
        Ok(topic::QUIET_HOURS.encode_reply(&reply))
    }

    /// `xQrySettings` → `UserSettingsOutput`: what a freshly connected device loads at once.
    pub(super) async fn all_settings(&self) -> Reply {
        let all = self.read_store(|s, u| s.user_settings(u)).await?;
        let reply = UserSettingsOutput {
            conversations: all
                .conversations
                .into_iter()
                .map(|c| ConversationSetting {
                    r#type: c.conv_type,
                    target_id: c.target,
                    is_top: c.top,
                    is_hidden: c.hidden,
                    notification_status: i32::from(!c.muted),
                })
                .collect(),
            quiet_hours: all.quiet_hours.map(quiet_hours_out),
            offline_msg_days: all.offline_days,
            version: all.version,
        };
        Ok(topic::SETTINGS.encode_reply(&reply))
    }

    /// `pullUS` → `PullUserSettingOutput`: the settings version, and the offline message
    /// duration as an item when it is newer than the version the client holds (2.5.3 always
    /// sends 2, so it always gets it).
    pub(super) async fn pull_user_settings(&self, q: &Query) -> Reply {
        let input = request(topic::PULL_USER_SETTINGS, q)?;
        let all = self.read_store(|s, u| s.user_settings(u)).await?;
        let items = all
            .offline_days
            .filter(|_| all.version > input.version)
            .map(|days| UserSettingItem {
                target_id: self.user.clone(),
                r#type: ConversationType::Private.value(),
                key: OFFLINE_DURATION_KEY.into(),
                value: days.to_string().into_bytes(),
                version: all.version,
                status: 1,
            })
            .into_iter()
            .collect();
        let reply = PullUserSettingOutput {
            items,
            version: all.version,
        };
        Ok(topic::PULL_USER_SETTINGS.encode_reply(&reply))
    }

    /// `setOfflineMsgDur`: `token` holds the days, 1–7; anything else is an invalid parameter.
    /// `deadline` (the `pullUS` version the client read) is not checked: the last write wins.
    pub(super) async fn set_offline_duration(&self, q: &Query) -> Reply {
        let input = request(topic::SET_OFFLINE_DURATION, q)?;
        let days = domain::offline_days(&input.token).ok_or_else(invalid)?;
        let now = crate::clock::wall_ms();
        let version = self
            .store(move |s, u| s.set_offline_days(u, days, now))
            .await?;
        domain::announce(&self.state, &self.user, Some(self.conn_id), version);
        Ok(topic::SET_OFFLINE_DURATION.encode_reply(&()))
    }
}
