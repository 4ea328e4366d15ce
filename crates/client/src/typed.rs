//! Typed commands over QUERY (api.md §3.3, §3.5–§3.7): history, blacklist, discussions and
//! chatrooms. Each sends one request and completes with a typed [`Reply`]; the engine keeps the
//! cursors the 2.x API remembers between calls.

use im_wire::enums::ConversationType;
use im_wire::frame::Qos;
use im_wire::proto::{self, DownStreamMessage};
use im_wire::text;
use im_wire::text::Piece;
use im_wire::topic::{self, Query};
use im_wire::ErrorCode;
use serde::Serialize;

use crate::keyed::Keyed;
use crate::message::{self, Message};
use crate::output::{Reply, RequestError, RequestId};
use crate::requests::Pending;
use crate::Engine;

/// What a typed request completes with once its QUERYACK arrives.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kind {
    /// Status only: `onSuccess()`.
    Done,
    /// `qry?Msg` / `qryCHMsg`: the list and `hasMsg`; the cursor is stored under `cursor`.
    History { target_id: String, cursor: String },
    /// `getBlack`: `QueryBlackListOutput`.
    UserIds,
    /// `blackStat`: status 0 = in the blacklist, non-zero = not (a success value here).
    BlacklistStatus,
    /// `crDiz`: the new id, then `invtDiz` for `users` when there are any.
    DiscussionCreated { users: Vec<String> },
    /// `invtDiz` that follows `crDiz`: completes with the discussion id.
    DiscussionInvited { discussion_id: String },
    /// `dizInf`: `ChannelInfoOutput`.
    Discussion,
    /// `joinChrm`: success, then the join-time `chrmPull` of `count` messages.
    ChatRoomJoined { room: String, count: i32 },
    /// `joinChrm` again after a reconnect: the room keeps its cursor; refused = forgotten.
    ChatRoomRejoined { room: String },
    /// `exitChrm`: the room is forgotten.
    ChatRoomQuit { room: String },
    /// `queryChrmI`: `QueryChatroomInfoOutput`.
    ChatRoomInfo,
    /// `setKV`/`delKV`: the cache takes the write once the server agreed.
    EntrySet(Box<crate::entries::Write>),
    /// `pullKV`: `join` when the app's `joinChatRoom` completes with it.
    EntriesPulled { room: String, join: bool },
    /// A remote history clear: the stored copies up to the time go too once the server agreed.
    HistoryCleared(i32, String, i64),
    /// A settings change, applied once the server agreed.
    Setting(crate::settings::Change),
    /// `qryPPush` with a type: the status (0 or 1) is the answer.
    NotificationStatus(i32, String),
    /// `xQryQuiet`: `QuietHoursOutput`.
    QuietHours,
    /// `xQrySettings`, issued by the engine: no completion event.
    Settings,
    /// Files and user status (`crate::presence`).
    Presence(crate::presence::Expect),
    /// Public services (`crate::services`).
    Services(crate::services::Expect),
}

/// `getDiscussion`'s result. `isOpen` is a real boolean (2.x passed the raw `openStatus`, where
/// 0 meant open); the raw value is kept as `openStatus`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Discussion {
    /// `channelId`.
    pub id: String,
    /// `channelName`.
    pub name: String,
    /// `adminUserId`.
    pub creator_id: String,
    /// `firstTenUserIds`.
    pub member_id_list: Vec<String>,
    /// Whether members may invite others.
    pub is_open: bool,
    /// `DiscussionInviteStatus`: 0 OPENED, 1 CLOSED.
    pub open_status: i32,
}

/// A chatroom member of `getChatRoomInfo`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChatRoomMember {
    /// Join time (ms).
    pub time: i64,
    /// User id.
    pub id: String,
}

/// Per-room state of a joined chatroom (api.md §5.3).
#[derive(Clone, Debug, Default)]
pub(crate) struct Room {
    /// `{chatroomId}{self}CST`: newest message time pulled.
    pub(crate) cursor: i64,
    /// A live pull is in flight.
    pub(crate) pulling: bool,
    /// The room's chatroom entries.
    pub(crate) entries: crate::entries::Entries,
}

/// Cursors kept between calls, in memory like 2.x (api.md §9).
#[derive(Clone, Debug, Default)]
pub(crate) struct Cursors {
    /// History: key → (next `time`, whether the server said there is more).
    pub(crate) history: Keyed<(i64, bool)>,
    /// `setChatroomHisMessageTimestamp`.
    pub(crate) chatroom_history: Keyed<i64>,
    /// Joined chatrooms.
    pub(crate) rooms: Keyed<Room>,
}

fn bad_argument(reason: &str) -> RequestError {
    RequestError::with_reason(ErrorCode::PARAMETER_ERROR.value(), reason)
}

impl Engine {
    /// Sends `input` on `topic` (the table entry names its request type) as a fresh request.
    pub(crate) fn typed_query<Req, Rep>(
        &mut self,
        now_ms: u64,
        topic: Query<Req, Rep>,
        target: &str,
        input: &Req,
        kind: Kind,
    ) -> RequestId
    where
        Req: prost::Message + Default,
        Rep: prost::Message + Default,
    {
        let id = self.out.request_id();
        self.send_typed(now_ms, id, topic, target, input, kind);
        id
    }

    pub(crate) fn send_typed<Req, Rep>(
        &mut self,
        now_ms: u64,
        id: RequestId,
        topic: Query<Req, Rep>,
        target: &str,
        input: &Req,
        kind: Kind,
    ) where
        Req: prost::Message + Default,
        Rep: prost::Message + Default,
    {
        if !self.is_connected() {
            let err =
                RequestError::with_reason(ErrorCode::RC_NET_UNAVAILABLE.value(), "not connected");
            self.complete(id, Err(err));
            return;
        }
        let pending = Pending::Typed { id, kind };
        if let Err(e) = self.send_query(
            now_ms,
            topic.name(),
            target,
            topic.encode_request(input),
            Qos::AtMostOnce,
            pending,
        ) {
            self.complete(id, Err(e));
        }
    }

    /// A request that fails at once with `err` (an argument the engine refuses): its id, whose
    /// `RequestCompleted` event carries the error.
    pub fn reject(&mut self, err: RequestError) -> RequestId {
        self.fail_now(err)
    }

    fn fail_now(&mut self, err: RequestError) -> RequestId {
        let id = self.out.request_id();
        self.complete(id, Err(err));
        id
    }

    /// `getHistoryMessages(type, targetId, timestamp, count)`: `timestamp` `None` continues from
    /// the previous call, 0 starts from the newest; `count` 1–20 (2.x wrongly refused 1).
    pub fn history(
        &mut self,
        now_ms: u64,
        t: ConversationType,
        target_id: &str,
        timestamp: Option<i64>,
        count: i32,
        order: i32,
    ) -> RequestId {
        if !(1..=20).contains(&count) {
            return self.fail_now(bad_argument("count must be an integer from 1 to 20"));
        }
        if !(0..=1).contains(&order) {
            return self.fail_now(bad_argument("order must be 0 or 1"));
        }
        if target_id.is_empty() {
            return self.fail_now(bad_argument("targetId must be a non-empty string"));
        }
        let conversation_type = t.value();
        let cursor = text!(conversation_type, target_id, "_", order);
        let (stored, more) = self
            .cursors
            .history
            .get(&cursor)
            .copied()
            .unwrap_or((0, true));
        let time = timestamp.unwrap_or(stored);
        if timestamp.is_none() && !more && order == 0 {
            // The previous page was the last one (api.md §3.3).
            let id = self.out.request_id();
            self.complete(
                id,
                Ok(Reply::History {
                    list: Vec::new(),
                    has_more: false,
                }),
            );
            return id;
        }
        let input = proto::HistoryMsgInput {
            target_id: Some(target_id.to_owned()),
            time: Some(time),
            count: Some(count),
            order: Some(order),
        };
        let kind = Kind::History {
            target_id: target_id.to_owned(),
            cursor,
        };
        self.typed_query(now_ms, topic::history_query(t), target_id, &input, kind)
    }

    /// `clearRemoteHistoryMessages({conversationType, targetId, timestamp})`.
    pub fn clear_remote_history(
        &mut self,
        now_ms: u64,
        t: ConversationType,
        target_id: &str,
        timestamp: i64,
    ) -> RequestId {
        let Some(topic) = topic::clean_history_query(t) else {
            return self.fail_now(RequestError::code(ErrorCode::CLEAR_HIS_TYPE_ERROR.value()));
        };
        if target_id.is_empty() {
            return self.fail_now(bad_argument("targetId is empty"));
        }
        if timestamp < 0 {
            return self.fail_now(RequestError::code(ErrorCode::CLEAR_HIS_TIME_ERROR.value()));
        }
        let input = proto::CleanHisMsgInput {
            target_id: target_id.to_owned(),
            data_time: timestamp,
            conversation_type: None,
        };
        let kind = Kind::HistoryCleared(t.value(), target_id.to_owned(), timestamp);
        self.typed_query(now_ms, topic, target_id, &input, kind)
    }

    /// `addToBlacklist(userId)`.
    pub fn add_to_blacklist(&mut self, now_ms: u64, user_id: &str) -> RequestId {
        let input = proto::Add2BlackListInput {
            user_id: user_id.to_owned(),
        };
        self.typed_query(now_ms, topic::ADD_BLACK, user_id, &input, Kind::Done)
    }

    /// `removeFromBlacklist(userId)`.
    pub fn remove_from_blacklist(&mut self, now_ms: u64, user_id: &str) -> RequestId {
        let input = proto::RemoveFromBlackListInput {
            user_id: user_id.to_owned(),
        };
        self.typed_query(now_ms, topic::REMOVE_BLACK, user_id, &input, Kind::Done)
    }

    /// `getBlacklist()`.
    pub fn blacklist(&mut self, now_ms: u64) -> RequestId {
        let target = self.user_id.clone();
        let input = proto::QueryBlackListInput { nothing: 1 };
        self.typed_query(now_ms, topic::BLACKLIST, &target, &input, Kind::UserIds)
    }

    /// `getBlacklistStatus(userId)`: completes with whether `user_id` is blacklisted.
    pub fn blacklist_status(&mut self, now_ms: u64, user_id: &str) -> RequestId {
        let input = proto::BlackListStatusInput {
            user_id: user_id.to_owned(),
        };
        self.typed_query(
            now_ms,
            topic::BLACKLIST_STATUS,
            user_id,
            &input,
            Kind::BlacklistStatus,
        )
    }

    /// `createDiscussion(name, userIds)`: one outcome, the new id once the members are invited.
    pub fn create_discussion(
        &mut self,
        now_ms: u64,
        name: &str,
        user_ids: Vec<String>,
    ) -> RequestId {
        let target = self.user_id.clone();
        let input = proto::CreateDiscussionInput {
            name: Some(name.to_owned()),
        };
        self.typed_query(
            now_ms,
            topic::CREATE_DISCUSSION,
            &target,
            &input,
            Kind::DiscussionCreated { users: user_ids },
        )
    }

    /// `addMemberToDiscussion(discussionId, userIds)`.
    pub fn add_discussion_members(
        &mut self,
        now_ms: u64,
        discussion_id: &str,
        user_ids: Vec<String>,
    ) -> RequestId {
        let input = proto::ChannelInvitationInput { users: user_ids };
        self.typed_query(
            now_ms,
            topic::INVITE_DISCUSSION,
            discussion_id,
            &input,
            Kind::Done,
        )
    }

    /// `getDiscussion(discussionId)`.
    pub fn discussion(&mut self, now_ms: u64, discussion_id: &str) -> RequestId {
        let input = proto::ChannelInfoInput { nothing: 1 };
        self.typed_query(
            now_ms,
            topic::DISCUSSION_INFO,
            discussion_id,
            &input,
            Kind::Discussion,
        )
    }

    /// `quitDiscussion(discussionId)`.
    pub fn quit_discussion(&mut self, now_ms: u64, discussion_id: &str) -> RequestId {
        let input = proto::LeaveChannelInput { nothing: 1 };
        self.typed_query(
            now_ms,
            topic::QUIT_DISCUSSION,
            discussion_id,
            &input,
            Kind::Done,
        )
    }

    /// `removeMemberFromDiscussion(discussionId, userId)`.
    pub fn remove_discussion_member(
        &mut self,
        now_ms: u64,
        discussion_id: &str,
        user_id: &str,
    ) -> RequestId {
        let input = proto::ChannelEvictionInput {
            user: user_id.to_owned(),
        };
        self.typed_query(
            now_ms,
            topic::EVICT_DISCUSSION,
            discussion_id,
            &input,
            Kind::Done,
        )
    }

    /// `setDiscussionInviteStatus(discussionId, status)`: 0 OPENED, 1 CLOSED.
    pub fn set_discussion_invite_status(
        &mut self,
        now_ms: u64,
        discussion_id: &str,
        status: i32,
    ) -> RequestId {
        if !(0..=1).contains(&status) {
            return self.fail_now(bad_argument("status must be 0 (OPENED) or 1 (CLOSED)"));
        }
        let input = proto::ModifyPermissionInput {
            open_status: status,
        };
        self.typed_query(
            now_ms,
            topic::DISCUSSION_INVITE_STATUS,
            discussion_id,
            &input,
            Kind::Done,
        )
    }

    /// `setDiscussionName(discussionId, name)`.
    pub fn set_discussion_name(
        &mut self,
        now_ms: u64,
        discussion_id: &str,
        name: &str,
    ) -> RequestId {
        let input = proto::RenameChannelInput {
            name: name.to_owned(),
        };
        self.typed_query(
            now_ms,
            topic::RENAME_DISCUSSION,
            discussion_id,
            &input,
            Kind::Done,
        )
    }

    /// Completes a typed request from its QUERYACK.
    pub(crate) fn finish_typed(
        &mut self,
        now_ms: u64,
        id: RequestId,
        kind: Kind,
        status: u16,
        payload: &[u8],
    ) {
        if let Kind::ChatRoomRejoined { room } = &kind {
            // An engine-issued rejoin: no completion event. Refused (the room is gone, full or
            // closed to this user now): stop pulling it.
            if status == 0 {
                self.chatroom_rejoined(now_ms, room);
            } else {
                self.cursors.rooms.remove(room);
            }
            return;
        }
        if let Kind::EntriesPulled { room, join } = &kind {
            self.entries_pulled(now_ms, id, room, *join, status, payload);
            return;
        }
        if matches!(kind, Kind::Settings) {
            self.settings_loaded(status, payload);
            return;
        }
        if let Kind::NotificationStatus(t, target) = &kind {
            let result = self.notification_status_reply(*t, target, status);
            self.complete(id, result);
            return;
        }
        if let Kind::Presence(expect) = kind {
            if let Some(result) = self.presence_reply(expect, status, payload) {
                self.complete(id, result);
            }
            return;
        }
        if let Kind::Services(expect) = kind {
            if let Some(result) = self.services_reply(now_ms, expect, status, payload) {
                self.complete(id, result);
            }
            return;
        }
        if status != 0 && !matches!(kind, Kind::BlacklistStatus) {
            self.complete(id, Err(RequestError::code(i32::from(status))));
            return;
        }
        let result = match kind {
            Kind::Done => Ok(Reply::Done),
            Kind::BlacklistStatus => Ok(Reply::InBlacklist {
                in_blacklist: status == 0,
            }),
            Kind::UserIds => {
                decode::<proto::QueryBlackListOutput>(payload).map(|o| Reply::UserIds {
                    user_ids: o.user_ids,
                })
            }
            Kind::History { target_id, cursor } => {
                self.history_reply(now_ms, &target_id, &cursor, payload)
            }
            Kind::DiscussionCreated { users } => {
                match decode::<proto::CreateDiscussionOutput>(payload) {
                    Ok(out) if users.is_empty() => Ok(Reply::Id { id: out.id }),
                    Ok(out) => {
                        let input = proto::ChannelInvitationInput { users };
                        let kind = Kind::DiscussionInvited {
                            discussion_id: out.id.clone(),
                        };
                        self.send_typed(
                            now_ms,
                            id,
                            topic::INVITE_DISCUSSION,
                            &out.id,
                            &input,
                            kind,
                        );
                        return;
                    }
                    Err(e) => Err(e),
                }
            }
            Kind::DiscussionInvited { discussion_id } => Ok(Reply::Id { id: discussion_id }),
            Kind::Discussion => {
                decode::<proto::ChannelInfoOutput>(payload).map(|o| Reply::Discussion {
                    discussion: Discussion {
                        id: o.channel_id,
                        name: o.channel_name,
                        creator_id: o.admin_user_id,
                        member_id_list: o.first_ten_user_ids,
                        is_open: o.open_status == 0,
                        open_status: o.open_status,
                    },
                })
            }
            Kind::ChatRoomJoined { room, count } => {
                if self.chatroom_joined(now_ms, id, &room, count) {
                    // Completes with the room's entries (`crate::entries`).
                    return;
                }
                Ok(Reply::Done)
            }
            Kind::EntrySet(write) => {
                self.entry_written(*write);
                Ok(Reply::Done)
            }
            // Handled before any completion, above.
            Kind::ChatRoomRejoined { .. } => return,
            Kind::ChatRoomQuit { room } => {
                self.cursors.rooms.remove(&room);
                Ok(Reply::Done)
            }
            Kind::HistoryCleared(t, target, time) => {
                self.clear_stored_until(t, &target, time);
                Ok(Reply::Done)
            }
            Kind::Setting(change) => {
                self.setting_changed(change);
                Ok(Reply::Done)
            }
            Kind::QuietHours => decode::<proto::QuietHoursOutput>(payload).map(|o| {
                let q = o.quiet_hours.map(|q| (q.start_time, q.span_minutes));
                if self.settings.quiet_hours != q {
                    self.settings.quiet_hours.clone_from(&q);
                }
                crate::settings::quiet_reply(q)
            }),
            // Handled before any completion, above.
            Kind::Settings
            | Kind::NotificationStatus(..)
            | Kind::EntriesPulled { .. }
            | Kind::Presence(_)
            | Kind::Services(_) => return,
            Kind::ChatRoomInfo => {
                decode::<proto::QueryChatroomInfoOutput>(payload).map(|o| Reply::ChatRoomInfo {
                    user_total_nums: o.user_total_nums.unwrap_or(0),
                    user_infos: o
                        .user_infos
                        .into_iter()
                        .map(|m| ChatRoomMember {
                            time: m.time,
                            id: m.id,
                        })
                        .collect(),
                })
            }
        };
        self.complete(id, result);
    }

    pub(crate) fn history_reply(
        &mut self,
        now_ms: u64,
        target_id: &str,
        cursor: &str,
        payload: &[u8],
    ) -> Result<Reply, RequestError> {
        let out = decode::<proto::HistoryMessagesOuput>(payload)?;
        let has_more = out.has_msg != 0;
        self.cursors
            .history
            .insert(cursor.to_owned(), (out.sync_time, has_more));
        let list = out
            .list
            .iter()
            .rev()
            .map(|m| {
                let mut msg = self.convert_message(now_ms, m);
                msg.target_id = target_id.to_owned();
                msg.sent_status = Some(im_wire::enums::SentStatus::Read.value());
                msg
            })
            .collect();
        Ok(Reply::History { list, has_more })
    }

    pub(crate) fn convert_message(&mut self, now_ms: u64, m: &DownStreamMessage) -> Message {
        let ctx = message::Context {
            self_id: &self.user_id,
            now_ms,
            connect_ack_time: self.connect_ack_time,
            registry: &self.registry,
        };
        message::from_downstream(&ctx, m, &mut self.rng)
    }
}

pub(crate) fn decode<M: prost::Message + proto::Named + Default>(
    payload: &[u8],
) -> Result<M, RequestError> {
    proto::decode(payload)
        .map_err(|e| RequestError::with_reason(ErrorCode::UNKNOWN.value(), e.text()))
}
