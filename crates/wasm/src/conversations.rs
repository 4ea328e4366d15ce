//! `Engine` methods for the conversation list, unread counts and drafts (api.md §3.4), one per
//! engine method. Conversation types and ids are checked here; anything that does not fit is an
//! `Error` with `code` −3.

use im_client::RequestId;
use wasm_bindgen::prelude::*;

use crate::convert::{int, ms, string, to_js, types};
use crate::Engine;

#[wasm_bindgen]
impl Engine {
    /// `getConversationList(types, count)`: asks the server (`qryRelation`) and completes with
    /// `{kind: "conversations", list}`, newest first; when not connected, with the local list.
    /// `types` is an array of conversation types, or `null` for all. Returns the request id.
    #[wasm_bindgen(js_name = fetchConversationList)]
    pub fn fetch_conversation_list(
        &mut self,
        now: f64,
        conversation_types: JsValue,
        count: f64,
    ) -> Result<u32, JsValue> {
        let types = types(conversation_types)?;
        let count = int("count", count)?;
        Ok(self.inner.fetch_conversation_list(ms(now), types, count).0)
    }

    /// The local conversation list of `types` (`null` for all), newest first.
    #[wasm_bindgen(js_name = conversationList)]
    pub fn conversation_list(&self, conversation_types: JsValue) -> Result<JsValue, JsValue> {
        to_js(&self.inner.conversation_list(&types(conversation_types)?))
    }

    /// `getConversation(type, targetId)`: the conversation, or `null`.
    pub fn conversation(
        &self,
        conversation_type: f64,
        target_id: JsValue,
    ) -> Result<JsValue, JsValue> {
        let t = int("conversation type", conversation_type)?;
        let target = string("targetId", &target_id)?;
        match self.inner.conversation(t, &target) {
            Some(c) => to_js(&c),
            None => Ok(JsValue::NULL),
        }
    }

    /// `updateConversation({conversationTitle})`: `false` when the conversation is not listed.
    #[wasm_bindgen(js_name = setConversationTitle)]
    pub fn set_conversation_title(
        &mut self,
        conversation_type: f64,
        target_id: JsValue,
        title: JsValue,
    ) -> Result<bool, JsValue> {
        let t = int("conversation type", conversation_type)?;
        let target = string("targetId", &target_id)?;
        let title = string("conversationTitle", &title)?;
        Ok(self.inner.set_conversation_title(t, &target, &title))
    }

    /// `removeConversation(type, targetId)`: completes with `{kind: "done"}`.
    #[wasm_bindgen(js_name = removeConversation)]
    pub fn remove_conversation(
        &mut self,
        now: f64,
        conversation_type: f64,
        target_id: JsValue,
    ) -> Result<u32, JsValue> {
        let t = int("conversation type", conversation_type)?;
        let target = string("targetId", &target_id)?;
        let RequestId(id) = self.inner.remove_conversation(ms(now), t, &target);
        Ok(id)
    }

    /// `getTotalUnreadCount` / `getConversationUnreadCount(types)`: `null` for all types.
    #[wasm_bindgen(js_name = totalUnreadCount)]
    pub fn total_unread_count(&self, conversation_types: JsValue) -> Result<u32, JsValue> {
        Ok(self.inner.total_unread_count(&types(conversation_types)?))
    }

    /// `getUnreadCount(type, targetId)`.
    #[wasm_bindgen(js_name = unreadCount)]
    pub fn unread_count(&self, conversation_type: f64, target_id: JsValue) -> Result<u32, JsValue> {
        let t = int("conversation type", conversation_type)?;
        Ok(self.inner.unread_count(t, &string("targetId", &target_id)?))
    }

    /// `clearUnreadCount(type, targetId)`: whether anything was unread.
    #[wasm_bindgen(js_name = clearUnreadCount)]
    pub fn clear_unread_count(
        &mut self,
        conversation_type: f64,
        target_id: JsValue,
    ) -> Result<bool, JsValue> {
        let t = int("conversation type", conversation_type)?;
        Ok(self
            .inner
            .clear_unread_count(t, &string("targetId", &target_id)?))
    }

    /// `saveTextMessageDraft(type, targetId, text)`: persisted.
    #[wasm_bindgen(js_name = saveDraft)]
    pub fn save_draft(
        &mut self,
        conversation_type: f64,
        target_id: JsValue,
        text: JsValue,
    ) -> Result<(), JsValue> {
        let t = int("conversation type", conversation_type)?;
        let target = string("targetId", &target_id)?;
        self.inner.save_draft(t, &target, &string("draft", &text)?);
        Ok(())
    }

    /// `getTextMessageDraft(type, targetId)`: the draft, or `undefined`.
    pub fn draft(
        &self,
        conversation_type: f64,
        target_id: JsValue,
    ) -> Result<Option<String>, JsValue> {
        let t = int("conversation type", conversation_type)?;
        Ok(self.inner.draft(t, &string("targetId", &target_id)?))
    }

    /// `clearTextMessageDraft(type, targetId)`.
    #[wasm_bindgen(js_name = clearDraft)]
    pub fn clear_draft(
        &mut self,
        conversation_type: f64,
        target_id: JsValue,
    ) -> Result<(), JsValue> {
        let t = int("conversation type", conversation_type)?;
        self.inner.clear_draft(t, &string("targetId", &target_id)?);
        Ok(())
    }
}
