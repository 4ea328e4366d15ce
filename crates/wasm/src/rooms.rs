//! History, the blacklist, discussions and chatrooms of `EngineCore`.

use im_client::args::{self, id, invalid, now as ms};
use im_client::ChatroomEntry;
use wasm_bindgen::prelude::*;

use crate::engine::{target, Engine};

#[wasm_bindgen(js_class = EngineCore)]
impl Engine {
    // ---- history ----

    /// `getHistoryMessages`: `timestamp` absent continues from the previous call.
    pub fn history(
        &mut self,
        now: f64,
        t: f64,
        target_id: Option<String>,
        timestamp: Option<f64>,
        count: f64,
        order: Option<f64>,
    ) -> u32 {
        self.request(|e| {
            let (t, target_id) = target(t, target_id)?;
            let time = args::optional_time(timestamp, "timestamp")?;
            let count = args::int_in(count, 1..=20, "count")?;
            let order = args::int_in(order.unwrap_or(0.0), 0..=1, "order")?;
            Ok(e.history(ms(now), t, &target_id, time, count, order))
        })
    }

    /// `clearRemoteHistoryMessages({conversationType, targetId, timestamp})`.
    #[wasm_bindgen(js_name = clearRemoteHistory)]
    pub fn clear_remote_history(
        &mut self,
        now: f64,
        t: f64,
        target_id: Option<String>,
        timestamp: f64,
    ) -> u32 {
        self.request(|e| {
            let (t, target_id) = target(t, target_id)?;
            let time = args::clear_time(timestamp)?;
            Ok(e.clear_remote_history(ms(now), t, &target_id, time))
        })
    }

    // ---- blacklist ----

    /// `addToBlacklist(userId)`.
    #[wasm_bindgen(js_name = addToBlacklist)]
    pub fn add_to_blacklist(&mut self, now: f64, user_id: Option<String>) -> u32 {
        self.request(|e| Ok(e.add_to_blacklist(ms(now), &id(user_id, "userId")?)))
    }

    /// `removeFromBlacklist(userId)`.
    #[wasm_bindgen(js_name = removeFromBlacklist)]
    pub fn remove_from_blacklist(&mut self, now: f64, user_id: Option<String>) -> u32 {
        self.request(|e| Ok(e.remove_from_blacklist(ms(now), &id(user_id, "userId")?)))
    }

    /// `getBlacklist()`.
    pub fn blacklist(&mut self, now: f64) -> u32 {
        self.request(|e| Ok(e.blacklist(ms(now))))
    }

    /// `getBlacklistStatus(userId)`.
    #[wasm_bindgen(js_name = blacklistStatus)]
    pub fn blacklist_status(&mut self, now: f64, user_id: Option<String>) -> u32 {
        self.request(|e| Ok(e.blacklist_status(ms(now), &id(user_id, "userId")?)))
    }

    // ---- discussions ----

    /// `createDiscussion(name, userIds)`: `user_ids` as the JSON text of an array (absent: none).
    #[wasm_bindgen(js_name = createDiscussion)]
    pub fn create_discussion(
        &mut self,
        now: f64,
        name: Option<String>,
        user_ids: Option<String>,
    ) -> u32 {
        self.request(|e| {
            let name = args::text(name, "name")?;
            let users = match user_ids {
                None => Vec::new(),
                some => args::ids(some, "userIds")?,
            };
            Ok(e.create_discussion(ms(now), &name, users))
        })
    }

    /// `addMemberToDiscussion(discussionId, userIds)`: a non-empty list.
    #[wasm_bindgen(js_name = addDiscussionMembers)]
    pub fn add_discussion_members(
        &mut self,
        now: f64,
        discussion_id: Option<String>,
        user_ids: Option<String>,
    ) -> u32 {
        self.request(|e| {
            let discussion = id(discussion_id, "discussionId")?;
            let users = args::ids(user_ids, "userIds")?;
            if users.is_empty() {
                return Err(invalid("userIds must be a non-empty array of user ids"));
            }
            Ok(e.add_discussion_members(ms(now), &discussion, users))
        })
    }

    /// `getDiscussion(discussionId)`.
    pub fn discussion(&mut self, now: f64, discussion_id: Option<String>) -> u32 {
        self.request(|e| Ok(e.discussion(ms(now), &id(discussion_id, "discussionId")?)))
    }

    /// `quitDiscussion(discussionId)`.
    #[wasm_bindgen(js_name = quitDiscussion)]
    pub fn quit_discussion(&mut self, now: f64, discussion_id: Option<String>) -> u32 {
        self.request(|e| Ok(e.quit_discussion(ms(now), &id(discussion_id, "discussionId")?)))
    }

    /// `removeMemberFromDiscussion(discussionId, userId)`.
    #[wasm_bindgen(js_name = removeDiscussionMember)]
    pub fn remove_discussion_member(
        &mut self,
        now: f64,
        discussion_id: Option<String>,
        user_id: Option<String>,
    ) -> u32 {
        self.request(|e| {
            let discussion = id(discussion_id, "discussionId")?;
            let user = id(user_id, "userId")?;
            Ok(e.remove_discussion_member(ms(now), &discussion, &user))
        })
    }

    /// `setDiscussionInviteStatus(discussionId, status)`: 0 OPENED, 1 CLOSED.
    #[wasm_bindgen(js_name = setDiscussionInviteStatus)]
    pub fn set_discussion_invite_status(
        &mut self,
        now: f64,
        discussion_id: Option<String>,
        status: f64,
    ) -> u32 {
        self.request(|e| {
            let discussion = id(discussion_id, "discussionId")?;
            let status = args::int_in(status, 0..=1, "status")?;
            Ok(e.set_discussion_invite_status(ms(now), &discussion, status))
        })
    }

    /// `setDiscussionName(discussionId, name)`.
    #[wasm_bindgen(js_name = setDiscussionName)]
    pub fn set_discussion_name(
        &mut self,
        now: f64,
        discussion_id: Option<String>,
        name: Option<String>,
    ) -> u32 {
        self.request(|e| {
            let discussion = id(discussion_id, "discussionId")?;
            let name = args::text(name, "name")?;
            Ok(e.set_discussion_name(ms(now), &discussion, &name))
        })
    }

    // ---- chatrooms ----

    /// `joinChatRoom(chatroomId, count)`: `count` absent, 0 or −1 asks for no recent messages.
    #[wasm_bindgen(js_name = joinChatroom)]
    pub fn join_chatroom(&mut self, now: f64, room: Option<String>, count: Option<f64>) -> u32 {
        self.request(|e| {
            let room = args::text(room, "chatroomId")?;
            let count = args::int_in(count.unwrap_or(0.0), -1..=i32::MAX, "count")?;
            Ok(e.join_chatroom(ms(now), &room, count))
        })
    }

    /// `quitChatRoom(chatroomId)`.
    #[wasm_bindgen(js_name = quitChatroom)]
    pub fn quit_chatroom(&mut self, now: f64, room: Option<String>) -> u32 {
        self.request(|e| Ok(e.quit_chatroom(ms(now), &id(room, "chatroomId")?)))
    }

    /// `getChatRoomInfo(chatroomId, count, order)`: `order` a GetChatRoomType.
    #[wasm_bindgen(js_name = chatroomInfo)]
    pub fn chatroom_info(&mut self, now: f64, room: Option<String>, count: f64, order: f64) -> u32 {
        self.request(|e| {
            let room = id(room, "chatroomId")?;
            let count = args::int_in(count, 0..=i32::MAX, "count")?;
            let order = args::int_in(order, 0..=2, "order")?;
            Ok(e.chatroom_info(ms(now), &room, count, order))
        })
    }

    /// `setChatroomHisMessageTimestamp(chatroomId, timestamp)`: `true`.
    #[wasm_bindgen(js_name = setChatroomHistoryTimestamp)]
    pub fn set_chatroom_history_timestamp(&mut self, room: Option<String>, timestamp: f64) {
        self.answer(|e| {
            let room = id(room, "chatroomId")?;
            e.set_chatroom_history_timestamp(&room, args::time(timestamp, "timestamp")?);
            Ok(true)
        })
    }

    /// `getChatRoomHistoryMessages(chatroomId, count, order)`.
    #[wasm_bindgen(js_name = chatroomHistory)]
    pub fn chatroom_history(
        &mut self,
        now: f64,
        room: Option<String>,
        count: f64,
        order: Option<f64>,
    ) -> u32 {
        self.request(|e| {
            let room = id(room, "chatroomId")?;
            let count = args::int_in(count, 1..=200, "count")?;
            let order = args::int_in(order.unwrap_or(0.0), 0..=1, "order")?;
            Ok(e.chatroom_history(ms(now), &room, count, order))
        })
    }

    // ---- chatroom entries ----

    /// `setChatroomEntry(chatroomId, {key, value, isAutoDelete, isSendNotification,
    /// notificationExtra})`; `force`: `forceSetChatroomEntry`.
    #[wasm_bindgen(js_name = setChatroomEntry)]
    #[allow(clippy::too_many_arguments)]
    pub fn set_chatroom_entry(
        &mut self,
        now: f64,
        room: String,
        key: String,
        value: String,
        auto_delete: bool,
        notify: bool,
        extra: String,
        force: bool,
    ) -> u32 {
        let entry = ChatroomEntry {
            key,
            value,
            auto_delete,
            notify,
            extra,
        };
        self.request(|e| Ok(e.set_chatroom_entry(ms(now), &room, entry, force)))
    }

    /// `removeChatroomEntry(chatroomId, {key, isSendNotification, notificationExtra})`;
    /// `force`: `forceRemoveChatroomEntry`.
    #[wasm_bindgen(js_name = removeChatroomEntry)]
    pub fn remove_chatroom_entry(
        &mut self,
        now: f64,
        room: String,
        key: String,
        notify: bool,
        extra: String,
        force: bool,
    ) -> u32 {
        let entry = ChatroomEntry {
            key,
            notify,
            extra,
            ..Default::default()
        };
        self.request(|e| Ok(e.remove_chatroom_entry(ms(now), &room, entry, force)))
    }

    /// `getChatroomEntry(chatroomId, key)`: the value, or `!23427` for none.
    #[wasm_bindgen(js_name = chatroomEntry)]
    pub fn chatroom_entry(&mut self, room: Option<String>, key: Option<String>) {
        self.answer(|e| e.chatroom_entry(&room.unwrap_or_default(), &key.unwrap_or_default()));
    }

    /// `getAllChatroomEntries(chatroomId)`: `{key: value}`.
    #[wasm_bindgen(js_name = chatroomEntries)]
    pub fn chatroom_entries(&mut self, room: Option<String>) {
        self.answer(|e| Ok(e.chatroom_entries(&room.unwrap_or_default())));
    }
}
