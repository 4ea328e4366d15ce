//! [`JsonContent`]: a message content kept as its JSON value, checked against the built-in table
//! without a Rust type per content.

use crate::value::Value;

use super::error::text;
use super::field::{normalize_object, Key};
use super::table::ROW_KEYS;
use super::{json_or_string, raw_or_json, BuiltinType, ContentError, MessageContent};
use super::{UnknownContent, BUILTIN_TYPES};
use crate::tag::MessageTag;

/// A message content as its JSON value: what [`MessageContent`] decodes and encodes, for code that
/// does not need the typed fields (the client engine). It is checked and written by a table of the
/// built-in types' fields, so it costs a little data instead of code per type, with the same
/// result: the value [`MessageContent::to_value`] gives, the bytes of [`MessageContent::encode`],
/// the same errors, type name and tag (the tests compare both on every type).
#[derive(Clone, Debug, PartialEq)]
pub struct JsonContent {
    object_name: String,
    /// The row of [`BUILTIN_TYPES`], or `None` for an unknown objectName.
    row: Option<usize>,
    value: Value,
}

impl JsonContent {
    /// Decodes the `content` bytes of a message whose `classname` is `object_name`, like
    /// [`MessageContent::decode`].
    pub fn decode(object_name: &str, content: &[u8]) -> Result<Self, ContentError> {
        let text = text(object_name, content)?;
        let row = BUILTIN_TYPES
            .iter()
            .position(|t| t.object_name == object_name);
        let keys = row.and_then(|r| ROW_KEYS.get(r).copied().flatten());
        let value = match keys {
            Some(keys) => {
                let parsed = crate::json::parse(&text).map_err(|e| invalid(object_name, e))?;
                object(object_name, parsed, keys())?
            }
            None => json_or_string(&text),
        };
        Ok(Self {
            object_name: object_name.to_owned(),
            row,
            value,
        })
    }

    /// A content of `object_name` from its JSON value, checked like a decoded one (a built-in
    /// JSON-object type must get an object that fits it; other types take any value).
    pub fn from_value(object_name: &str, value: Value) -> Result<Self, ContentError> {
        let row = BUILTIN_TYPES
            .iter()
            .position(|t| t.object_name == object_name);
        let value = match row.and_then(|r| ROW_KEYS.get(r).copied().flatten()) {
            Some(keys) => object(object_name, value, keys())?,
            None => value,
        };
        Ok(Self {
            object_name: object_name.to_owned(),
            row,
            value,
        })
    }

    /// An `UnknownMessage` of `object_name` holding `json`, whatever the objectName (the SDK's
    /// fallback for a content that does not decode).
    pub fn unknown(object_name: &str, json: Value) -> Self {
        Self {
            object_name: object_name.to_owned(),
            row: None,
            value: json,
        }
    }

    /// The content as JSON bytes, like [`MessageContent::encode`].
    pub fn encode(&self) -> Result<Vec<u8>, ContentError> {
        match self.keys() {
            Some(_) => Ok(crate::json_out::text(&self.value).into_bytes()),
            None => raw_or_json(&self.value),
        }
    }

    /// The JSON value: the object its SDK class holds, like [`MessageContent::to_value`].
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The objectName sent as `classname`.
    pub fn object_name(&self) -> &str {
        &self.object_name
    }

    /// The built-in type of the content, `None` for an unknown one.
    pub fn builtin(&self) -> Option<&'static BuiltinType> {
        self.row.and_then(|r| BUILTIN_TYPES.get(r))
    }

    /// The SDK class name, `UnknownMessage` for unknown types.
    pub fn type_name(&self) -> &str {
        self.builtin().map_or("UnknownMessage", |t| t.type_name)
    }

    /// The message tag of the type; unknown objectNames count as (T,T) → 3.
    pub fn tag(&self) -> MessageTag {
        self.builtin()
            .map_or(MessageTag::PERSISTED_COUNTED, |t| t.tag)
    }

    /// The value of a key of a JSON-object content (checked against the type when built in).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.keys()?;
        self.value.get(key)
    }

    /// The `mentionedInfo` of the types whose SDK constructor keeps it, like
    /// [`MessageContent::mentioned_info`].
    pub fn mentioned_info(&self) -> Option<&Value> {
        match self.builtin()?.type_name {
            "TextMessage"
            | "ImageMessage"
            | "VoiceMessage"
            | "LocationMessage"
            | "PublicServiceCommandMessage" => self.get("mentionedInfo"),
            _ => None,
        }
    }

    fn keys(&self) -> Option<fn() -> &'static [Key]> {
        self.row.and_then(|r| ROW_KEYS.get(r).copied().flatten())
    }
}

impl From<&MessageContent> for JsonContent {
    fn from(content: &MessageContent) -> Self {
        let object_name = content.object_name();
        Self {
            object_name: object_name.to_owned(),
            row: match content {
                MessageContent::Unknown(_) => None,
                _ => BUILTIN_TYPES
                    .iter()
                    .position(|t| t.object_name == object_name),
            },
            value: content.to_value().unwrap_or(Value::Null),
        }
    }
}

impl From<MessageContent> for JsonContent {
    fn from(content: MessageContent) -> Self {
        Self::from(&content)
    }
}

impl From<UnknownContent> for JsonContent {
    fn from(u: UnknownContent) -> Self {
        Self::unknown(&u.object_name, u.json)
    }
}

fn invalid(object_name: &str, reason: String) -> ContentError {
    ContentError::InvalidJson {
        object_name: object_name.to_owned(),
        reason,
    }
}

/// A JSON-object content's value, checked and written in the SDK's key order.
fn object(object_name: &str, value: Value, keys: &[Key]) -> Result<Value, ContentError> {
    let Value::Object(map) = value else {
        return Err(invalid(object_name, "expected a JSON object".into()));
    };
    normalize_object(map, keys)
        .map(Value::Object)
        .map_err(|reason| invalid(object_name, reason))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    /// Both decoders agree on `(object_name, bytes)`: same value, bytes, errors, name, tag and
    /// mentions.
    fn agree(object_name: &str, bytes: &[u8]) {
        let typed = MessageContent::decode(object_name, bytes);
        let json = JsonContent::decode(object_name, bytes);
        match (&typed, &json) {
            (Ok(t), Ok(j)) => {
                assert_eq!(&t.to_value().unwrap(), j.value(), "{object_name}");
                assert_eq!(t.encode(), j.encode(), "{object_name}");
                assert_eq!(t.type_name(), j.type_name());
                assert_eq!(t.object_name(), j.object_name());
                assert_eq!(t.tag(), j.tag());
                assert_eq!(
                    t.mentioned_info().map(super::super::field::Field::to_json),
                    j.mentioned_info().cloned()
                );
                assert_eq!(&JsonContent::from(t), j);
                let again = JsonContent::from_value(object_name, j.value().clone()).unwrap();
                if j.builtin().is_some() && j.keys().is_some() {
                    assert_eq!(&again, j);
                }
            }
            (Err(t), Err(j)) => assert_eq!(t, j, "{object_name}"),
            _ => panic!(
                "{object_name} {:?}: {typed:?} vs {json:?}",
                String::from_utf8_lossy(bytes)
            ),
        }
    }

    fn samples() -> Vec<Value> {
        vec![
            json!({}),
            json!({"content": "hi", "extra": "", "zz": [1, null]}),
            json!({"extra": "", "content": "hi", "user": {"portraitUri": "p", "id": "u", "x": 1}}),
            json!({"content": null, "user": null, "mentionedInfo": {"userIdList": ["a"], "type": 2}}),
            json!({"mentionedInfo": {"type": 1, "userIdList": "u1"}}),
            json!({"mentionedInfo": {"type": 1.5}}),
            json!({"latitude": 40.0, "longitude": -3, "poi": "p"}),
            json!({"latitude": "north"}),
            json!({"duration": 3, "content": "AAAA"}),
            json!({"duration": 3.5}),
            json!({"duration": "x"}),
            json!({"conversationType": 3, "messageUId": "U", "targetId": "g", "sentTime": 5}),
            json!({"receiptMessageDic": {"u1": ["a"]}, "lastMessageSendTime": 9}),
            json!({"nameList": ["a", 1]}),
            json!({"nameList": ["a", "b"], "summaryList": []}),
            json!({"menuItems": [{"name": "n", "subMenuItems": [{"name": "s", "subMenuItems": []}]}]}),
            json!({"menuItems": [{"subMenuItems": [{"name": 5}]}]}),
            json!({"data": "{\"a\":1}", "name": "n"}),
            json!({"isHasReceived": true, "operation": "op"}),
            json!({"isHasReceived": "yes"}),
            json!({"inviteUserIds": ["a"], "existedMemberStatusList": [{"x": 1}]}),
            json!({"content": 5}),
            json!({"user": "u"}),
            json!([1, 2]),
            json!("str"),
            json!(12),
        ]
    }

    #[test]
    fn every_builtin_type_decodes_like_the_typed_contents() {
        let mut names: Vec<&str> = BUILTIN_TYPES.iter().map(|t| t.object_name).collect();
        names.extend(["App:Custom", "RC:txtmsg"]);
        for name in names {
            for sample in samples() {
                agree(name, sample.to_string().as_bytes());
            }
            for raw in [
                &b"not json"[..],
                b"",
                b"\"3111\"",
                &[0xFF, 0xFE],
                b"{\"a\":1,\"a\":2}",
            ] {
                agree(name, raw);
            }
        }
    }

    /// Random JSON against every row (native only: proptest seeds from the OS).
    #[cfg(not(target_arch = "wasm32"))]
    mod random {
        use super::*;
        use proptest::prelude::*;

        fn arbitrary_json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(Value::from),
                (-1e6f64..1e6).prop_map(Value::from),
                Just(json!(40.0)),
                "[a-z]{0,3}".prop_map(Value::String),
            ];
            leaf.prop_recursive(3, 24, 4, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                    prop::collection::vec(
                        (
                            prop_oneof![
                                Just("content".to_owned()),
                                Just("user".to_owned()),
                                Just("id".to_owned()),
                                Just("name".to_owned()),
                                Just("mentionedInfo".to_owned()),
                                Just("type".to_owned()),
                                Just("userIdList".to_owned()),
                                Just("duration".to_owned()),
                                Just("latitude".to_owned()),
                                Just("extra".to_owned()),
                                Just("data".to_owned()),
                                Just("menuItems".to_owned()),
                                Just("subMenuItems".to_owned()),
                                "[a-z]{1,2}",
                            ],
                            inner
                        ),
                        0..6
                    )
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
                ]
            })
        }

        proptest! {
            #[test]
            fn arbitrary_json_decodes_like_the_typed_contents(
                row in 0..BUILTIN_TYPES.len() + 1,
                value in arbitrary_json(),
            ) {
                let name = BUILTIN_TYPES.get(row).map_or("App:Custom", |t| t.object_name);
                agree(name, value.to_string().as_bytes());
            }
        }
    }

    #[test]
    fn unknown_and_mentions() {
        let u = JsonContent::unknown("RC:TxtMsg", json!("raw"));
        assert_eq!(
            (u.type_name(), u.tag(), u.encode().unwrap()),
            (
                "UnknownMessage",
                MessageTag::PERSISTED_COUNTED,
                b"raw".to_vec()
            )
        );
        let t = JsonContent::decode("RC:TxtMsg", br#"{"mentionedInfo":{"type":1}}"#).unwrap();
        assert_eq!(t.mentioned_info(), Some(&json!({"type": 1})));
        let r = JsonContent::decode("RC:ImgTextMsg", br#"{"mentionedInfo":{"type":1}}"#).unwrap();
        assert_eq!(r.mentioned_info(), None);
    }
}
