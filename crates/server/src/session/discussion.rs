//! Discussion QUERY topics (api.md §3.5) and the `RC:DizNtf` notifications (api.md §6.2) sent
//! to the members when members or the name change.
//!
//! Notification `type`: 1 invite, 2 quit, 3 rename, 4 kicked, 5 invite status changed;
//! `extension` holds the affected user ids (comma-separated), the new name or the new status.

use im_wire::content::{DiscussionNotificationMessage, MessageContent, UserInfo};
use im_wire::enums::ConversationType;
use im_wire::frame::Query;
use im_wire::proto::{ChannelInfoOutput, CreateDiscussionOutput};
use im_wire::topic::{self, QueryTopic};
use im_wire::{ErrorCode, MessageTag};

use super::query::{invalid, request, Reply};
use super::{code, Session};
use crate::messaging::{route, Outgoing};
use crate::store::Discussion;

/// Most members a discussion holds.
const MAX_MEMBERS: usize = 500;
/// Longest discussion name accepted.
const MAX_NAME: usize = 128;

fn not_member() -> u16 {
    code(ErrorCode::NOT_IN_DISCUSSION)
}

/// What changed, for the notification.
struct Change {
    kind: i64,
    extension: String,
    operation: &'static str,
}

impl Session {
    async fn load_discussion(&self, id: &str) -> Result<Discussion, u16> {
        let id = id.to_owned();
        self.state
            .store
            .read(move |s| s.discussion(&id))
            .await
            .map_err(|e| {
                tracing::error!("{e}");
                code(ErrorCode::BIZ_ERROR_DATABASE_ERROR)
            })?
            .ok_or_else(not_member)
    }

    async fn save(&self, d: Discussion) -> Result<(), u16> {
        self.state
            .store
            .call(move |s| s.save_discussion(&d))
            .await
            .map_err(|e| {
                tracing::error!("{e}");
                code(ErrorCode::BIZ_ERROR_DATABASE_ERROR)
            })
    }

    /// `crDiz` → `CreateDiscussionOutput{id}`; the creator is the first member and the admin.
    pub(super) async fn create_discussion(&self, q: &Query) -> Reply {
        let input = request(topic::CREATE_DISCUSSION, q)?;
        let name = input.name.unwrap_or_default();
        if name.len() > MAX_NAME {
            return Err(invalid());
        }
        // A time of its own: ids made in the same millisecond differ.
        let id = self.state.clock.uid(self.state.clock.next());
        self.save(Discussion {
            id: id.clone(),
            name,
            admin: self.user.clone(),
            open_status: 0,
            members: vec![self.user.clone()],
        })
        .await?;
        Ok(topic::CREATE_DISCUSSION.encode_reply(&CreateDiscussionOutput { id }))
    }

    /// `dizInf` → `ChannelInfoOutput` (members only).
    pub(super) async fn discussion_info(&self, q: &Query) -> Reply {
        let d = self.load_discussion(&q.target_id).await?;
        if !d.members.contains(&self.user) {
            return Err(not_member());
        }
        Ok(topic::DISCUSSION_INFO.encode_reply(&ChannelInfoOutput {
            r#type: ConversationType::Discussion.value(),
            channel_id: d.id,
            channel_name: d.name,
            admin_user_id: d.admin,
            first_ten_user_ids: d.members.into_iter().take(10).collect(),
            open_status: d.open_status,
        }))
    }

    /// `invtDiz`, `quitDiz`, `evctDiz`, `rename`, `pdOpen`: change, save, then notify.
    pub(super) async fn change_discussion(&self, t: QueryTopic, q: &Query) -> Reply {
        let mut d = self.load_discussion(&q.target_id).await?;
        if !d.members.contains(&self.user) {
            return Err(not_member());
        }
        let is_admin = d.admin == self.user;
        // Members before the change also hear about it (a quitter or evictee learns it too).
        let mut audience = d.members.clone();
        let change = match t {
            QueryTopic::InvtDiz => {
                let input = request(topic::INVITE_DISCUSSION, q)?;
                if d.open_status == 1 && !is_admin {
                    return Err(code(ErrorCode::INVITE_DICUSSION));
                }
                // Bounded before the de-duplication below, which is quadratic.
                if input.users.len() > MAX_MEMBERS {
                    return Err(invalid());
                }
                let mut added = Vec::new();
                for u in input.users {
                    if u.is_empty() || u.len() > crate::token::MAX_USER_ID_LEN {
                        return Err(invalid());
                    }
                    if !d.members.contains(&u) && !added.contains(&u) {
                        added.push(u);
                    }
                }
                if d.members.len() + added.len() > MAX_MEMBERS {
                    return Err(invalid());
                }
                d.members.extend(added.iter().cloned());
                audience.extend(added.iter().cloned());
                Change {
                    kind: 1,
                    extension: added.join(","),
                    operation: "Add",
                }
            }
            QueryTopic::QuitDiz => {
                d.members.retain(|m| *m != self.user);
                Change {
                    kind: 2,
                    extension: self.user.clone(),
                    operation: "Quit",
                }
            }
            QueryTopic::EvctDiz => {
                let input = request(topic::EVICT_DISCUSSION, q)?;
                // Only the creator evicts; others get the invalid-parameter status.
                if !is_admin {
                    return Err(invalid());
                }
                if !d.members.contains(&input.user) {
                    return Err(invalid());
                }
                d.members.retain(|m| *m != input.user);
                Change {
                    kind: 4,
                    extension: input.user,
                    operation: "Kicked",
                }
            }
            QueryTopic::Rename => {
                let input = request(topic::RENAME_DISCUSSION, q)?;
                if input.name.len() > MAX_NAME {
                    return Err(invalid());
                }
                d.name = input.name.clone();
                Change {
                    kind: 3,
                    extension: input.name,
                    operation: "Rename",
                }
            }
            _ => {
                let input = request(topic::DISCUSSION_INVITE_STATUS, q)?;
                if !matches!(input.open_status, 0 | 1) {
                    return Err(invalid());
                }
                d.open_status = input.open_status;
                Change {
                    kind: 5,
                    extension: input.open_status.to_string(),
                    operation: "OpenStatus",
                }
            }
        };
        let id = d.id.clone();
        self.save(d).await?;
        self.notify_discussion(&id, audience, change).await;
        // The reply type of every change topic is `()`: the status alone.
        Ok(Vec::new())
    }

    /// Sends `RC:DizNtf` from the operator to every member: persisted, not counted.
    async fn notify_discussion(&self, id: &str, audience: Vec<String>, change: Change) {
        let content = MessageContent::DiscussionNotification(DiscussionNotificationMessage {
            extension: Some(change.extension),
            r#type: Some(change.kind),
            operation: Some(change.operation.to_owned()),
            user: Some(UserInfo {
                id: Some(self.user.clone()),
                ..UserInfo::default()
            }),
            ..DiscussionNotificationMessage::default()
        });
        let Ok(bytes) = content.encode() else {
            return;
        };
        let out = Outgoing {
            conv_type: ConversationType::Discussion.value(),
            from: self.user.clone(),
            target: id.to_owned(),
            object_name: content.object_name().to_owned(),
            content: bytes,
            tag: MessageTag::IS_PERSISTED,
            recipients: audience
                .into_iter()
                .filter(|m| *m != self.user)
                .map(|m| (m, false))
                .collect(),
            include_sender: true,
            ..Outgoing::default()
        };
        if let Err(e) = route(&self.state, out).await {
            tracing::warn!("discussion notification: {e:?}");
        }
    }

    /// `pdMsgP`: members only; the other members receive it like a group message, or only
    /// those in a non-empty `userId` list (directional, e.g. a read-receipt answer to its
    /// requester; api.md §4.2).
    pub(super) async fn discussion_message(
        &self,
        out: &mut Outgoing,
        directed_to: &[String],
    ) -> Result<(), u16> {
        out.conv_type = ConversationType::Discussion.value();
        let d = self.load_discussion(&out.target).await?;
        if !d.members.contains(&self.user) {
            return Err(not_member());
        }
        out.recipients = d
            .members
            .into_iter()
            .filter(|m| *m != self.user && (directed_to.is_empty() || directed_to.contains(m)))
            .map(|m| (m, false))
            .collect();
        Ok(())
    }
}
