//! Chatroom topics of a connection (api.md §3.6, §5.3): `joinChrm`, `exitChrm`, `queryChrmI`,
//! `chrmPull`, `qryCHMsg`, messages on `chatMsg`, and the `s_ntf` type 2 that tells a member to
//! pull.
//!
//! `chrmPull` counts: −1 (a join asking for no history) and 0 (a live pull) return what was
//! queued for the member since its join or its last pull; N > 0 (a join) first returns the N
//! newest messages from before the join.

use im_wire::frame::{ClientPublish, Qos, Query, ServerPubAck};
use im_wire::proto::{
    self, ChrmMember, ChrmOutput, HistoryMsgOuput, NotifyMsg, QueryChatroomInfoOutput,
    UpStreamMessage,
};
use im_wire::{topic, ErrorCode, ServerFrame};

use super::query::{invalid, page_reply, paging, request, Reply};
use super::refusal::Reason;
use super::{code, Session, Step};
use crate::chatroom::{self, pull_reply, ChatroomMessage, Refusal};
use crate::hub::Outbound;
use crate::moderation::Reviewed;
use crate::token::MAX_USER_ID_LEN;

/// Most members one `queryChrmI` lists.
const MAX_INFO_MEMBERS: usize = 500;
/// `QueryChatroomInfoInput.order` for newest first (api.md §7 GetChatRoomType REVERSE).
const REVERSE: i32 = 2;

pub(super) fn refused(r: Refusal) -> u16 {
    code(match r {
        Refusal::NotMember | Refusal::Gone => ErrorCode::NOT_IN_CHATROOM,
        Refusal::Muted => ErrorCode::FORBIDDEN_IN_CHATROOM,
        Refusal::Blocked => ErrorCode::RC_CHATROOM_USER_KICKED,
        Refusal::TooManyRooms => ErrorCode::RC_CHATROOM_PATAMETER_INVALID,
        // A join creates its room; when no more may be created, the room does not exist.
        Refusal::NoRoomLeft => ErrorCode::RC_CHATROOM_NOT_EXIST,
    })
}

pub(super) fn room_id(id: &str) -> Result<&str, u16> {
    if id.is_empty() || id.len() > MAX_USER_ID_LEN {
        Err(code(ErrorCode::RC_CHATROOM_PATAMETER_INVALID))
    } else {
        Ok(id)
    }
}

/// The reply of `joinChrm` and `exitChrm`.
const JOINED: ChrmOutput = ChrmOutput { nothing: 1 };

impl Session {
    pub(super) fn join_chatroom(&mut self, q: &Query) -> Reply {
        let room = room_id(&q.target_id)?;
        let tx = self
            .state
            .hub
            .sender(&self.user, self.conn_id)
            .ok_or_else(|| refused(Refusal::Gone))?;
        let joined = self
            .state
            .chatrooms
            .join(room, &self.user, self.conn_id, tx);
        if joined == Err(Refusal::NoRoomLeft) {
            self.refusal(Reason::TooManyRooms);
        }
        joined.map_err(refused)?;
        Ok(topic::JOIN_CHATROOM.encode_reply(&JOINED))
    }

    pub(super) fn exit_chatroom(&self, q: &Query) -> Reply {
        let room = room_id(&q.target_id)?;
        self.state
            .chatrooms
            .leave(room, std::slice::from_ref(&self.user));
        Ok(topic::EXIT_CHATROOM.encode_reply(&JOINED))
    }

    /// Members only (a stranger or a banned user reads neither the history nor the members).
    pub(super) fn member_of(&self, room: &str) -> Result<(), u16> {
        if self.state.chatrooms.is_member(room, &self.user) {
            Ok(())
        } else {
            Err(refused(Refusal::NotMember))
        }
    }

    /// `queryChrmI` → member total and up to `count` members, by join order; members only.
    pub(super) fn chatroom_info(&self, q: &Query) -> Reply {
        let room = room_id(&q.target_id)?;
        self.member_of(room)?;
        let input = request(topic::CHATROOM_INFO, q)?;
        let count = usize::try_from(input.count)
            .unwrap_or(0)
            .min(MAX_INFO_MEMBERS);
        let newest_first = input.order == Some(REVERSE);
        let (total, members) = self.state.chatrooms.members(room, count, newest_first);
        Ok(topic::CHATROOM_INFO.encode_reply(&QueryChatroomInfoOutput {
            user_total_nums: Some(i32::try_from(total).unwrap_or(i32::MAX)),
            user_infos: members
                .into_iter()
                .map(|(id, time)| ChrmMember { time, id })
                .collect(),
        }))
    }

    /// `chrmPull`: the reply carries at most `pull_max_bytes` of messages; when more are
    /// queued, an `s_ntf` type 2 follows it and the member pulls the rest from its new cursor.
    pub(super) fn chatroom_pull(&mut self, q: &Query) -> Step {
        let pulled = request(topic::CHATROOM_PULL, q).and_then(|input| {
            self.state
                .chatrooms
                .pull(
                    &q.target_id,
                    self.conn_id,
                    (input.sync_time, input.count),
                    // Room for the reply's cursor after the messages.
                    self.state.config.pull_max_bytes.saturating_sub(16),
                )
                .map_err(refused)
        });
        let pulled = match pulled {
            Ok(p) => p,
            Err(status) => return self.answer(q, Err(status)),
        };
        let mut step = self.answer(q, Ok(pull_reply(&pulled.list, pulled.sync_time)));
        if let Some(time) = pulled.more {
            step.frames
                .push(self.chatroom_notify_frame(&q.target_id, time));
        }
        step
    }

    /// `qryCHMsg` (target self, room in the input) → `HistoryMsgOuput`: `time` 0 = newest;
    /// order 0 = older than `time`, newest first; order 1 = newer than `time`. Members only.
    pub(super) async fn chatroom_history(&self, q: &Query) -> Reply {
        let input = request(topic::CHATROOM_HISTORY, q)?;
        let room = input
            .target_id
            .clone()
            .filter(|t| !t.is_empty())
            .ok_or_else(invalid)?;
        room_id(&room)?;
        self.member_of(&room)?;
        let (time, count, newer) = paging(&input);
        let page = self
            .state
            .store
            .read(move |s| s.chatroom_history(&room, time, count, newer))
            .await
            .map_err(|e| {
                tracing::error!("{e}");
                code(ErrorCode::CHATROOM_GET_HISTORYMSG_ERROR)
            })?;
        let (list, sync_time, has_msg) = page_reply(page, time, newer);
        let reply = HistoryMsgOuput {
            list,
            sync_time,
            has_msg,
        };
        Ok(topic::CHATROOM_HISTORY.encode_reply(&reply))
    }

    /// The message a member may send into `target`: members only, not while muted.
    pub(super) fn chatroom_outgoing(
        &self,
        target: &str,
        up: &UpStreamMessage,
    ) -> Result<ChatroomMessage, u16> {
        let room = room_id(target)?;
        if up.classname.is_empty() || up.classname.len() > 64 {
            return Err(invalid());
        }
        self.state
            .chatrooms
            .may_send(room, &self.user)
            .map_err(refused)?;
        // Sensitive words apply to chatroom texts as to every other conversation type.
        let content = match self.state.moderation.review(&up.classname, &up.content) {
            Ok(Reviewed::Unchanged) => up.content.clone(),
            Ok(Reviewed::Replaced(content)) => content,
            Err(e) => return Err(code(e)),
        };
        Ok(ChatroomMessage {
            room: room.to_owned(),
            from: self.user.clone(),
            object_name: up.classname.clone(),
            content,
            tag: im_wire::MessageTag::from_session_id(up.session_id).0,
            include_sender: false,
        })
    }

    /// `chatMsg` as a connection handles it: the members are told at once, and the PUBACK of a
    /// persisted message follows its commit on this connection's queue, so the connection
    /// reads its next frame meanwhile (PUBACKs carry their message id; order does not matter).
    /// With a bus, the message is published here (so a connection's messages keep their
    /// order) and its PUBACK follows once it came back through the bus (see
    /// [`crate::bus::rooms`]).
    pub(super) async fn chatroom_message(&mut self, p: ClientPublish) -> Step {
        let now = u64::try_from(self.state.clock.now()).unwrap_or(0);
        let ack = |status: u16, time: u64, uid: String| {
            ServerFrame::PubAck(ServerPubAck::new(p.msg_id, status, time, uid))
        };
        let checked = proto::decode::<UpStreamMessage>(&p.payload)
            .map_err(|_| invalid())
            .and_then(|up| {
                self.check_content_size(&up.content)?;
                self.chatroom_outgoing(&p.target_id, &up)
            });
        let msg = match checked {
            Ok(m) => m,
            Err(status) => return Step::one(ack(status, now, String::new())),
        };
        if let Some(rooms) = self.state.bus.rooms() {
            if let Some(published) = rooms.publish(&self.state, &msg).await {
                return self.chatroom_published(p.msg_id, msg, published);
            }
        }
        let (uid, time, history) = chatroom::deliver(&self.state, msg);
        let time = u64::try_from(time).unwrap_or(0);
        let Some(stored) = history else {
            return Step::one(ack(0, time, uid));
        };
        let Some(tx) = self.state.hub.sender(&self.user, self.conn_id) else {
            return Step::default();
        };
        let store = self.state.store.clone();
        let done = ack(0, time, uid);
        let failed = ack(code(ErrorCode::MSG_INSERT_ERROR), time, String::new());
        tokio::spawn(async move {
            let frame = match chatroom::persist(store, stored).await {
                Ok(()) => done,
                Err(e) => {
                    tracing::error!("{e}");
                    failed
                }
            };
            // The connection may be gone by now; then nobody waits for the PUBACK.
            let _ = tx.send(Outbound::Frame(Box::new(frame))).await;
        });
        Step::default()
    }

    /// The PUBACK of a chatroom message published on the bus, once it came back (and, when
    /// persisted, once stored), on this connection's queue.
    fn chatroom_published(
        &self,
        msg_id: u16,
        msg: ChatroomMessage,
        published: crate::bus::rooms::Published,
    ) -> Step {
        let Some(tx) = self.state.hub.sender(&self.user, self.conn_id) else {
            return Step::default();
        };
        let store = self.state.store.clone();
        tokio::spawn(async move {
            let (uid, time) = published.applied().await;
            let stored = match chatroom::history_of(msg, &uid, time) {
                Some(m) => chatroom::persist(store, m).await,
                None => Ok(()),
            };
            let t = u64::try_from(time).unwrap_or(0);
            let ack = match stored {
                Ok(()) => ServerPubAck::new(msg_id, 0, t, uid),
                Err(e) => {
                    tracing::error!("{e}");
                    ServerPubAck::new(msg_id, code(ErrorCode::MSG_INSERT_ERROR), t, String::new())
                }
            };
            let _ = tx
                .send(Outbound::Frame(Box::new(ServerFrame::PubAck(ack))))
                .await;
        });
        Step::default()
    }

    /// `s_ntf{type: 2, time, chrmId}` (api.md §5.3). The member's answering pull of `room`
    /// is then exempt from the rate limit (see [`Session::answers_notify`]).
    pub(super) fn chatroom_notify_frame(&mut self, room: &str, time: i64) -> ServerFrame {
        if !self.notified_rooms.iter().any(|r| r == room) {
            self.notified_rooms.push(room.to_owned());
        }
        let ntf = NotifyMsg {
            r#type: 2,
            time: Some(time),
            chrm_id: Some(room.to_owned()),
        };
        self.notice_frame((topic::S_NTF, Qos::AtMostOnce), room.to_owned(), &ntf)
    }

    /// Whether a pull of `room` answers an `s_ntf` this connection was sent and has not pulled
    /// since (taking it): at most one free pull per notification, so a client pulling in a
    /// loop is limited like any other request.
    pub(super) fn answers_notify(&mut self, room: &str) -> bool {
        let Some(at) = self.notified_rooms.iter().position(|r| r == room) else {
            return false;
        };
        self.notified_rooms.swap_remove(at);
        true
    }
}
