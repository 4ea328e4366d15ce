//! `EngineCore`: the JS face of [`im_client::Engine`], one method per engine input, command and
//! getter, with plain arguments (numbers, strings, bytes; JSON only for the free-form config and
//! for string lists). Arguments are read by `im_client::args`, which decides the 2.x error code
//! of a value that does not fit; this file only says which reader reads which argument.
//!
//! Answers: a command that completes later returns its request id, and its outcome (a refused
//! argument included) is a `requestCompleted` event of the same drain; a command answered at
//! once leaves for `text()` the JSON of its value, or `!` + the code + a space + the reason.

use im_client::args::{self, conversation_type as kind, id, invalid, now as ms};
use im_client::wire::enums::ConversationType;
use im_client::wire::MessageTag;
use im_client::{ConversationUpdate, Output, RecallRequest, ReconnectConfig, RequestError};
use im_client::{DeleteMessage, InsertMessage};
use im_client::{QueryRequest, RequestId, SendContent, SendRequest, NO_DEADLINE};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::convert::{json, read_config};

/// The sans-IO engine. `configure(config)` first; inputs and commands take the current time in
/// ms; after each, call `pollOutput()` until it returns `{"type":"timeout"}`.
#[wasm_bindgen(js_name = EngineCore)]
#[derive(Default)]
pub struct Engine {
    inner: Option<im_client::Engine>,
    /// The frame of the last `sendBytes` output, until `bytes()` takes it.
    bytes: Vec<u8>,
    /// The answer of the last command answered at once, until `text()` takes it.
    text: String,
}

type Core = im_client::Engine;
type Arg<T> = Result<T, RequestError>;

impl Engine {
    /// Runs a command that completes later: its request id (0 before `configure`), or an
    /// immediate failure when an argument does not fit.
    fn request(&mut self, f: impl FnOnce(&mut Core) -> Arg<RequestId>) -> u32 {
        let Some(e) = self.inner.as_mut() else {
            return 0;
        };
        match f(e) {
            Ok(RequestId(id)) => id,
            Err(err) => e.reject(err).0,
        }
    }

    /// Runs a command answered at once; its answer waits for `text()`: the JSON of its value, or
    /// `!code reason`. (One method returns the text for all: a string result costs glue per
    /// method.)
    fn answer<T: Serialize>(&mut self, f: impl FnOnce(&mut Core) -> Arg<T>) {
        self.text = match self.inner.as_mut().map(f) {
            None => "!-3 the engine has no config yet".to_owned(),
            Some(Ok(value)) => json(&value),
            Some(Err(err)) => {
                let reason = err.reason.unwrap_or_default();
                format!("!{} {reason}", err.code)
            }
        };
    }

    fn with(&mut self, f: impl FnOnce(&mut Core)) {
        if let Some(e) = self.inner.as_mut() {
            f(e);
        }
    }
}

/// A conversation: its type and a non-empty target id.
fn target(t: f64, target_id: Option<String>) -> Arg<(ConversationType, String)> {
    Ok((kind(t)?, id(target_id, "targetId")?))
}

#[wasm_bindgen(js_class = EngineCore)]
impl Engine {
    /// An engine without a config yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        Self::default()
    }

    /// Creates the engine from its config, JSON `{appKey, naviHosts, secure, seed, storage, …}`
    /// (see `im_client::Config`): `""`, or the reason the config does not fit.
    pub fn configure(&mut self, config: &str) -> String {
        match read_config(config) {
            Ok(c) => {
                self.inner = Some(Core::new(c));
                String::new()
            }
            Err(reason) => reason,
        }
    }

    /// The next output as JSON `{type, …}`: `openSocket {url}`, `sendBytes` (its frame from
    /// `bytes()`), `closeSocket`, `httpGet {id, url}`, `cancelHttp {id}`, `event {event}`,
    /// `persist {key, value}`, and finally `timeout {atMs}` (`null` when nothing is scheduled).
    #[wasm_bindgen(js_name = pollOutput)]
    pub fn poll_output(&mut self) -> String {
        let Some(inner) = self.inner.as_mut() else {
            return r#"{"type":"timeout","atMs":null}"#.to_owned();
        };
        match inner.poll_output() {
            Output::SendBytes { bytes } => {
                self.bytes = bytes;
                r#"{"type":"sendBytes"}"#.to_owned()
            }
            Output::Timeout { at_ms } if at_ms == NO_DEADLINE => {
                r#"{"type":"timeout","atMs":null}"#.to_owned()
            }
            other => json(&other),
        }
    }

    /// The frame of the last `sendBytes` output.
    pub fn bytes(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }

    /// The answer of the last command answered at once: JSON, or `!code reason`.
    pub fn text(&mut self) -> String {
        std::mem::take(&mut self.text)
    }

    // ---- inputs ----

    /// One binary WebSocket message.
    #[wasm_bindgen(js_name = handleSocketData)]
    pub fn handle_socket_data(&mut self, now: f64, bytes: &[u8]) {
        self.with(|e| e.handle_socket_data(ms(now), bytes));
    }

    /// A timer armed for the last deadline fired.
    #[wasm_bindgen(js_name = handleTimeout)]
    pub fn handle_timeout(&mut self, now: f64) {
        self.with(|e| e.handle_timeout(ms(now)));
    }

    /// The answer to an `httpGet` (status 0: the request failed).
    #[wasm_bindgen(js_name = handleHttpResponse)]
    pub fn handle_http_response(&mut self, now: f64, request: u32, status: u16, body: &str) {
        self.with(|e| e.handle_http_response(ms(now), RequestId(request), status, body));
    }

    /// The socket opened.
    #[wasm_bindgen(js_name = handleSocketOpen)]
    pub fn handle_socket_open(&mut self, now: f64) {
        self.with(|e| e.handle_socket_open(ms(now)));
    }

    /// The socket closed with this close code.
    #[wasm_bindgen(js_name = handleSocketClose)]
    pub fn handle_socket_close(&mut self, now: f64, code: u16) {
        self.with(|e| e.handle_socket_close(ms(now), code));
    }

    /// The socket reported an error.
    #[wasm_bindgen(js_name = handleSocketError)]
    pub fn handle_socket_error(&mut self, now: f64) {
        self.with(|e| e.handle_socket_error(ms(now)));
    }

    // ---- connection ----

    /// `connect(token)`: 1 started, 0 ignored (already connected or connecting), else the code
    /// of a refused argument.
    pub fn connect(&mut self, now: f64, token: Option<String>) -> i32 {
        let Some(e) = self.inner.as_mut() else {
            return 0;
        };
        match id(token, "token") {
            Ok(token) => i32::from(e.connect(ms(now), &token)),
            Err(err) => err.code,
        }
    }

    /// `reconnect({auto, url, rate})`: as [`Self::connect`].
    pub fn reconnect(
        &mut self,
        now: f64,
        auto: bool,
        url: Option<String>,
        rate: Option<Vec<f64>>,
    ) -> i32 {
        let rate = rate.map(|r| r.into_iter().filter(|d| *d >= 0.0).map(ms).collect());
        let config = ReconnectConfig { auto, url, rate };
        self.inner
            .as_mut()
            .map_or(0, |e| i32::from(e.reconnect(ms(now), &config)))
    }

    /// `disconnect()`.
    pub fn disconnect(&mut self, now: f64) {
        self.with(|e| e.disconnect(ms(now)));
    }

    /// `logout()`.
    pub fn logout(&mut self, now: f64) {
        self.with(|e| e.logout(ms(now)));
    }

    // ---- messages and queries ----

    /// `sendMessage`: the content as its `encode()` JSON text; `user_ids` (directional) as the
    /// JSON text of an array.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = sendMessage)]
    pub fn send_message(
        &mut self,
        now: f64,
        conversation_type: f64,
        target_id: Option<String>,
        object_name: Option<String>,
        content: Option<String>,
        mentioned: bool,
        push_text: Option<String>,
        app_data: Option<String>,
        method_type: Option<f64>,
        user_ids: Option<String>,
        is_push: bool,
        is_filter_white_blacklist: bool,
    ) -> u32 {
        self.request(|e| {
            let (t, target_id) = target(conversation_type, target_id)?;
            let request = SendRequest {
                conversation_type: t.value(),
                target_id,
                content: SendContent::Json {
                    object_name: id(object_name, "objectName")?,
                    json: args::text(content, "content")?,
                },
                mentioned,
                push_text,
                app_data,
                method_type: method_type
                    .map(|m| args::int_in(m, i32::MIN..=i32::MAX, "methodType"))
                    .transpose()?,
                user_ids: user_ids
                    .map(|u| args::ids(Some(u), "userIds"))
                    .transpose()?,
                is_push,
                is_filter_white_blacklist,
            };
            Ok(e.send_message(ms(now), request))
        })
    }

    /// `sendRecallMessage(message)`: the fields of the message to recall.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = sendRecall)]
    pub fn send_recall(
        &mut self,
        now: f64,
        conversation_type: f64,
        target_id: Option<String>,
        message_uid: Option<String>,
        sent_time: f64,
        sender_user_id: Option<String>,
        extra: Option<String>,
    ) -> u32 {
        self.request(|e| {
            let (t, target_id) = target(conversation_type, target_id)?;
            let request = RecallRequest {
                conversation_type: t.value(),
                target_id,
                message_uid: id(message_uid, "messageUId")?,
                sent_time: args::time(sent_time, "sentTime")?,
                sender_user_id: sender_user_id.unwrap_or_default(),
                extra,
            };
            Ok(e.send_recall(ms(now), request))
        })
    }

    /// A QUERY of any topic with a protobuf payload.
    pub fn query(
        &mut self,
        now: f64,
        topic: &str,
        target_id: &str,
        payload: &[u8],
        qos1: bool,
    ) -> u32 {
        self.request(|e| {
            let request = QueryRequest {
                topic: topic.to_owned(),
                target_id: target_id.to_owned(),
                payload: payload.to_vec(),
                qos1,
            };
            Ok(e.query(ms(now), request))
        })
    }

    /// `registerMessageType(typeName, objectName, messageTag)`: `tag` bit 0 persisted, bit 1
    /// counted.
    #[wasm_bindgen(js_name = registerMessageType)]
    pub fn register_message_type(&mut self, type_name: &str, object_name: &str, tag: u8) {
        self.with(|e| e.register_message_type(type_name, object_name, MessageTag(tag & 0x3)));
    }

    // ---- getters ----

    /// The current user id (empty before the first connection).
    #[wasm_bindgen(js_name = userId)]
    pub fn user_id(&self) -> String {
        self.inner
            .as_ref()
            .map(|e| e.user_id().to_owned())
            .unwrap_or_default()
    }

    /// The server time (ms) of the last accepted CONNACK, 0 before any.
    #[wasm_bindgen(js_name = connectAckTime)]
    pub fn connect_ack_time(&self) -> f64 {
        // Millisecond timestamps are far below 2^53.
        self.inner
            .as_ref()
            .map_or(0.0, |e| e.connect_ack_time() as f64)
    }

    /// The last connection status emitted, or −1 before any.
    pub fn status(&self) -> i32 {
        self.inner.as_ref().map_or(-1, Core::status)
    }

    /// The raw JSON of the last navigation.
    pub fn navi(&self) -> Option<String> {
        self.inner.as_ref()?.navi().map(str::to_owned)
    }

    /// A persisted value.
    pub fn stored(&self, key: &str) -> Option<String> {
        self.inner.as_ref()?.stored(key).map(str::to_owned)
    }

    // ---- conversations, unread counts, drafts ----

    /// `getConversationList(types, count)`: asks the server, then completes with the list.
    #[wasm_bindgen(js_name = fetchConversationList)]
    pub fn fetch_conversation_list(
        &mut self,
        now: f64,
        types: Option<Vec<f64>>,
        count: Option<f64>,
        hidden: bool,
    ) -> u32 {
        self.request(|e| {
            let types = args::conversation_types(types)?;
            let count = count.map_or(Ok(0), |c| args::int_in(c, 0..=i32::MAX, "count"))?;
            Ok(e.fetch_conversation_list(ms(now), types, count, hidden))
        })
    }

    /// The local conversation list of `types` (all when absent), pinned first, newest first;
    /// hidden conversations only with `hidden`.
    #[wasm_bindgen(js_name = conversationList)]
    pub fn conversation_list(&mut self, types: Option<Vec<f64>>, hidden: bool) {
        self.answer(|e| Ok(e.conversation_list(&args::conversation_types(types)?, hidden)))
    }

    /// `addConversation` / `createConversation`: lists it (a non-empty `title` is kept);
    /// answers the conversation.
    #[wasm_bindgen(js_name = addConversation)]
    pub fn add_conversation(&mut self, t: f64, target_id: Option<String>, title: Option<String>) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            Ok(e.add_conversation(t, &target_id, title))
        })
    }

    /// `clearUnreadCountByTimestamp(type, targetId, timestamp)`: whether it cleared.
    #[wasm_bindgen(js_name = clearUnreadCountByTimestamp)]
    pub fn clear_unread_count_by_timestamp(
        &mut self,
        t: f64,
        target_id: Option<String>,
        timestamp: f64,
    ) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            let time = args::time(timestamp, "timestamp")?;
            Ok(e.clear_unread_count_by_timestamp(t, &target_id, time))
        })
    }

    /// `clearTotalUnreadCount()`: `true`.
    #[wasm_bindgen(js_name = clearTotalUnreadCount)]
    pub fn clear_total_unread_count(&mut self) {
        self.answer(|e| {
            e.clear_total_unread_count();
            Ok(true)
        })
    }

    /// `getUnreadMentionedMessages(type, targetId)`: a list of messages.
    #[wasm_bindgen(js_name = unreadMentionedMessages)]
    pub fn unread_mentioned_messages(&mut self, t: f64, target_id: Option<String>) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            Ok(e.unread_mentioned_messages(t, &target_id))
        })
    }

    // ---- conversation settings (kept by the server per user) ----

    /// `setConversationToTop(type, targetId, isTop)`.
    #[wasm_bindgen(js_name = setConversationToTop)]
    pub fn set_conversation_to_top(
        &mut self,
        now: f64,
        t: f64,
        target_id: Option<String>,
        top: bool,
    ) -> u32 {
        self.request(|e| {
            let (t, target_id) = target(t, target_id)?;
            Ok(e.set_conversation_to_top(ms(now), t, &target_id, top))
        })
    }

    /// `setConversationHidden(type, targetId, isHidden)`.
    #[wasm_bindgen(js_name = setConversationHidden)]
    pub fn set_conversation_hidden(
        &mut self,
        now: f64,
        t: f64,
        target_id: Option<String>,
        hidden: bool,
    ) -> u32 {
        self.request(|e| {
            let (t, target_id) = target(t, target_id)?;
            Ok(e.set_conversation_hidden(ms(now), t, &target_id, hidden))
        })
    }

    /// `setConversationNotificationStatus(type, targetId, status)`.
    #[wasm_bindgen(js_name = setNotificationStatus)]
    pub fn set_notification_status(
        &mut self,
        now: f64,
        t: f64,
        target_id: Option<String>,
        status: f64,
    ) -> u32 {
        self.request(|e| {
            let (t, target_id) = target(t, target_id)?;
            let status = args::int_in(status, 0..=1, "notificationStatus")?;
            Ok(e.set_notification_status(ms(now), t, &target_id, status))
        })
    }

    /// `getConversationNotificationStatus(type, targetId)`.
    #[wasm_bindgen(js_name = notificationStatus)]
    pub fn notification_status(&mut self, now: f64, t: f64, target_id: Option<String>) -> u32 {
        self.request(|e| {
            let (t, target_id) = target(t, target_id)?;
            Ok(e.notification_status(ms(now), t, &target_id))
        })
    }

    /// `setNotificationQuietHours(startTime, spanMinutes)`.
    #[wasm_bindgen(js_name = setQuietHours)]
    pub fn set_quiet_hours(&mut self, now: f64, start: Option<String>, span_minutes: f64) -> u32 {
        self.request(|e| {
            let start = args::text(start, "startTime")?;
            let span = args::int_in(span_minutes, 1..=1439, "spanMinutes")?;
            Ok(e.set_quiet_hours(ms(now), &start, span))
        })
    }

    /// `getNotificationQuietHours()`.
    #[wasm_bindgen(js_name = quietHours)]
    pub fn quiet_hours(&mut self, now: f64) -> u32 {
        self.request(|e| Ok(e.quiet_hours(ms(now))))
    }

    /// `removeNotificationQuietHours()`.
    #[wasm_bindgen(js_name = removeQuietHours)]
    pub fn remove_quiet_hours(&mut self, now: f64) -> u32 {
        self.request(|e| Ok(e.remove_quiet_hours(ms(now))))
    }

    /// `setOfflineMessageDuration(days)`.
    #[wasm_bindgen(js_name = setOfflineMessageDuration)]
    pub fn set_offline_message_duration(&mut self, now: f64, days: f64) -> u32 {
        self.request(|e| {
            let days = args::int_in(days, 1..=7, "duration")?;
            Ok(e.set_offline_message_duration(ms(now), days))
        })
    }

    /// One conversation, or `null`.
    pub fn conversation(&mut self, t: f64, target_id: Option<String>) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            Ok(e.conversation(t, &target_id))
        })
    }

    /// `updateConversation`: copies the non-empty fields (a `sentStatus` of 0 is none) and
    /// answers the conversation, or `null` when it is not listed.
    #[wasm_bindgen(js_name = updateConversation)]
    pub fn update_conversation(
        &mut self,
        t: f64,
        target_id: Option<String>,
        conversation_title: Option<String>,
        sender_user_name: Option<String>,
        sender_portrait_uri: Option<String>,
        sent_status: Option<f64>,
    ) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            let update = ConversationUpdate {
                conversation_title,
                sender_user_name,
                sender_portrait_uri,
                sent_status: sent_status
                    .and_then(|s| args::int_in(s, 1..=i32::MAX, "sentStatus").ok()),
            };
            e.update_conversation(t, &target_id, &update);
            Ok(e.conversation(t, &target_id))
        })
    }

    /// `removeConversation`: `delRelation`, then the local entry goes.
    #[wasm_bindgen(js_name = removeConversation)]
    pub fn remove_conversation(&mut self, now: f64, t: f64, target_id: Option<String>) -> u32 {
        self.request(|e| {
            let (t, target_id) = target(t, target_id)?;
            Ok(e.remove_conversation(ms(now), t, &target_id))
        })
    }

    /// The unread total over `types` (all when absent).
    #[wasm_bindgen(js_name = totalUnreadCount)]
    pub fn total_unread_count(&mut self, types: Option<Vec<f64>>) {
        self.answer(|e| Ok(e.total_unread_count(&args::conversation_types(types)?)))
    }

    /// One conversation's unread count.
    #[wasm_bindgen(js_name = unreadCount)]
    pub fn unread_count(&mut self, t: f64, target_id: Option<String>) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            Ok(e.unread_count(t, &target_id))
        })
    }

    /// Clears one conversation's unread count: `true`.
    #[wasm_bindgen(js_name = clearUnreadCount)]
    pub fn clear_unread_count(&mut self, t: f64, target_id: Option<String>) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            e.clear_unread_count(t, &target_id);
            Ok(true)
        })
    }

    /// Saves a draft: `true`.
    #[wasm_bindgen(js_name = saveDraft)]
    pub fn save_draft(&mut self, t: f64, target_id: Option<String>, text: Option<String>) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            e.save_draft(t, &target_id, &args::text(text, "value")?);
            Ok(true)
        })
    }

    /// A draft, or `null`.
    pub fn draft(&mut self, t: f64, target_id: Option<String>) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            Ok(e.draft(t, &target_id))
        })
    }

    /// Clears a draft: `true`.
    #[wasm_bindgen(js_name = clearDraft)]
    pub fn clear_draft(&mut self, t: f64, target_id: Option<String>) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            e.clear_draft(t, &target_id);
            Ok(true)
        })
    }

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

    // ---- the local message store ----

    /// `getMessage(messageId)`: the stored message, or `null`.
    #[wasm_bindgen(js_name = getMessage)]
    pub fn get_message(&mut self, message_id: Option<String>) {
        self.answer(|e| Ok(e.get_message(args::message_id(message_id)?)))
    }

    /// `insertMessage`: stores a local message (never sent); answers it with its messageId.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = insertMessage)]
    pub fn insert_message(
        &mut self,
        now: f64,
        t: f64,
        target_id: Option<String>,
        sender_user_id: Option<String>,
        object_name: Option<String>,
        content: Option<String>,
        direction: f64,
        status: Option<f64>,
        sent_time: Option<f64>,
    ) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            let request = InsertMessage {
                conversation_type: t.value(),
                target_id,
                sender_user_id: sender_user_id.unwrap_or_default(),
                object_name: id(object_name, "objectName")?,
                content: args::text(content, "content")?,
                direction: args::int_in(direction, 1..=2, "messageDirection")?,
                status: status.map_or(Ok(0), |s| args::int_in(s, 0..=i32::MAX, "status"))?,
                sent_time: args::optional_time(sent_time, "sentTime")?.unwrap_or(0),
            };
            e.insert_message(ms(now), request)
        })
    }

    /// `deleteLocalMessages(type, targetId, messageIds)`: `true`.
    #[wasm_bindgen(js_name = deleteLocalMessages)]
    pub fn delete_local_messages(
        &mut self,
        t: f64,
        target_id: Option<String>,
        ids: Option<String>,
    ) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            e.delete_local_messages(t.value(), &target_id, &args::message_ids(ids)?);
            Ok(true)
        })
    }

    /// `clearMessages(type, targetId)`: the conversation's stored messages go; `true`.
    #[wasm_bindgen(js_name = clearMessages)]
    pub fn clear_messages(&mut self, t: f64, target_id: Option<String>) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            e.clear_messages(t.value(), &target_id);
            Ok(true)
        })
    }

    /// `updateMessage` and the `setMessage*` calls: changes what is given of a stored message
    /// (content with its objectName, extra, receivedStatus, sentStatus); answers the message.
    #[wasm_bindgen(js_name = updateMessage)]
    pub fn update_message(
        &mut self,
        message_id: Option<String>,
        object_name: Option<String>,
        content: Option<String>,
        extra: Option<String>,
        received_status: Option<f64>,
        sent_status: Option<f64>,
    ) {
        self.answer(|e| {
            let id = args::message_id(message_id)?;
            let status = |s: f64, what| args::int_in(s, 0..=i32::MAX, what);
            let mut m = e.get_message(id);
            if let Some(content) = content {
                let name = id_or_stored(object_name, m.as_ref())?;
                m = Some(e.set_message_content(id, &content, &name)?);
            }
            if let Some(extra) = extra {
                m = Some(e.set_message_extra(id, &extra)?);
            }
            if let Some(s) = received_status {
                m = Some(e.set_message_received_status(id, status(s, "receivedStatus")?)?);
            }
            if let Some(s) = sent_status {
                m = Some(e.set_message_sent_status(id, status(s, "sentStatus")?)?);
            }
            Ok(m)
        })
    }

    /// `setMessageStatus(type, targetId, timestamp, status)`: own messages sent up to
    /// `timestamp` get the SentStatus `status`; `true`.
    #[wasm_bindgen(js_name = setMessageStatus)]
    pub fn set_message_status(
        &mut self,
        t: f64,
        target_id: Option<String>,
        timestamp: f64,
        status: f64,
    ) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            let time = args::time(timestamp, "timestamp")?;
            let status = args::int_in(status, 0..=i32::MAX, "status")?;
            e.set_message_status(t.value(), &target_id, time, status);
            Ok(true)
        })
    }

    /// `searchMessageByContent(type, targetId, keyword, timestamp, count)`: `{list, total}`,
    /// newest first.
    #[wasm_bindgen(js_name = searchMessages)]
    pub fn search_messages(
        &mut self,
        t: f64,
        target_id: Option<String>,
        keyword: Option<String>,
        timestamp: Option<f64>,
        count: f64,
    ) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            let keyword = args::text(keyword, "keyword")?;
            let time = args::optional_time(timestamp, "timestamp")?.unwrap_or(0);
            let count = args::int_in(count, 1..=i32::MAX, "count")?;
            let (list, total) = e.search_messages(
                t.value(),
                &target_id,
                &keyword,
                time,
                usize::try_from(count).unwrap_or(0),
            );
            Ok(serde_json::json!({ "list": list, "total": total }))
        })
    }

    /// `searchConversationByContent(keyword, types)`: the conversations with matches.
    #[wasm_bindgen(js_name = searchConversations)]
    pub fn search_conversations(&mut self, keyword: Option<String>, types: Option<Vec<f64>>) {
        self.answer(|e| {
            let keyword = args::text(keyword, "keyword")?;
            let types: Vec<i32> = args::conversation_types(types)?
                .iter()
                .map(|t| t.value())
                .collect();
            Ok(e.search_conversations(&keyword, &types))
        })
    }

    /// `getHistoryMessages` paging back (order 0): the local store first, then the server.
    #[wasm_bindgen(js_name = historyLocalFirst)]
    pub fn history_local_first(
        &mut self,
        now: f64,
        t: f64,
        target_id: Option<String>,
        timestamp: Option<f64>,
        count: f64,
    ) -> u32 {
        self.request(|e| {
            let (t, target_id) = target(t, target_id)?;
            let time = args::optional_time(timestamp, "timestamp")?;
            let count = args::int_in(count, 1..=20, "count")?;
            Ok(e.history_local_first(ms(now), t, &target_id, time, count))
        })
    }

    /// `deleteRemoteMessages(type, targetId, messages)`: `messages` as the JSON text of
    /// `[[messageUId, sentTime, messageDirection]…]`.
    #[wasm_bindgen(js_name = deleteRemoteMessages)]
    pub fn delete_remote_messages(
        &mut self,
        now: f64,
        t: f64,
        target_id: Option<String>,
        messages: Option<String>,
    ) -> u32 {
        self.request(|e| {
            let (t, target_id) = target(t, target_id)?;
            let list = read_deletions(messages)?;
            Ok(e.delete_remote_messages(ms(now), t.value(), &target_id, list))
        })
    }

    /// `sendReceiptResponse(type, targetId)`: answers the read-receipt requests received in the
    /// conversation; completes with `done` (at once when none are pending).
    #[wasm_bindgen(js_name = sendReceiptResponse)]
    pub fn send_receipt_response(&mut self, now: f64, t: f64, target_id: Option<String>) -> u32 {
        self.request(|e| {
            let (t, target_id) = target(t, target_id)?;
            Ok(e.send_receipt_response(ms(now), t.value(), &target_id))
        })
    }
}

/// The objectName given, or the stored message's.
fn id_or_stored(object_name: Option<String>, stored: Option<&im_client::Message>) -> Arg<String> {
    match object_name.filter(|s| !s.is_empty()) {
        Some(name) => Ok(name),
        None => stored
            .map(|m| m.object_name.clone())
            .ok_or_else(|| invalid("objectName must be a non-empty string")),
    }
}

/// `[[messageUId, sentTime, messageDirection]…]` as [`DeleteMessage`]s.
fn read_deletions(json: Option<String>) -> Arg<Vec<DeleteMessage>> {
    use serde_json::Value;
    let bad = || invalid("messages must be an array of messages with messageUId and sentTime");
    let value = json
        .and_then(|t| im_client::wire::json::parse(&t).ok())
        .ok_or_else(bad)?;
    let Value::Array(items) = value else {
        return Err(bad());
    };
    items
        .iter()
        .map(|row| {
            let at = |i: usize| row.get(i).cloned().unwrap_or(Value::Null);
            let uid = at(0).as_str().filter(|s| !s.is_empty()).map(str::to_owned);
            let time = at(1).as_i64();
            let direction = at(2)
                .as_i64()
                .and_then(|d| i32::try_from(d).ok())
                .unwrap_or(1);
            match (uid, time) {
                (Some(message_uid), Some(sent_time)) => Ok(DeleteMessage {
                    message_uid,
                    sent_time,
                    message_direction: direction,
                }),
                _ => Err(bad()),
            }
        })
        .collect()
}
