//! Chatrooms (api.md §3.6, §5.3): join with a count of recent messages, quit, member info,
//! history, and live messages through `s_ntf` type 2 + `chrmPull`. Chatroom messages skip the
//! box times, the unread counts and the conversation list.

use im_wire::frame::Qos;
use im_wire::proto::{self, DownStreamMessages};
use im_wire::text;
use im_wire::topic;
use im_wire::ErrorCode;

use crate::output::{RequestError, RequestId};
use crate::requests::Pending;
use crate::typed::{Kind, Room};
use crate::Engine;

impl Engine {
    /// `joinChatRoom(chatroomId, count)`: `count` recent messages arrive through the normal
    /// receive path; 0 or −1 asks for none. One outcome only (2.x could report both).
    pub fn join_chatroom(&mut self, now_ms: u64, room: &str, count: i32) -> RequestId {
        if room.is_empty() {
            let id = self.out.request_id();
            self.complete(
                id,
                Err(RequestError::code(ErrorCode::CHATROOM_ID_ISNULL.value())),
            );
            return id;
        }
        let id = self.out.request_id();
        let input = proto::ChrmInput { nothing: 1 };
        let kind = Kind::ChatRoomJoined {
            room: room.to_owned(),
            count,
        };
        self.send_typed(now_ms, id, topic::JOIN_CHATROOM, room, &input, kind);
        id
    }

    /// `quitChatRoom(chatroomId)`.
    pub fn quit_chatroom(&mut self, now_ms: u64, room: &str) -> RequestId {
        let id = self.out.request_id();
        let input = proto::ChrmInput { nothing: 1 };
        self.send_typed(
            now_ms,
            id,
            topic::EXIT_CHATROOM,
            room,
            &input,
            Kind::ChatRoomQuit {
                room: room.to_owned(),
            },
        );
        id
    }

    /// `getChatRoomInfo(chatroomId, count, order)`: member total and `count` members.
    pub fn chatroom_info(&mut self, now_ms: u64, room: &str, count: i32, order: i32) -> RequestId {
        let id = self.out.request_id();
        let input = proto::QueryChatroomInfoInput {
            count,
            order: Some(order),
        };
        self.send_typed(
            now_ms,
            id,
            topic::CHATROOM_INFO,
            room,
            &input,
            Kind::ChatRoomInfo,
        );
        id
    }

    /// `setChatroomHisMessageTimestamp(chatroomId, timestamp)`.
    pub fn set_chatroom_history_timestamp(&mut self, room: &str, timestamp: i64) {
        self.cursors
            .chatroom_history
            .insert(room.to_owned(), timestamp);
        // The timestamp set here wins over the cursor the last reply left.
        self.cursors.history.remove(&chatroom_cursor_key(room));
    }

    /// `getChatRoomHistoryMessages(chatroomId, count, order)`: `qryCHMsg` with target self and
    /// the room inside the request (api.md §8.1 item 7).
    pub fn chatroom_history(
        &mut self,
        now_ms: u64,
        room: &str,
        count: i32,
        order: i32,
    ) -> RequestId {
        let id = self.out.request_id();
        if !(1..=200).contains(&count) || room.is_empty() {
            let err = RequestError::with_reason(
                ErrorCode::PARAMETER_ERROR.value(),
                "bad chatroom id or count",
            );
            self.complete(id, Err(err));
            return id;
        }
        // The cursor is the `syncTime` of the last reply (api.md §3.6), else the timestamp set
        // by `setChatroomHisMessageTimestamp`, else 0 (the newest).
        let cursor_key = chatroom_cursor_key(room);
        let time = self
            .cursors
            .history
            .get(&cursor_key)
            .map(|(t, _)| *t)
            .or_else(|| self.cursors.chatroom_history.get(room).copied())
            .unwrap_or(0);
        let input = proto::HistoryMsgInput {
            target_id: Some(room.to_owned()),
            time: Some(time),
            count: Some(count),
            order: Some(order),
        };
        let target = self.user_id.clone();
        let kind = Kind::History {
            target_id: room.to_owned(),
            cursor: cursor_key,
        };
        self.send_typed(now_ms, id, topic::CHATROOM_HISTORY, &target, &input, kind);
        id
    }

    /// After a reconnect: the server forgot this connection's rooms, so each joined room is
    /// joined again (an engine-issued request the app never sees), then pulled from its cursor.
    /// Messages sent meanwhile arrive once, as far as the server's recent messages reach back.
    pub(crate) fn rejoin_chatrooms(&mut self, now_ms: u64) {
        let rooms: Vec<String> = self.cursors.rooms.keys().cloned().collect();
        for room in rooms {
            if let Some(state) = self.cursors.rooms.get_mut(&room) {
                state.pulling = false;
            }
            // The id is never completed: the app did not ask for this request.
            let id = self.out.request_id();
            let input = proto::ChrmInput { nothing: 1 };
            let pending = Pending::Typed {
                id,
                kind: Kind::ChatRoomRejoined { room: room.clone() },
            };
            let payload = proto::encode(&input);
            if self
                .send_query(
                    now_ms,
                    topic::JOIN_CHATROOM.name(),
                    &room,
                    payload,
                    Qos::AtMostOnce,
                    pending,
                )
                .is_err()
            {
                self.cursors.rooms.remove(&room);
            }
        }
    }

    /// Joined again: pull what is newer than the cursor from the room's recent messages, and
    /// the entries that changed meanwhile.
    pub(crate) fn chatroom_rejoined(&mut self, now_ms: u64, room: &str) {
        self.entries_joined(now_ms, room, None);
        self.chatroom_pull(now_ms, room, REJOIN_PULL_COUNT);
    }

    /// After `joinChrm` succeeded: remember the room, pull its entries (api.md §8: the join
    /// `id` then completes with that pull; `true`) and its recent messages.
    pub(crate) fn chatroom_joined(
        &mut self,
        now_ms: u64,
        id: RequestId,
        room: &str,
        count: i32,
    ) -> bool {
        self.cursors.rooms.insert(room.to_owned(), Room::default());
        let waits = self.entries_joined(now_ms, room, Some(id));
        let count = if count <= 0 { -1 } else { count };
        self.chatroom_pull(now_ms, room, count);
        waits
    }

    fn chatroom_pull(&mut self, now_ms: u64, room: &str, count: i32) {
        let Some(state) = self.cursors.rooms.get_mut(room) else {
            return;
        };
        if state.pulling {
            return;
        }
        state.pulling = true;
        let input = proto::ChrmPullMsg {
            sync_time: state.cursor,
            count,
        };
        let pending = Pending::ChatRoomPull {
            room: room.to_owned(),
        };
        if self
            .send_query(
                now_ms,
                topic::CHATROOM_PULL.name(),
                room,
                proto::encode(&input),
                Qos::AtLeastOnce,
                pending,
            )
            .is_err()
        {
            if let Some(state) = self.cursors.rooms.get_mut(room) {
                state.pulling = false;
            }
        }
    }

    /// `s_ntf` type 2: a joined room has something newer than its cursor.
    pub(crate) fn chatroom_notified(&mut self, now_ms: u64, room: Option<&str>, time: Option<i64>) {
        let room = match room {
            Some(r) if !r.is_empty() => r.to_owned(),
            // No id: the most recently joined room, as 2.x does.
            _ => match self.cursors.rooms.last_key() {
                Some(r) => r.clone(),
                None => return,
            },
        };
        let Some(state) = self.cursors.rooms.get(&room) else {
            return;
        };
        if time.is_some_and(|t| t <= state.cursor) {
            return;
        }
        self.chatroom_pull(now_ms, &room, 0);
    }

    /// A `chrmPull` reply: deliver what is newer than the cursor, then advance it.
    pub(crate) fn chatroom_pulled(&mut self, now_ms: u64, room: &str, status: u16, payload: &[u8]) {
        let Some(state) = self.cursors.rooms.get_mut(room) else {
            return;
        };
        state.pulling = false;
        let cursor = state.cursor;
        if status != 0 {
            return;
        }
        let Ok(reply) = proto::decode::<DownStreamMessages>(payload) else {
            return;
        };
        let mut newest = cursor.max(reply.sync_time);
        let fresh: Vec<_> = reply.list.iter().filter(|m| m.data_time > cursor).collect();
        let len = fresh.len();
        for (i, item) in fresh.into_iter().enumerate() {
            newest = newest.max(item.data_time);
            let left = u32::try_from(len - 1 - i).unwrap_or(u32::MAX);
            self.deliver(now_ms, item, left, false, false);
        }
        if let Some(state) = self.cursors.rooms.get_mut(room) {
            state.cursor = newest;
        }
    }

    /// The chatroom pull was lost: allow the next notification to pull again.
    pub(crate) fn chatroom_pull_failed(&mut self, room: &str) {
        if let Some(state) = self.cursors.rooms.get_mut(room) {
            state.pulling = false;
        }
    }
}

/// How many of a room's recent messages a rejoin asks for; those not newer than the room's
/// cursor were delivered before and are dropped.
const REJOIN_PULL_COUNT: i32 = 50;

/// Where the history cursor of a chatroom is kept (`chrhis_{chatroomId}`).
fn chatroom_cursor_key(room: &str) -> String {
    text!("chrhis_", room)
}
