//! One stored message: its line (compact JSON, one per message in a chunk) and its conversion to
//! and from [`Message`].
//!
//! A line holds `i` (local id), `t` (sentTime), `u` (messageUId), `s` (sender), `d` (direction),
//! `o` (objectName), `c` (content), `r` (receivedStatus), `p` (sentStatus), `rt` (receivedTime),
//! `x` (extra), `f` (offLineMessage), `rr` (receiptResponse). The conversation is the chunk's; `messageType` is derived
//! from the objectName when read, like on receipt. Short names keep the budget for messages.

use im_wire::content::JsonContent;
use im_wire::enums::SentStatus;
use im_wire::json_out::Object;
use im_wire::value::Value;

use crate::message::{Message, Registry};

/// A conversation: (`ConversationType` value, target id).
pub(crate) type ConvKey = (i32, String);

/// A stored message: what is read once when its chunk is loaded (id, time, messageUId) and its
/// line as stored. The rest is parsed only when the message itself is wanted.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    pub(crate) id: u64,
    pub(crate) time: i64,
    pub(crate) uid: Option<String>,
    pub(crate) line: String,
}

fn int(v: &Value, key: &str) -> Option<i32> {
    v.get(key)
        .and_then(Value::as_i64)
        .and_then(|n| i32::try_from(n).ok())
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

impl Entry {
    /// The entry of `m` under local id `id`.
    pub(crate) fn new(id: u64, m: &Message) -> Self {
        // Written directly (json_out), field by field: serde's derive would keep its
        // serializer in the wasm for this one shape.
        let mut line = String::with_capacity(128);
        Object::new(&mut line)
            .field("i", &id)
            .field("t", &m.sent_time)
            .opt("u", &m.message_uid)
            .field("s", &m.sender_user_id)
            .field("d", &m.message_direction)
            .field("o", &m.object_name)
            .field("c", m.content.value())
            .opt("r", &m.received_status)
            .opt("p", &m.sent_status)
            .opt("rt", &m.received_time)
            .opt("x", &m.extra)
            .opt("f", &m.off_line_message)
            .opt("rr", &m.receipt_response)
            .end();
        Self {
            id,
            time: m.sent_time,
            uid: m.message_uid.clone(),
            line,
        }
    }

    /// Reads a stored line, `None` when it is not one (a damaged line is dropped, never a
    /// panic). The line was stored by an earlier run of the engine: a send it left SENDING (10)
    /// never got its PUBACK, so it reads as FAILED (20); `true` when the line changed so.
    pub(crate) fn parse_stored(line: &str) -> Option<(Self, bool)> {
        let mut v = im_wire::json::parse(line).ok()?;
        let entry = Self {
            id: v.get("i")?.as_u64()?,
            time: v.get("t")?.as_i64()?,
            uid: text(&v, "u"),
            line: line.to_owned(),
        };
        let sending = i64::from(SentStatus::Sending.value());
        if v.get("p").and_then(Value::as_i64) != Some(sending) {
            return Some((entry, false));
        }
        if let Some(p) = v.get_mut("p") {
            *p = Value::from(SentStatus::Failed.value());
        }
        Some((
            Self {
                line: im_wire::json_out::text(&v),
                ..entry
            },
            true,
        ))
    }

    /// The message of this entry in conversation `key`.
    pub(crate) fn message(&self, key: &ConvKey, registry: &Registry) -> Option<Message> {
        let v = im_wire::json::parse(&self.line).ok()?;
        let object_name = text(&v, "o").unwrap_or_default();
        let value = v.get("c").cloned().unwrap_or(Value::Null);
        let content = JsonContent::from_value(&object_name, value.clone())
            .unwrap_or_else(|_| JsonContent::unknown(&object_name, value));
        Some(Message {
            conversation_type: key.0,
            target_id: key.1.clone(),
            sender_user_id: text(&v, "s").unwrap_or_default(),
            message_type: registry.type_name(&content),
            object_name,
            content,
            message_direction: int(&v, "d").unwrap_or(2),
            message_uid: self.uid.clone(),
            sent_time: self.time,
            received_time: v.get("rt").and_then(Value::as_i64),
            received_status: int(&v, "r"),
            sent_status: int(&v, "p"),
            message_id: Some(crate::local::int_text(self.id)),
            off_line_message: v.get("f").and_then(Value::as_bool),
            extra: text(&v, "x"),
            receipt_response: v.get("rr").cloned(),
        })
    }
}

/// The local id a message carries (`messageId` of a stored message is its decimal text).
pub(crate) fn local_id(m: &Message) -> Option<u64> {
    m.message_id.as_deref()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use im_wire::content::TextMessage;

    fn message() -> Message {
        Message {
            conversation_type: 3,
            target_id: "g1".into(),
            sender_user_id: "bob".into(),
            content: JsonContent::from(im_wire::content::MessageContent::from(TextMessage::new(
                "héllo \"you\"\n🙂",
            ))),
            object_name: "RC:TxtMsg".into(),
            message_type: "TextMessage".into(),
            message_direction: 2,
            message_uid: Some("U1".into()),
            sent_time: 1_600_000_000_123,
            received_time: Some(1_600_000_000_200),
            received_status: Some(1),
            sent_status: None,
            message_id: Some("42".into()),
            off_line_message: Some(true),
            extra: Some("x".into()),
            receipt_response: Some(im_wire::json!({"U1": ["r"]})),
        }
    }

    #[test]
    fn a_message_comes_back_from_its_line_unchanged() {
        let m = message();
        let e = Entry::new(42, &m);
        assert!(!e.line.contains('\n'), "one line: {}", e.line);
        let (parsed, changed) = Entry::parse_stored(&e.line).unwrap();
        assert!(!changed);
        assert_eq!(parsed, e);
        let back = parsed
            .message(&(3, "g1".into()), &Registry::default())
            .unwrap();
        assert_eq!(back, m);
        assert_eq!(local_id(&back), Some(42));
    }

    #[test]
    fn damaged_lines_are_refused() {
        for line in ["", "{", r#"{"t":1}"#, r#"{"i":"x","t":1}"#, "[1]"] {
            assert_eq!(Entry::parse_stored(line), None, "{line}");
        }
        // A custom type keeps whatever JSON it had, as an unknown content.
        let e = Entry {
            id: 1,
            time: 5,
            uid: None,
            line: r#"{"i":1,"t":5,"s":"a","d":1,"o":"App:X","c":[1,2]}"#.into(),
        };
        let m = e.message(&(1, "a".into()), &Registry::default()).unwrap();
        assert_eq!(m.message_type, "UnknownMessage");
        assert_eq!(m.content.value(), &im_wire::json!([1, 2]));
    }
}
