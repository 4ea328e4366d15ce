//! The local message store of `EngineCore`: stored messages, local-first history, search,
//! remote deletion and read receipts.

use im_client::args::{self, id, invalid, now as ms};
use im_client::wire::json_out::{Object, WriteJson};
use im_client::{DeleteMessage, InsertMessage};
use wasm_bindgen::prelude::*;

use crate::engine::{target, Arg, Engine};

#[wasm_bindgen(js_class = EngineCore)]
impl Engine {
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

    /// `removeLocalMessage(type, targetId, timestamps)`: the conversation's stored messages sent
    /// at one of these times go; `true`.
    #[wasm_bindgen(js_name = deleteLocalMessagesAt)]
    pub fn delete_local_messages_at(
        &mut self,
        t: f64,
        target_id: Option<String>,
        times: Option<Vec<f64>>,
    ) {
        self.answer(|e| {
            let (t, target_id) = target(t, target_id)?;
            let times = times
                .ok_or_else(|| args::invalid("timestamps must be an array of times"))?
                .into_iter()
                .map(|v| args::time(v, "timestamps"))
                .collect::<Result<Vec<_>, _>>()?;
            e.delete_local_messages_at(t.value(), &target_id, &times);
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
            Ok(Found { list, total })
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

/// `searchMessages`' answer: `{list, total}`.
struct Found {
    list: Vec<im_client::Message>,
    total: u32,
}

impl WriteJson for Found {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("list", &self.list)
            .field("total", &self.total)
            .end();
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
    use im_client::wire::value::Value;
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
