//! `Engine` methods for history, the blacklist, discussions and chatrooms (api.md §3.3,
//! §3.5–§3.7), one per engine method. Each returns the request id whose `requestCompleted` event
//! carries the typed reply; bad arguments are an `Error` with `code` −3.

use wasm_bindgen::prelude::*;

use crate::convert::{int, ms, string, timestamp, user_ids};
use crate::Engine;

#[wasm_bindgen]
impl Engine {
    /// `getHistoryMessages(type, targetId, timestamp, count, order)`: `timestamp` `null`
    /// continues from the previous call, 0 starts from the newest. Completes with
    /// `{kind: "history", list, hasMore}`, oldest first.
    pub fn history(
        &mut self,
        now: f64,
        conversation_type: f64,
        target_id: JsValue,
        time: Option<f64>,
        count: f64,
        order: f64,
    ) -> Result<u32, JsValue> {
        let t = int("conversation type", conversation_type)?;
        let target = string("targetId", &target_id)?;
        let time = time.map(|v| timestamp("timestamp", v)).transpose()?;
        let count = int("count", count)?;
        let order = int("order", order)?;
        Ok(self
            .inner
            .history(ms(now), t, &target, time, count, order)
            .0)
    }

    /// `clearRemoteHistoryMessages({conversationType, targetId, timestamp})`: completes with
    /// `{kind: "done"}`, or fails with 34008 (type) / 34011 (time).
    #[wasm_bindgen(js_name = clearRemoteHistory)]
    pub fn clear_remote_history(
        &mut self,
        now: f64,
        conversation_type: f64,
        target_id: JsValue,
        time: f64,
    ) -> Result<u32, JsValue> {
        let t = int("conversation type", conversation_type)?;
        let target = string("targetId", &target_id)?;
        let time = timestamp("timestamp", time)?;
        Ok(self.inner.clear_remote_history(ms(now), t, &target, time).0)
    }

    /// `addToBlacklist(userId)`: completes with `{kind: "done"}`.
    #[wasm_bindgen(js_name = addToBlacklist)]
    pub fn add_to_blacklist(&mut self, now: f64, user_id: JsValue) -> Result<u32, JsValue> {
        let user = string("userId", &user_id)?;
        Ok(self.inner.add_to_blacklist(ms(now), &user).0)
    }

    /// `removeFromBlacklist(userId)`: completes with `{kind: "done"}`.
    #[wasm_bindgen(js_name = removeFromBlacklist)]
    pub fn remove_from_blacklist(&mut self, now: f64, user_id: JsValue) -> Result<u32, JsValue> {
        let user = string("userId", &user_id)?;
        Ok(self.inner.remove_from_blacklist(ms(now), &user).0)
    }

    /// `getBlacklist()`: completes with `{kind: "userIds", userIds}`.
    pub fn blacklist(&mut self, now: f64) -> u32 {
        self.inner.blacklist(ms(now)).0
    }

    /// `getBlacklistStatus(userId)`: completes with `{kind: "inBlacklist", inBlacklist}`.
    #[wasm_bindgen(js_name = blacklistStatus)]
    pub fn blacklist_status(&mut self, now: f64, user_id: JsValue) -> Result<u32, JsValue> {
        let user = string("userId", &user_id)?;
        Ok(self.inner.blacklist_status(ms(now), &user).0)
    }

    /// `createDiscussion(name, userIds)`: completes with `{kind: "id", id}`.
    #[wasm_bindgen(js_name = createDiscussion)]
    pub fn create_discussion(
        &mut self,
        now: f64,
        name: JsValue,
        users: JsValue,
    ) -> Result<u32, JsValue> {
        let name = string("name", &name)?;
        let users = user_ids(users)?;
        Ok(self.inner.create_discussion(ms(now), &name, users).0)
    }

    /// `addMemberToDiscussion(discussionId, userIds)`: completes with `{kind: "done"}`.
    #[wasm_bindgen(js_name = addDiscussionMembers)]
    pub fn add_discussion_members(
        &mut self,
        now: f64,
        discussion_id: JsValue,
        users: JsValue,
    ) -> Result<u32, JsValue> {
        let id = string("discussionId", &discussion_id)?;
        let users = user_ids(users)?;
        Ok(self.inner.add_discussion_members(ms(now), &id, users).0)
    }

    /// `getDiscussion(discussionId)`: completes with `{kind: "discussion", discussion}`.
    pub fn discussion(&mut self, now: f64, discussion_id: JsValue) -> Result<u32, JsValue> {
        let id = string("discussionId", &discussion_id)?;
        Ok(self.inner.discussion(ms(now), &id).0)
    }

    /// `quitDiscussion(discussionId)`: completes with `{kind: "done"}`.
    #[wasm_bindgen(js_name = quitDiscussion)]
    pub fn quit_discussion(&mut self, now: f64, discussion_id: JsValue) -> Result<u32, JsValue> {
        let id = string("discussionId", &discussion_id)?;
        Ok(self.inner.quit_discussion(ms(now), &id).0)
    }

    /// `removeMemberFromDiscussion(discussionId, userId)`: completes with `{kind: "done"}`.
    #[wasm_bindgen(js_name = removeDiscussionMember)]
    pub fn remove_discussion_member(
        &mut self,
        now: f64,
        discussion_id: JsValue,
        user_id: JsValue,
    ) -> Result<u32, JsValue> {
        let id = string("discussionId", &discussion_id)?;
        let user = string("userId", &user_id)?;
        Ok(self.inner.remove_discussion_member(ms(now), &id, &user).0)
    }

    /// `setDiscussionInviteStatus(discussionId, status)`: 0 OPENED, 1 CLOSED.
    #[wasm_bindgen(js_name = setDiscussionInviteStatus)]
    pub fn set_discussion_invite_status(
        &mut self,
        now: f64,
        discussion_id: JsValue,
        status: f64,
    ) -> Result<u32, JsValue> {
        let id = string("discussionId", &discussion_id)?;
        let status = int("status", status)?;
        Ok(self
            .inner
            .set_discussion_invite_status(ms(now), &id, status)
            .0)
    }

    /// `setDiscussionName(discussionId, name)`: completes with `{kind: "done"}`.
    #[wasm_bindgen(js_name = setDiscussionName)]
    pub fn set_discussion_name(
        &mut self,
        now: f64,
        discussion_id: JsValue,
        name: JsValue,
    ) -> Result<u32, JsValue> {
        let id = string("discussionId", &discussion_id)?;
        let name = string("name", &name)?;
        Ok(self.inner.set_discussion_name(ms(now), &id, &name).0)
    }

    /// `joinChatRoom(chatroomId, count)`: completes with `{kind: "done"}`; `count` recent
    /// messages then arrive as received messages.
    #[wasm_bindgen(js_name = joinChatroom)]
    pub fn join_chatroom(&mut self, now: f64, room: JsValue, count: f64) -> Result<u32, JsValue> {
        let room = string("chatroomId", &room)?;
        let count = int("count", count)?;
        Ok(self.inner.join_chatroom(ms(now), &room, count).0)
    }

    /// `quitChatRoom(chatroomId)`: completes with `{kind: "done"}`.
    #[wasm_bindgen(js_name = quitChatroom)]
    pub fn quit_chatroom(&mut self, now: f64, room: JsValue) -> Result<u32, JsValue> {
        let room = string("chatroomId", &room)?;
        Ok(self.inner.quit_chatroom(ms(now), &room).0)
    }

    /// `getChatRoomInfo(chatroomId, count, order)`: completes with `{kind: "chatRoomInfo",
    /// userTotalNums, userInfos}`.
    #[wasm_bindgen(js_name = chatroomInfo)]
    pub fn chatroom_info(
        &mut self,
        now: f64,
        room: JsValue,
        count: f64,
        order: f64,
    ) -> Result<u32, JsValue> {
        let room = string("chatroomId", &room)?;
        let count = int("count", count)?;
        let order = int("order", order)?;
        Ok(self.inner.chatroom_info(ms(now), &room, count, order).0)
    }

    /// `setChatroomHisMessageTimestamp(chatroomId, timestamp)`.
    #[wasm_bindgen(js_name = setChatroomHistoryTimestamp)]
    pub fn set_chatroom_history_timestamp(
        &mut self,
        room: JsValue,
        time: f64,
    ) -> Result<(), JsValue> {
        let room = string("chatroomId", &room)?;
        let time = timestamp("timestamp", time)?;
        self.inner.set_chatroom_history_timestamp(&room, time);
        Ok(())
    }

    /// `getChatRoomHistoryMessages(chatroomId, count, order)`: completes with
    /// `{kind: "history", list, hasMore}`.
    #[wasm_bindgen(js_name = chatroomHistory)]
    pub fn chatroom_history(
        &mut self,
        now: f64,
        room: JsValue,
        count: f64,
        order: f64,
    ) -> Result<u32, JsValue> {
        let room = string("chatroomId", &room)?;
        let count = int("count", count)?;
        let order = int("order", order)?;
        Ok(self.inner.chatroom_history(ms(now), &room, count, order).0)
    }
}
