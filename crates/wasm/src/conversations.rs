//! The conversation commands of `EngineCore`: the list, unread counts, drafts, and the
//! conversation settings the server keeps for the user.

use im_client::args::{self, now as ms};
use im_client::ConversationUpdate;
use wasm_bindgen::prelude::*;

use crate::engine::{target, Engine};

#[wasm_bindgen(js_class = EngineCore)]
impl Engine {
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

    /// `hasRemoteUnreadMessages(token)`: asks the server over HTTP, then completes with
    /// `{status}` (non-zero: messages wait).
    #[wasm_bindgen(js_name = hasRemoteUnread)]
    pub fn has_remote_unread(&mut self, now: f64, token: Option<String>) -> u32 {
        self.request(|e| Ok(e.has_remote_unread(ms(now), &args::id(token, "token")?)))
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
}
