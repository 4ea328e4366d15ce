//! Sending: `sendMessage` and `sendRecallMessage` (api.md §4, §3.2), and generic queries.

use im_wire::content::{JsonContent, MessageContent};
use im_wire::enums::{ConversationType, MessageDirection, SentStatus};
use im_wire::frame::{ClientPublish, Qos, Query, ServerPubAck};
use im_wire::proto::{self, UpStreamMessage};
use im_wire::text::Piece;
use im_wire::{topic, ClientFrame, ErrorCode, MessageTag, StringForm};

use crate::conversation::RECALL;
use crate::engine::Engine;
use crate::message::Message;
use crate::output::{Event, Reply, RequestError, RequestId};
use crate::requests::Pending;

/// The largest encoded content the server accepts (api.md §4.5: 30016, "larger than 128 KB").
pub const MAX_CONTENT_LEN: usize = 128 * 1024;

/// The content of a send: a typed built-in content, or JSON for a type the app registered.
#[derive(Clone, Debug, PartialEq)]
pub enum SendContent {
    /// A built-in content (api.md §6.2), already checked.
    Typed(Box<JsonContent>),
    /// `(objectName, JSON text)`: a registered custom type, or a built-in one given as JSON
    /// (validated against the built-in type).
    Json {
        /// e.g. `App:Custom` or `RC:TxtMsg`.
        object_name: String,
        /// The JSON produced by the content's `encode()`.
        json: String,
    },
}

/// The arguments of `sendMessage(type, targetId, content, callback, mentiondMsg, pushText,
/// appData, methodType, params)` (api.md §4).
///
/// Deserializes from camelCase JSON with the content as `objectName` plus `content` (the JSON
/// the content's `encode()` produces), and the `params` keys at the top level (`userIds`,
/// `isPush`, `isVoipPush`, `isFilerWhiteBlacklist`, spelled as in the SDK).
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(try_from = "SendArgs")]
pub struct SendRequest {
    /// `ConversationType` value.
    pub conversation_type: i32,
    /// Peer, group, discussion, chatroom, … id.
    pub target_id: String,
    /// The content.
    pub content: SendContent,
    /// `mentiondMsg`: the content @mentions users (groups and discussions only).
    pub mentioned: bool,
    /// Push notification text.
    pub push_text: Option<String>,
    /// Push data.
    pub app_data: Option<String>,
    /// `MethodType`: 1 customer service (`pcuMsgP`), 2 recall (`recallMsg`).
    pub method_type: Option<i32>,
    /// `params.userIds`: directional recipients.
    pub user_ids: Option<Vec<String>>,
    /// `params.isPush` / `params.isVoipPush`: configFlag bit 0.
    pub is_push: bool,
    /// `params.isFilerWhiteBlacklist`: configFlag bit 1.
    pub is_filter_white_blacklist: bool,
    /// `sendStatusMessage`: sent with the flag word 0 whatever the content's type, so the server
    /// neither stores nor counts it and delivers it to online receivers only; the sender keeps
    /// it out of its local store and conversation list too.
    pub status: bool,
}

/// The JSON form of [`SendRequest`].
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct SendArgs {
    conversation_type: i32,
    target_id: String,
    object_name: String,
    content: im_wire::json::JsonValue,
    #[serde(default)]
    mentioned: bool,
    #[serde(default)]
    push_text: Option<String>,
    #[serde(default)]
    app_data: Option<String>,
    #[serde(default)]
    method_type: Option<i32>,
    #[serde(default)]
    user_ids: Option<Vec<String>>,
    #[serde(default)]
    is_push: bool,
    #[serde(default)]
    is_voip_push: bool,
    #[serde(default)]
    is_filer_white_blacklist: bool,
}

impl TryFrom<SendArgs> for SendRequest {
    type Error = String;

    fn try_from(a: SendArgs) -> Result<Self, String> {
        // A string content is the raw text of a non-JSON custom payload.
        let json = match a.content.0 {
            im_wire::value::Value::String(text) => text,
            other => im_wire::json_out::text(&other),
        };
        Ok(Self {
            conversation_type: a.conversation_type,
            target_id: a.target_id,
            content: SendContent::Json {
                object_name: a.object_name,
                json,
            },
            mentioned: a.mentioned,
            push_text: a.push_text,
            app_data: a.app_data,
            method_type: a.method_type,
            user_ids: a.user_ids,
            is_push: a.is_push || a.is_voip_push,
            is_filter_white_blacklist: a.is_filer_white_blacklist,
            status: false,
        })
    }
}

impl SendRequest {
    /// A plain send of `content` to (`conversation_type`, `target_id`).
    pub fn new(
        conversation_type: i32,
        target_id: impl Into<String>,
        content: MessageContent,
    ) -> Self {
        Self::with_content(conversation_type, target_id, JsonContent::from(content))
    }

    /// [`Self::new`] with a content already in its JSON form.
    pub fn with_content(
        conversation_type: i32,
        target_id: impl Into<String>,
        content: JsonContent,
    ) -> Self {
        Self::with_send_content(
            conversation_type,
            target_id,
            SendContent::Typed(Box::new(content)),
        )
    }

    /// A plain send (no mention, push text or options) of `content`.
    pub(crate) fn with_send_content(
        conversation_type: i32,
        target_id: impl Into<String>,
        content: SendContent,
    ) -> Self {
        Self {
            conversation_type,
            target_id: target_id.into(),
            content,
            mentioned: false,
            push_text: None,
            app_data: None,
            method_type: None,
            user_ids: None,
            is_push: false,
            is_filter_white_blacklist: false,
            status: false,
        }
    }
}

/// The message to recall, as `sendRecallMessage(message, callback)` receives it (api.md §3.2);
/// deserializes from that `Message`'s JSON (`messageUId`, `senderUserId`, …).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecallRequest {
    /// Conversation of the recalled message.
    pub conversation_type: i32,
    /// Its target id.
    pub target_id: String,
    /// Its `messageUId`.
    #[serde(rename = "messageUId")]
    pub message_uid: String,
    /// Its `sentTime`.
    pub sent_time: i64,
    /// Its sender: must be the current user, or the recall fails with 25101.
    pub sender_user_id: String,
    /// Optional `extra` of the RC:RcCmd content.
    #[serde(default)]
    pub extra: Option<String>,
}

/// A generic QUERY, the building block of the API methods of api.md §3.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryRequest {
    /// e.g. `qryRelation`.
    pub topic: String,
    /// The target id of the QUERY.
    pub target_id: String,
    /// The protobuf request.
    pub payload: Vec<u8>,
    /// QoS 1 (the server is asked for a QoS 1 QUERYACK) instead of 0.
    #[serde(default)]
    pub qos1: bool,
}

impl Engine {
    /// Encodes and sends a QUERY, registering `pending` under a fresh id.
    pub(crate) fn send_query(
        &mut self,
        now_ms: u64,
        topic: &str,
        target: &str,
        payload: Vec<u8>,
        qos: Qos,
        pending: Pending,
    ) -> Result<u16, RequestError> {
        let msg_id = self.requests.next_id();
        let frame = ClientFrame::Query(Query {
            qos,
            topic: topic.to_owned(),
            target_id: target.to_owned(),
            msg_id,
            payload,
        });
        self.send_frame(&frame)?;
        self.requests.insert(msg_id, pending, now_ms);
        Ok(msg_id)
    }

    pub(crate) fn send_frame(&mut self, frame: &ClientFrame) -> Result<(), RequestError> {
        // CESU-8 strings are byte-identical to the original client (transport.md §4.3).
        let bytes = frame
            .encode_with(StringForm::Cesu8)
            .map_err(|e| RequestError::with_reason(ErrorCode::PARAMETER_ERROR.value(), e.text()))?;
        self.out.send_bytes(bytes);
        Ok(())
    }

    pub(crate) fn complete(&mut self, id: RequestId, result: Result<Reply, RequestError>) {
        // The answers of `sendReceiptResponse` complete their call, not the app's requests.
        let Some(result) = self.receipt_completion(id, result) else {
            return;
        };
        self.out.event(Event::RequestCompleted { id, result });
    }

    pub(crate) fn not_connected(&mut self, id: RequestId) -> RequestId {
        let err = RequestError::with_reason(ErrorCode::RC_NET_UNAVAILABLE.value(), "not connected");
        self.complete(id, Err(err));
        id
    }

    /// Sends a QUERY; completes with its payload or the QUERYACK status.
    pub fn query(&mut self, now_ms: u64, req: QueryRequest) -> RequestId {
        let id = self.out.request_id();
        if !self.is_connected() {
            return self.not_connected(id);
        }
        let qos = if req.qos1 {
            Qos::AtLeastOnce
        } else {
            Qos::AtMostOnce
        };
        if let Err(e) = self.send_query(
            now_ms,
            &req.topic,
            &req.target_id,
            req.payload,
            qos,
            Pending::Query { id },
        ) {
            self.complete(id, Err(e));
        }
        id
    }

    /// `sendMessage`: PUBLISH an `UpStreamMessage` (api.md §4.2, §4.3). Completes with the sent
    /// message (PUBACK status 0), or the PUBACK status / −1 / −3 with the failed message.
    pub fn send_message(&mut self, now_ms: u64, req: SendRequest) -> RequestId {
        // Its SENDING copy in the local store may wait, like what the PUBACK changes.
        self.hold_writes(now_ms);
        let id = self.out.request_id();
        let invalid =
            |reason: &str| RequestError::with_reason(ErrorCode::PARAMETER_ERROR.value(), reason);
        let content = match req.content {
            SendContent::Typed(c) => *c,
            SendContent::Json { object_name, json } => {
                if object_name.is_empty() {
                    return self.fail(id, invalid("objectName is empty"));
                }
                match JsonContent::decode(&object_name, json.as_bytes()) {
                    Ok(c) => c,
                    Err(e) => return self.fail(id, invalid(&e.text())),
                }
            }
        };
        let topic = match req.method_type {
            Some(1) => Some(topic::CUSTOMER_SERVICE_METHOD),
            Some(2) => Some(topic::RECALL_MSG),
            _ => ConversationType::from_value(req.conversation_type).and_then(topic::send_topic),
        };
        let Some(topic) = topic else {
            return self.fail(id, invalid("no send topic for this conversation type"));
        };
        if req.target_id.is_empty() {
            return self.fail(id, invalid("targetId is empty"));
        }
        let bytes = match content.encode() {
            Ok(b) => b,
            Err(e) => return self.fail(id, invalid(&e.text())),
        };
        if bytes.len() > MAX_CONTENT_LEN {
            return self.fail(id, invalid("content is larger than 128 KB"));
        }
        let object_name = content.object_name().to_owned();
        let mut tag: MessageTag = if req.status {
            MessageTag::NONE
        } else {
            self.registry.tag(&object_name)
        };
        let outboxed = !req.status
            && req.method_type != Some(2)
            && self.outbox_takes(req.conversation_type, tag, &bytes);
        if !self.is_connected() && !outboxed {
            return self.not_connected(id);
        }
        let group_like = matches!(req.conversation_type, 2 | 3);
        if req.mentioned && group_like && !req.status {
            tag = tag.with_mention();
        }
        let mut user_ids = Vec::new();
        if group_like {
            match content.builtin().map(|t| t.object_name) {
                // ReadReceiptResponseMessage.
                Some("RC:RRRspMsg") => {
                    user_ids = content
                        .get("receiptMessageDic")
                        .and_then(im_wire::value::Value::as_object)
                        .map(|m| m.keys().cloned().collect())
                        .unwrap_or_default();
                }
                // SyncReadStatusMessage.
                Some("RC:SRSMsg") => user_ids = vec![self.user_id.clone()],
                _ => {}
            }
        }
        if let Some(ids) = req.user_ids {
            user_ids = ids;
        }
        let config_flag = i32::from(req.is_push) | i32::from(req.is_filter_white_blacklist) << 1;
        let up = UpStreamMessage {
            session_id: tag.session_id(),
            classname: object_name.clone(),
            content: bytes,
            push_text: req.push_text.filter(|s| !s.is_empty()),
            app_data: req.app_data.filter(|s| !s.is_empty()),
            user_id: user_ids,
            config_flag: Some(config_flag),
            ..Default::default()
        };
        let mut message = Message {
            conversation_type: req.conversation_type,
            target_id: req.target_id.clone(),
            sender_user_id: self.user_id.clone(),
            message_type: self.registry.type_name(&content),
            object_name,
            content,
            message_direction: MessageDirection::Send.value(),
            message_uid: None,
            sent_time: i64::try_from(now_ms).unwrap_or(i64::MAX),
            received_time: None,
            received_status: None,
            sent_status: Some(SentStatus::Sending.value()),
            message_id: None,
            off_line_message: None,
            extra: None,
            receipt_response: None,
        };
        if outboxed {
            return self.outbox_add(now_ms, id, topic, req.target_id, up, message);
        }
        let msg_id = self.requests.next_id();
        let frame = ClientFrame::Publish(ClientPublish {
            qos: Qos::AtLeastOnce,
            topic: topic.to_owned(),
            target_id: req.target_id,
            msg_id,
            payload: proto::encode(&up),
        });
        if let Err(e) = self.send_frame(&frame) {
            return self.fail(id, e);
        }
        let message_id = self.store_sending(&mut message, msg_id, !req.status);
        self.requests.insert(
            msg_id,
            Pending::Send {
                id,
                message: Box::new(message),
                status: req.status,
            },
            now_ms,
        );
        self.out.event(Event::SendStarted { id, message_id });
        id
    }

    /// `sendRecallMessage`: RC:RcCmd on topic `recallMsg`, target = self (api.md §3.2).
    pub fn send_recall(&mut self, now_ms: u64, req: RecallRequest) -> RequestId {
        if req.sender_user_id != self.user_id || self.user_id.is_empty() {
            let id = self.out.request_id();
            let err = RequestError::with_reason(
                ErrorCode::RECALL_MESSAGE.value(),
                "only the sender can recall a message",
            );
            return self.fail(id, err);
        }
        // RecallCommandMessage {messageUId, conversationType, targetId, sentTime, extra}.
        let mut fields = im_wire::value::Map::new();
        fields.insert("messageUId".into(), req.message_uid.into());
        fields.insert("conversationType".into(), req.conversation_type.into());
        fields.insert("targetId".into(), req.target_id.into());
        fields.insert("sentTime".into(), req.sent_time.into());
        if let Some(extra) = req.extra {
            fields.insert("extra".into(), extra.into());
        }
        let content = match JsonContent::from_value(RECALL, fields.into()) {
            Ok(c) => c,
            Err(e) => {
                let id = self.out.request_id();
                let err = RequestError::with_reason(ErrorCode::PARAMETER_ERROR.value(), e.text());
                return self.fail(id, err);
            }
        };
        let mut send =
            SendRequest::with_content(req.conversation_type, self.user_id.clone(), content);
        send.method_type = Some(2);
        self.send_message(now_ms, send)
    }

    fn fail(&mut self, id: RequestId, err: RequestError) -> RequestId {
        self.complete(id, Err(err));
        id
    }

    /// A server PUBACK for one of our sends (api.md §4.5).
    pub(crate) fn handle_send_ack(
        &mut self,
        id: RequestId,
        message: Box<Message>,
        status: bool,
        ack: &ServerPubAck,
    ) {
        let result = self.send_acked(message, status, ack);
        self.complete(id, result);
    }

    /// What a PUBACK changes (store, sync boxes, conversation list), and the send's outcome.
    pub(crate) fn send_acked(
        &mut self,
        mut message: Box<Message>,
        status: bool,
        ack: &ServerPubAck,
    ) -> Result<Reply, RequestError> {
        let time = i64::try_from(ack.timestamp()).unwrap_or(i64::MAX);
        message.sent_time = time;
        message.message_uid = (!ack.message_uid.is_empty()).then(|| ack.message_uid.clone());
        if ack.status != 0 {
            message.sent_status = Some(SentStatus::Failed.value());
            if !status {
                self.store_send_outcome(&message);
            }
            return Err(RequestError {
                code: i32::from(ack.status),
                message: Some(message),
                reason: None,
            });
        }
        message.sent_status = Some(SentStatus::Sent.value());
        if status {
            // Kept nowhere, by the server or here.
            return Ok(Reply::Sent {
                message: std::sync::Arc::new(*message),
            });
        }
        self.store_send_outcome(&message);
        if let Some(uid) = &message.message_uid {
            // The server will echo it in later pulls; it must not come back as new.
            self.sync.seen.insert(uid);
        }
        if self.sync.finished == Some(true) {
            let before = self.sync.boxes;
            self.sync.boxes.last_sent = self.sync.boxes.last_sent.max(time);
            self.sync.boxes.send = self.sync.boxes.send.max(time);
            self.persist_boxes(before);
        }
        let message = std::sync::Arc::new(*message);
        self.note_sent(&message);
        Ok(Reply::Sent { message })
    }

    /// A send that got no PUBACK: −1 with the message marked FAILED (api.md §4.5).
    pub(crate) fn send_timed_out(
        &mut self,
        id: RequestId,
        mut message: Box<Message>,
        status: bool,
    ) {
        message.sent_status = Some(SentStatus::Failed.value());
        if !status {
            self.store_send_outcome(&message);
        }
        let err = RequestError {
            code: ErrorCode::TIMEOUT.value(),
            message: Some(message),
            reason: None,
        };
        self.complete(id, Err(err));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn completion(engine: &mut Engine) -> Option<(RequestId, Result<Reply, RequestError>)> {
        loop {
            match engine.poll_output() {
                crate::Output::Event {
                    event: Event::RequestCompleted { id, result },
                } => return Some((id, result)),
                crate::Output::Timeout { .. } => return None,
                _ => {}
            }
        }
    }

    #[test]
    fn arguments_are_checked_before_the_connection_so_bad_ones_fail_with_minus_3() {
        let mut engine = Engine::new(crate::Config::new("k"));
        let big = im_wire::content::TextMessage {
            content: Some("x".repeat(MAX_CONTENT_LEN)),
            ..Default::default()
        };
        let id = engine.send_message(0, SendRequest::new(1, "bob", big.into()));
        let (done, result) = completion(&mut engine).unwrap();
        assert_eq!(done, id);
        let err = result.unwrap_err();
        assert_eq!(err.code, ErrorCode::PARAMETER_ERROR.value());
        assert!(err.reason.unwrap().contains("128 KB"));
        let small = im_wire::content::TextMessage {
            content: Some("hi".into()),
            ..Default::default()
        };
        engine.send_message(0, SendRequest::new(1, "bob", small.into()));
        let (_, result) = completion(&mut engine).unwrap();
        assert_eq!(
            result.unwrap_err().code,
            ErrorCode::RC_NET_UNAVAILABLE.value()
        );
    }

    #[test]
    fn a_send_request_deserializes_from_the_js_arguments() {
        let req: SendRequest = serde_json::from_str(
            r#"{"conversationType":3,"targetId":"g1","objectName":"RC:TxtMsg",
                "content":{"content":"hi","extra":""},"mentioned":true,
                "userIds":["u2"],"isVoipPush":true}"#,
        )
        .unwrap();
        assert_eq!(req.conversation_type, 3);
        assert_eq!(
            req.content,
            SendContent::Json {
                object_name: "RC:TxtMsg".into(),
                json: r#"{"content":"hi","extra":""}"#.into()
            }
        );
        assert!(req.mentioned && req.is_push && !req.is_filter_white_blacklist);
        assert_eq!(req.user_ids, Some(vec!["u2".to_owned()]));
        let recall: RecallRequest = serde_json::from_str(
            r#"{"conversationType":1,"targetId":"b","messageUId":"U","sentTime":5,"senderUserId":"me"}"#,
        )
        .unwrap();
        assert_eq!((recall.message_uid.as_str(), recall.extra), ("U", None));
    }
}
