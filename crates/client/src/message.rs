//! The 2.x `Message` object and its derivation from a `DownStreamMessage` (api.md §5.4).

use im_wire::content::JsonContent;
use im_wire::enums::{downstream_status, MessageDirection, ReceivedStatus};
use im_wire::proto::DownStreamMessage;
use im_wire::text;
use im_wire::value::Value;
use im_wire::MessageTag;
use serde::{Serialize, Serializer};

use crate::keyed::Keyed;
use crate::rng::Rng;

/// A message as the 2.x API hands it to `onReceived` and `onSuccess`, serialized with the 2.x
/// field names (`conversationType`, `messageUId`, `offLineMessage`, …).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// `ConversationType` value.
    pub conversation_type: i32,
    /// The peer (private) or the group/discussion/chatroom id.
    pub target_id: String,
    /// Who sent it.
    pub sender_user_id: String,
    /// The content; serialized as its JSON object (the SDK class's fields).
    #[serde(serialize_with = "content_json")]
    pub content: JsonContent,
    /// e.g. `RC:TxtMsg`.
    pub object_name: String,
    /// The SDK type name, e.g. `TextMessage`, a registered custom name, or `UnknownMessage`.
    pub message_type: String,
    /// 1 SEND, 2 RECEIVE.
    pub message_direction: i32,
    /// The server's global id.
    #[serde(rename = "messageUId", skip_serializing_if = "Option::is_none")]
    pub message_uid: Option<String>,
    /// Server time in ms.
    pub sent_time: i64,
    /// Local time of receipt (received messages only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_time: Option<i64>,
    /// `ReceivedStatus` flags (received messages only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_status: Option<i32>,
    /// `SentStatus` (sent messages only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent_status: Option<i32>,
    /// Local id. A message in the local store carries its store id (a per-user increasing
    /// number, as decimal text), sends too; others have 2.5.3's `"{type}_{random}"` (received)
    /// or the signalling id (sent while the store is off).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// Sent before this connection was accepted (offline delivery).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub off_line_message: Option<bool>,
    /// A local note the app attached with `setMessageExtra`; never sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
    /// Group read receipts of a message this user sent and asked about:
    /// `{"<messageUId>": [readerId…]}` (2.5.3 keeps the count; its number of readers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt_response: Option<Value>,
}

fn content_json<S: Serializer>(content: &JsonContent, s: S) -> Result<S::Ok, S::Error> {
    content.value().serialize(s)
}

/// The JSON value of a content: what its SDK class holds.
pub fn content_value(content: &JsonContent) -> Value {
    content.value().clone()
}

/// Custom types registered with `registerMessageType` (api.md §3.9): objectName → (type name,
/// tag). Built-in objectNames cannot be overridden, as in the SDK (api.md §6.3).
#[derive(Clone, Debug, Default)]
pub(crate) struct Registry {
    custom: Keyed<(String, MessageTag)>,
}

impl Registry {
    pub(crate) fn register(&mut self, type_name: &str, object_name: &str, tag: MessageTag) {
        self.custom
            .insert(object_name.to_owned(), (type_name.to_owned(), tag));
    }

    /// Decodes a content, never failing: JSON that does not fit a built-in type, or bytes that are
    /// not text, become an `UnknownMessage` holding the text, like the SDK's fallback.
    pub(crate) fn decode(&self, object_name: &str, bytes: &[u8]) -> JsonContent {
        JsonContent::decode(object_name, bytes).unwrap_or_else(|_| {
            JsonContent::unknown(object_name, Value::String(im_wire::text::lossy(bytes)))
        })
    }

    /// The `messageType` reported for a content.
    pub(crate) fn type_name(&self, content: &JsonContent) -> String {
        match content.builtin() {
            None => self
                .custom
                .get(content.object_name())
                .map_or("UnknownMessage", |(name, _)| name.as_str())
                .to_owned(),
            Some(t) => t.type_name.to_owned(),
        }
    }

    /// The tag of an objectName: built-in, registered, or 3 like `UnknownMessage`.
    pub(crate) fn tag(&self, object_name: &str) -> MessageTag {
        if let Some(b) = im_wire::content::builtin(object_name) {
            return b.tag;
        }
        self.custom
            .get(object_name)
            .map_or(MessageTag::PERSISTED_COUNTED, |(_, tag)| *tag)
    }
}

/// What the conversion needs besides the protobuf.
pub(crate) struct Context<'a> {
    pub(crate) self_id: &'a str,
    pub(crate) now_ms: u64,
    pub(crate) connect_ack_time: i64,
    pub(crate) registry: &'a Registry,
}

/// DownStreamMessage → Message (api.md §5.4).
pub(crate) fn from_downstream(ctx: &Context<'_>, m: &DownStreamMessage, rng: &mut Rng) -> Message {
    let now = i64::try_from(ctx.now_ms).unwrap_or(i64::MAX);
    let content = ctx.registry.decode(&m.classname, &m.content);
    let sent_time = if m.data_time > 0 { m.data_time } else { now };
    let group_id = m.group_id.clone().unwrap_or_default();
    let self_sent = m.from_user_id == ctx.self_id || m.direction == Some(1);
    let target_id = if self_sent || matches!(m.r#type, 2..=4) {
        if group_id.is_empty() {
            m.from_user_id.clone()
        } else {
            group_id
        }
    } else {
        m.from_user_id.clone()
    };
    let sender = if self_sent {
        ctx.self_id.to_owned()
    } else {
        m.from_user_id.clone()
    };
    // A message from self to self is shown as received (api.md §5.4, "Exception").
    let direction = if self_sent && !(sender == ctx.self_id && target_id == ctx.self_id) {
        MessageDirection::Send
    } else {
        MessageDirection::Receive
    };
    let received_status = if m.status & downstream_status::RETRIEVED != 0 {
        ReceivedStatus::RETRIEVED
    } else {
        ReceivedStatus::READ
    };
    Message {
        conversation_type: m.r#type,
        target_id,
        sender_user_id: sender,
        message_type: ctx.registry.type_name(&content),
        object_name: m.classname.clone(),
        content,
        message_direction: direction.value(),
        message_uid: m.msg_id.clone().filter(|u| !u.is_empty()),
        sent_time,
        received_time: Some(now),
        received_status: Some(received_status.0),
        sent_status: None,
        message_id: Some(text!(m.r#type, "_", rng.below(16_777_216))),
        off_line_message: Some(sent_time < ctx.connect_ack_time),
        extra: None,
        receipt_response: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dsm(
        from: &str,
        kind: i32,
        group: Option<&str>,
        direction: Option<i32>,
    ) -> DownStreamMessage {
        DownStreamMessage {
            from_user_id: from.into(),
            r#type: kind,
            group_id: group.map(Into::into),
            classname: "RC:TxtMsg".into(),
            content: br#"{"content":"hi","extra":""}"#.to_vec(),
            data_time: 1000,
            status: 0x02,
            msg_id: Some("UID1".into()),
            direction,
            ..Default::default()
        }
    }

    fn convert(m: &DownStreamMessage) -> Message {
        let registry = Registry::default();
        let ctx = Context {
            self_id: "me",
            now_ms: 5000,
            connect_ack_time: 2000,
            registry: &registry,
        };
        from_downstream(&ctx, m, &mut Rng::new(1))
    }

    #[test]
    fn a_private_message_from_a_peer_targets_the_peer() {
        let m = convert(&dsm("bob", 1, None, None));
        assert_eq!(
            (m.target_id.as_str(), m.sender_user_id.as_str()),
            ("bob", "bob")
        );
        assert_eq!(m.message_direction, 2);
        assert_eq!(m.received_status, Some(8));
        assert_eq!(m.off_line_message, Some(true));
        assert_eq!(m.message_type, "TextMessage");
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["messageUId"], "UID1");
        assert_eq!(json["content"]["content"], "hi");
        assert_eq!(json["offLineMessage"], true);
        assert!(json["messageId"].as_str().unwrap().starts_with("1_"));
    }

    #[test]
    fn group_and_own_messages_target_the_group_id() {
        let m = convert(&dsm("bob", 3, Some("g1"), None));
        assert_eq!((m.target_id.as_str(), m.message_direction), ("g1", 2));
        let own = convert(&dsm("me", 1, Some("bob"), Some(1)));
        assert_eq!((own.target_id.as_str(), own.message_direction), ("bob", 1));
        let to_self = convert(&dsm("me", 1, Some("me"), Some(1)));
        assert_eq!(to_self.message_direction, 2);
    }

    #[test]
    fn bad_content_becomes_an_unknown_message() {
        let mut m = dsm("bob", 1, None, None);
        m.content = vec![0xff, b'x'];
        let msg = convert(&m);
        assert_eq!(msg.message_type, "UnknownMessage");
        assert_eq!(msg.object_name, "RC:TxtMsg");
    }
}
